"""Effective-dated values: a value that changes on known dates, looked up as of a date (OpenFisca style)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from xborder.kernel.errors import NotFound, ValidationFailed

__all__ = ["DatedValue", "EffectiveDated"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DatedValue(Generic[T]):
    """One version of a value, in force from `valid_from` (inclusive) until the next version starts."""

    valid_from: date
    value: T


class EffectiveDated(Generic[T]):
    """An ordered history of versions. `on(d)` returns the version in force on `d`.

    A value of ``None`` in the history means "no longer in force" from that date.
    """

    __slots__ = ("_dates", "_values", "name")

    def __init__(self, versions: Iterable[DatedValue[T]], *, name: str = "value") -> None:
        ordered = sorted(versions, key=lambda v: v.valid_from)
        dates = [v.valid_from for v in ordered]
        if len(set(dates)) != len(dates):
            raise ValidationFailed(f"{name}: two versions start on the same date")
        self.name = name
        self._dates = dates
        self._values = [v.value for v in ordered]

    def version_on(self, on: date) -> DatedValue[T] | None:
        index = bisect_right(self._dates, on) - 1
        if index < 0:
            return None
        return DatedValue(self._dates[index], self._values[index])

    def on(self, on: date) -> T:
        version = self.version_on(on)
        if version is None or version.value is None:
            raise NotFound(f"{self.name}: no value in force on {on.isoformat()}")
        return version.value

    def history(self) -> list[DatedValue[T]]:
        return [DatedValue(d, v) for d, v in zip(self._dates, self._values, strict=True)]
