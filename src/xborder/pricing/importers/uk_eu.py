"""UK Global Tariff and EU CET / TARIC CSV files -> schedule lines.

Handles ad valorem, per-kg/per-hl/per-tonne/per-item specific duties and MIN/MAX; agricultural components (EA,
ADSZ, ADFM), entry prices, seasonal rates and qualified bases (net drained weight, % vol...) stay 'unsupported'.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

from xborder.pricing.importers.common import ScheduleLine
from xborder.pricing.rates import AdValorem, Greatest, Least, Rate, Specific, Sum, format_rate

__all__ = ["import_eu_taric_csv", "import_uk_tariff_csv", "parse_eu_uk_rate"]

_SIMPLE = re.compile(r"^(\d+(?:\.\d+)?)%$")
_SPEC = re.compile(r"^(\d+(?:\.\d+)?)\s*(EUR|GBP|€)\s*/\s*(\d[\d,]*)?\s*(kg|hl|tonne|items?)$")
_UNIT = {"kg": ("kg", Decimal(1)), "hl": ("liter", Decimal(100)), "tonne": ("kg", Decimal(1000)),
         "item": ("item", Decimal(1)), "items": ("item", Decimal(1))}


def _term(text: str) -> Rate | None:
    text = text.strip()
    match = _SIMPLE.match(text)
    if match:
        return AdValorem(Decimal(match.group(1)))
    match = _SPEC.match(text)
    if match:
        amount, currency, per_text, unit_word = match.groups()
        unit, factor = _UNIT[unit_word]
        per = Decimal(per_text.replace(",", "")) if per_text else Decimal(1)
        return Specific(Decimal(amount), "EUR" if currency == "€" else currency, unit, per * factor)
    return None


def _sum(text: str) -> Rate | None:
    terms = [_term(part) for part in text.split("+")]
    if any(term is None for term in terms):
        return None
    resolved = [term for term in terms if term is not None]
    return resolved[0] if len(resolved) == 1 else Sum(tuple(resolved))


def parse_eu_uk_rate(text: str) -> str:
    """Canonical rate text for an EU/UK duty expression ('4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item' ->
    'min(max(4.5%; 0.3 EUR/item); 0.8 EUR/item)'); anything else 'unsupported: <text>'."""
    cleaned = " ".join(text.replace("\xa0", " ").split())
    match = re.fullmatch(r"(.+?)(?: MIN (.+?))?(?: MAX (.+?))?", cleaned)
    if not cleaned or match is None:
        return f"unsupported: {cleaned or 'empty rate'}"
    base_text, low_text, high_text = match.groups()
    base = _sum(base_text)
    low = _sum(low_text) if low_text else None
    high = _sum(high_text) if high_text else None
    if base is None or (low_text and low is None) or (high_text and high is None):
        return f"unsupported: {cleaned}"
    rate: Rate = base
    if low is not None:
        rate = Greatest((rate, low))
    if high is not None:
        rate = Least((rate, high))
    return format_rate(rate)


def _pad(code: str) -> str:
    digits = re.sub(r"\D", "", code)
    # the DIT export lost leading zeros: CN8 lines arrive with 7 digits, 10-digit lines with 9
    return digits.zfill(8) if len(digits) <= 8 else digits.zfill(10)


def _read(path: Path, code_col: str, rate_col: str) -> list[ScheduleLine]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not {code_col, rate_col} <= set(reader.fieldnames or []):
            raise ValueError(f"{path.name}: expected columns {code_col!r} and {rate_col!r}")
        lines = {}
        for row in reader:
            raw = (row[rate_col] or "").strip()
            if not row[code_col] or not raw:
                continue
            code = _pad(row[code_col])
            lines[code] = ScheduleLine(code, parse_eu_uk_rate(raw), raw)
        return list(lines.values())


def import_uk_tariff_csv(path: Path, *, column: str = "ukgt_duty_rate") -> list[ScheduleLine]:
    """UK Global Tariff CSV (DIT 'global-uk-tariff.csv': commodity + ukgt_duty_rate, or a trade-tariff export)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    code_col = "commodity" if "commodity" in header else "commodity__code"
    return _read(path, code_col, column)


def import_eu_taric_csv(path: Path, *, code_column: str = "commodity", rate_column: str = "cet_duty_rate"
                        ) -> list[ScheduleLine]:
    """EU CET third-country duties from a CSV export (DIT comparison file, or a TARIC export with named columns)."""
    return _read(path, code_column, rate_column)
