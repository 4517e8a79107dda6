"""Stored forecast runs: forecast the workspace's demand history once (as a job), keep every SKU x market's chosen
model, forecast and bands, and read one series back with its history for a chart.

Use `forecast_workspace` for a forecast you do not keep; use these when the console or the API shows it later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from xborder.inventory.demand import demand_history
from xborder.inventory.forecasting import ForecastConfig, ForecastResult, forecast_demand
from xborder.inventory.models import DemandPoint, ForecastRun, ForecastSeries
from xborder.kernel import ErrorDetail, NotFound, Page, ValidationFailed, decode_cursor, encode_cursor

__all__ = ["ForecastChart", "ForecastNotFound", "ForecastPoint", "ForecastRunOut", "ForecastSeriesOut",
           "HistoryPoint", "forecast_chart", "get_forecast_run", "list_forecast_runs", "list_forecast_series",
           "run_forecast", "save_forecast_run"]

Progress = Callable[[int, int, str], None]
_BATCH = 2000


class ForecastNotFound(NotFound):
    code = "inventory.forecast_not_found"


class ForecastRunOut(BaseModel):
    id: str
    created_at: datetime
    freq: str
    horizon: int
    market: str | None
    levels: list[int]
    history_from: date
    history_until: date
    series: int
    summary: dict[str, object]  # models and methods chosen (counts), calendar uplifts, repaired issues


class ForecastSeriesOut(BaseModel):
    series_id: str  # SKU@MARKET
    sku: str
    market: str
    model: str
    method: str  # cv (rolling-origin choice), short_mean (too short to validate), cold_start
    demand_class: str | None
    cv_mae: float | None
    n_obs: int
    first_ds: date
    total: float  # forecast units over the horizon


class HistoryPoint(BaseModel):
    ds: date
    y: int


class ForecastPoint(BaseModel):
    ds: date
    forecast: float
    lo: dict[int, float]
    hi: dict[int, float]


class ForecastChart(BaseModel):
    run: ForecastRunOut
    series: ForecastSeriesOut
    history: list[HistoryPoint]
    forecast: list[ForecastPoint]


def _run_out(row: ForecastRun) -> ForecastRunOut:
    return ForecastRunOut(id=row.id, created_at=row.created_at, freq=row.freq, horizon=row.horizon, market=row.market,
                          levels=list(row.levels), history_from=row.history_from, history_until=row.history_until,
                          series=row.series, summary=dict(row.summary))


def _series_out(row: ForecastSeries) -> ForecastSeriesOut:
    return ForecastSeriesOut(series_id=f"{row.sku}@{row.market}", sku=row.sku, market=row.market, model=row.model,
                             method=row.method, demand_class=row.demand_class, cv_mae=row.cv_mae, n_obs=row.n_obs,
                             first_ds=row.first_ds, total=row.total)


def _summary(result: ForecastResult) -> dict[str, object]:
    choices = result.choices
    return {"models": {str(k): int(v) for k, v in choices["model"].value_counts().sort_index().items()},
            "methods": {str(k): int(v) for k, v in choices["method"].value_counts().sort_index().items()},
            "uplifts": [{"event": u.event_id, "factor": round(u.factor, 3), "occurrences": u.occurrences}
                        for u in result.uplifts],
            "issues": len(result.issues),
            "issue_examples": [{"series": i.unique_id, "code": i.code, "message": i.message}
                               for i in result.issues[:20]]}


def save_forecast_run(session: Session, *, organization_id: str, result: ForecastResult, config: ForecastConfig,
                      history_from: date, history_until: date, progress: Progress | None = None) -> ForecastRunOut:
    """Store a forecast of the workspace history: one run row and one row per series (bands as arrays)."""
    run = ForecastRun(organization_id=organization_id, freq=config.freq, horizon=config.horizon,
                      market=config.event_market, levels=list(config.levels), history_from=history_from,
                      history_until=history_until, series=int(result.choices["unique_id"].nunique()),
                      summary=_summary(result))
    session.add(run)
    session.flush()
    fc = result.forecasts.sort_values(["unique_id", "ds"], kind="stable")
    columns = ["forecast", *[f"{side}_{lv}" for lv in config.levels for side in ("lo", "hi")]]
    choices = result.choices.set_index("unique_id")
    ids = fc["unique_id"].to_numpy()
    bounds = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True])
    matrix = fc[columns].to_numpy(dtype=float).round(4)
    starts = pd.to_datetime(fc["ds"]).dt.date.to_numpy()
    rows = []
    total = len(bounds) - 1
    for k in range(total):
        a, b = bounds[k], bounds[k + 1]
        uid = str(ids[a])
        sku, _, market = uid.rpartition("@")
        choice = choices.loc[uid]
        mae = choice["cv_mae"]
        rows.append({"run_id": run.id, "sku": sku, "market": market, "model": str(choice["model"]),
                     "method": str(choice["method"]),
                     "demand_class": None if pd.isna(choice["demand_class"]) else str(choice["demand_class"]),
                     "cv_mae": None if pd.isna(mae) or not np.isfinite(mae) else float(mae),
                     "n_obs": int(choice["n_obs"]), "first_ds": starts[a],
                     "total": float(matrix[a:b, 0].sum().round(4)),
                     "values": {c: matrix[a:b, j].tolist() for j, c in enumerate(columns)}})
        if len(rows) == _BATCH:
            session.execute(insert(ForecastSeries), rows)
            rows = []
            if progress:
                progress(k + 1, total, "storing")
    if rows:
        session.execute(insert(ForecastSeries), rows)
    session.flush()
    return _run_out(run)


def _history_range(session: Session, organization_id: str, freq: str, market: str | None) -> tuple[date, date]:
    query = select(func.min(DemandPoint.period_start), func.max(DemandPoint.period_start)).where(
        DemandPoint.organization_id == organization_id, DemandPoint.freq == freq)
    if market:
        query = query.where(DemandPoint.market == market.upper())
    first, last = session.execute(query).one()
    if first is None:
        raise ValidationFailed("no demand history stored; import sales first", details=[
            ErrorDetail("no history", field="history", code="inventory.no_history")])
    return first, last


def run_forecast(session: Session, *, organization_id: str, horizon: int, freq: Literal["D", "W"] = "W",
                 market: str | None = None, levels: tuple[int, ...] = (80, 95),
                 progress: Progress | None = None) -> ForecastRunOut:
    """Forecast every SKU x market of the stored history (one market's calendar when `market` is given) and keep
    the result. Long work: call it from a job."""
    first, last = _history_range(session, organization_id, freq, market)
    history = demand_history(session, organization_id=organization_id, freq=freq, market=market)
    series = int(history["unique_id"].nunique())
    if progress:
        progress(0, series, "forecasting")
    config = ForecastConfig(horizon=horizon, freq=freq, levels=tuple(levels),
                            event_market=market.upper() if market else None)
    result = forecast_demand(history, config)
    return save_forecast_run(session, organization_id=organization_id, result=result, config=config,
                             history_from=first, history_until=last, progress=progress)


def _run(session: Session, organization_id: str, run_id: str) -> ForecastRun:
    row = session.scalar(select(ForecastRun).where(ForecastRun.id == run_id,
                                                   ForecastRun.organization_id == organization_id))
    if row is None:
        raise ForecastNotFound(f"no forecast {run_id!r}", details=[
            ErrorDetail("unknown forecast", field="forecast_id", code=ForecastNotFound.code)])
    return row


def get_forecast_run(session: Session, *, organization_id: str, run_id: str) -> ForecastRunOut:
    return _run_out(_run(session, organization_id, run_id))


def list_forecast_runs(session: Session, *, organization_id: str, cursor: str | None = None,
                       limit: int = 20) -> Page[ForecastRunOut]:
    """Newest first (ids are time-sortable)."""
    query = select(ForecastRun).where(ForecastRun.organization_id == organization_id)
    if cursor:
        query = query.where(ForecastRun.id < str(decode_cursor(cursor)[0]))
    rows = list(session.scalars(query.order_by(ForecastRun.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = [_run_out(r) for r in rows[:limit]]
    return Page(items=items, next_cursor=encode_cursor(items[-1].id) if more and items else None)


def list_forecast_series(session: Session, *, organization_id: str, run_id: str, sku: str | None = None,
                         market: str | None = None, cursor: str | None = None,
                         limit: int = 50) -> Page[ForecastSeriesOut]:
    """Series of a run by SKU then market; `sku` matches a prefix."""
    _run(session, organization_id, run_id)
    fs = ForecastSeries
    query = select(fs).where(fs.run_id == run_id)
    if sku:
        query = query.where(fs.sku.startswith(sku.strip(), autoescape=True))
    if market:
        query = query.where(fs.market == market.strip().upper())
    if cursor:
        key = decode_cursor(cursor)
        last_sku, last_market = str(key[0]), str(key[1])
        query = query.where((fs.sku > last_sku) | ((fs.sku == last_sku) & (fs.market > last_market)))
    rows = list(session.scalars(query.order_by(fs.sku, fs.market).limit(limit + 1)))
    more = len(rows) > limit
    items = [_series_out(r) for r in rows[:limit]]
    return Page(items=items, next_cursor=encode_cursor(items[-1].sku, items[-1].market) if more and items else None)


def forecast_chart(session: Session, *, organization_id: str, run_id: str, series_id: str,
                   history_periods: int = 104) -> ForecastChart:
    """One series of a run (`SKU@MARKET`): the last `history_periods` of history (zeros where nothing sold),
    the forecast and its bands."""
    run = _run(session, organization_id, run_id)
    sku, _, market = series_id.rpartition("@")
    row = session.scalar(select(ForecastSeries).where(ForecastSeries.run_id == run.id, ForecastSeries.sku == sku,
                                                      ForecastSeries.market == market.upper()))
    if row is None:
        raise ForecastNotFound(f"forecast {run_id} has no series {series_id!r}", details=[
            ErrorDetail(f"unknown series {series_id!r} (use SKU@MARKET)", field="series_id",
                        code=ForecastNotFound.code)])
    step = timedelta(days=7 if run.freq == "W" else 1)
    start = run.history_until - step * (history_periods - 1)
    sold = dict(session.execute(select(DemandPoint.period_start, DemandPoint.quantity).where(
        DemandPoint.organization_id == organization_id, DemandPoint.freq == run.freq, DemandPoint.sku == row.sku,
        DemandPoint.market == row.market, DemandPoint.period_start >= start,
        DemandPoint.period_start <= run.history_until)).all())
    history: list[HistoryPoint] = []
    if sold:
        day = max(start, min(sold))
        while day <= run.history_until:
            history.append(HistoryPoint(ds=day, y=int(sold.get(day, 0))))
            day += step
    values = row.values
    points = [ForecastPoint(ds=row.first_ds + step * i, forecast=f,
                            lo={lv: values[f"lo_{lv}"][i] for lv in run.levels if f"lo_{lv}" in values},
                            hi={lv: values[f"hi_{lv}"][i] for lv in run.levels if f"hi_{lv}" in values})
              for i, f in enumerate(values["forecast"])]
    return ForecastChart(run=_run_out(run), series=_series_out(row), history=history, forecast=points)
