"""Clock: the one place that reads the wall clock, so services and tests can freeze time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

__all__ = ["Clock", "FixedClock", "SystemClock", "utcnow"]


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.date()


def utcnow() -> datetime:
    """UTC-aware now, for column defaults."""
    return datetime.now(UTC)
