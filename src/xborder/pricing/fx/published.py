"""Rates a central bank publishes for currencies the ECB does not (KES, NGN, VND...), entered by the operator with
their source: a CSV `date,currency,per_usd,source` in the workspace, never invented; quotes cross them via USD.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from xborder.kernel import DomainError, ErrorDetail, ValidationFailed
from xborder.reference import currency

__all__ = ["FIELDS", "PublishedRate", "read_published_rates", "record_published_rate"]

FIELDS = ("date", "currency", "per_usd", "source")


@dataclass(frozen=True, slots=True)
class PublishedRate:
    day: date
    currency: str
    per_usd: Decimal  # units of `currency` per 1 USD
    source: str  # https URL of the publication


def _invalid(message: str, field: str, row: int | None = None) -> ValidationFailed:
    return ValidationFailed(message, details=[ErrorDetail(message, field=field, row=row)])


def _parse(raw: dict[str, str], row: int | None) -> PublishedRate:
    where = f"row {row}: " if row is not None else ""
    code = (raw.get("currency") or "").strip().upper()
    try:
        currency(code)
    except DomainError:
        raise _invalid(f"{where}currency {code!r} is not an ISO 4217 code", "currency", row) from None
    try:
        day = date.fromisoformat((raw.get("date") or "").strip())
    except ValueError:
        raise _invalid(f"{where}date {raw.get('date')!r} is not YYYY-MM-DD", "date", row) from None
    try:
        per_usd = Decimal((raw.get("per_usd") or "").strip())
    except InvalidOperation:
        raise _invalid(f"{where}per_usd {raw.get('per_usd')!r} is not a decimal number", "per_usd", row) from None
    if not per_usd.is_finite() or per_usd <= 0:
        raise _invalid(f"{where}per_usd must be a positive number", "per_usd", row)
    source = (raw.get("source") or "").strip()
    if not source.startswith("https://") or len(source) < 12:
        raise _invalid(f"{where}source must be the https URL of the publication the rate comes from", "source", row)
    return PublishedRate(day, code, per_usd, source)


def read_published_rates(path: Path) -> list[PublishedRate]:
    """Every rate in `path` (none when the file does not exist); a bad row is an error naming it."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != FIELDS:
            raise _invalid(f"{path}: header must be {','.join(FIELDS)}", "header")
        return [_parse(raw, row) for row, raw in enumerate(reader, start=2)]


def record_published_rate(path: Path, *, currency_code: str, per_usd: str, on: str, source: str,
                          refused: frozenset[str] = frozenset()) -> PublishedRate:
    """Validate one rate and store it (replacing the same currency and day); the file is rewritten atomically.

    `refused`: currencies another source already covers (ECB series, pegs), so two sources never disagree silently.
    """
    rate = _parse({"currency": currency_code, "per_usd": per_usd, "date": on, "source": source}, None)
    if rate.currency in refused:
        raise _invalid(f"{rate.currency} already has an ECB reference rate or a peg; a second source would "
                       "conflict with it", "currency")
    kept = [r for r in read_published_rates(path) if (r.currency, r.day) != (rate.currency, rate.day)]
    rows = sorted([*kept, rate], key=lambda r: (r.currency, r.day))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows([r.day.isoformat(), r.currency, format(r.per_usd, "f"), r.source] for r in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".published-", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    os.replace(tmp, path)
    return rate
