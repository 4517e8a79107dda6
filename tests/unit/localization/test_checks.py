"""Each check family on the cases sellers meet: the journey's 节能 / set-of-4 / missing-cm listing, culture packs,
channel rules, language and markup; plus the contract that checks never raise."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xborder.kernel import Severity
from xborder.localization import (
    Glossary,
    ListingText,
    QaContext,
    TermEntry,
    build_qa_context,
    run_qa,
    run_qa_markets,
)

GLOSSARY = Glossary((
    TermEntry("节能", "required", language="ja", translation="省エネ", source_language="zh"),
    TermEntry("节能", "required", language="de", translation="energiesparend", source_language="zh"),
    TermEntry("Shengyue", "do_not_translate"),
    TermEntry("节能", "forbidden", language="ja", translation="節能", note="not a Japanese word"),
))


def listing(**overrides: object) -> ListingText:
    base: dict[str, object] = {"sku": "SY-1", "language": "ja", "title": "電気ケトル 1.5L", "description": ""}
    base.update(overrides)
    return ListingText(**base)  # type: ignore[arg-type]


def codes(findings: object) -> list[str]:
    return [f.code for f in findings]  # type: ignore[attr-defined]


@pytest.fixture
def jp() -> QaContext:
    return build_qa_context(market="JP", on=date(2026, 11, 22), glossary=GLOSSARY)


def test_journey_listing_flags_meaning_drift_set_of_four_and_missing_centimetres(jp: QaContext) -> None:
    result = run_qa(listing(
        title="使用制限電気ケトル 1.5L SY-K100 4個セット", description="サイズ 8 x 6 in",
        source_language="zh", source_title="声悦 节能电水壶 1.5L SY-K100 4件套", source_description="尺寸 20 x 15 厘米",
    ), jp)
    found = codes(result.findings)
    assert {"known_mistranslation", "glossary_required_term", "unlucky_number", "metric_units_missing"} <= set(found)
    assert result.blocking
    assert result.findings[0].severity is Severity.CRITICAL  # sorted by severity first


def test_back_translation_flags_restricted_use_and_passes_a_faithful_translation() -> None:
    def back(text: str, src: str, dst: str) -> str:
        return {"省エネ家電": "节能电器", "使用制限家電": "限制使用家电"}[text]

    ctx = build_qa_context(market="JP", on=date(2026, 11, 22), back_translate=back)
    bad = run_qa(listing(title="使用制限家電", source_language="zh", source_title="节能电器"), ctx)
    good = run_qa(listing(title="省エネ家電", source_language="zh", source_title="节能电器"), ctx)
    assert "back_translation_drift" in codes(bad.findings)
    assert "back_translation_drift" not in codes(good.findings)


def test_glossary_do_not_translate_and_forbidden(jp: QaContext) -> None:
    result = run_qa(listing(title="声悦 ケトル 節能", source_language="zh", source_title="Shengyue 电水壶"), jp)
    assert {"glossary_do_not_translate", "glossary_forbidden_term"} <= set(codes(result.findings))


def test_numbers_units_and_models_must_survive(jp: QaContext) -> None:
    result = run_qa(listing(title="イヤホン 20時間", description="重さ 50 g", source_language="zh",
                            source_title="耳机 SY-BT500 30小时 蓝牙5.3", source_description="重量 60 克"), jp)
    found = codes(result.findings)
    assert {"number_mismatch", "model_number_missing", "unit_mismatch"} <= set(found)
    converted = run_qa(listing(title="Kettle 3.9 in", language="en", source_language="zh",
                               source_title="电水壶 10 厘米"), jp)
    assert "unit_mismatch" not in codes(converted.findings)


def test_culture_packs_per_market() -> None:
    day = date(2026, 11, 22)
    sa = build_qa_context(market="SA", on=day)
    assert "taboo_term" in codes(run_qa(listing(language="en", title="Crystal wine glasses"), sa).findings)
    de = build_qa_context(market="DE", on=day)
    assert "green_claim" in codes(run_qa(listing(language="de", title="Wasserkocher klimaneutral"), de).findings)
    before = build_qa_context(market="DE", on=date(2026, 9, 1))  # Directive (EU) 2024/825 applies from 27 Sep 2026
    claim = listing(language="de", title="Wasserkocher klimaneutral")
    assert "green_claim" not in codes(run_qa(claim, before).findings)
    assert "health_claim" in codes(run_qa(listing(language="en", title="Mat that cures insomnia"), de).findings)
    kr = build_qa_context(market="KR", on=day)
    assert "unlucky_number" in codes(run_qa(listing(language="ko", title="머그컵 4개 세트"), kr).findings)


def test_ramadan_promotion_warning_uses_the_market_calendar() -> None:
    during = build_qa_context(market="SA", on=date(2026, 2, 10))  # 1 Ramadan 1447 = 18 Feb 2026
    after = build_qa_context(market="SA", on=date(2026, 5, 1))
    promo = listing(language="en", title="Speaker MEGA SALE 50% off")
    found = [f for f in run_qa(promo, during).findings if f.code == "promotion_calendar"]
    assert found and "Ramadan" in found[0].message
    assert "promotion_calendar" not in codes(run_qa(promo, after).findings)


def test_units_and_sizes() -> None:
    day = date(2026, 11, 22)
    us = build_qa_context(market="US", on=day)
    assert "imperial_units_missing" in codes(run_qa(listing(language="en", title="Kettle 20 cm"), us).findings)
    jp = build_qa_context(market="JP", on=day)
    wrong = run_qa(listing(language="en", title="Kettle 10 cm (5 in)"), jp)
    assert "unit_conversion_inconsistent" in codes(wrong.findings)
    assert "unit_conversion_inconsistent" not in codes(run_qa(listing(language="en", title="Kettle 10 cm (3.9 in)"),
                                                              jp).findings)
    shoes = [f for f in run_qa(listing(title="スニーカー EU 42"), jp).findings if f.code == "size_system_mismatch"]
    assert shoes and "JP 26.5" in shoes[0].message
    assert "size_conversion_inconsistent" in codes(run_qa(listing(title="靴 EU 42 / US 6"), jp).findings)


def test_channel_rules() -> None:
    ctx = build_qa_context(market="US", on=date(2026, 11, 22), channel="amazon")
    result = run_qa(listing(language="en", title="Best Kettle! Kettle kettle KETTLE free shipping " + "x" * 200,
                            description="<b>hot</b>", bullets=tuple("abcdef")), ctx)
    assert {"field_too_long", "forbidden_characters", "repeated_words", "promotional_phrase", "html_not_allowed",
            "too_many_items"} <= set(codes(result.findings))
    etsy = build_qa_context(market="US", on=date(2026, 11, 22), channel="etsy")
    tags = run_qa(listing(language="en", title="Mug", description="A mug", keywords=("a" * 21,)), etsy)
    assert "field_too_long" in codes(tags.findings)


def test_language_and_markup(jp: QaContext) -> None:
    leftover = run_qa(listing(title="電気ケトル 节能电器", source_language="zh", source_title="节能电器 电水壶"), jp)
    assert {"mixed_scripts", "untranslated_source_text"} <= set(codes(leftover.findings))
    english = run_qa(listing(title="This is the best kettle for your kitchen and your family"), jp)
    assert "wrong_language" in codes(english.findings)
    homoglyph = run_qa(listing(language="en", title="Bluеtooth speaker"), jp)  # Cyrillic е
    assert "mixed_scripts" in codes(homoglyph.findings)
    markup = run_qa(listing(title="ケトル", description="<p>説明 <b>太字</p><script>x</script>",
                            source_language="zh", source_description="{name} 说明 <p></p>"), jp)
    assert {"broken_html", "unsafe_html", "placeholder_mismatch"} <= set(codes(markup.findings))
    sa = build_qa_context(market="SA", on=date(2026, 11, 22))
    rtl = run_qa(listing(language="ar", title="Shengyue SY-BT5 سماعات لاسلكية"), sa)
    assert "rtl_marks_missing" in codes(rtl.findings)
    marked = run_qa(listing(language="ar", title="\u2068Shengyue SY-BT5\u2069 سماعات لاسلكية"), sa)
    assert "rtl_marks_missing" not in codes(marked.findings)
    assert "bidi_controls_unbalanced" in codes(run_qa(listing(language="ar", title="\u2067سماعات"), sa).findings)


def test_messages_in_chinese_and_multi_market_run_matches_single_runs() -> None:
    day = date(2026, 11, 22)
    zh = build_qa_context(market="JP", on=day, locale="zh-CN", glossary=GLOSSARY)
    item = listing(title="ケトル 4個セット")
    assert "不吉利" in run_qa(item, zh).findings[0].message
    contexts = [build_qa_context(market=m, on=day, channel="amazon") for m in ("JP", "DE", "SA")]
    assert run_qa_markets(item, contexts) == [run_qa(item, c) for c in contexts]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(title=st.text(max_size=80), description=st.text(max_size=200), source=st.text(max_size=80),
       language=st.sampled_from(["ja", "en", "ar", "de", "zh", "ko"]))
def test_checks_return_findings_and_never_raise(title: str, description: str, source: str, language: str) -> None:
    ctx = build_qa_context(market="SA", on=date(2026, 3, 1), channel="etsy", glossary=GLOSSARY)
    result = run_qa(listing(language=language, title=title, description=description, source_language="zh",
                            source_title=source), ctx)
    assert all(f.code and f.message for f in result.findings)
