"""Vocabulary codes: ISO 3166-1 country, BCP 47 language tag and HS code, validated on construction."""

from __future__ import annotations

import re
from typing import NewType

from xborder.kernel.errors import ValidationFailed

__all__ = ["CountryCode", "HsCode", "LanguageTag", "country_code", "hs_code", "language_tag"]

CountryCode = NewType("CountryCode", str)
LanguageTag = NewType("LanguageTag", str)
HsCode = NewType("HsCode", str)

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_HS = re.compile(r"^[0-9]{2}([0-9]{2}){0,4}$")


def country_code(value: str, *, field: str = "country") -> CountryCode:
    """Normalize and check the shape of an ISO 3166-1 alpha-2 code ("de" -> "DE")."""
    code = (value or "").strip().upper()
    if not _COUNTRY.match(code):
        raise ValidationFailed(f"{field}: {value!r} is not an ISO 3166-1 alpha-2 country code")
    return CountryCode(code)


def language_tag(value: str, *, field: str = "language") -> LanguageTag:
    """Normalize a BCP 47 tag to canonical case ("zh_cn" -> "zh-CN", "zh-hans" -> "zh-Hans")."""
    parts = (value or "").strip().replace("_", "-").split("-")
    if not parts or not parts[0]:
        raise ValidationFailed(f"{field}: empty language tag")
    norm = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4:
            norm.append(part.title())
        else:
            norm.append(part.upper())
    tag = "-".join(norm)
    if not _LANGUAGE.match(tag):
        raise ValidationFailed(f"{field}: {value!r} is not a BCP 47 language tag such as en, zh-CN or pt-BR")
    return LanguageTag(tag)


def hs_code(value: str, *, field: str = "hs_code") -> HsCode:
    """Normalize an HS/HTS code: digits only ("6109.10" -> "610910"), 2 to 10 digits, even length."""
    code = re.sub(r"[\s.\-]", "", str(value or ""))
    if not _HS.match(code):
        raise ValidationFailed(f"{field}: {value!r} is not an HS code (2, 4, 6, 8 or 10 digits)")
    return HsCode(code)
