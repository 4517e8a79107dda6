"""Pure calendar arithmetic: parses event rules (`fixed:`, `nth_weekday:`, `hijri:`, `lunar:`, `holidays:`) and
expands them into dated occurrences for a range of Gregorian years. No I/O except packaged reference tables.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

import holidays
from hijridate import Gregorian, Hijri

from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["Occurrence", "ParsedRule", "expand_rule", "parse_rule"]

_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_SHIFT = r"(?:\+(?P<span>\d{1,3}))?$"
_PATTERNS = {
    "fixed": re.compile(r"^fixed:(?P<month>\d{2})-(?P<day>\d{2})" + _SHIFT),
    "hijri": re.compile(r"^hijri:(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _SHIFT),
    "lunar": re.compile(r"^lunar:(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _SHIFT),
    "nth_weekday": re.compile(r"^nth_weekday:(?P<month>\d{2})-(?P<nth>[1-5]|L)-(?P<weekday>[A-Z]{3})"
                              r"(?P<offset>[+-]\d{1,2})?$"),
    "holidays": re.compile(r"^holidays:(?P<country>[A-Z]{2})$"),
}
# Lunar dates the packaged table resolves; 1st-month days follow from New Year itself.
_LUNAR_COLUMNS = {(5, 5): "dragon_boat", (8, 15): "mid_autumn"}


@dataclass(frozen=True, slots=True)
class ParsedRule:
    """A rule split into its parts. `span_days` lengthens an event; `offset_days` shifts an nth-weekday date."""

    calendar: str
    month: int = 0
    day: int = 0
    nth: int = 0  # 1..5, or -1 for the last such weekday of the month
    weekday: int = 0  # Monday = 0
    offset_days: int = 0
    span_days: int = 0
    country: str = ""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated occurrence of a rule; `label` is the holiday's own name for `holidays:` rules."""

    starts_on: date
    ends_on: date
    label: str | None = None


def parse_rule(rule: str) -> ParsedRule:
    """Parse and check an event rule string.

    Raises:
        ValidationFailed: naming the rule and the expected shapes.
    """
    for calendar, pattern in _PATTERNS.items():
        match = pattern.match(rule or "")
        if match is None:
            continue
        parts = match.groupdict()
        if calendar == "holidays":
            if parts["country"] not in holidays.list_supported_countries():
                raise ValidationFailed(f"rule {rule!r}: the holidays package has no country {parts['country']}",
                                       details=[_detail(rule)])
            return ParsedRule(calendar, country=parts["country"])
        month, day = int(parts["month"]), int(parts.get("day") or 1)
        if not 1 <= month <= 12:
            raise ValidationFailed(f"rule {rule!r}: month {month} out of range", details=[_detail(rule)])
        if calendar == "nth_weekday":
            if parts["weekday"] not in _WEEKDAYS:
                raise ValidationFailed(f"rule {rule!r}: weekday must be one of {', '.join(_WEEKDAYS)}",
                                       details=[_detail(rule)])
            nth = -1 if parts["nth"] == "L" else int(parts["nth"])
            return ParsedRule(calendar, month=month, nth=nth, weekday=_WEEKDAYS.index(parts["weekday"]),
                              offset_days=int(parts["offset"] or 0))
        span = int(parts["span"] or 0)
        if calendar == "fixed":
            try:
                date(2024, month, day)  # a leap year, so 02-29 is accepted
            except ValueError:
                raise ValidationFailed(f"rule {rule!r}: {month:02d}-{day:02d} is not a date",
                                       details=[_detail(rule)]) from None
        elif calendar == "hijri" and not 1 <= day <= 30:
            raise ValidationFailed(f"rule {rule!r}: Hijri day must be 1..30", details=[_detail(rule)])
        elif calendar == "lunar" and not (month == 1 and 1 <= day <= 29) and (month, day) not in _LUNAR_COLUMNS:
            raise ValidationFailed(f"rule {rule!r}: supported lunar dates are 1-1..1-29, 5-5 and 8-15",
                                   details=[_detail(rule)])
        return ParsedRule(calendar, month=month, day=day, span_days=span)
    raise ValidationFailed(
        f"rule {rule!r} is not one of fixed:MM-DD[+N], nth_weekday:MM-N-DAY[+/-N], hijri:M-D[+N], "
        "lunar:M-D[+N], holidays:CC",
        details=[_detail(rule)],
    )


def _detail(rule: str) -> ErrorDetail:
    return ErrorDetail(message=f"invalid calendar rule {rule!r}", field="rule", code="markets.invalid_rule")


def expand_rule(rule: str, year_from: int, year_to: int) -> list[Occurrence]:
    """All occurrences of `rule` that start in Gregorian years `year_from`..`year_to` (inclusive), in date order."""
    if year_to < year_from:
        raise ValidationFailed(f"year_to {year_to} is before year_from {year_from}")
    parsed = parse_rule(rule)
    years = range(year_from, year_to + 1)
    if parsed.calendar == "holidays":
        found = holidays.country_holidays(parsed.country, years=list(years), language="en_US")
        return [Occurrence(day, day, name) for day, name in sorted(found.items())]
    starts: list[date] = []
    for year in years:
        if parsed.calendar == "fixed":
            if parsed.month == 2 and parsed.day == 29 and not _is_leap(year):
                continue
            starts.append(date(year, parsed.month, parsed.day))
        elif parsed.calendar == "nth_weekday":
            starts.append(_nth_weekday(year, parsed) + timedelta(days=parsed.offset_days))
        elif parsed.calendar == "hijri":
            starts.extend(_hijri_in_year(year, parsed.month, parsed.day))
        else:
            starts.append(_lunar(year, parsed.month, parsed.day))
    return [Occurrence(start, start + timedelta(days=parsed.span_days)) for start in sorted(starts)]


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _nth_weekday(year: int, parsed: ParsedRule) -> date:
    if parsed.nth == -1:
        following = date(year + (parsed.month == 12), parsed.month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - parsed.weekday) % 7)
    first = date(year, parsed.month, 1)
    day = first + timedelta(days=(parsed.weekday - first.weekday()) % 7 + 7 * (parsed.nth - 1))
    if day.month != parsed.month:
        raise ValidationFailed(f"there is no weekday #{parsed.nth} {_WEEKDAYS[parsed.weekday]} in {year}-"
                               f"{parsed.month:02d}")
    return day


def _hijri_in_year(year: int, month: int, day: int) -> list[date]:
    """Hijri years are ~11 days shorter, so a Hijri date falls once (rarely twice) in a Gregorian year."""
    try:
        first = Gregorian(year, 1, 1).to_hijri().year
        found = []
        for hijri_year in (first, first + 1):
            try:
                gregorian = Hijri(hijri_year, month, day).to_gregorian()
            except ValueError:  # day 30 in a 29-day month
                gregorian = Hijri(hijri_year, month, day - 1).to_gregorian() + timedelta(days=1)
            if gregorian.year == year:
                found.append(date(gregorian.year, gregorian.month, gregorian.day))
        return found
    except OverflowError:
        raise ValidationFailed(f"Hijri dates are supported for Gregorian years 1924..2076, not {year}") from None


@cache
def _chinese_table() -> dict[int, dict[str, date]]:
    text = resources.files("xborder.markets").joinpath("data/chinese_calendar.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    return {int(row.pop("year")): {k: date.fromisoformat(v) for k, v in row.items()} for row in rows}


def _lunar(year: int, month: int, day: int) -> date:
    table = _chinese_table()
    if year not in table:
        raise ValidationFailed(f"Chinese calendar dates are tabulated for {min(table)}..{max(table)}, not {year}")
    if month == 1:
        return table[year]["lunar_new_year"] + timedelta(days=day - 1)
    return table[year][_LUNAR_COLUMNS[(month, day)]]
