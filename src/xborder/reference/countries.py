"""ISO 3166-1 countries with English/Chinese names, region, currencies and calling codes (shipped, offline).

Data derived from mledoze/countries (ODbL 1.0) with CLDR simplified-Chinese names; see data/SOURCE.md.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from xborder.kernel import CountryCode, ValidationFailed, country_code
from xborder.reference._errors import invalid, not_found

__all__ = ["Country", "countries", "country"]


@dataclass(frozen=True, slots=True)
class Country:
    """One country or territory. `calling_codes` are E.164 prefixes such as "+86"."""

    alpha2: CountryCode
    alpha3: str
    numeric: str
    name_en: str
    official_name_en: str
    name_zh: str
    region: str
    subregion: str
    currencies: tuple[str, ...]
    calling_codes: tuple[str, ...]
    independent: bool


@cache
def _by_alpha2() -> dict[str, Country]:
    raw = resources.files("xborder.reference").joinpath("data/countries.csv.gz").read_bytes()
    rows = csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    result: dict[str, Country] = {}
    for row in rows:
        result[row["alpha2"]] = Country(
            alpha2=CountryCode(row["alpha2"]),
            alpha3=row["alpha3"],
            numeric=row["numeric"],
            name_en=row["name_en"],
            official_name_en=row["official_en"],
            name_zh=row["name_zh"],
            region=row["region"],
            subregion=row["subregion"],
            currencies=tuple(row["currencies"].split()),
            calling_codes=tuple(row["calling_codes"].split()),
            independent=row["independent"] == "1",
        )
    return result


@cache
def _by_alpha3() -> dict[str, Country]:
    return {c.alpha3: c for c in _by_alpha2().values()}


def countries() -> list[Country]:
    """All 250 countries and territories, sorted by alpha-2 code."""
    return list(_by_alpha2().values())


def country(code: str, *, field: str = "country") -> Country:
    """Look up a country by ISO alpha-2 ("de", "DE") or alpha-3 ("DEU") code.

    Raises:
        ValidationFailed: `code` is not shaped like an ISO code.
        NotFound: well-formed but not an assigned code.
    """
    text = (code or "").strip().upper()
    if len(text) == 3 and text.isalpha():
        found = _by_alpha3().get(text)
    else:
        try:
            found = _by_alpha2().get(country_code(text, field=field))
        except ValidationFailed:
            raise invalid(field, f"{code!r} is not an ISO 3166-1 alpha-2 or alpha-3 code",
                          code="reference.invalid_country") from None
    if found is None:
        raise not_found(field, f"{text} is not an assigned ISO 3166-1 country code", code="reference.unknown_country")
    return found
