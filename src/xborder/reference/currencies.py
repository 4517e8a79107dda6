"""ISO 4217 currencies: English/Chinese names and symbols from CLDR (babel), minor units from the kernel list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import numbers

from xborder.kernel import currency_exponent, known_currencies
from xborder.reference._errors import invalid, not_found

__all__ = ["Currency", "currencies", "currency"]

_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency; `symbol` is the CLDR English-locale symbol ("$", "€", "CN¥"), `symbol_zh` the zh-CN one."""

    code: str
    name_en: str
    name_zh: str
    minor_units: int
    symbol: str
    symbol_zh: str


@cache
def _build(code: str) -> Currency:
    return Currency(
        code=code,
        name_en=numbers.get_currency_name(code, locale="en"),
        name_zh=numbers.get_currency_name(code, locale="zh_Hans_CN"),
        minor_units=currency_exponent(code),
        symbol=numbers.get_currency_symbol(code, locale="en"),
        symbol_zh=numbers.get_currency_symbol(code, locale="zh_Hans_CN"),
    )


def currencies() -> list[Currency]:
    """Every ISO 4217 currency the kernel knows minor units for, sorted by code."""
    return [_build(code) for code in sorted(known_currencies())]


def currency(code: str, *, field: str = "currency") -> Currency:
    """Look up an ISO 4217 currency ("eur" is accepted).

    Raises:
        ValidationFailed: not three letters.
        NotFound: three letters but not an ISO 4217 code with a minor unit.
    """
    text = (code or "").strip().upper()
    if not _CODE.match(text):
        raise invalid(field, f"{code!r} is not an ISO 4217 currency code such as EUR",
                      code="reference.invalid_currency")
    if text not in known_currencies():
        raise not_found(field, f"{text} is not an ISO 4217 currency code", code="reference.unknown_currency")
    return _build(text)
