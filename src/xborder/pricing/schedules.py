"""Duty schedules and origin measures as effective-dated, cited data; lookups always take a date.

A schedule folder (`pricing/schedules/<key>/`) holds `schedule.yaml` (versions of the national tariff, each a gzip
CSV of lines) and optionally `measures.yaml` (additional duties, fees and taxes by origin/channel/HS with legal
basis). Imported versions under `<data_dir>/pricing/schedules/<key>/` are layered on top; history is never lost.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from xborder.kernel import ErrorDetail, ValidationFailed
from xborder.pricing.errors import DateOutsideData, NoTariffData
from xborder.pricing.importers.common import ScheduleLine, read_lines
from xborder.pricing.rates import Rate, Unsupported, parse_rate

__all__ = [
    "Measure",
    "MeasureVersion",
    "Schedule",
    "ScheduleVersion",
    "SourceRef",
    "TariffLine",
    "ValueCondition",
    "load_schedule",
    "schedule_key_for",
    "shipped_schedule_dir",
]

Certainty = Literal["confirmed", "uncertain", "disputed", "unknown"]


@dataclass(frozen=True, slots=True)
class SourceRef:
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class TariffLine:
    """The resolved base (MFN) rate for an HS code on a date, with the version it came from."""

    code: str
    rate: Rate
    text: str
    version_id: str
    valid_from: date
    reference: SourceRef
    certainty: Certainty
    note: str | None


@dataclass(frozen=True, slots=True)
class ScheduleVersion:
    id: str
    valid_from: date
    file: Path
    reference: SourceRef
    data_as_of: date
    certainty: Certainty
    note: str | None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class ValueCondition:
    """`amount` in `currency` compared with the consignment's `basis` value (customs/intrinsic/consignment)."""

    amount: Decimal
    currency: str
    basis: str


@dataclass(frozen=True, slots=True)
class MeasureVersion:
    valid_from: date
    rate: Rate | None  # None: not in force (status ended) or not known (status unknown -> a gap)
    status: Literal["in_force", "ended", "unknown"]
    certainty: Certainty
    note: str | None


@dataclass(frozen=True, slots=True)
class Measure:
    """An additional duty, fee or tax on top of (or instead of) the base rate."""

    id: str
    name: str
    category: Literal["duty", "fee"]
    legal_basis: str
    reference: SourceRef
    versions: tuple[MeasureVersion, ...]
    origins: frozenset[str] | None = None
    excluded_origins: frozenset[str] = frozenset()
    channels: frozenset[str] | None = None
    hs_include: tuple[str, ...] | None = None
    hs_exclude: tuple[str, ...] = ()
    hs_unknown: tuple[str, ...] = ()
    coverage_note: str | None = None
    excludes: tuple[str, ...] = ()
    replaces_base: bool = False
    # a single flat rate that stands for duty AND import VAT (Turkey's postal flat tax, Mexico's courier global rate)
    replaces_import_tax: bool = False
    # what the rate applies to: the customs value (default), the goods alone (FOB, e.g. Nigeria's CISS 1 % of FOB)
    # or the duty assessed by the other lines (Nigeria's 7 % surcharge on the import duty)
    base: Literal["customs_value", "goods_value", "duty"] = "customs_value"
    ignores_de_minimis: bool = False
    value_above: ValueCondition | None = None
    value_at_most: ValueCondition | None = None
    buyers: frozenset[str] | None = None
    registrations_required: frozenset[str] = frozenset()
    registrations_excluded: frozenset[str] = frozenset()

    def version_on(self, on: date) -> MeasureVersion | None:
        index = bisect_right([v.valid_from for v in self.versions], on) - 1
        return self.versions[index] if index >= 0 else None

    def covers(self, hs: str) -> bool | None:
        """True/False when the data says whether `hs` is covered; None when coverage is unknown for it."""
        if any(hs.startswith(prefix) for prefix in self.hs_exclude):
            return False
        if self.hs_include is None or any(hs.startswith(prefix) for prefix in self.hs_include):
            return True
        if any(hs.startswith(prefix) for prefix in self.hs_unknown):
            return None
        return False


@dataclass(frozen=True)
class Schedule:
    key: str
    name: str
    markets: frozenset[str]
    currency: str
    versions: tuple[ScheduleVersion, ...]
    measures: tuple[Measure, ...]
    _lines: dict[str, dict[str, ScheduleLine]] = field(default_factory=dict, repr=False, compare=False)

    def version_on(self, on: date) -> ScheduleVersion:
        index = bisect_right([v.valid_from for v in self.versions], on) - 1
        if index < 0:
            first = self.versions[0].valid_from if self.versions else None
            raise DateOutsideData(
                f"tariff schedule {self.key}: no version in force on {on.isoformat()} (data starts {first})",
                details=[ErrorDetail(f"first version starts {first}", field="date", code=DateOutsideData.code)])
        version = self.versions[index]
        if version.valid_to is not None and on > version.valid_to:
            raise DateOutsideData(f"tariff schedule {self.key}: version {version.id} ended {version.valid_to}, and "
                                  f"no later version covers {on.isoformat()} (schedule gap)")
        return version

    def lines_of(self, version: ScheduleVersion) -> dict[str, ScheduleLine]:
        lines = self._lines.get(version.id)
        if lines is None:
            lines = {line.code: line for line in read_lines(version.file)}
            self._lines[version.id] = lines
        return lines

    def line(self, hs: str, on: date) -> TariffLine:
        """Base rate for `hs` on `on`: the line with the longest matching prefix; an HS code that covers several
        national lines with different rates is refused, naming them, rather than averaged or guessed."""
        version = self.version_on(on)
        lines = self.lines_of(version)
        for length in range(len(hs), 1, -1):
            hit = lines.get(hs[:length])
            if hit is not None:
                return self._make(hs[:length], hit, version)
        below = {code: hit for code, hit in lines.items() if code.startswith(hs)}
        if below and len({hit.rate for hit in below.values()}) == 1:
            code = min(below)
            return self._make(code, below[code], version)
        if below:
            shown = ", ".join(f"{code} ({hit.rate})" for code, hit in sorted(below.items())[:6])
            raise NoTariffData(
                f"{self.key}: HS {hs} covers {len(below)} national lines with different rates ({shown}...): "
                "give the full national tariff code",
                details=[ErrorDetail(f"ambiguous HS {hs}", field="hs_code", code="pricing.ambiguous_hs_code")])
        raise NoTariffData(f"{self.key}: no tariff data for HS {hs} in version {version.id} (the heading is not "
                           "sourced in the shipped data; it is never assumed duty-free)",
                           details=[ErrorDetail(f"HS {hs} not in {version.id}", field="hs_code",
                                                code=NoTariffData.code)])

    def _make(self, code: str, hit: ScheduleLine, version: ScheduleVersion) -> TariffLine:
        # hand-sourced heading files cite a publication per line; imported files cite the version
        reference = SourceRef(hit.source, hit.source) if hit.source else version.reference
        return TariffLine(code=code, rate=_parse_cached(hit.rate), text=hit.text, version_id=version.id,
                          valid_from=version.valid_from, reference=reference,
                          certainty=hit.certainty or version.certainty,  # type: ignore[arg-type]
                          note=hit.note or version.note)


@cache
def _parse_cached(text: str) -> Rate:
    return parse_rate(text)


def shipped_schedule_dir() -> Path:
    return Path(str(resources.files("xborder.pricing").joinpath("schedules")))


def _ref(raw: Any, where: str) -> SourceRef:
    if not isinstance(raw, dict) or not str(raw.get("href", "")).startswith("https://"):
        raise ValidationFailed(f"{where}: reference needs title and an https:// href")
    return SourceRef(str(raw.get("title") or raw["href"]), str(raw["href"]))


def _money_condition(raw: Any) -> ValueCondition | None:
    if raw is None:
        return None
    return ValueCondition(Decimal(str(raw["amount"])), str(raw["currency"]), str(raw.get("basis", "customs_value")))


def _measure_base(value: Any, where: str) -> Literal["customs_value", "goods_value", "duty"]:
    if value not in ("customs_value", "goods_value", "duty"):
        raise ValidationFailed(f"{where}: base {value!r} must be customs_value, goods_value or duty")
    return value  # type: ignore[no-any-return]


def _measure(raw: dict[str, Any], where: str) -> Measure:
    versions = []
    for index, item in enumerate(raw["versions"]):
        status = item.get("status", "in_force" if item.get("rate") is not None else "ended")
        certainty = item.get("certainty", "unknown" if status == "unknown" else "confirmed")
        if certainty != "confirmed" and not item.get("note"):
            raise ValidationFailed(f"{where}.versions[{index}]: certainty {certainty} needs a note")
        versions.append(MeasureVersion(valid_from=item["valid_from"],
                                       rate=_parse_cached(str(item["rate"])) if item.get("rate") is not None else None,
                                       status=status, certainty=certainty, note=item.get("note")))
    dates = [v.valid_from for v in versions]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ValidationFailed(f"{where}: versions must be in strictly increasing date order")
    hs = raw.get("hs") or {}
    return Measure(
        id=raw["id"], name=raw["name"], category=raw.get("category", "duty"), legal_basis=raw["legal_basis"],
        reference=_ref(raw.get("reference"), where), versions=tuple(versions),
        origins=frozenset(raw["origins"]) if raw.get("origins") is not None else None,
        excluded_origins=frozenset(raw.get("excluded_origins") or ()),
        channels=frozenset(raw["channels"]) if raw.get("channels") is not None else None,
        hs_include=tuple(str(c) for c in hs["include"]) if hs.get("include") is not None else None,
        hs_exclude=tuple(str(c) for c in hs.get("exclude") or ()),
        hs_unknown=tuple(str(c) for c in hs.get("unknown") or ()),
        coverage_note=hs.get("note"), excludes=tuple(raw.get("excludes") or ()),
        replaces_base=bool(raw.get("replaces_base", False)),
        replaces_import_tax=bool(raw.get("replaces_import_tax", False)),
        base=_measure_base(raw.get("base", "customs_value"), where),
        ignores_de_minimis=bool(raw.get("ignores_de_minimis", False)),
        value_above=_money_condition(raw.get("value_above")),
        value_at_most=_money_condition(raw.get("value_at_most")),
        buyers=frozenset(raw["buyers"]) if raw.get("buyers") is not None else None,
        registrations_required=frozenset(raw.get("registrations_required") or ()),
        registrations_excluded=frozenset(raw.get("registrations_excluded") or ()),
    )


def _read_folder(folder: Path) -> tuple[dict[str, Any], list[ScheduleVersion], list[Measure]]:
    meta_path = folder / "schedule.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    versions = []
    for index, raw in enumerate(meta.get("versions") or []):
        where = f"{meta_path}: versions[{index}]"
        certainty = raw.get("certainty", "confirmed")
        if certainty != "confirmed" and not raw.get("note"):
            raise ValidationFailed(f"{where}: certainty {certainty} needs a note")
        versions.append(ScheduleVersion(
            id=raw["id"], valid_from=raw["valid_from"], file=folder / raw["file"],
            reference=_ref(raw["reference"], where),
            data_as_of=raw["data_as_of"], certainty=certainty, note=raw.get("note"), valid_to=raw.get("valid_to")))
    measures_path = folder / "measures.yaml"
    measures = []
    if measures_path.exists():
        data = yaml.safe_load(measures_path.read_text(encoding="utf-8")) or {}
        for index, raw in enumerate(data.get("measures") or []):
            measures.append(_measure(raw, f"{measures_path}: measures[{index}]"))
    return meta, versions, measures


def load_schedule(key: str, *, overlay_dir: Path | None = None) -> Schedule:
    """Load schedule `key` (e.g. `us`, `eu`, `gb`) from the shipped data plus imported versions in `overlay_dir`."""
    folder = shipped_schedule_dir() / key
    if not (folder / "schedule.yaml").exists():
        raise NoTariffData(f"no tariff schedule {key!r} is shipped")
    meta, versions, measures = _read_folder(folder)
    if overlay_dir is not None and (overlay_dir / key / "schedule.yaml").exists():
        _, extra, _ = _read_folder(overlay_dir / key)
        by_date = {v.valid_from: v for v in versions}
        by_date.update({v.valid_from: v for v in extra})  # an import on the same date supersedes the shipped one
        versions = list(by_date.values())
    versions.sort(key=lambda v: v.valid_from)
    ids = [m.id for m in measures]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(f"schedule {key}: duplicate measure ids")
    return Schedule(key=key, name=meta["name"], markets=frozenset(meta["markets"]), currency=meta["currency"],
                    versions=tuple(versions), measures=tuple(measures))


@cache
def _market_index() -> dict[str, str]:
    index = {}
    for meta_path in sorted(shipped_schedule_dir().glob("*/schedule.yaml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        for market in meta["markets"]:
            index[market] = meta_path.parent.name
    return index


def schedule_key_for(market: str) -> str:
    """Schedule folder used by a destination market (DE -> eu)."""
    try:
        return _market_index()[market]
    except KeyError:
        raise NoTariffData(f"no tariff schedule for market {market}: its duties cannot be computed",
                           details=[ErrorDetail(f"market {market} has no schedule", field="destination",
                                                code=NoTariffData.code)]) from None


def is_unsupported(rate: Rate) -> bool:
    return isinstance(rate, Unsupported)
