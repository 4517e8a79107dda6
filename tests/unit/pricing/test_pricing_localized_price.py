"""Localized prices: endings (19.99 USD, 1,980 JPY, 49 SAR), tax-inclusive display, floor never crossed,
monotonic in cost, red flags, B2B tiers and the FX re-pricing preview."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xborder.kernel import Money
from xborder.pricing import PricingInputInvalid
from xborder.pricing.localized_price import (
    PriceInputs,
    _evaluate,
    localize_price,
    margin_at_net_price,
    preview_repricing,
    price_ending_for,
    quantity_tier_prices,
    round_to_ending,
)
from xborder.pricing.matrix import MatrixCell, _against_peers


def _inputs(**kw: object) -> PriceInputs:
    base = PriceInputs(market="US", currency="USD", unit_cost=Money.of("8", "USD"), fx_rate=Decimal(1),
                       landed_extras=Decimal("2"), tax_rate=Decimal(0), tax_inclusive=False,
                       target_margin=Decimal(30), floor_margin=Decimal(15), marketplace_fee=Decimal(15),
                       payment_fee=Decimal("2.9"), fixed_fee=Decimal("0.30"), ending=price_ending_for("USD"))
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("currency", "amount", "expected"), [
    ("USD", "18.20", "18.99"), ("USD", "19.99", "19.99"), ("USD", "20.00", "20.99"),
    ("JPY", "1843", "1980"), ("JPY", "512", "580"), ("JPY", "981", "1980"),
    ("SAR", "41.5", "49"), ("SAR", "120", "149"), ("BRL", "19.95", "20.90"), ("PLN", "10.001", "10.01"),
])
def test_price_endings(currency: str, amount: str, expected: str) -> None:
    assert round_to_ending(Decimal(amount), price_ending_for(currency), currency) == Decimal(expected)


def test_us_price_is_tax_exclusive_and_ends_in_99() -> None:
    price = localize_price(_inputs())
    assert price.price.amount % 1 == Decimal("0.99") and not price.tax_inclusive
    assert price.margin >= Decimal(30) and price.status in ("ok", "amber")


def test_tax_inclusive_market_adds_vat_before_the_ending() -> None:
    exclusive = localize_price(_inputs(market="DE", currency="EUR", ending=price_ending_for("EUR")))
    inclusive = localize_price(_inputs(market="DE", currency="EUR", ending=price_ending_for("EUR"),
                                       tax_rate=Decimal(19), tax_inclusive=True))
    assert inclusive.price.amount > exclusive.price.amount
    assert inclusive.net_price.amount == (inclusive.price.amount / Decimal("1.19")).quantize(Decimal("0.01"))


def test_landed_cost_eating_the_profit_is_red() -> None:
    price = localize_price(_inputs(landed_extras=Decimal(40), target_margin=Decimal(10), floor_margin=Decimal(5)))
    assert price.status == "red" and "eat the profit" in price.reasons[0]


def test_margin_at_a_given_net_price_matches_the_proposed_price() -> None:
    inputs = _inputs(market="DE", currency="EUR", tax_rate=Decimal(19), tax_inclusive=True)
    price = localize_price(inputs)
    assert margin_at_net_price(inputs, price.net_price.amount).quantize(Decimal("0.1")) == price.margin.quantize(
        Decimal("0.1"))
    assert margin_at_net_price(inputs, price.net_price.amount / 2) < 0  # half the price: a loss


def _priced(market: str, extras: str, rate: str = "1") -> tuple[MatrixCell, PriceInputs]:
    inputs = _inputs(market=market, currency="USD", landed_extras=Decimal(extras), fx_rate=Decimal(rate),
                     unit_cost=Money.of("8", "EUR"))
    price = localize_price(inputs)
    cell = MatrixCell("v", "SKU", market, "USD", None, None, price.price, price.margin, None, price.status, True)
    return cell, inputs


def test_a_market_whose_landed_cost_is_out_of_line_with_its_peers_turns_red() -> None:
    """Every cell is priced at the target margin; only against the other markets' median price does the market
    with heavy import charges show that it cannot sell at a comparable price."""
    row = [_priced("DE", "2"), _priced("FR", "2.2"), _priced("US", "1.5"), _priced("BR", "9")]
    assert all(cell.status != "red" for cell, _ in row)
    rated = {cell.market: cell for cell in _against_peers(row)}
    assert rated["BR"].status == "red" and rated["BR"].peer_price_margin is not None
    assert rated["BR"].peer_price_margin < Decimal(15) <= rated["DE"].peer_price_margin  # type: ignore[operator]
    assert rated["DE"].status == row[0][0].status and rated["US"].status == row[2][0].status  # only the floor turns
    alone = _against_peers(row[:2])  # one other market is no peer group: statuses unchanged, no peer margin
    assert [c.peer_price_margin for c in alone] == [None, None]


def test_impossible_fees_are_refused() -> None:
    with pytest.raises(PricingInputInvalid, match="nothing to cover"):
        localize_price(_inputs(marketplace_fee=Decimal(60), payment_fee=Decimal(10), target_margin=Decimal(40)))
    with pytest.raises(PricingInputInvalid, match="floor_margin"):
        localize_price(_inputs(floor_margin=Decimal(40)))


def test_b2b_tiers_are_net_and_cheaper_with_quantity() -> None:
    tiers = quantity_tier_prices(_inputs(market="DE", currency="EUR", tax_rate=Decimal(19), tax_inclusive=True),
                                 [(1, Decimal(30), Decimal(2)), (100, Decimal(20), Decimal("0.8")),
                                  (1000, Decimal(12), Decimal("0.5"))])
    prices = [t.unit_price.amount for t in tiers]
    assert prices == sorted(prices, reverse=True) and tiers[-1].margin >= Decimal(15)  # floor holds for 12 % asked


def test_repricing_preview_only_beyond_threshold() -> None:
    inputs = _inputs(market="JP", currency="JPY", unit_cost=Money.of("8", "USD"), fx_rate=Decimal("160"),
                     landed_extras=Decimal(300), ending=price_ending_for("JPY"))
    current = Money.of("2980", "JPY")
    assert preview_repricing(inputs, current_price=current, fx_then=Decimal("158"), threshold_pct=Decimal(3)) is None
    proposal = preview_repricing(inputs, current_price=current, fx_then=Decimal("145"), threshold_pct=Decimal(3))
    assert proposal is not None and proposal.move_pct > 3
    assert proposal.proposed.margin >= Decimal(30) > proposal.current_margin


costs = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
margins = st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda t: (Decimal(max(t)), Decimal(min(t))))
currencies = st.sampled_from(["USD", "EUR", "JPY", "SAR", "BRL", "KRW", "PLN"])


@settings(max_examples=200, deadline=None)
@given(cost=costs, extras=costs, margin=margins, currency=currencies, inclusive=st.booleans())
def test_property_margin_floor_never_crossed(cost: Decimal, extras: Decimal, margin: tuple[Decimal, Decimal],
                                             currency: str, inclusive: bool) -> None:
    target, floor = margin
    inputs = _inputs(currency=currency, unit_cost=Money(cost, currency), landed_extras=extras, tax_inclusive=inclusive,
                     tax_rate=Decimal(20), target_margin=target, floor_margin=floor, ending=price_ending_for(currency))
    price = localize_price(inputs)
    *_, exact_margin = _evaluate(inputs, price.price.amount, cost + extras)
    assert exact_margin >= floor and price.margin >= floor


@settings(max_examples=200, deadline=None)
@given(a=costs, b=costs, currency=currencies, inclusive=st.booleans())
def test_property_price_monotonic_in_cost(a: Decimal, b: Decimal, currency: str, inclusive: bool) -> None:
    low, high = sorted((a, b))

    def price(cost: Decimal) -> Decimal:
        return localize_price(_inputs(currency=currency, unit_cost=Money(cost, currency), tax_inclusive=inclusive,
                                      tax_rate=Decimal(10), ending=price_ending_for(currency))).price.amount
    assert price(low) <= price(high)
