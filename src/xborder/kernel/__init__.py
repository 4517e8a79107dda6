"""Shared vocabulary of every domain: Money, codes, effective dates, errors, findings, events, clock, ids.

Depends on the standard library only, so every other package can import it.
"""

from xborder.kernel.clock import Clock, FixedClock, SystemClock, utcnow
from xborder.kernel.codes import CountryCode, HsCode, LanguageTag, country_code, hs_code, language_tag
from xborder.kernel.dated import DatedValue, EffectiveDated
from xborder.kernel.errors import (
    Conflict,
    DomainError,
    ErrorDetail,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from xborder.kernel.events import Event
from xborder.kernel.findings import Finding, Reference, Severity
from xborder.kernel.ids import new_id, new_secret
from xborder.kernel.money import Money, UnknownCurrency, currency_exponent, known_currencies, parse_decimal
from xborder.kernel.pagination import Page, decode_cursor, encode_cursor

__all__ = [
    "Clock",
    "Conflict",
    "CountryCode",
    "DatedValue",
    "DomainError",
    "EffectiveDated",
    "ErrorDetail",
    "Event",
    "Finding",
    "FixedClock",
    "HsCode",
    "LanguageTag",
    "Money",
    "NotFound",
    "Page",
    "PermissionDenied",
    "Reference",
    "Severity",
    "SystemClock",
    "UnknownCurrency",
    "ValidationFailed",
    "country_code",
    "currency_exponent",
    "decode_cursor",
    "encode_cursor",
    "hs_code",
    "known_currencies",
    "language_tag",
    "new_id",
    "new_secret",
    "parse_decimal",
    "utcnow",
]
