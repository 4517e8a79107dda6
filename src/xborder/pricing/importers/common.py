"""The compact on-disk form of a schedule version: gzip CSV `code,rate,text` (canonical rate + official wording)."""

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
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [ScheduleLine(row["code"], row["rate"], row["text"] or row["rate"]) for row in reader]
