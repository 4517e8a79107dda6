"""Pure localized pricing: cost + landed cost + marketplace and payment fees + target margin -> a consumer price per
market, tax-inclusive where the market requires, rounded up to the market's price ending, never below the margin
floor; B2B quantity tiers; a re-pricing preview when FX moves. No I/O: conventions and facts come in as arguments.

Margin is profit over the net-of-tax price: (net price - fees - cost - landed extras) / net price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cache
from importlib import resources
from typing import Literal

import yaml

from xborder.kernel import ErrorDetail, Money
from xborder.pricing.errors import PricingInputInvalid
from xborder.pricing.plan import quantum_of

__all__ = [
    "EndingTier",
    "LocalizedPrice",
    "PriceEnding",
    "PriceInputs",
    "RepriceProposal",
    "TierPrice",
    "localize_price",
    "margin_at_net_price",
    "preview_repricing",
    "price_ending_for",
    "quantity_tier_prices",
    "round_to_ending",
]

HUNDRED = Decimal(100)
MarginStatus = Literal["ok", "amber", "red"]


@dataclass(frozen=True, slots=True)
class EndingTier:
    unit: Decimal
    ending: Decimal
    below: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PriceEnding:
    currency: str
    tiers: tuple[EndingTier, ...]
    source: str
    certainty: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PriceInputs:
    """One product in one market. Amounts in the destination currency except `unit_cost` (seller currency, turned
    into the destination currency with `fx_rate`, 1 seller unit = fx_rate destination units)."""

    market: str
    currency: str
    unit_cost: Money
    fx_rate: Decimal
    landed_extras: Decimal  # per unit: transport + duties + border fees the seller bears (from a landed-cost quote)
    tax_rate: Decimal  # VAT/GST percent charged on the consumer price
    tax_inclusive: bool  # markets fact prices.tax_inclusive
    target_margin: Decimal  # percent
    floor_margin: Decimal  # percent, never crossed
    marketplace_fee: Decimal = Decimal(0)  # percent of the displayed price
    payment_fee: Decimal = Decimal(0)  # percent of the displayed price
    fixed_fee: Decimal = Decimal(0)  # per order, destination currency
    ending: PriceEnding | None = None


@dataclass(frozen=True, slots=True)
class LocalizedPrice:
    market: str
    price: Money  # what the buyer sees (tax-inclusive where the market requires)
    tax_inclusive: bool
    net_price: Money  # without VAT/GST
    cost: Money  # unit cost in the destination currency
    landed_extras: Money
    fees: Money
    profit: Money
    margin: Decimal  # percent, 2 decimals
    target_price: Money  # before the ending was applied
    floor_price: Money
    status: MarginStatus
    reasons: tuple[str, ...]
    ending_source: str | None


@dataclass(frozen=True, slots=True)
class TierPrice:
    min_quantity: int
    unit_price: Money  # B2B: net of VAT, minor-unit rounding only
    margin: Decimal


@dataclass(frozen=True, slots=True)
class RepriceProposal:
    market: str
    fx_then: Decimal
    fx_now: Decimal
    move_pct: Decimal
    current_price: Money
    current_margin: Decimal
    proposed: LocalizedPrice


def _check(inputs: PriceInputs) -> None:
    problems = []
    for name in ("tax_rate", "marketplace_fee", "payment_fee", "fixed_fee", "landed_extras"):
        if getattr(inputs, name) < 0:
            problems.append(f"{name} must not be negative")
    if inputs.unit_cost.amount < 0 or inputs.fx_rate <= 0:
        problems.append("unit_cost must not be negative and fx_rate must be positive")
    if not Decimal(0) <= inputs.floor_margin <= inputs.target_margin < HUNDRED:
        problems.append("need 0 <= floor_margin <= target_margin < 100")
    if problems:
        raise PricingInputInvalid(f"{inputs.market}: " + "; ".join(problems),
                                  details=[ErrorDetail(p, field=p.split()[0]) for p in problems])


def _price_for_margin(inputs: PriceInputs, margin: Decimal, costs: Decimal) -> Decimal:
    """Displayed price D with (D/k - fee% * D - fixed - costs) / (D/k) = margin, k = 1 + tax when inclusive."""
    k = 1 + inputs.tax_rate / HUNDRED if inputs.tax_inclusive else Decimal(1)
    fee_share = (inputs.marketplace_fee + inputs.payment_fee) / HUNDRED
    denominator = (1 - margin / HUNDRED) / k - fee_share
    if denominator <= 0:
        raise PricingInputInvalid(f"{inputs.market}: fees ({fee_share * HUNDRED}%) and margin ({margin}%) leave "
                                  "nothing to cover the cost at any price",
                                  details=[ErrorDetail("fees + margin too high", field="target_margin")])
    return (costs + inputs.fixed_fee) / denominator


def round_to_ending(amount: Decimal, ending: PriceEnding | None, currency: str) -> Decimal:
    """Smallest price >= amount of the form k * unit + ending (by tier); without a convention, round up to the
    minor unit. Rounding only ever goes up, so a price at or above the floor stays there."""
    quantum = quantum_of(currency)
    up = amount.quantize(quantum, rounding=ROUND_CEILING)
    if ending is None:
        return up
    candidate = up
    for tier in ending.tiers:
        if tier.below is not None and up >= tier.below:
            continue
        steps = ((up - tier.ending) / tier.unit).to_integral_value(rounding=ROUND_FLOOR)
        candidate = steps * tier.unit + tier.ending
        if candidate < up:
            candidate += tier.unit
        if tier.below is None or candidate < tier.below:
            break  # else the tier's next ending lies past its range (981 JPY): the next tier decides (1,980)
    return candidate.quantize(quantum)


def _evaluate(inputs: PriceInputs, displayed: Decimal, costs: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    net = displayed / (1 + inputs.tax_rate / HUNDRED) if inputs.tax_inclusive else displayed
    fees = displayed * (inputs.marketplace_fee + inputs.payment_fee) / HUNDRED + inputs.fixed_fee
    profit = net - fees - costs
    margin = profit / net * HUNDRED if net > 0 else Decimal(0)
    return net, fees, profit, margin


def localize_price(inputs: PriceInputs) -> LocalizedPrice:
    """Consumer price for one market; the margin floor is never crossed (an ending that would cross it rounds up)."""
    _check(inputs)
    cur = inputs.currency
    quantum = quantum_of(cur)
    cost = inputs.unit_cost.amount * (inputs.fx_rate if inputs.unit_cost.currency != cur else 1)
    costs = cost + inputs.landed_extras
    target = _price_for_margin(inputs, inputs.target_margin, costs)
    floor = _price_for_margin(inputs, inputs.floor_margin, costs)
    displayed = round_to_ending(max(target, floor), inputs.ending, cur)
    net, fees, profit, margin = _evaluate(inputs, displayed, costs)
    reasons = []
    status: MarginStatus = "ok"
    if inputs.landed_extras > 0 and inputs.landed_extras >= profit:
        status = "red"
        reasons.append(f"landed cost extras {inputs.landed_extras.quantize(quantum)} {cur} eat the profit "
                       f"({profit.quantize(quantum)} {cur})")
    elif inputs.landed_extras > 0 and inputs.landed_extras * 2 >= profit:
        status = "amber"
        reasons.append("landed cost extras take half of the profit or more")
    if inputs.ending is not None and inputs.ending.certainty != "confirmed":
        reasons.append(f"price ending {inputs.ending.currency} is a documented practice, not a rule "
                       f"({inputs.ending.certainty})")
    return LocalizedPrice(
        market=inputs.market, price=Money(displayed, cur), tax_inclusive=inputs.tax_inclusive,
        net_price=Money(net.quantize(quantum), cur), cost=Money(cost.quantize(quantum), cur),
        landed_extras=Money(inputs.landed_extras.quantize(quantum), cur), fees=Money(fees.quantize(quantum), cur),
        profit=Money(profit.quantize(quantum), cur), margin=margin.quantize(Decimal("0.01")),
        target_price=Money(target.quantize(quantum, rounding=ROUND_CEILING), cur),
        floor_price=Money(floor.quantize(quantum, rounding=ROUND_CEILING), cur), status=status,
        reasons=tuple(reasons), ending_source=inputs.ending.source if inputs.ending else None)


def margin_at_net_price(inputs: PriceInputs, net_price: Decimal) -> Decimal:
    """Margin (percent of the net price) the seller keeps in this market if the net price (VAT/GST excluded) is
    `net_price` in the destination currency: what the market leaves at a price set elsewhere."""
    _check(inputs)
    displayed = net_price * (1 + inputs.tax_rate / HUNDRED) if inputs.tax_inclusive else net_price
    cost = inputs.unit_cost.amount * (inputs.fx_rate if inputs.unit_cost.currency != inputs.currency else 1)
    return _evaluate(inputs, displayed, cost + inputs.landed_extras)[3]


def quantity_tier_prices(inputs: PriceInputs, tiers: Sequence[tuple[int, Decimal, Decimal]]) -> tuple[TierPrice, ...]:
    """B2B unit prices by quantity: each tier is (min_quantity, target margin %, landed extras per unit at that
    quantity). B2B prices are net of VAT and rounded up to the minor unit; the floor margin still holds."""
    out = []
    for min_quantity, margin, extras in sorted(tiers):
        if min_quantity < 1:
            raise PricingInputInvalid("tier min_quantity must be at least 1",
                                      details=[ErrorDetail("bad tier", field="tiers")])
        tier_inputs = replace(inputs, tax_inclusive=False, ending=None, landed_extras=extras,
                              target_margin=max(margin, inputs.floor_margin))
        price = localize_price(tier_inputs)
        out.append(TierPrice(min_quantity, price.price, price.margin))
    return tuple(out)


def preview_repricing(inputs: PriceInputs, *, current_price: Money, fx_then: Decimal, threshold_pct: Decimal
                      ) -> RepriceProposal | None:
    """When the seller-to-destination rate moved more than `threshold_pct` since `fx_then`, propose the price on
    today's rate (`inputs.fx_rate`); None when the move is within the threshold."""
    if fx_then <= 0:
        raise PricingInputInvalid("fx_then must be positive", details=[ErrorDetail("bad rate", field="fx_then")])
    move = (inputs.fx_rate / fx_then - 1) * HUNDRED
    if abs(move) <= threshold_pct:
        return None
    cost_now = inputs.unit_cost.amount * (inputs.fx_rate if inputs.unit_cost.currency != inputs.currency else 1)
    *_, current_margin = _evaluate(inputs, current_price.amount, cost_now + inputs.landed_extras)
    return RepriceProposal(inputs.market, fx_then, inputs.fx_rate, move.quantize(Decimal("0.01")), current_price,
                           current_margin.quantize(Decimal("0.01")), localize_price(inputs))


@cache
def _conventions() -> dict[str, PriceEnding]:
    text = resources.files("xborder.pricing").joinpath("conventions/price_endings.yaml").read_text(encoding="utf-8")
    out = {}
    for currency, raw in yaml.safe_load(text)["conventions"].items():
        tiers = tuple(EndingTier(Decimal(str(t["unit"])), Decimal(str(t["ending"])),
                                 Decimal(str(t["below"])) if t.get("below") is not None else None)
                      for t in raw["tiers"])
        out[currency] = PriceEnding(currency, tiers, raw["reference"]["href"], raw.get("certainty", "confirmed"),
                                    raw.get("note"))
    return out


def price_ending_for(currency: str) -> PriceEnding | None:
    """The cited price-ending convention of a currency, or None (then prices only round up to the minor unit)."""
    return _conventions().get(currency)
