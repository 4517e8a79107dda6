"""Shipped, offline reference data: countries, currencies, languages and the HS 2022 nomenclature with search.

Depends on the kernel, the standard library and its data libraries (babel, rapidfuzz) only.
"""

from xborder.reference.countries import Country, countries, country
from xborder.reference.currencies import Currency, currencies, currency
from xborder.reference.hs import HsEntry, hs_children, hs_entries, hs_lookup, hs_path, hs_sections, hs_validate
from xborder.reference.hs_search import HsHit, hs_search
from xborder.reference.languages import Language, language

__all__ = [
    "Country",
    "Currency",
    "HsEntry",
    "HsHit",
    "Language",
    "countries",
    "country",
    "currencies",
    "currency",
    "hs_children",
    "hs_entries",
    "hs_lookup",
    "hs_path",
    "hs_search",
    "hs_sections",
    "hs_validate",
    "language",
]
