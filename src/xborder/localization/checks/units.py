"""Units and sizes: the market's measurement system is present, paired conversions agree (cm↔in, kg↔lb, °C↔°F),
and clothing/shoe sizes are given in the market's size system and converted consistently (data/sizes.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

import yaml

from xborder.kernel import Finding, Reference
from xborder.localization.checks.base import PreparedListing, QaContext, finding, message_catalog
from xborder.localization.text import Measurement, measurements

__all__ = ["CHECKS", "imperial_units_missing", "metric_units_missing", "size_conversion_inconsistent",
           "size_system_mismatch", "unit_conversion_inconsistent"]

_COMPARABLE = frozenset({"length", "mass", "volume", "temperature"})
_PAIR_GAP = re.compile(r"^\s*[(/（=≈~]?\s*(?:approx\.?|ca\.?|约|約)?\s*$")
_SIZE_HINT = re.compile(r"EU|UK|US|JP|CN|KR|BR|MX|AU|IT|FR")
_SIZE = re.compile(r"(?<![A-Za-z])(EUR?|UK|US|JP|CN|KR|BR|MX|AU|IT|FR)\s?(\d{1,3}(?:[.,]5)?)(?![\d.,A-Za-z])")


def _reference(code: str) -> Reference | None:
    ref = message_catalog()[code].get("reference")
    return Reference(ref["title"], ref["href"]) if isinstance(ref, dict) else None


def _systems_by_dimension(found: tuple[Measurement, ...]) -> dict[str, set[str]]:
    systems: dict[str, set[str]] = {}
    for m in found:
        if m.unit.dimension in _COMPARABLE:
            systems.setdefault(m.unit.dimension, set()).add(m.unit.system)
    return systems


def metric_units_missing(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """In a metric market, a size, weight, volume or temperature is given only in imperial units."""
    if ctx.measurement_system not in ("metric", "imperial_mixed"):
        return []
    found = []
    for field in listing.fields:
        for dimension, systems in _systems_by_dimension(measurements(field.text)).items():
            if "imperial" in systems and "metric" not in systems:
                found.append(finding(ctx, "metric_units_missing", field.name, reference=_reference(
                    "metric_units_missing"), dimension=dimension, market=ctx.market))
    return found


def imperial_units_missing(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """In the US, a measurement is given only in metric units; buyers expect inches, pounds and °F alongside."""
    if ctx.measurement_system != "us_customary":
        return []
    found = []
    for field in listing.fields:
        for dimension, systems in _systems_by_dimension(measurements(field.text)).items():
            if "metric" in systems and "imperial" not in systems:
                found.append(finding(ctx, "imperial_units_missing", field.name, reference=_reference(
                    "imperial_units_missing"), dimension=dimension, market=ctx.market))
    return found


def _groups(found: tuple[Measurement, ...]) -> list[tuple[Measurement, ...]]:
    """Measurements sharing one written span ('10 x 5 cm' is one group of two)."""
    groups: dict[tuple[int, int], list[Measurement]] = {}
    for m in found:
        groups.setdefault((m.start, m.end), []).append(m)
    return [tuple(g) for _, g in sorted(groups.items())]


def unit_conversion_inconsistent(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """'10 cm (5 in)': a measurement and its conversion written side by side do not agree (more than 5 % apart)."""
    found = []
    for field in listing.fields:
        groups = _groups(measurements(field.text))
        for first, second in pairwise(groups):
            a, b = first[0], second[0]
            if (a.unit.dimension != b.unit.dimension or a.unit.system == b.unit.system or len(first) != len(second)
                    or a.unit.dimension not in _COMPARABLE or not _PAIR_GAP.match(field.text[a.end:b.start])):
                continue
            for left, right in zip(first, second, strict=True):
                expected = left.to(right.unit)
                scale = max(abs(expected), abs(right.value)) or Decimal(1)
                tolerance = Decimal("1.5") if a.unit.dimension == "temperature" else scale * Decimal("0.05")
                if abs(expected - right.value) > tolerance:
                    found.append(finding(ctx, "unit_conversion_inconsistent", field.name, reference=_reference(
                        "unit_conversion_inconsistent"), written=field.text[a.start:b.end].strip(),
                        expected=f"{expected.quantize(Decimal('0.1'))}"))
                    break
    return found


@dataclass(frozen=True)
class _SizeTable:
    kind: str
    systems: tuple[str, ...]
    rows: tuple[dict[str, Decimal], ...]
    reference: Reference


@cache
def _tables() -> tuple[_SizeTable, ...]:
    raw = yaml.safe_load(resources.files("xborder.localization").joinpath("data/sizes.yaml").read_text("utf-8"))
    return tuple(
        _SizeTable(kind, tuple(spec["systems"]),
                   tuple({k: Decimal(v) for k, v in row.items()} for row in spec["rows"]),
                   Reference(spec["reference"]["title"], spec["reference"]["href"]))
        for kind, spec in raw.items()
    )


def _columns(table: _SizeTable, system: str) -> list[str]:
    return [c for c in table.systems if c == system or c.startswith(f"{system}_")]


def _row_for(table: _SizeTable, system: str, value: Decimal) -> dict[str, Decimal] | None:
    for row in table.rows:
        if any(abs(row[c] - value) <= Decimal("0.5") for c in _columns(table, system) if c in row):
            return row
    return None


@lru_cache(maxsize=65536)
def _sizes(text: str) -> tuple[tuple[str, Decimal], ...]:
    if not _SIZE_HINT.search(text):
        return ()
    return tuple(("EU" if m.group(1) == "EUR" else m.group(1), Decimal(m.group(2).replace(",", ".")))
            for m in _SIZE.finditer(text))


def size_system_mismatch(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Sizes are labelled only in foreign systems (e.g. EU 42 for Japan) with no size in the market's system."""
    found = []
    market_systems = {ctx.shoe_size_system, ctx.clothing_size_system}
    for field in listing.fields:
        sizes = _sizes(field.text)
        if not sizes or any(system in market_systems for system, _ in sizes):
            continue
        system, value = sizes[0]
        suggestion = "-"
        for table in _tables():
            target = ctx.shoe_size_system if table.kind == "shoes" else ctx.clothing_size_system
            row = _row_for(table, system, value)
            columns = _columns(table, target)
            if row is not None and columns:
                suggestion = " / ".join(f"{c.replace('_M', ' men').replace('_W', ' women')} {row[c]}"
                                        for c in columns)
                break
        found.append(finding(ctx, "size_system_mismatch", field.name, reference=_tables()[0].reference,
                             written=f"{system} {value}", market=ctx.market, system=ctx.shoe_size_system,
                             suggestion=suggestion))
    return found


def size_conversion_inconsistent(listing: PreparedListing, ctx: QaContext) -> list[Finding]:
    """Two systems written side by side ('EU 42 / US 7') do not describe the same size in any table row."""
    found = []
    for field in listing.fields:
        sizes = _sizes(field.text)
        for (sys_a, val_a), (sys_b, val_b) in pairwise(sizes):
            if sys_a == sys_b:
                continue
            known = False
            consistent = False
            for table in _tables():
                if not _columns(table, sys_a) or not _columns(table, sys_b):
                    continue
                for row in table.rows:
                    a_ok = any(abs(row[c] - val_a) <= Decimal("0.5") for c in _columns(table, sys_a))
                    b_ok = any(abs(row[c] - val_b) <= Decimal("0.5") for c in _columns(table, sys_b))
                    known = known or a_ok or b_ok
                    consistent = consistent or (a_ok and b_ok)
            if known and not consistent:
                found.append(finding(ctx, "size_conversion_inconsistent", field.name,
                                     reference=_tables()[0].reference, written=f"{sys_a} {val_a} / {sys_b} {val_b}"))
    return found


CHECKS = (metric_units_missing, imperial_units_missing, unit_conversion_inconsistent, size_system_mismatch,
          size_conversion_inconsistent)
