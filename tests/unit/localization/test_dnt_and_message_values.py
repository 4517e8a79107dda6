"""Do-not-translate terms (glossary and the brand/model a product declares) are not language findings; word
placeholders are rendered in the reader's language, so a Chinese explanation carries no English filler words."""

from __future__ import annotations

import re
from datetime import date

import pytest

from xborder import markets
from xborder.localization import Glossary, ListingText, TermEntry, build_qa_context, run_qa, run_qa_markets
from xborder.localization.checks.base import declared_terms, message_catalog, placeholder_values
from xborder.localization.checks.language import detect_language
from xborder.localization.checks.units import _COMPARABLE
from xborder.localization.listing_csv import parse_listing_csv
from xborder.localization.text import SCRIPT_PATTERNS

ON = date(2026, 11, 22)
LANGUAGE_CODES = {"mixed_scripts", "untranslated_source_text"}
DNT = Glossary((TermEntry("声悦电子", "do_not_translate"), TermEntry("声悦", "do_not_translate")))
SOURCE = {"source_language": "zh", "source_title": "声悦电子 无线耳机"}
TITLES = {"JP": ("ja", "声悦电子 ワイヤレスイヤホン"), "SA": ("ar", "声悦 سماعات لاسلكية"),
          "DE": ("de", "声悦 Kabellose Kopfhörer")}


def _language_findings(market: str, title: str, language: str, glossary: Glossary | None = None,
                       **extra: object) -> list[str]:
    ctx = build_qa_context(market=market, on=ON, glossary=glossary)
    result = run_qa(ListingText(sku="SY-1", language=language, title=title, **{**SOURCE, **extra}), ctx)  # type: ignore[arg-type]
    return sorted(f.code for f in result.findings if f.code in LANGUAGE_CODES)


@pytest.mark.parametrize("market", sorted(TITLES))
def test_glossary_do_not_translate_terms_are_not_reported(market: str) -> None:
    language, title = TITLES[market]
    assert _language_findings(market, title, language) == sorted(LANGUAGE_CODES)  # the check does see the brand
    assert _language_findings(market, title, language, DNT) == []


@pytest.mark.parametrize("market", sorted(TITLES))
def test_a_brand_the_product_declares_is_kept_as_is(market: str) -> None:
    language, title = TITLES[market]
    assert _language_findings(market, title, language, protected_terms=("声悦电子", "声悦")) == []


def test_other_source_text_next_to_a_protected_brand_is_still_reported() -> None:
    codes = _language_findings("SA", "声悦 无线 سماعات لاسلكية", "ar", DNT)
    assert codes == sorted(LANGUAGE_CODES)
    ctx = build_qa_context(market="SA", on=ON, glossary=DNT)
    result = run_qa(ListingText(sku="SY-1", language="ar", title="声悦 无线 سماعات لاسلكية", **SOURCE), ctx)  # type: ignore[arg-type]
    assert all("声悦" not in f.message for f in result.findings if f.code == "mixed_scripts")


def test_a_title_of_only_brand_and_model_may_equal_the_source() -> None:
    source = {"source_language": "zh", "source_title": "声悦 SY-K100"}
    assert _language_findings("DE", "声悦 SY-K100", "de", DNT, **source) == []
    copied = {"source_language": "zh", "source_title": "声悦 无线耳机"}
    assert "untranslated_source_text" in _language_findings("DE", "声悦 无线耳机", "de", DNT, **copied)


def test_a_market_scoped_term_is_not_shared_with_other_markets() -> None:
    """The language checks run once per listing across markets; a term protected in SA only must not hide DE's."""
    glossary = Glossary((TermEntry("声悦", "do_not_translate", market="SA"),))
    listing = ListingText(sku="SY-1", language="de", title="声悦 Kabellose Kopfhörer", source_language="zh",
                          source_title="声悦 无线耳机")
    sa, de = run_qa_markets(listing, [build_qa_context(market=m, on=ON, glossary=glossary) for m in ("SA", "DE")])
    assert not {f.code for f in sa.findings} & LANGUAGE_CODES
    assert {f.code for f in de.findings} >= LANGUAGE_CODES


def test_declared_terms_come_from_brand_and_model_attributes() -> None:
    assert declared_terms(brand=" 声悦 ", attributes=[{"Model": "悦动 Pro", "colour": "黑"}, None,
                                                      {"mpn": "SY-K100"}]) == ("SY-K100", "声悦", "悦动 Pro")
    assert declared_terms(brand=None) == ()


def test_listing_csv_brand_and_model_columns_are_protected() -> None:
    content = ("sku,language,title,description,source_language,source_title,brand,model\n"
               "SY-1,ar,声悦 悦动 سماعات,,zh,声悦 悦动 耳机,声悦,悦动\n").encode()
    [listing] = parse_listing_csv(content)
    assert listing.protected_terms == ("声悦", "悦动")
    result = run_qa(listing, build_qa_context(market="SA", on=ON))
    assert not {f.code for f in result.findings} & LANGUAGE_CODES


# --- placeholder values -------------------------------------------------------------------------------------------

ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
QUOTED = re.compile(r"“[^”]*”")


def test_every_placeholder_value_has_english_and_chinese_without_ascii_words() -> None:
    for name, table in placeholder_values().items():
        for key, entry in table.items():
            assert entry["en"] and entry["zh"], (name, key)
            chinese = QUOTED.sub("", re.sub(r"\{\w+\}", "", entry["zh"]))
            assert not ASCII_WORD.search(chinese), (name, key, entry["zh"])


def test_every_key_a_check_passes_has_a_rendering() -> None:
    values = placeholder_values()
    assert set(_COMPARABLE) <= set(values["dimension"])
    assert set(SCRIPT_PATTERNS) | {"Hans", "homoglyph"} <= set(values["script"])
    assert {"start", "end"} <= set(values["edge"])
    assert {"characters", "bytes", "keyword_characters"} <= set(values["unit"])
    spoken = {lang.split("-")[0] for summary in markets.list_markets() for lang in summary.languages}
    detectable = {detect_language(sample) for sample in ("東京", "서울", "中文", "عربي", "עברית", "ไทย", "Русский",
                                                          "Ελληνικά", "हिन्दी")}
    assert spoken | (detectable - {None}) <= set(values["language"])
    for summary in markets.list_markets():
        assert summary.name_zh and not ASCII_WORD.search(summary.name_zh), summary.code


def _zh_findings() -> list[tuple[str, str, set[str]]]:
    """(code, zh message, words of the listing itself) from listings that fill every word placeholder."""
    cases = [
        ("DE", None, ListingText(sku="a", language="de", title="Kabel 10 inch lang, 2 lb schwer")),
        ("US", None, ListingText(sku="b", language="en", title="Kettle 25 cm tall, 1.5 kg, 2 l")),
        ("SA", None, ListingText(sku="c", language="ar", title="سماعات 无线 لاسلكية")),
        ("JP", None, ListingText(sku="d", language="ja", title="ワイヤレスイヤホン 电池付き")),
        ("DE", None, ListingText(sku="e", language="de", title="Kаbel für das Gerät")),  # Cyrillic а
        ("JP", None, ListingText(sku="f", language="ja", title="无线耳机，蓝牙连接，超长续航，高清音质")),
        ("SA", None, ListingText(sku="g", language="ar", title="Shengyue سماعات لاسلكية")),
        ("JP", "etsy", ListingText(sku="h", language="ja", title="電気ケトル",
                                   keywords=("とても長いキーワードです" * 3,))),
        ("DE", "amazon", ListingText(sku="i", language="de", title="Wasserkocher " * 30)),
        ("DE", None, ListingText(sku="k", language="de", title="This is the best kettle for your home and it is "
                                                                 "made with steel")),
    ]
    glossary = Glossary((TermEntry("节能", "required", language="ja", translation="省エネ", source_language="zh"),))
    cases.append(("JP", None, ListingText(sku="j", language="ja", title="電気ケトル", source_language="zh",
                                          source_title="节能电水壶")))
    found = []
    for market, channel, listing in cases:
        ctx = build_qa_context(market=market, on=ON, channel=channel, glossary=glossary, locale="zh-CN")
        text = " ".join((listing.title, *listing.keywords))
        quoted = set(ASCII_WORD.findall(text)) | set(ASCII_WORD.findall(text.lower()))  # may be quoted back
        found += [(f.code, f.message, quoted) for f in run_qa(listing, ctx).findings]
    return found


def test_chinese_messages_contain_no_english_placeholder_words() -> None:
    found = _zh_findings()
    codes = {code for code, _, _ in found}
    assert codes >= {"metric_units_missing", "imperial_units_missing", "mixed_scripts", "wrong_language",
                     "field_too_long", "glossary_required_term", "rtl_marks_missing"}, codes
    catalog = message_catalog()
    for code, message, listing_words in found:
        template_words = set(ASCII_WORD.findall(re.sub(r"\{\w+\}", "", catalog[code]["zh"])))
        allowed = template_words | listing_words | {"Amazon", "Etsy"}  # channel names are proper names
        words = set(ASCII_WORD.findall(QUOTED.sub("", message)))
        assert words <= allowed, (code, message)
    messages = {message for _, message, _ in found}
    assert {"该长度只有英制单位；德国的买家需要公制单位（厘米、千克、毫升、摄氏度）。",
            "该重量只有英制单位；德国的买家需要公制单位（厘米、千克、毫升、摄氏度）。"} <= messages
    assert "术语表要求“节能”在日语中译为“省エネ”，但译文没有使用。" in messages
    assert "该字段看起来是英语，而不是德语。" in messages
