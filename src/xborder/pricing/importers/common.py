"""The compact on-disk form of a schedule version: CSV `code,rate,text` (canonical rate + official wording).

Imported official files are gzip; hand-sourced heading schedules are plain CSV with optional per-line `source`,
`certainty` and `note` columns, because each heading may come from a different publication.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ScheduleLine", "read_lines", "write_lines"]


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """One tariff line: national code (digits), canonical rate text, the official wording it came from."""

    code: str
    rate: str
    text: str
    source: str | None = None
    certainty: str | None = None
    note: str | None = None


def write_lines(path: Path, lines: Iterable[ScheduleLine]) -> int:
    """Write lines sorted by code; gzip mtime is fixed so the same data gives the same bytes."""
    ordered = sorted(lines, key=lambda line: line.code)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "rate", "text"])
    for line in ordered:
        writer.writerow([line.code, line.rate, "" if line.text == line.rate else line.text])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as zipped:
        zipped.write(buffer.getvalue().encode("utf-8"))
    return len(ordered)


def read_lines(path: Path) -> list[ScheduleLine]:
    """Read a version file (gzip or plain CSV); empty optional columns become None."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [ScheduleLine(row["code"], row["rate"], row.get("text") or row["rate"], row.get("source") or None,
                             row.get("certainty") or None, row.get("note") or None) for row in reader]
