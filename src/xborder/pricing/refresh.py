"""Pricing data that follows `xborder fx update` and `xborder tariffs import` in a running server: a cheap stat of the
overlay files, at most every few seconds, and a fresh `PricingData` (loaded lazily) when they changed.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

from xborder.pricing.service import PricingData, fx_files, pricing_data_for, workspace_schedules

__all__ = ["DEFAULT_REFRESH_SECONDS", "PricingDataSource", "overlay_signature"]

DEFAULT_REFRESH_SECONDS = 5.0

Signature = tuple[tuple[str, int, int, str], ...]


def overlay_signature(data_dir: Path) -> Signature:
    """(relative path, mtime in ns, size, digest) of every file `pricing_data_for(data_dir)` reads from the
    workspace: the FX updates CSV (append-only: size and mtime tell), the published-rates CSV (rewritten, so its
    digest too) and each imported schedule's `schedule.yaml`
    (an import writes it last, after the version file it names; small, so its digest catches a re-import within
    the file system's timestamp granularity). Missing files are left out, so creating one changes it too."""
    candidates = list(fx_files(data_dir))
    schedules = workspace_schedules(data_dir)
    if schedules.is_dir():
        candidates += sorted(schedules.glob("*/schedule.yaml"))
    found = []
    for path in candidates:
        try:
            stat = path.stat()
            rewritten = path.name in ("schedule.yaml", "published-rates.csv")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if rewritten else ""
        except FileNotFoundError:  # absent, or removed between the glob and the stat
            continue
        found.append((path.relative_to(data_dir).as_posix(), stat.st_mtime_ns, stat.st_size, digest))
    return tuple(found)


class PricingDataSource:
    """The current `PricingData` of one workspace, shared by the threads of a process.

    `current()` costs a clock read; every `check_every_seconds` it also stats the overlay files (a handful of
    `stat` calls) and, when they changed since the data was built, builds a new `PricingData`. Building is cheap:
    schedules and facts load lazily on the first quote that needs them. Requests already holding the previous
    object finish with it; nothing is mutated in place.
    """

    def __init__(self, data_dir: Path, *, check_every_seconds: float = DEFAULT_REFRESH_SECONDS,
                 build: Callable[[Path], PricingData] = pricing_data_for,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._data_dir, self._every, self._build, self._monotonic = data_dir, check_every_seconds, build, monotonic
        self._lock = threading.Lock()
        self._data: PricingData | None = None
        self._signature: Signature = ()
        self._checked_at = 0.0
        self.reloads = 0  # how many times the data was rebuilt after a change (for logs and tests)

    def current(self) -> PricingData:
        now = self._monotonic()
        data = self._data
        if data is not None and now - self._checked_at < self._every:
            return data
        with self._lock:
            if self._data is not None and now - self._checked_at < self._every:
                return self._data  # another thread checked while this one waited
            signature = overlay_signature(self._data_dir)
            if self._data is None or signature != self._signature:
                if self._data is not None:
                    self.reloads += 1
                self._data, self._signature = self._build(self._data_dir), signature
            self._checked_at = now
            return self._data

    @property
    def signature(self) -> Signature:
        """The overlay files the current data was built from."""
        return self._signature
