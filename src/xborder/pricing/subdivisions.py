"""Sub-national import tax rates (Brazil's ICMS per state) as dated, cited data beside a schedule.

`tax_by_subdivision.yaml` in a schedule folder overrides the market's `tax.standard_rate` for a given state; without
a state the market default applies and the quote says so in a warning.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from xborder.kernel import ErrorDetail, ValidationFailed
from xborder.pricing.errors import DateOutsideData, PricingInputInvalid

__all__ = ["SubdivisionRate", "SubdivisionTable", "load_subdivision_table"]


@dataclass(frozen=True, slots=True)
class SubdivisionRate:
    subdivision: str
    rate: Decimal
    valid_from: date
    source: str
    certainty: str
    note: str | None


@dataclass(frozen=True, slots=True)
class _Version:
    valid_from: date
    default: Decimal
    rates: dict[str, Decimal]
    source: str
    certainty: str
    note: str | None


@dataclass(frozen=True)
class SubdivisionTable:
    market: str
    tax_name: str
    subdivisions: frozenset[str]
    default_note: str
    versions: tuple[_Version, ...]

    def rate(self, subdivision: str, on: date) -> SubdivisionRate:
        code = subdivision.strip().upper().removeprefix(f"{self.market}-")
        if code not in self.subdivisions:
            raise PricingInputInvalid(
                f"subdivision {subdivision!r} is not a state of {self.market} ({', '.join(sorted(self.subdivisions))})",
                details=[ErrorDetail("unknown subdivision", field="subdivision", code=PricingInputInvalid.code)])
        index = bisect_right([v.valid_from for v in self.versions], on) - 1
        if index < 0:
            raise DateOutsideData(f"{self.market} {self.tax_name} by state: data starts {self.versions[0].valid_from}",
                                  details=[ErrorDetail("date before the data", field="date")])
        version = self.versions[index]
        return SubdivisionRate(code, version.rates.get(code, version.default), version.valid_from, version.source,
                               version.certainty, version.note)


@cache
def load_subdivision_table(folder: Path) -> SubdivisionTable | None:
    path = folder / "tax_by_subdivision.yaml"
    if not path.exists():
        return None
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    versions = []
    for index, item in enumerate(raw["versions"]):
        href = str(item["reference"]["href"])
        certainty = item.get("certainty", "confirmed")
        if not href.startswith("https://") or (certainty != "confirmed" and not item.get("note")):
            raise ValidationFailed(f"{path}: versions[{index}] needs an https reference (and a note if not confirmed)")
        versions.append(_Version(item["valid_from"], Decimal(str(item["default"])),
                                 {str(k): Decimal(str(v)) for k, v in (item.get("rates") or {}).items()},
                                 href, certainty, item.get("note")))
    return SubdivisionTable(raw["market"], raw["tax_name"], frozenset(raw["subdivisions"]), raw["default_note"],
                            tuple(sorted(versions, key=lambda v: v.valid_from)))
