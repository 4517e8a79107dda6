"""Inventory work run as durable jobs (`xborder.jobs`): sales-history import, a stored forecast run and a stored
replenishment plan, each reporting progress. `bootstrap` registers them; re-running one is safe (an import
replaces the history at its frequency, a forecast or plan run adds a new stored run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from xborder.db import transaction
from xborder.inventory.demand import demand_history, import_sales_history
from xborder.inventory.forecasting import ForecastConfig, forecast_demand
from xborder.inventory.plan_runs import FxUsed, plan_currencies, run_plan
from xborder.inventory.replenishment import PlanSettings
from xborder.inventory.runs import _history_range, save_forecast_run
from xborder.jobs import ClaimedJob, JobHandler, ProgressReporter
from xborder.kernel import Clock, DomainError, ErrorDetail, Money, ValidationFailed

__all__ = ["FxLookup", "InventoryJobKind", "forecast_job_handler", "plan_job_handler", "plan_settings_from_payload",
           "sales_import_job_handler"]


class InventoryJobKind(StrEnum):
    """The `kind` of each inventory job in the queue."""

    IMPORT_SALES = "inventory.import_sales"
    FORECAST = "inventory.forecast"
    PLAN = "inventory.plan"


# (currency, plan currency, on) -> (rate: one `currency` in plan currency, rate date, source); raises when unknown
FxLookup = Callable[[str, str, date], tuple[Decimal, date, str]]


def sales_import_job_handler() -> JobHandler:
    def handle(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> dict[str, Any]:
        payload = job.payload
        progress(0, 2, "reading")
        with transaction(factory) as session:  # all or nothing: the old history stays if the file is refused
            report = import_sales_history(session, organization_id=job.organization_id, content=job.input or b"",
                                          filename=str(payload.get("filename") or "sales.csv"),
                                          freq=payload.get("freq", "W"),
                                          unknown_market=payload.get("unknown_market", "error"))
            progress(1, 2, "stored")
        result = asdict(report)
        result["unknown_skus"] = list(report.unknown_skus[:200])
        result["unknown_sku_count"] = len(report.unknown_skus)
        result["markets"] = list(report.markets)
        return result

    return handle


def forecast_job_handler() -> JobHandler:
    """Read the history in one transaction, forecast outside any transaction, store the run in another."""

    def handle(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> dict[str, Any]:
        payload, org = job.payload, job.organization_id
        market = payload.get("market") or None
        freq = payload.get("freq", "W")
        config = ForecastConfig(horizon=int(payload.get("horizon", 12)), freq=freq,
                                levels=tuple(int(v) for v in payload.get("levels", (80, 95))),
                                event_market=market.upper() if market else None)
        with transaction(factory) as session:
            first, last = _history_range(session, org, freq, market)
            history = demand_history(session, organization_id=org, freq=freq, market=market)
        total = int(history["unique_id"].nunique())
        progress(0, total, f"forecasting {total} series")
        result = forecast_demand(history, config)
        progress(total // 2, total, "storing")
        with transaction(factory) as session:
            run = save_forecast_run(session, organization_id=org, result=result, config=config, history_from=first,
                                    history_until=last,
                                    progress=lambda done, _all, msg: progress(total // 2 + done // 2, total, msg))
        return {"forecast_id": run.id, "series": run.series, "horizon": run.horizon, "freq": run.freq,
                "market": run.market, "models": run.summary.get("models", {}),
                "methods": run.summary.get("methods", {}), "issues": run.summary.get("issues", 0)}

    return handle


def _decimal(raw: object, field: str) -> Decimal:
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        raise ValidationFailed(f"{field}: {raw!r} is not a number", details=[
            ErrorDetail(f"not a number: {raw!r}", field=field, code="inventory.bad_setting")]) from None


def plan_settings_from_payload(payload: dict[str, Any], fx: dict[str, Decimal]) -> PlanSettings:
    """The job payload (JSON: decimals as strings) as PlanSettings with the resolved FX rates."""
    budget = None
    if payload.get("budget") not in (None, ""):
        budget = Money.of(_decimal(payload["budget"], "budget"),
                          str(payload.get("budget_currency") or payload["currency"]).upper())
    return PlanSettings(currency=str(payload["currency"]).upper(), fx=fx,
                        backorder_cost_per_unit_week=_decimal(payload["backorder_cost_per_unit_week"],
                                                              "backorder_cost_per_unit_week"),
                        horizon_weeks=int(payload.get("horizon_weeks", 12)),
                        service_level=float(payload.get("service_level", 0.95)), budget=budget,
                        moq={str(k): int(v) for k, v in (payload.get("moq") or {}).items()} or None,
                        time_limit_s=float(payload.get("time_limit_s", 25.0)))


def plan_job_handler(*, clock: Clock, fx_lookup: FxLookup | None = None) -> JobHandler:
    """Rates given in the payload win; the other currencies the plan needs come from `fx_lookup` (dated and
    sourced in the stored plan). Without a lookup a missing rate is an error naming the currency."""

    def handle(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> dict[str, Any]:
        payload, org = job.payload, job.organization_id
        today = date.fromisoformat(payload["today"]) if payload.get("today") else clock.today()
        currency = str(payload["currency"]).upper()
        given = {str(k).upper(): _decimal(v, f"fx.{k}") for k, v in (payload.get("fx") or {}).items()}
        used = {cur: FxUsed(currency=cur, rate=rate) for cur, rate in given.items()}
        with transaction(factory) as session:
            needed = plan_currencies(session, organization_id=org, currency=currency)
        missing = []
        for cur in needed:
            if cur in given:
                continue
            if fx_lookup is None:
                missing.append(cur)
                continue
            try:
                rate, on, source = fx_lookup(cur, currency, today)
            except (LookupError, DomainError):
                missing.append(cur)
                continue
            given[cur] = rate
            used[cur] = FxUsed(currency=cur, rate=rate, rate_date=on, source=source)
        if missing:
            raise ValidationFailed(f"no exchange rate to {currency} for {', '.join(missing)}",
                                   code="inventory.missing_fx", details=[
                ErrorDetail(f"give fx.{cur} (one {cur} in {currency})", field=f"fx.{cur}", code="inventory.missing_fx")
                for cur in missing])
        settings = plan_settings_from_payload(payload, given)
        with transaction(factory) as session:
            run = run_plan(session, organization_id=org, today=today, settings=settings, fx_used=used,
                           progress=lambda done, total, msg: progress(done, total, msg))
        return {"plan_id": run.id, "status": run.status, "method": run.method, "mip_gap": run.mip_gap,
                "shipments": len(run.shipments), "total_cost": str(run.costs.total), "currency": run.currency,
                "mean_service_level": run.mean_service_level}

    return handle
