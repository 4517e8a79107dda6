"""Price matrix over a workspace catalog: every variant x market -> landed cost, proposed consumer price, margin
status. For the console heat map and the API; each cell either has figures or names why it has none.

Simplification (documented in docs/pricing.md): the declared customs value is the variant's cost price and the
seller bears transport, duties and border fees (DDP) when the price is proposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from sqlalchemy.orm import Session

from xborder import catalog
from xborder import markets as market_data
from xborder.kernel import DomainError, Money
from xborder.pricing.localized_price import PriceInputs, localize_price, margin_at_net_price, price_ending_for
from xborder.pricing.model import LandedCost, QuoteRequest
from xborder.pricing.service import PricingData, quote_landed_cost

__all__ = ["MatrixCell", "PriceMatrix", "price_matrix"]

CellStatus = Literal["ok", "amber", "red", "error"]


@dataclass(frozen=True, slots=True)
class MatrixCell:
    variant_id: str
    sku: str
    market: str
    currency: str | None
    landed_cost: Money | None
    duties_taxes_fees: Money | None
    proposed_price: Money | None
    margin: Decimal | None  # percent
    landed_share_of_price: Decimal | None  # (transport + duties + border fees) / net price, percent: the heat map
    status: CellStatus
    complete: bool  # False when the landed cost has gaps (unknown measures)
    error_code: str | None = None
    message: str | None = None
    # margin (percent) left here at the median net price of the SKU's other priced markets (at least two): how much
    # the landed cost of this market costs compared with selling at the price charged elsewhere
    peer_price_margin: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PriceMatrix:
    on: date
    markets: tuple[str, ...]
    variants: int
    cells: tuple[MatrixCell, ...]


def _error(variant: catalog.VariantSummary, market: str, code: str, message: str) -> MatrixCell:
    return MatrixCell(variant.id, variant.sku, market, None, None, None, None, None, None, "error", False, code,
                      message)


def _fx_rate(result: LandedCost, currency: str) -> Decimal:
    if currency == result.currency:
        return Decimal(1)
    return next(q.rate for q in result.fx if q.base == currency and q.quote == result.currency)


_Priced = tuple[MatrixCell, PriceInputs | None]


def _cell(data: PricingData, variant: catalog.VariantSummary, market: str, on: date, shipping: Money | None,
          channel: str, margins: tuple[Decimal, Decimal, Decimal, Decimal]) -> _Priced:
    missing = [name for name, value in (("hs_code", variant.hs_code), ("origin_country", variant.origin_country),
                                        ("cost_price", variant.cost_price), ("cost_currency", variant.cost_currency))
               if not value]
    if missing:
        return _error(variant, market, "pricing.variant_incomplete", f"variant has no {', '.join(missing)}"), None
    assert variant.hs_code and variant.origin_country and variant.cost_price is not None and variant.cost_currency
    target, floor, marketplace_fee, payment_fee = margins
    try:
        cost = Money(variant.cost_price, variant.cost_currency)
        landed = quote_landed_cost(data, request=QuoteRequest(
            origin=variant.origin_country, destination=market, hs_code=variant.hs_code, goods_value=cost,
            shipping=shipping, on=on, incoterm="DDP", channel=channel))  # type: ignore[arg-type]
        rate = _fx_rate(landed, cost.currency)
        goods = cost.amount * rate
        extras = landed.goods_and_transport.amount - goods + landed.duty.amount + landed.other_taxes_and_fees.amount
        snapshot = market_data.market(market).on(on)
        tax_rate = snapshot.standard_rate or Decimal(0)
        inputs = PriceInputs(
            market=market, currency=landed.currency, unit_cost=cost, fx_rate=rate,
            landed_extras=max(extras, Decimal(0)),
            tax_rate=tax_rate, tax_inclusive=snapshot.prices_tax_inclusive, target_margin=target, floor_margin=floor,
            marketplace_fee=marketplace_fee, payment_fee=payment_fee, ending=price_ending_for(landed.currency))
        price = localize_price(inputs)
    except DomainError as exc:
        return _error(variant, market, exc.code, exc.message), None
    net = price.net_price.amount
    share = (price.landed_extras.amount / net * 100).quantize(Decimal("0.1")) if net > 0 else None
    return MatrixCell(variant.id, variant.sku, market, landed.currency, landed.landed_cost,
                      landed.total_taxes_and_duties, price.price, price.margin, share, price.status,
                      landed.complete), inputs


def _against_peers(row: list[_Priced]) -> list[MatrixCell]:
    """Re-rate one SKU's cells against its other markets: at the median net price the other markets charge (in the
    seller's cost currency), a market whose landed cost leaves less than the floor margin is red. A price set to
    the target margin everywhere would hide that, which is the point. (Only the floor turns a cell: above the
    median is where half the markets sit by construction, so "under the target" would mark half of them.)"""
    nets = {}
    for cell, inputs in row:
        if inputs is not None and cell.proposed_price is not None:
            k = 1 + inputs.tax_rate / 100 if inputs.tax_inclusive else Decimal(1)
            nets[cell.market] = cell.proposed_price.amount / k / inputs.fx_rate  # seller currency, VAT excluded
    out = []
    for cell, inputs in row:
        others = sorted(value for market, value in nets.items() if market != cell.market)
        if inputs is None or cell.market not in nets or len(others) < 2:
            out.append(cell)
            continue
        middle = len(others) // 2
        median = others[middle] if len(others) % 2 else (others[middle - 1] + others[middle]) / 2
        margin = margin_at_net_price(inputs, median * inputs.fx_rate)
        status = "red" if margin < inputs.floor_margin else cell.status  # compared unrounded, shown to 0.1
        out.append(replace(cell, status=status, peer_price_margin=margin.quantize(Decimal("0.1"))))
    return out


def price_matrix(session: Session, *, organization_id: str, markets: Sequence[str], on: date, data: PricingData,
                 shipping: Money | None = None, channel: str = "courier", target_margin: Decimal = Decimal(30),
                 floor_margin: Decimal = Decimal(15), marketplace_fee: Decimal = Decimal(15),
                 payment_fee: Decimal = Decimal(3), max_variants: int = 2000) -> PriceMatrix:
    """Landed cost, proposed price and margin status for every catalog variant (up to `max_variants`, by SKU) in
    every market. A variant without HS code, origin or cost, or a market without tariff data, gives an error cell."""
    codes = tuple(m.strip().upper() for m in markets)
    variants: list[catalog.VariantSummary] = []
    cursor: str | None = None
    while len(variants) < max_variants:
        page = catalog.list_variants(session, organization_id=organization_id, cursor=cursor,
                                     limit=min(200, max_variants - len(variants)))
        variants.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    margins = (target_margin, floor_margin, marketplace_fee, payment_fee)
    cells = tuple(cell for variant in variants
                  for cell in _against_peers([_cell(data, variant, market, on, shipping, channel, margins)
                                              for market in codes]))
    return PriceMatrix(on=on, markets=codes, variants=len(variants), cells=cells)
