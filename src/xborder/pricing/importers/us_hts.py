"""USITC HTS export (CSV or JSON) -> schedule lines of the General (MFN) column.

Rates are printed on the 8-digit (sometimes 6/10-digit) line and inherited by the statistical lines below it, so
the importer keeps the line that carries the text; lookups take the longest matching prefix.
"""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

from xborder.pricing.importers.common import ScheduleLine
from xborder.pricing.rates import AdValorem, Rate, Specific, Sum, format_rate

__all__ = ["import_hts_csv", "import_hts_json", "parse_hts_rate"]

_TAGS = re.compile(r"<sup>(\d)</sup>|<[^>]+>")
# unit words of the HTS text -> (engine quantity unit, units per stated amount)
_UNITS: dict[str, tuple[str, Decimal]] = {
    "kg": ("kg", Decimal(1)), "each": ("item", Decimal(1)), "liter": ("liter", Decimal(1)),
    "doz.": ("dozen", Decimal(1)), "pr.": ("pair", Decimal(1)), "gross": ("item", Decimal(144)),
    "t": ("kg", Decimal(1000)), "m2": ("m2", Decimal(1)), "m3": ("m3", Decimal(1)), "bbl": ("bbl", Decimal(1)),
    "head": ("head", Decimal(1)), "pf. liter": ("pf_liter", Decimal(1)), "doz. pr.": ("dozen_pair", Decimal(1)),
}
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_SPECIFIC = re.compile(r"^(?:(\d+(?:\.\d+)?)¢|\$(\d+(?:\.\d+)?))\s*(?:/\s*(.+)|\s+(each))$")


def _term(text: str) -> Rate | None:
    if text == "Free":
        return AdValorem(Decimal(0))
    match = _PERCENT.match(text)
    if match:
        return AdValorem(Decimal(match.group(1)))
    match = _SPECIFIC.match(text)
    if match:
        cents, dollars, unit_text, each = match.groups()
        unit = _UNITS.get((each or unit_text or "").strip())
        if unit is None:
            return None
        amount = Decimal(cents) / 100 if cents is not None else Decimal(dollars)
        return Specific(amount, "USD", unit[0], unit[1])
    return None


def parse_hts_rate(text: str) -> str:
    """Canonical rate text for an HTS rate string ('37.5¢/kg + 5%' -> '0.375 USD/kg + 5%').

    Anything not exactly understood returns 'unsupported: <text>'.
    """
    cleaned = " ".join(_TAGS.sub(lambda m: m.group(1) or "", text).split())
    parts = [part.strip() for part in re.split(r"\s*\+\s*", cleaned)]
    terms = [_term(part) for part in parts]
    if not cleaned or any(term is None for term in terms):
        return f"unsupported: {cleaned or 'empty rate'}"
    resolved = [term for term in terms if term is not None]
    return format_rate(resolved[0] if len(resolved) == 1 else Sum(tuple(resolved)))


def _lines(rows: list[tuple[str, str]]) -> list[ScheduleLine]:
    result: dict[str, ScheduleLine] = {}
    for number, general in rows:
        code = re.sub(r"\D", "", number or "")
        general = (general or "").strip()
        if not code or not general or code.startswith(("98", "99")):
            continue  # chapters 98/99 are special provisions and additional duties, modelled as measures
        result[code] = ScheduleLine(code, parse_hts_rate(general), general)
    return list(result.values())


def import_hts_csv(path: Path) -> list[ScheduleLine]:
    """Read the USITC 'Export to CSV' file (columns 'HTS Number', 'General Rate of Duty')."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"HTS Number", "General Rate of Duty"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path.name}: not a USITC HTS CSV export, missing columns {sorted(missing)}")
        return _lines([(row["HTS Number"], row["General Rate of Duty"]) for row in reader])


def import_hts_json(path: Path) -> list[ScheduleLine]:
    """Read the USITC JSON export (a list of objects with 'htsno' and 'general')."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list) or (data and not {"htsno", "general"} <= set(data[0])):
        raise ValueError(f"{path.name}: not a USITC HTS JSON export (expected a list of {{htsno, general}})")
    return _lines([(str(item.get("htsno") or ""), str(item.get("general") or "")) for item in data])
