"""Countries, currencies and languages: shipped data, normalisation and errors that name the field."""

from __future__ import annotations

import pytest

from xborder import reference
from xborder.kernel import NotFound, ValidationFailed


def test_countries_cover_iso_3166_with_chinese_names() -> None:
    all_countries = reference.countries()
    assert len(all_countries) >= 249
    assert [c.alpha2 for c in all_countries] == sorted(c.alpha2 for c in all_countries)
    assert all(c.name_en and c.name_zh for c in all_countries)


@pytest.mark.parametrize(
    ("code", "alpha2", "alpha3", "name_zh", "currency", "calling", "region"),
    [
        ("cn", "CN", "CHN", "中国", "CNY", "+86", "Asia"),
        ("DE", "DE", "DEU", "德国", "EUR", "+49", "Europe"),
        ("usa", "US", "USA", "美国", "USD", "+1", "Americas"),
        ("SA", "SA", "SAU", "沙特阿拉伯", "SAR", "+966", "Asia"),
        ("BR", "BR", "BRA", "巴西", "BRL", "+55", "Americas"),
    ],
)
def test_country_lookup(code: str, alpha2: str, alpha3: str, name_zh: str, currency: str, calling: str,
                        region: str) -> None:
    found = reference.country(code)
    assert (found.alpha2, found.alpha3, found.name_zh, found.region) == (alpha2, alpha3, name_zh, region)
    assert currency in found.currencies
    assert calling in found.calling_codes


def test_unknown_country_is_not_found_and_names_the_field() -> None:
    with pytest.raises(NotFound) as caught:
        reference.country("QQ", field="origin_country")
    assert caught.value.details[0].field == "origin_country"
    assert "origin_country" in caught.value.message


@pytest.mark.parametrize("bad", ["", "1", "Germany", "D-E"])
def test_malformed_country_is_a_validation_error(bad: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        reference.country(bad)
    assert caught.value.details[0].field == "country"


@pytest.mark.parametrize(("code", "minor", "symbol", "name_zh"),
                         [("EUR", 2, "€", "欧元"), ("jpy", 0, "¥", "日元"), ("KWD", 3, "KWD", "科威特第纳尔"),
                          ("CNY", 2, "CN¥", "人民币"), ("USD", 2, "$", "美元")])
def test_currency(code: str, minor: int, symbol: str, name_zh: str) -> None:
    found = reference.currency(code)
    assert (found.code, found.minor_units, found.symbol, found.name_zh) == (code.upper(), minor, symbol, name_zh)
    assert found.name_en


def test_currency_minor_units_come_from_the_kernel_list() -> None:
    from xborder.kernel import currency_exponent

    listed = reference.currencies()
    assert len(listed) > 100
    assert all(c.minor_units == currency_exponent(c.code) for c in listed)


def test_unknown_and_malformed_currency() -> None:
    with pytest.raises(NotFound) as caught:
        reference.currency("ABC", field="cost_currency")
    assert caught.value.details[0].field == "cost_currency"
    with pytest.raises(ValidationFailed):
        reference.currency("EURO")


@pytest.mark.parametrize("tag", ["ar", "he", "fa", "ur", "ar-SA"])
def test_right_to_left_languages(tag: str) -> None:
    assert reference.language(tag).direction == "rtl"


@pytest.mark.parametrize(("tag", "norm", "name_en", "name_zh", "script"),
                         [("en", "en", "English", "英语", "Latn"),
                          ("zh_cn", "zh-CN", "Chinese (China)", "中文 (中国)", "Hans"),
                          ("zh-TW", "zh-TW", "Chinese (Taiwan)", "中文 (台湾)", "Hant"),
                          ("ar", "ar", "Arabic", "阿拉伯语", "Arab"), ("ja", "ja", "Japanese", "日语", "Jpan")])
def test_language(tag: str, norm: str, name_en: str, name_zh: str, script: str) -> None:
    found = reference.language(tag)
    assert (found.tag, found.script, found.direction) == (norm, script, "ltr" if script != "Arab" else "rtl")
    assert found.name_en.startswith(name_en.split(" (")[0])
    assert found.name_zh.startswith(name_zh.split(" (")[0])


def test_unknown_and_malformed_language() -> None:
    with pytest.raises(NotFound) as caught:
        reference.language("xx", field="source_language")
    assert caught.value.details[0].field == "source_language"
    with pytest.raises(ValidationFailed):
        reference.language("english!")
