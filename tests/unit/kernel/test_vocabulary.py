"""Codes, effective-dated values and cursors."""

from __future__ import annotations

from datetime import date

import pytest

from xborder.kernel import (
    DatedValue,
    EffectiveDated,
    NotFound,
    ValidationFailed,
    country_code,
    decode_cursor,
    encode_cursor,
    hs_code,
    language_tag,
)


def test_codes_normalize() -> None:
    assert country_code(" de ") == "DE"
    assert language_tag("zh_cn") == "zh-CN"
    assert language_tag("zh-hans") == "zh-Hans"
    assert hs_code("6109.10") == "610910"
    for bad in ("DEU", "", "1"):
        with pytest.raises(ValidationFailed):
            country_code(bad)
    with pytest.raises(ValidationFailed, match="hs_code"):
        hs_code("61091")


def test_effective_dated_lookup_and_gaps() -> None:
    vat = EffectiveDated([DatedValue(date(2007, 1, 1), "19"), DatedValue(date(2020, 7, 1), "16"),
                          DatedValue(date(2021, 1, 1), "19")], name="DE vat")
    assert vat.on(date(2020, 9, 1)) == "16"
    assert vat.on(date(2021, 1, 1)) == "19"
    with pytest.raises(NotFound, match="DE vat"):
        vat.on(date(2000, 1, 1))
    suspended = EffectiveDated([DatedValue(date(2016, 3, 10), "800"), DatedValue(date(2025, 8, 29), None)])
    with pytest.raises(NotFound):
        suspended.on(date(2025, 9, 1))


def test_cursor_round_trip_and_garbage() -> None:
    assert decode_cursor(encode_cursor("abc", 5)) == ["abc", 5]
    with pytest.raises(ValidationFailed):
        decode_cursor("%%%")
