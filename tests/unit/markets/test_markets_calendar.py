"""Calendar rule parsing and expansion: Hijri, Chinese lunar, nth weekday, fixed and `holidays:` rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xborder.kernel import ValidationFailed
from xborder.markets.calendar import expand_rule, parse_rule


def _starts(rule: str, year: int) -> list[date]:
    return [occurrence.starts_on for occurrence in expand_rule(rule, year, year)]


def test_ramadan_2026_starts_on_18_february() -> None:
    (ramadan,) = expand_rule("hijri:9-1+29", 2026, 2026)
    assert ramadan.starts_on == date(2026, 2, 18)
    assert ramadan.ends_on == date(2026, 3, 19)


def test_eid_al_fitr_2026() -> None:
    assert _starts("hijri:10-1", 2026) == [date(2026, 3, 20)]


def test_black_friday_2026_is_27_november() -> None:
    assert _starts("nth_weekday:11-4-THU+1", 2026) == [date(2026, 11, 27)]
    assert _starts("nth_weekday:11-4-THU+1", 2025) == [date(2025, 11, 28)]


def test_chinese_new_year() -> None:
    assert _starts("lunar:1-1", 2026) == [date(2026, 2, 17)]
    assert _starts("lunar:1-1", 2025) == [date(2025, 1, 29)]
    assert _starts("lunar:1-15", 2026) == [date(2026, 3, 3)]  # Lantern Festival
    assert _starts("lunar:8-15", 2026) == [date(2026, 9, 25)]


def test_last_weekday_and_negative_offset() -> None:
    assert _starts("nth_weekday:05-L-MON", 2026) == [date(2026, 5, 25)]  # US Memorial Day
    assert _starts("nth_weekday:11-3-MON-3", 2025) == [date(2025, 11, 14)]


def test_fixed_with_span_and_leap_day() -> None:
    (season,) = expand_rule("fixed:12-01+25", 2026, 2026)
    assert (season.starts_on, season.ends_on) == (date(2026, 12, 1), date(2026, 12, 26))
    assert _starts("fixed:02-29", 2025) == []
    assert _starts("fixed:02-29", 2028) == [date(2028, 2, 29)]


def test_holidays_rule_returns_labelled_days() -> None:
    days = expand_rule("holidays:DE", 2026, 2026)
    assert (date(2026, 10, 3), "German Unity Day") in [(d.starts_on, d.label) for d in days]


@pytest.mark.parametrize("rule", ["fixed:13-01", "fixed:02-30", "nth_weekday:11-4-XYZ", "lunar:3-3",
                                  "hijri:9-31", "holidays:QQ", "easter", ""])
def test_bad_rules_are_refused_with_the_rule_named(rule: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_rule(rule)
    assert repr(rule) in caught.value.message


def test_years_outside_the_lunar_table_are_an_explicit_error() -> None:
    with pytest.raises(ValidationFailed, match="tabulated"):
        expand_rule("lunar:1-1", 2099, 2099)


@given(year=st.integers(min_value=1950, max_value=2070))
def test_hijri_month_occurs_once_or_twice_a_year(year: int) -> None:
    starts = _starts("hijri:9-1", year)
    assert 1 <= len(starts) <= 2
    assert all(start.year == year for start in starts)


@given(year=st.integers(min_value=1900, max_value=2200), nth=st.integers(min_value=1, max_value=4),
       weekday=st.sampled_from(["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]))
def test_nth_weekday_lands_on_that_weekday(year: int, nth: int, weekday: str) -> None:
    (day,) = _starts(f"nth_weekday:11-{nth}-{weekday}", year)
    assert day.strftime("%a").upper() == weekday
    assert (day.day - 1) // 7 == nth - 1
