"""Stored replenishment plans: solve the plan for the workspace (as a job), explain each SKU x destination line
(when stock runs short, what is sent by which mode and by when, what to expedite by air if demand follows the
upper band) and keep it with its settings and the FX rates used, so the console and the API can show it later.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import NormalDist

import numpy as np
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.inventory.lanes import Lane, load_lanes
from xborder.inventory.models import PlanRun, Warehouse
from xborder.inventory.plan import PlanInput, ReplenishmentPlan, optimize_replenishment
from xborder.inventory.replenishment import PlanSettings, prepare_plan
from xborder.inventory.safety import service_z
from xborder.kernel import ErrorDetail, NotFound, Page, decode_cursor, encode_cursor

__all__ = ["ExpediteOut", "FxUsed", "PlanCostsOut", "PlanLineOut", "PlanNotFound", "PlanRunOut", "ShipmentOut",
           "explain_plan", "get_plan_run", "list_plan_runs", "plan_currencies", "run_plan"]

_Z80 = NormalDist().inv_cdf(0.9)  # the plan's upper band: the upper end of the central 80 % interval


class PlanNotFound(NotFound):
    code = "inventory.plan_not_found"


class FxUsed(BaseModel):
    """One unit of `currency` = `rate` plan currency, as given by the caller or quoted by `source` for `rate_date`."""

    currency: str
    rate: Decimal
    rate_date: date | None = None
    source: str = "given"


class ShipmentOut(BaseModel):
    sku: str
    from_site: str
    to_site: str
    mode: str
    quantity: int
    ship_by: date
    eta: date
    freight: Decimal
    lane_id: str


class ExpediteOut(BaseModel):
    """Units still missing if demand follows the upper band: ship them by `mode` by `ship_by` once demand from
    `watch_from` on runs at the upper band."""

    quantity: int
    mode: str | None  # None: no air or express lane reaches the destination
    watch_from: date
    ship_by: date | None
    arrive_by: date | None


class PlanLineOut(BaseModel):
    sku: str
    site: str
    site_tier: str
    site_country: str
    position: int
    demand_horizon: float
    safety_stock: float
    planned_in: int
    expected_service_level: float
    expected_shortfall: float
    upper_band_extra: int
    runs_short_on: date | None  # first week the position alone falls below demand + safety stock
    shipments: list[ShipmentOut]
    expedite: ExpediteOut | None


class PlanCostsOut(BaseModel):
    currency: str
    freight: Decimal
    handling: Decimal
    holding: Decimal
    backorder: Decimal
    total: Decimal


class PlanRunOut(BaseModel):
    id: str
    created_at: datetime
    planned_on: date
    currency: str
    status: str  # optimal, time_limit or the solver's message
    method: str  # milp or lp_rounding
    mip_gap: float | None
    solve_seconds: float
    variables: int
    binaries: int
    horizon_weeks: int
    service_level_target: float
    mean_service_level: float | None  # weighted by demand over the horizon
    costs: PlanCostsOut
    fx: list[FxUsed]
    shipments: list[ShipmentOut]
    lines: list[PlanLineOut]
    settings: dict[str, object]


def plan_currencies(session: Session, *, organization_id: str, currency: str) -> list[str]:
    """Currencies a plan in `currency` must convert: warehouse costs and lane freight."""
    found = set(session.scalars(select(Warehouse.currency).where(Warehouse.organization_id == organization_id)))
    found |= {lane.cost_currency for lane in load_lanes()}
    return sorted(found - {currency.upper()})


def _air(lanes: tuple[Lane, ...], origins: set[str], country: str, period_days: int) -> Lane | None:
    fast = [lane for lane in lanes if lane.mode in ("air", "express") and country in lane.destinations
            and origins & lane.origins]
    return min(fast, key=lambda lane: (lane.mode != "air", lane.transit_mean_days), default=None)


def explain_plan(data: PlanInput, plan: ReplenishmentPlan, *, horizon_weeks: int) -> tuple[list[PlanLineOut],
                                                                                           list[ShipmentOut]]:
    """Per SKU x destination: when the position alone runs short, the shipments that cover it, and the air
    expedite (quantity, decide-by week) if demand follows the upper 80 % band."""
    z = service_z(data.service_level)
    period = timedelta(days=data.period_days)
    sites = {s.code: s for s in data.sites}
    origins = {s.country for s in data.sites if s.tier == "domestic"}
    outlooks = {(o.sku, o.site): o for o in data.demand}
    lanes = tuple(data.lanes)
    shipments = [ShipmentOut(sku=s.sku, from_site=s.from_site, to_site=s.to_site, mode=s.mode, quantity=s.quantity,
                             ship_by=s.ship_by, eta=s.eta, freight=s.freight.amount, lane_id=s.lane_id)
                 for s in plan.shipments]
    by_line: dict[tuple[str, str], list[ShipmentOut]] = {}
    for s in shipments:
        by_line.setdefault((s.sku, s.to_site), []).append(s)
    lines = []
    for line in plan.lines:
        out = outlooks[(line.sku, line.site)]
        cum = np.cumsum(out.mean)
        cum_sd = np.sqrt(np.cumsum(np.square(out.sd)))
        need = cum + z * cum_sd
        short = np.flatnonzero(need > line.position)
        runs_short_on = data.today + period * int(short[0]) if len(short) else None
        expedite = None
        if line.upper_band_extra > 0:
            over = np.flatnonzero(cum + _Z80 * cum_sd > line.position + line.planned_in)
            week = int(over[0]) if len(over) else len(cum) - 1
            site = sites[line.site]
            lane = _air(lanes, origins, site.country, data.period_days)
            ship_by = arrive_by = None
            if lane is not None:
                ship_by = data.today + period * max(0, week - lane.lead_time_periods(data.period_days))
                arrive_by = ship_by + timedelta(days=math.ceil(lane.transit_mean_days))
            expedite = ExpediteOut(quantity=line.upper_band_extra, mode=lane.mode if lane else None,
                                   watch_from=data.today + period * week, ship_by=ship_by, arrive_by=arrive_by)
        site = sites[line.site]
        lines.append(PlanLineOut(
            sku=line.sku, site=line.site, site_tier=site.tier, site_country=site.country, position=line.position,
            demand_horizon=round(line.demand_horizon, 2), safety_stock=round(line.safety_stock, 2),
            planned_in=line.planned_in, expected_service_level=round(line.expected_service_level, 4),
            expected_shortfall=round(line.expected_shortfall, 2), upper_band_extra=line.upper_band_extra,
            runs_short_on=runs_short_on, shipments=by_line.get((line.sku, line.site), []), expedite=expedite))
    lines.sort(key=lambda ln: (ln.runs_short_on or date.max, ln.sku, ln.site))
    return lines, shipments


def _costs(plan: ReplenishmentPlan) -> PlanCostsOut:
    parts = [plan.freight_cost.amount, plan.handling_cost.amount, plan.holding_cost.amount,
             plan.backorder_cost.amount]
    return PlanCostsOut(currency=plan.freight_cost.currency, freight=parts[0], handling=parts[1], holding=parts[2],
                        backorder=parts[3], total=sum(parts, Decimal(0)))


def _settings_json(settings: PlanSettings) -> dict[str, object]:
    raw = asdict(settings)
    raw["fx"] = {k: str(v) for k, v in settings.fx.items()}
    raw["backorder_cost_per_unit_week"] = str(settings.backorder_cost_per_unit_week)
    raw["budget"] = str(settings.budget) if settings.budget is not None else None
    raw["moq"] = dict(settings.moq or {})
    return raw


def run_plan(session: Session, *, organization_id: str, today: date, settings: PlanSettings,
             fx_used: Mapping[str, FxUsed] | None = None,
             progress: Callable[[int, int, str], None] | None = None) -> PlanRunOut:
    """Forecast, solve and explain the plan, and store it. `fx_used` documents where each rate in
    `settings.fx` came from (defaults: given by the caller). Long work: call it from a job."""
    if progress:
        progress(0, 3, "forecasting")
    data = prepare_plan(session, organization_id=organization_id, today=today, settings=settings)
    if progress:
        progress(1, 3, "solving")
    plan = optimize_replenishment(data)
    if progress:
        progress(2, 3, "explaining")
    lines, shipments = explain_plan(data, plan, horizon_weeks=settings.horizon_weeks)
    weight = sum(ln.demand_horizon for ln in lines)
    mean_service = (sum(ln.expected_service_level * ln.demand_horizon for ln in lines) / weight) if weight else None
    fx = [(fx_used or {}).get(cur) or FxUsed(currency=cur, rate=rate) for cur, rate in sorted(settings.fx.items())]
    body = {"planned_on": today, "currency": settings.currency, "status": plan.status, "method": plan.method,
            "mip_gap": plan.mip_gap, "solve_seconds": round(plan.solve_seconds, 3), "variables": plan.variables,
            "binaries": plan.binaries, "horizon_weeks": settings.horizon_weeks,
            "service_level_target": settings.service_level,
            "mean_service_level": round(mean_service, 4) if mean_service is not None else None,
            "costs": _costs(plan), "fx": fx, "shipments": shipments, "lines": lines,
            "settings": _settings_json(settings)}
    draft = PlanRunOut.model_validate({"id": "", "created_at": datetime.min, **body})
    stored = draft.model_dump(mode="json", exclude={"id", "created_at"})
    row = PlanRun(organization_id=organization_id, planned_on=today, currency=settings.currency,
                  status=plan.status, settings=stored.pop("settings"), plan=stored)
    session.add(row)
    session.flush()
    return _out(row)


def _out(row: PlanRun) -> PlanRunOut:
    return PlanRunOut.model_validate({**row.plan, "id": row.id, "created_at": row.created_at,
                                      "settings": row.settings})


def get_plan_run(session: Session, *, organization_id: str, plan_id: str) -> PlanRunOut:
    row = session.scalar(select(PlanRun).where(PlanRun.id == plan_id, PlanRun.organization_id == organization_id))
    if row is None:
        raise PlanNotFound(f"no plan {plan_id!r}", details=[
            ErrorDetail("unknown plan", field="plan_id", code=PlanNotFound.code)])
    return _out(row)


def list_plan_runs(session: Session, *, organization_id: str, cursor: str | None = None,
                   limit: int = 20) -> Page[PlanRunOut]:
    """Newest first (ids are time-sortable)."""
    query = select(PlanRun).where(PlanRun.organization_id == organization_id)
    if cursor:
        query = query.where(PlanRun.id < str(decode_cursor(cursor)[0]))
    rows = list(session.scalars(query.order_by(PlanRun.id.desc()).limit(limit + 1)))
    items = [_out(r) for r in rows[:limit]]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if len(rows) > limit and items else None)
