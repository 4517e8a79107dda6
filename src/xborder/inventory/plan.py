"""Replenishment plan as a MILP (scipy.optimize.milp / HiGHS): what to send now from which source warehouse to which
overseas or forward warehouse by which mode, minimising freight + handling + holding + expected backorder cost under
source stock, destination capacity, minimum shipment (MOQ) and freight budget; with a time limit and the gap.

Pure: no session, no clock. Model and approximations: docs/forecasting.md#replenishment and ADR 0007.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import NormalDist
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import coo_matrix

from xborder.inventory.lanes import Lane
from xborder.inventory.safety import service_z
from xborder.kernel import ErrorDetail, Money, ValidationFailed

__all__ = ["DemandOutlook", "PlanInput", "PlanLine", "PlannedShipment", "ReplenishmentPlan", "Site", "SkuSpec",
           "optimize_replenishment"]

_Z80 = NormalDist().inv_cdf(0.9)
_Rows = tuple[list[int], list[int], list[float], list[float], list[float]]
_Solved = tuple[OptimizeResult, float | None, str]


@dataclass(frozen=True)
class SkuSpec:
    sku: str
    weight_kg: Decimal
    volume_m3: Decimal
    backorder_cost_per_period: Decimal  # plan currency, per unit short per period (lost margin + goodwill)
    moq: int = 1  # minimum units per shipment line


@dataclass(frozen=True)
class Site:
    code: str
    tier: str
    country: str
    capacity_m3: Decimal | None
    storage_cost_per_m3_period: Decimal  # plan currency
    handling_cost_per_unit: Decimal  # plan currency


@dataclass(frozen=True)
class DemandOutlook:
    """Forecast at one destination: mean and standard deviation per period, period 1 = the coming period."""

    sku: str
    site: str
    mean: tuple[float, ...]
    sd: tuple[float, ...]


@dataclass(frozen=True)
class PlanInput:
    currency: str
    today: date
    skus: Sequence[SkuSpec]
    sites: Sequence[Site]
    position: Mapping[tuple[str, str], int]  # (site, sku) -> on hand + in transit, destinations
    source_available: Mapping[tuple[str, str], int]  # (site, sku) -> available at source warehouses
    demand: Sequence[DemandOutlook]
    lanes: Sequence[Lane]
    fx: Mapping[str, Decimal]  # one unit of currency X in plan currency
    service_level: float = 0.95
    period_days: int = 7
    budget: Decimal | None = None
    time_limit_s: float = 25.0
    mip_rel_gap: float = 0.005
    max_binaries: int = 5000  # above this many MOQ lines, LP + MOQ repair with a measured gap


@dataclass(frozen=True)
class PlannedShipment:
    sku: str
    from_site: str
    to_site: str
    mode: str
    quantity: int
    ship_by: date
    eta: date
    freight: Money
    lane_id: str


@dataclass(frozen=True)
class PlanLine:
    """Per SKU x destination: why the plan sends what it sends."""

    sku: str
    site: str
    position: int
    demand_horizon: float
    safety_stock: float
    planned_in: int
    expected_service_level: float
    expected_shortfall: float
    upper_band_extra: int  # more units needed if demand follows the upper 80 % band (an air expedite candidate)


@dataclass(frozen=True)
class ReplenishmentPlan:
    """`method` is milp (exact, HiGHS gap) or lp_rounding (gap measured against the LP bound without MOQ)."""

    status: str
    method: str
    shipments: tuple[PlannedShipment, ...]
    lines: tuple[PlanLine, ...]
    freight_cost: Money
    handling_cost: Money
    holding_cost: Money
    backorder_cost: Money
    objective: float
    mip_gap: float | None
    solve_seconds: float
    variables: int
    binaries: int


@dataclass
class _Arc:
    i: int
    src: str
    dst: str
    lane: Lane
    arrive: int
    unit_freight: float
    unit_cost: float


def _rate(fx: Mapping[str, Decimal], currency: str, plan_currency: str) -> Decimal:
    if currency == plan_currency:
        return Decimal(1)
    if currency not in fx:
        raise ValidationFailed(f"no exchange rate {currency}->{plan_currency} given", details=[
            ErrorDetail(f"missing FX rate for {currency}", field="fx", code="inventory.missing_fx")])
    return fx[currency]


def optimize_replenishment(data: PlanInput) -> ReplenishmentPlan:
    """Solve the plan; the horizon is the forecast length. Raises ValidationFailed for unknown SKUs or sites."""
    z = service_z(data.service_level)
    sites = {s.code: s for s in data.sites}
    skus = {k.sku: k for k in data.skus}
    unknown = [ErrorDetail(f"demand for unknown SKU {d.sku!r} or site {d.site!r}", field="demand",
                           code="inventory.unknown_reference")
               for d in data.demand if d.sku not in skus or d.site not in sites]
    if unknown:
        raise ValidationFailed("the plan refers to unknown SKUs or warehouses", details=unknown[:50])
    sources: dict[str, list[str]] = {}
    for (site, sku), qty in data.source_available.items():
        if qty > 0 and site in sites:
            sources.setdefault(sku, []).append(site)

    arcs: list[_Arc] = []
    need_rows: list[tuple[int, list[int], float, float]] = []  # (outlook idx, arc idxs, rhs, backorder weight)
    outlooks = list(data.demand)
    meta = []
    for o_idx, out in enumerate(outlooks):
        spec, dst = skus[out.sku], sites[out.site]
        horizon = len(out.mean)
        cum = np.cumsum(out.mean)
        cum_sd = np.sqrt(np.cumsum(np.square(out.sd)))
        pos = data.position.get((out.site, out.sku), 0)
        need_h = float(cum[-1] + z * cum_sd[-1] - pos)
        first_short = next((t + 1 for t in range(horizon) if cum[t] + z * cum_sd[t] > pos), horizon + 1)
        meta.append((horizon, cum, cum_sd, pos, first_short))
        mine: list[int] = []
        if need_h > 0:
            for src in sources.get(out.sku, []):
                origin = sites[src].country
                for lane in data.lanes:
                    if origin not in lane.origins or dst.country not in lane.destinations:
                        continue
                    arrive = lane.lead_time_periods(data.period_days)
                    if arrive > horizon:
                        continue
                    freight = lane.freight_per_unit(weight_kg=spec.weight_kg, volume_m3=spec.volume_m3) * _rate(
                        data.fx, lane.cost_currency, data.currency)
                    holding = dst.storage_cost_per_m3_period * spec.volume_m3 * Decimal(horizon - arrive) / 2
                    unit_cost = float(freight + dst.handling_cost_per_unit + holding)
                    mine.append(len(arcs))
                    arcs.append(_Arc(o_idx, src, out.site, lane, arrive, float(freight), unit_cost))
        checkpoints = sorted({arcs[a].arrive for a in mine} | {horizon})
        previous = 0
        for w in checkpoints:
            rhs = float(cum[w - 1] + z * cum_sd[w - 1] - pos)
            weight = float(spec.backorder_cost_per_period) * (w - previous)
            need_rows.append((o_idx, [a for a in mine if arcs[a].arrive <= w], rhs, weight))
            previous = w

    n_q, n_u = len(arcs), len(need_rows)
    moq_arcs = [a for a, arc in enumerate(arcs) if skus[outlooks[arc.i].sku].moq > 1]
    moq = np.array([skus[outlooks[arc.i].sku].moq for arc in arcs], dtype=float)
    cost = np.zeros(n_q + n_u)
    upper = np.full(n_q + n_u, np.inf)
    for a, arc in enumerate(arcs):
        cost[a] = arc.unit_cost
        _, cum, cum_sd, pos, _ = meta[arc.i]
        avail = data.source_available.get((arc.src, outlooks[arc.i].sku), 0)
        upper[a] = min(avail, max(math.ceil(cum[-1] + z * cum_sd[-1] - pos), int(moq[a])))
    for r, (_, _, _, weight) in enumerate(need_rows):
        cost[n_q + r] = weight
    rows, cols, vals, lo, hi = _base_rows(data, arcs, outlooks, need_rows, skus, sites, n_q)
    started = time.perf_counter()
    if len(moq_arcs) <= data.max_binaries:
        result, gap, method = _solve_milp(data, cost, upper, moq, moq_arcs, rows, cols, vals, lo, hi)
    else:
        result, gap, method = _solve_lp_rounding(cost, upper, moq, moq_arcs, rows, cols, vals, lo, hi)
    seconds = time.perf_counter() - started
    if result.x is None:
        raise ValidationFailed(f"no feasible plan: {result.message}", details=[
            ErrorDetail(result.message, code="inventory.plan_infeasible")])
    return _report(data, arcs, outlooks, meta, result, seconds, len(cost), len(moq_arcs), z, gap, method)


def _base_rows(data: PlanInput, arcs: list[_Arc], outlooks: list[DemandOutlook], need_rows: list[Any],
               skus: dict[str, SkuSpec], sites: dict[str, Site], n_q: int) -> _Rows:
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(entries: list[tuple[int, float]], low: float, high: float) -> None:
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    for r, (_, members, rhs, _) in enumerate(need_rows):
        if rhs > 0:  # cumulative arrivals + backlog >= demand + safety stock - position, at each checkpoint
            add([(a, 1.0) for a in members] + [(n_q + r, 1.0)], rhs, np.inf)
    by_source: dict[tuple[str, str], list[int]] = {}
    by_dest: dict[str, list[int]] = {}
    for a, arc in enumerate(arcs):
        by_source.setdefault((arc.src, outlooks[arc.i].sku), []).append(a)
        by_dest.setdefault(arc.dst, []).append(a)
    for key, members in by_source.items():
        add([(a, 1.0) for a in members], 0.0, float(data.source_available.get(key, 0)))
    for code, members in by_dest.items():
        site = sites[code]
        if site.capacity_m3 is not None:
            used = sum(float(skus[sku].volume_m3) * q for (s, sku), q in data.position.items()
                       if s == code and sku in skus)
            add([(a, float(skus[outlooks[arcs[a].i].sku].volume_m3)) for a in members], 0.0,
                max(float(site.capacity_m3) - used, 0.0))
    if data.budget is not None:
        add([(a, arc.unit_freight) for a, arc in enumerate(arcs)], 0.0, float(data.budget))
    return rows, cols, vals, lo, hi


def _lp(cost: np.ndarray, lower: np.ndarray, upper: np.ndarray, rows: list[Any], cols: list[Any], vals: list[Any],
        lo: list[Any], hi: list[Any], integrality: np.ndarray | None = None,
        options: dict[str, Any] | None = None) -> OptimizeResult:
    n = len(cost)
    constraints = [LinearConstraint(coo_matrix((vals, (rows, cols)), shape=(len(lo), n)).tocsr(), lo, hi)] \
        if lo else []
    return milp(cost, constraints=constraints, integrality=integrality if integrality is not None else np.zeros(n),
                bounds=Bounds(lower, upper), options={"disp": False, **(options or {})})


def _solve_milp(data: PlanInput, cost: np.ndarray, upper: np.ndarray, moq: np.ndarray, moq_arcs: list[int],
                rows: list[Any], cols: list[Any], vals: list[Any], lo: list[Any], hi: list[Any]) -> _Solved:
    """Exact: one binary per MOQ line (q >= moq * y, q <= U * y); HiGHS reports the gap at the time limit."""
    n0, rows, cols, vals, lo, hi = len(cost), list(rows), list(cols), list(vals), list(lo), list(hi)
    for b, a in enumerate(moq_arcs):
        r = len(lo)
        rows += [r, r, r + 1, r + 1]
        cols += [a, n0 + b, a, n0 + b]
        vals += [1.0, -moq[a], 1.0, -max(upper[a], moq[a])]
        lo += [0.0, -np.inf]
        hi += [np.inf, 0.0]
    n = n0 + len(moq_arcs)
    full_cost = np.concatenate([cost, np.zeros(len(moq_arcs))])
    integrality = np.concatenate([np.zeros(n0), np.ones(len(moq_arcs))])
    result = _lp(full_cost, np.zeros(n), np.concatenate([upper, np.ones(len(moq_arcs))]), rows, cols, vals, lo, hi,
                 integrality, {"time_limit": data.time_limit_s, "mip_rel_gap": data.mip_rel_gap})
    gap = getattr(result, "mip_gap", None)
    if gap is None and result.status == 0 and not moq_arcs:
        gap = 0.0  # no integer variable: HiGHS solved an LP to optimality
    return result, float(gap) if gap is not None else None, "milp"


def _solve_lp_rounding(cost: np.ndarray, upper: np.ndarray, moq: np.ndarray, moq_arcs: list[int], rows: list[Any],
                       cols: list[Any], vals: list[Any], lo: list[Any], hi: list[Any]) -> _Solved:
    """Large instances: the LP without MOQ is a lower bound; lines it sends below MOQ are closed (or opened at
    MOQ when at least half of it was wanted) and the LP is solved again. Gap = (plan - bound) / plan."""
    lower = np.zeros(len(cost))
    relaxed = _lp(cost, lower, upper, rows, cols, vals, lo, hi)
    if relaxed.x is None:
        return relaxed, None, "lp_rounding"
    q = relaxed.x
    fixed_upper = upper.copy()
    for a in moq_arcs:
        if q[a] < moq[a] - 1e-6:
            if q[a] >= moq[a] / 2 and upper[a] >= moq[a]:
                lower[a] = moq[a]
            else:
                fixed_upper[a] = 0.0
        else:
            lower[a] = moq[a]
    result = _lp(cost, lower, fixed_upper, rows, cols, vals, lo, hi)
    if result.x is None:  # opening lines at MOQ broke a limit: close every line the LP wanted below MOQ instead
        lower = np.where(lower > 0, np.minimum(lower, fixed_upper), 0.0)
        closing = [a for a in moq_arcs if q[a] < moq[a] - 1e-6]
        lower[closing] = 0.0
        fixed_upper[closing] = 0.0  # closed, not merely unforced: a line left open could ship below its MOQ
        result = _lp(cost, lower, fixed_upper, rows, cols, vals, lo, hi)
    if result.x is None:
        return result, None, "lp_rounding"
    gap = (result.fun - relaxed.fun) / max(abs(result.fun), 1e-9)
    return result, float(gap), "lp_rounding"


def _report(data: PlanInput, arcs: list[_Arc], outlooks: list[DemandOutlook], meta: list[Any], result: OptimizeResult,
            seconds: float, n: int, n_bin: int, z: float, gap: float | None, method: str) -> ReplenishmentPlan:
    period = timedelta(days=data.period_days)
    qty = np.floor(result.x[: len(arcs)] + 1e-6).astype(int)  # whole units; flooring keeps every limit satisfied
    shipments, planned = [], np.zeros(len(outlooks))
    freight = handling = holding = Decimal(0)
    sites = {s.code: s for s in data.sites}
    skus = {k.sku: k for k in data.skus}
    for a, arc in enumerate(arcs):
        if qty[a] <= 0:
            continue
        out = outlooks[arc.i]
        horizon, _, _, _, first_short = meta[arc.i]
        planned[arc.i] += qty[a]
        line_freight = Decimal(str(round(arc.unit_freight, 6))) * qty[a]
        freight += line_freight
        handling += sites[arc.dst].handling_cost_per_unit * qty[a]
        holding += (sites[arc.dst].storage_cost_per_m3_period * skus[out.sku].volume_m3
                    * Decimal(horizon - arc.arrive) / 2 * qty[a])
        ship_by = data.today + period * max(0, first_short - 1 - arc.arrive)
        shipments.append(PlannedShipment(out.sku, arc.src, arc.dst, arc.lane.mode, int(qty[a]), ship_by,
                                         ship_by + timedelta(days=math.ceil(arc.lane.transit_mean_days)),
                                         Money.of(line_freight, data.currency).rounded(), arc.lane.id))
    lines, backorder = [], Decimal(0)
    for o_idx, out in enumerate(outlooks):
        horizon, cum, cum_sd, pos, _ = meta[o_idx]
        final = pos + planned[o_idx]
        sigma = max(float(cum_sd[-1]), 1e-9)
        service = NormalDist().cdf((final - float(cum[-1])) / sigma)
        shortfall = max(float(cum[-1]) - final, 0.0)
        backorder += skus[out.sku].backorder_cost_per_period * Decimal(str(round(shortfall, 4)))
        lines.append(PlanLine(out.sku, out.site, pos, float(cum[-1]), float(z * cum_sd[-1]), int(planned[o_idx]),
                              service, shortfall, max(0, math.ceil(float(cum[-1]) + _Z80 * sigma - final))))
    return ReplenishmentPlan(
        status="optimal" if result.status == 0 else ("time_limit" if result.status == 1 else str(result.message)),
        method=method,
        shipments=tuple(sorted(shipments, key=lambda s: (s.ship_by, s.to_site, s.sku, s.mode))),
        lines=tuple(lines), freight_cost=Money.of(freight, data.currency).rounded(),
        handling_cost=Money.of(handling, data.currency).rounded(),
        holding_cost=Money.of(holding, data.currency).rounded(),
        backorder_cost=Money.of(backorder, data.currency).rounded(), objective=float(result.fun),
        mip_gap=gap, solve_seconds=seconds, variables=n, binaries=n_bin)
