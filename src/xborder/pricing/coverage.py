"""How much of the consumer-goods nomenclature each market's duty schedule covers on a date, and how sure it is.

A heading counts as covered when the schedule has a line for its chapter or for the heading itself (every code in
it quotes), partly covered when only some of its subheadings or national lines have one. The report makes the
gaps visible; a gap is never filled with 0 %.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from xborder import markets
from xborder.kernel import DomainError
from xborder.pricing.schedules import load_schedule, schedule_key_for
from xborder.reference import hs_children

__all__ = ["CONSUMER_CHAPTERS", "ChapterCoverage", "MarketCoverage", "tariff_coverage"]

# The chapters a cross-border seller of consumer goods needs first (issue 3's minimum for every market profile).
CONSUMER_CHAPTERS = ("33", "39", "42", "61", "62", "63", "64", "69", "70", "71", "73", "84", "85", "90", "94", "95",
                     "96")
_CERTAINTY_ORDER = ("confirmed", "uncertain", "disputed", "unknown")


@dataclass(frozen=True, slots=True)
class ChapterCoverage:
    chapter: str
    headings: int  # HS 2022 headings in the chapter
    covered: int  # headings every code of which quotes (a chapter or heading line)
    partial: int  # headings with lines for some subheadings or national lines only
    certainty: dict[str, int] = field(default_factory=dict)  # lines in the chapter by certainty


@dataclass(frozen=True, slots=True)
class MarketCoverage:
    market: str
    schedule: str | None  # schedule folder, None when the market has none
    version: str | None  # version in force on the date, None when none is
    chapters: tuple[ChapterCoverage, ...]
    problem: str | None = None  # why there is no version (no schedule, date outside the data)
    # duty measures in force that replace the base rate for some consignments (Brazil's simplified regime,
    # Indonesia's parcel rates...): those consignments quote even where the base schedule has no line
    regimes: tuple[str, ...] = ()

    @property
    def covered(self) -> int:
        return sum(c.covered for c in self.chapters)

    @property
    def headings(self) -> int:
        return sum(c.headings for c in self.chapters)


def _subheadings(chapter: str) -> dict[str, list[str]]:
    """HS 2022 headings of `chapter` with their 6-digit subheadings."""
    return {h.code: [s.code for s in hs_children(h.code) if s.level == 6]
            for h in hs_children(chapter) if h.level == 4}


def _covers(codes: set[str], code: str) -> bool:
    """A line at or above `code` (chapter, heading, subheading) or at least one national line below it."""
    return any(code[:n] in codes for n in (2, 4, 6) if n <= len(code)) or any(c.startswith(code) for c in codes)


def _overlay_state(overlay_dir: Path | None) -> tuple[tuple[str, int, int], ...]:
    """What an import changes in the overlay (its schedule.yaml files), so a cached report is dropped after one."""
    if overlay_dir is None or not overlay_dir.is_dir():
        return ()
    found = []
    for path in sorted(overlay_dir.glob("*/schedule.yaml")):
        stat = path.stat()
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def tariff_coverage(on: date, *, overlay_dir: Path | None = None,
                    chapters: tuple[str, ...] = CONSUMER_CHAPTERS) -> list[MarketCoverage]:
    """Coverage of `chapters` by every market profile's schedule version in force on `on` (market code order).

    A heading is covered when each of its HS 2022 subheadings has a line (at or above it, or national lines below
    it), partly covered when some have. Schedules on an older HS edition show renumbered subheadings as gaps.
    Building it reads every schedule (about a second of CPU), so reports are kept per date and overlay state.
    """
    return list(_cached_coverage(on, overlay_dir, chapters, _overlay_state(overlay_dir)))


@lru_cache(maxsize=32)
def _cached_coverage(on: date, overlay_dir: Path | None, chapters: tuple[str, ...],
                     _state: tuple[tuple[str, int, int], ...]) -> tuple[MarketCoverage, ...]:
    return tuple(_build_coverage(on, overlay_dir, chapters))


def _build_coverage(on: date, overlay_dir: Path | None, chapters: tuple[str, ...]) -> list[MarketCoverage]:
    tree = {chapter: _subheadings(chapter) for chapter in chapters}
    report = []
    for summary in markets.list_markets():
        code = summary.code
        empty = tuple(ChapterCoverage(c, len(tree[c]), 0, 0) for c in chapters)
        try:
            key = schedule_key_for(code)
        except DomainError as exc:
            report.append(MarketCoverage(code, None, None, empty, exc.message))
            continue
        try:
            schedule = load_schedule(key, overlay_dir=overlay_dir)
            version = schedule.version_on(on)
        except DomainError as exc:
            report.append(MarketCoverage(code, key, None, empty, exc.message))
            continue
        lines = schedule.lines_of(version)
        rows = []
        for chapter in chapters:
            in_chapter = {c for c in lines if c.startswith(chapter)}
            counts = Counter(lines[c].certainty or version.certainty for c in in_chapter)
            covered = partial = 0
            for heading, subheadings in tree[chapter].items():
                hits = [_covers(in_chapter, s) for s in subheadings] or [_covers(in_chapter, heading)]
                if all(hits):
                    covered += 1
                elif any(hits):
                    partial += 1
            rows.append(ChapterCoverage(chapter, len(tree[chapter]), covered, partial,
                                        {k: counts[k] for k in _CERTAINTY_ORDER if counts[k]}))
        regimes = tuple(m.name for m in schedule.measures if m.replaces_base and m.category == "duty"
                        and (v := m.version_on(on)) is not None and v.status == "in_force")
        report.append(MarketCoverage(code, key, version.id, tuple(rows), regimes=regimes))
    return report
