"""Schedule maintenance: import a complete official tariff file as a new dated version; list versions.

Imported versions live under the user's data dir (`<data_dir>/pricing/schedules/<key>/`), layered over the shipped
data by `load_schedule`; nothing is overwritten, so earlier quotes can be replayed on the version they used.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import yaml

from xborder.kernel import ErrorDetail
from xborder.pricing.errors import PricingInputInvalid
from xborder.pricing.importers import (
    ScheduleLine,
    import_eu_taric_csv,
    import_hts_csv,
    import_hts_json,
    import_rate_table_csv,
    import_uk_tariff_csv,
    write_lines,
)
from xborder.pricing.schedules import ScheduleVersion, load_schedule, schedule_key_for

__all__ = ["import_schedule_version", "list_schedule_versions"]


def _read_official(key: str, path: Path, column: str | None) -> list[ScheduleLine]:
    try:
        if key == "us":
            return import_hts_json(path) if path.suffix.lower() == ".json" else import_hts_csv(path)
        if key == "gb":
            return import_uk_tariff_csv(path, column=column or "ukgt_duty_rate")
        if key == "eu":
            return import_eu_taric_csv(path, rate_column=column or "cet_duty_rate")
    except (ValueError, KeyError) as exc:
        raise PricingInputInvalid(f"{path.name}: {exc}", details=[ErrorDetail(str(exc), field="file")]) from None
    # every other market: an operator-converted `code,rate[,text]` table (rates in the engine's syntax)
    return import_rate_table_csv(path)


def list_schedule_versions(market: str, *, overlay_dir: Path | None = None) -> tuple[ScheduleVersion, ...]:
    key = "eu" if market == "EU" else schedule_key_for(market)
    return load_schedule(key, overlay_dir=overlay_dir).versions


def import_schedule_version(market: str, path: Path, *, valid_from: date, source_url: str, overlay_dir: Path,
                            column: str | None = None) -> ScheduleVersion:
    """Parse `path`, write its lines as a new version file and append the version to the overlay schedule.yaml."""
    if not source_url.startswith("https://"):
        raise PricingInputInvalid("source_url must be an https:// URL", details=[ErrorDetail("need https",
                                                                                             field="source_url")])
    key = "eu" if market == "EU" else schedule_key_for(market)
    lines = _read_official(key, path, column)
    if not lines:
        raise PricingInputInvalid(f"{path.name}: no tariff lines found")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    version_id = f"{key}-{valid_from.isoformat()}-{digest}"
    folder = overlay_dir / key
    file_name = f"mfn-{version_id}.csv.gz"
    write_lines(folder / file_name, lines)
    meta_path = folder / "schedule.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {"versions": []}
    unsupported = sum(1 for line in lines if line.rate.startswith("unsupported"))
    meta["versions"] = [v for v in meta["versions"] if v["valid_from"] != valid_from] + [{
        "id": version_id, "valid_from": valid_from, "file": file_name,
        "reference": {"title": f"imported from {path.name}", "href": source_url},
        "data_as_of": valid_from, "certainty": "confirmed",
        "note": f"{len(lines)} lines imported from {path.name} (sha256 {digest}); {unsupported} unsupported",
    }]
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")
    schedule = load_schedule(key, overlay_dir=overlay_dir)
    return next(v for v in schedule.versions if v.id == version_id)
