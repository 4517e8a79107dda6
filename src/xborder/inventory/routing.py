"""Routing of an incoming order line to the warehouse(s) that should ship it: nearest tier in the buyer's country
first (forward, then overseas), then the fastest cross-border option, splitting only when no single site can fill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from xborder.inventory.errors import InsufficientStock
from xborder.inventory.lanes import Lane
from xborder.kernel import ErrorDetail

__all__ = ["Allocation", "RoutingDecision", "StockOption", "choose_warehouses"]

_TIER_RANK = {"forward": 0, "overseas": 1, "domestic": 2}


@dataclass(frozen=True)
class StockOption:
    warehouse: str
    tier: str
    country: str
    available: int
    handling_cost_per_unit: Decimal


@dataclass(frozen=True)
class Allocation:
    warehouse: str
    quantity: int
    delivery_days: float | None  # None: domestic delivery inside the buyer's country (no cross-border lane)


@dataclass(frozen=True)
class RoutingDecision:
    sku: str
    destination_country: str
    allocations: tuple[Allocation, ...]
    reason: str


def _cross_border_days(origin: str, destination: str, lanes: Sequence[Lane]) -> float | None:
    days = [lane.transit_mean_days for lane in lanes if lane.mode in {"express", "air"}
            and origin in lane.origins and destination in lane.destinations]
    return min(days) if days else None


def choose_warehouses(*, sku: str, quantity: int, destination_country: str, options: Sequence[StockOption],
                      lanes: Sequence[Lane]) -> RoutingDecision:
    """Pick where to ship from. Raises InsufficientStock when the network as a whole cannot fill the line."""
    ranked = []
    for opt in options:
        if opt.available <= 0:
            continue
        local = opt.country == destination_country
        days = None if local else _cross_border_days(opt.country, destination_country, lanes)
        if not local and days is None:
            continue  # no lane from there to the buyer: not a candidate
        ranked.append(((0 if local else 1, _TIER_RANK.get(opt.tier, 3), days or 0.0, opt.handling_cost_per_unit,
                        opt.warehouse), opt, days))
    ranked.sort(key=lambda r: r[0])
    total = sum(opt.available for _, opt, _ in ranked)
    if total < quantity:
        raise InsufficientStock(f"{sku}: {quantity} ordered for {destination_country}, {total} reachable", details=[
            ErrorDetail(f"{sku}: short by {quantity - total} across warehouses that can reach {destination_country}",
                        field="quantity", code=InsufficientStock.code)])
    for _, opt, days in ranked:
        if opt.available >= quantity:
            where = "in the buyer's country" if days is None else f"cross-border, about {days:.0f} days"
            return RoutingDecision(sku, destination_country, (Allocation(opt.warehouse, quantity, days),),
                                   f"{opt.warehouse} ({opt.tier}) fills the line {where}")
    allocations, left = [], quantity
    for _, opt, days in ranked:
        take = min(left, opt.available)
        allocations.append(Allocation(opt.warehouse, take, days))
        left -= take
        if left == 0:
            break
    return RoutingDecision(sku, destination_country, tuple(allocations),
                           f"no single warehouse holds {quantity}; split over {len(allocations)} by proximity")
