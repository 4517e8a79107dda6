"""FX provider interface: one method returning a dated, sourced quote; a missing pair or date is an error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, runtime_checkable

__all__ = ["FxProvider", "FxQuote"]


@dataclass(frozen=True, slots=True)
class FxQuote:
    """1 `base` = `rate` `quote`, as published for `rate_date` by `source` (e.g. 'ECB euro reference rates')."""

    base: str
    quote: str
    rate: Decimal
    rate_date: date
    source: str

    def inverse(self) -> FxQuote:
        return FxQuote(self.quote, self.base, _inverse(self.rate), self.rate_date, self.source)


def _inverse(rate: Decimal) -> Decimal:
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 12
        return Decimal(1) / rate


@runtime_checkable
class FxProvider(Protocol):
    """Reference rates. `allow_latest` lets a date beyond the data use the latest rate (its date is in the quote)."""

    name: str

    def quote(self, base: str, quote: str, on: date, *, allow_latest: bool = False) -> FxQuote: ...
