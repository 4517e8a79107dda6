"""`xborder fx update`: fetch the ECB daily (or 90-day) reference-rate XML and append new days to an updates CSV.

Uses urllib so the domain keeps no HTTP-client dependency; offline, it raises FxUpdateFailed naming the URL.
"""

from __future__ import annotations

import csv
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from xborder.kernel import DomainError

__all__ = ["ECB_DAILY_URL", "FxUpdateFailed", "FxUpdateResult", "parse_ecb_xml", "update_ecb_rates"]

ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
ECB_90D_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"


class FxUpdateFailed(DomainError):
    code = "pricing.fx_update_failed"
    status_hint = 503


@dataclass(frozen=True, slots=True)
class FxUpdateResult:
    url: str
    days_added: int
    latest: date | None
    file: Path


def parse_ecb_xml(payload: bytes) -> dict[date, dict[str, Decimal]]:
    """Rates per day from an ECB eurofxref XML document (Cube time=... / Cube currency rate)."""
    root = ET.fromstring(payload)  # noqa: S314 - ECB XML, no entities expected; parse errors surface as errors
    days: dict[date, dict[str, Decimal]] = {}
    for cube in root.iter():
        if cube.tag.endswith("Cube") and "time" in cube.attrib:
            day = date.fromisoformat(cube.attrib["time"])
            days[day] = {child.attrib["currency"]: Decimal(child.attrib["rate"])
                         for child in cube if "currency" in child.attrib}
    if not days:
        raise FxUpdateFailed("ECB XML contained no rates")
    return days


def update_ecb_rates(updates_file: Path, *, url: str = ECB_90D_URL, timeout_s: float = 15.0) -> FxUpdateResult:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 - fixed https URL
            payload = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FxUpdateFailed(f"cannot fetch ECB rates from {url}: {exc} (offline?); the shipped history is "
                             "unchanged") from None
    days = parse_ecb_xml(payload)
    existing: set[tuple[str, str]] = set()
    if updates_file.exists():
        with updates_file.open(encoding="utf-8", newline="") as handle:
            existing = {(row["date"], row["currency"]) for row in csv.DictReader(handle)}
    updates_file.parent.mkdir(parents=True, exist_ok=True)
    new_file = not updates_file.exists()
    added_days: set[date] = set()
    with updates_file.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if new_file:
            writer.writerow(["date", "currency", "rate"])
        for day in sorted(days):
            for currency, rate in sorted(days[day].items()):
                if (day.isoformat(), currency) not in existing:
                    writer.writerow([day.isoformat(), currency, str(rate)])
                    added_days.add(day)
    return FxUpdateResult(url=url, days_added=len(added_days), latest=max(days), file=updates_file)
