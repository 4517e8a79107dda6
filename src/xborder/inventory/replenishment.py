"""Replenishment and routing use cases: load the workspace's warehouses, stock, catalog and demand history, forecast,
and hand the pure planner (`plan.py`) or router (`routing.py`) their inputs. Nothing here is written but reservations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.catalog import Variant
from xborder.inventory.demand import demand_history
from xborder.inventory.errors import UnknownSku
from xborder.inventory.forecasting import ForecastConfig, forecast_demand
from xborder.inventory.lanes import load_lanes
from xborder.inventory.ledger import reserve_stock, stock_levels
from xborder.inventory.models import Warehouse
from xborder.inventory.plan import DemandOutlook, PlanInput, ReplenishmentPlan, Site, SkuSpec, optimize_replenishment
from xborder.inventory.routing import RoutingDecision, StockOption, choose_warehouses
from xborder.inventory.safety import demand_sd_from_band
from xborder.kernel import ErrorDetail, Money, ValidationFailed

__all__ = ["PlanSettings", "plan_replenishment", "prepare_plan", "route_order"]

_WEEKS_PER_MONTH = Decimal("4.348125")  # 365.25 / 12 / 7


@dataclass(frozen=True)
class PlanSettings:
    currency: str
    fx: Mapping[str, Decimal]  # one unit of each other currency in `currency`
    backorder_cost_per_unit_week: Decimal
    horizon_weeks: int = 12
    service_level: float = 0.95
    budget: Money | None = None
    moq: Mapping[str, int] | None = None
    time_limit_s: float = 25.0


def _rate(settings: PlanSettings, currency: str) -> Decimal:
    if currency == settings.currency:
        return Decimal(1)
    if currency not in settings.fx:
        raise ValidationFailed(f"no exchange rate {currency}->{settings.currency}", details=[
            ErrorDetail(f"missing FX rate for {currency}", field="fx", code="inventory.missing_fx")])
    return settings.fx[currency]


def _sku_specs(session: Session, organization_id: str, skus: set[str], settings: PlanSettings) -> list[SkuSpec]:
    rows = {v.sku: v for v in session.scalars(select(Variant).where(Variant.organization_id == organization_id,
                                                                      Variant.sku.in_(sorted(skus))))}
    problems, specs = [], []
    for sku in sorted(skus):
        v = rows.get(sku)
        if v is None:
            problems.append(ErrorDetail(f"{sku}: not in the catalog", field="sku", code=UnknownSku.code))
            continue
        weight = v.gross_weight_kg or v.net_weight_kg
        if weight is None or None in (v.length_cm, v.width_cm, v.height_cm):
            problems.append(ErrorDetail(f"{sku}: weight and dimensions are needed to price freight", field="sku",
                                        code="inventory.missing_dimensions"))
            continue
        volume = v.length_cm * v.width_cm * v.height_cm / Decimal(1_000_000)  # type: ignore[operator]
        specs.append(SkuSpec(sku, weight, volume, settings.backorder_cost_per_unit_week,
                             moq=(settings.moq or {}).get(sku, 1)))
    if problems:
        raise UnknownSku("SKUs in the plan lack catalog data", details=problems[:50])
    return specs


def plan_replenishment(session: Session, *, organization_id: str, today: date,
                       settings: PlanSettings) -> ReplenishmentPlan:
    """Forecast weekly demand per SKU x destination market, then optimise what to send from domestic warehouses.

    Demand of a market is split evenly over that market's overseas and forward warehouses.
    """
    return optimize_replenishment(prepare_plan(session, organization_id=organization_id, today=today,
                                               settings=settings))


def prepare_plan(session: Session, *, organization_id: str, today: date, settings: PlanSettings) -> PlanInput:
    """The planner's input from the workspace (forecast included): what `plan_replenishment` solves, kept apart so
    a caller can explain the plan with the same demand outlooks."""
    warehouses = list(session.scalars(select(Warehouse).where(Warehouse.organization_id == organization_id)))
    sources = [w for w in warehouses if w.tier == "domestic"]
    dests = [w for w in warehouses if w.tier != "domestic"]
    if not sources or not dests:
        raise ValidationFailed("a plan needs at least one domestic and one overseas or forward warehouse", details=[
            ErrorDetail("missing warehouse tier", field="warehouses", code="inventory.no_network")])
    history = demand_history(session, organization_id=organization_id, freq="W")
    markets = {w.country for w in dests}
    history = history[history["unique_id"].str.rsplit("@", n=1).str[1].isin(markets)]
    if history.empty:
        raise ValidationFailed("no demand history for the destination markets; import sales first", details=[
            ErrorDetail(f"no history for {', '.join(sorted(markets))}", field="history",
                        code="inventory.no_history")])
    result = forecast_demand(history, ForecastConfig(horizon=settings.horizon_weeks, freq="W", levels=(80,),
                                                     duplicates="sum"))
    fc = result.forecasts.assign(sku=lambda f: f["unique_id"].str.rsplit("@", n=1).str[0],
                                 market=lambda f: f["unique_id"].str.rsplit("@", n=1).str[1])
    outlooks = []
    for (sku, market), grp in fc.groupby(["sku", "market"], sort=True):
        sites = [w for w in dests if w.country == market]
        share = 1 / len(sites)
        grp = grp.sort_values("ds")
        mean = tuple(float(x) * share for x in grp["forecast"])
        sd = tuple(demand_sd_from_band(f, h, 80) * share for f, h in zip(grp["forecast"], grp["hi_80"], strict=True))
        outlooks += [DemandOutlook(str(sku), w.code, mean, sd) for w in sites]
    skus = {o.sku for o in outlooks}
    levels = stock_levels(session, organization_id=organization_id)
    position = {(lv.warehouse_code, lv.sku): lv.on_hand + lv.in_transit for lv in levels if lv.tier != "domestic"}
    available = {(lv.warehouse_code, lv.sku): lv.available for lv in levels if lv.tier == "domestic"}
    plan_sites = []
    for w in warehouses:
        rate = _rate(settings, w.currency)
        plan_sites.append(Site(w.code, w.tier, w.country, w.capacity_m3,
                               w.storage_cost_per_m3_month * rate / _WEEKS_PER_MONTH, w.handling_cost_per_unit * rate))
    budget = None
    if settings.budget is not None:
        budget = settings.budget.amount * _rate(settings, settings.budget.currency)
    data = PlanInput(currency=settings.currency, today=today, skus=_sku_specs(session, organization_id, skus, settings),
                     sites=plan_sites, position=position, source_available=available, demand=outlooks,
                     lanes=load_lanes(), fx=settings.fx, service_level=settings.service_level, budget=budget,
                     time_limit_s=settings.time_limit_s)
    return data


def route_order(session: Session, *, organization_id: str, sku: str, quantity: int, destination_country: str,
                reserve: bool = False, reference: str | None = None) -> RoutingDecision:
    """Choose the warehouse(s) for an order line; with `reserve`, hold the stock there in the same transaction."""
    if quantity <= 0:
        raise ValidationFailed("quantity must be positive", details=[
            ErrorDetail(f"quantity {quantity}", field="quantity", code="inventory.bad_quantity")])
    warehouses = {w.code: w for w in session.scalars(select(Warehouse).where(
        Warehouse.organization_id == organization_id))}
    options = [StockOption(lv.warehouse_code, lv.tier, warehouses[lv.warehouse_code].country, lv.available,
                           warehouses[lv.warehouse_code].handling_cost_per_unit)
               for lv in stock_levels(session, organization_id=organization_id, sku=sku)]
    decision = choose_warehouses(sku=sku, quantity=quantity, destination_country=destination_country.upper(),
                                 options=options, lanes=load_lanes())
    if reserve:
        for alloc in decision.allocations:
            reserve_stock(session, organization_id=organization_id, warehouse=alloc.warehouse, sku=sku,
                          quantity=alloc.quantity, reference=reference)
    return decision
