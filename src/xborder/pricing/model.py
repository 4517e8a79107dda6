"""Frozen input/output types of the landed-cost core: a quote request, the resolved data it needs, the result.

`landed_cost.py` computes; `service.py` resolves the data (schedules, market facts, FX) into a `QuoteContext`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from xborder.kernel import ErrorDetail, Money
from xborder.markets import DeMinimisThreshold
from xborder.pricing.fx.base import FxQuote
from xborder.pricing.rates import Rate
from xborder.pricing.schedules import Measure, MeasureVersion, TariffLine, ValueCondition

__all__ = [
    "Certainty",
    "DeMinimisOutcome",
    "FactRef",
    "Gap",
    "LandedCost",
    "MarketFacts",
    "QuoteContext",
    "QuoteLine",
    "QuoteRequest",
    "ResolvedMeasure",
]

Certainty = Literal["confirmed", "uncertain", "disputed", "unknown"]
Incoterm = Literal["DAP", "DDP"]
Channel = Literal["postal", "courier", "freight"]
Buyer = Literal["B2C", "B2B"]


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """One product line shipped from `origin` to `destination` on date `on`. Money is Decimal, never float."""

    origin: str
    destination: str
    hs_code: str
    goods_value: Money
    on: date
    shipping: Money | None = None
    insurance: Money | None = None
    quantity: int = 1
    weight_kg: Decimal | None = None
    incoterm: Incoterm = "DAP"
    channel: Channel = "courier"
    buyer: Buyer = "B2C"
    registrations: frozenset[str] = frozenset()
    seller_currency: str | None = None
    extra_quantities: tuple[tuple[str, Decimal], ...] = ()
    subdivision: str | None = None  # state/province where the law taxes by it (Brazil's ICMS); ISO 3166-2 suffix


@dataclass(frozen=True, slots=True)
class FactRef:
    """A market fact value with where it comes from."""

    value: object
    source: str
    effective_from: date
    certainty: Certainty = "confirmed"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MarketFacts:
    """The destination's facts in force on the quote date (from `xborder.markets`)."""

    code: str
    currency: str
    tax_name: str
    standard_rate: FactRef  # value: Decimal | None
    valuation_basis: FactRef  # value: "CIF" | "FOB"
    import_tax_base: FactRef  # value: cif_plus_duty | fob_plus_duty | customs_value_plus_duty | ... | none
    de_minimis_duty: FactRef  # value: tuple[DeMinimisThreshold, ...]
    de_minimis_tax: FactRef
    # percent of the customs value added to the import-tax base (South Africa's 10 % "added tax value"); None: no uplift
    import_tax_uplift: FactRef | None = None


@dataclass(frozen=True, slots=True)
class ResolvedMeasure:
    """A measure whose date, origin, channel and HS coverage already match the request."""

    measure: Measure
    version: MeasureVersion
    rate: Rate


@dataclass(frozen=True, slots=True)
class Gap:
    """Something the data does not know (status unknown, HS coverage unknown): reported, never counted as 0."""

    rule: str
    name: str
    message: str
    source: str
    effective_from: date | None
    ignores_de_minimis: bool = False
    # the measure's value band: a gap about a low-value regime is no gap for a consignment above the band
    value_above: ValueCondition | None = None
    value_at_most: ValueCondition | None = None


@dataclass(frozen=True, slots=True)
class QuoteContext:
    """Everything the pure core needs, resolved for one (destination, origin, HS, channel, date)."""

    facts: MarketFacts
    base: TariffLine | None  # None: the schedule has no line; an error only if no measure replaces the base
    measures: tuple[ResolvedMeasure, ...]
    gaps: tuple[Gap, ...]
    fx: tuple[FxQuote, ...]
    warnings: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    base_missing: tuple[str, tuple[ErrorDetail, ...]] | None = None  # the NoTariffData to raise if the base is needed

    def rate(self, base: str, quote: str) -> FxQuote:
        for fx in self.fx:
            if fx.base == base and fx.quote == quote:
                return fx
        from xborder.pricing.errors import FxRateMissing

        raise FxRateMissing(f"no FX rate {base}->{quote} resolved for this quote")


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One computed duty, tax or fee: rule, base, rate, amount, source and effective date."""

    name: str
    kind: Literal["duty", "tax", "fee"]
    rule: str
    base: Money
    rate: str
    amount: Money
    source: str
    effective_from: date
    certainty: Certainty
    payer: Literal["buyer", "seller"]
    collected_at: Literal["border", "point_of_sale"]
    legal_basis: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DeMinimisOutcome:
    kind: Literal["duty", "tax"]
    applies: bool
    threshold: DeMinimisThreshold | None
    compared_value: Money | None
    collection: str | None
    reason: str
    source: str
    effective_from: date


@dataclass(frozen=True, slots=True)
class LandedCost:
    """Result of a quote; amounts in the destination currency, rounded to its minor unit."""

    currency: str
    customs_value: Money
    valuation_basis: str
    duty: Money
    import_vat: Money
    import_tax_name: str
    other_taxes_and_fees: Money
    total_taxes_and_duties: Money
    goods_and_transport: Money
    landed_cost: Money
    landed_cost_seller_currency: Money | None
    de_minimis_applied: bool
    incoterm: str
    payable_by_buyer: Money
    payable_by_seller: Money
    lines: tuple[QuoteLine, ...]
    de_minimis: tuple[DeMinimisOutcome, ...]
    gaps: tuple[Gap, ...]
    fx: tuple[FxQuote, ...]
    warnings: tuple[str, ...] = ()
    versions: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.gaps
