"""Demand-history use cases: import order lines into per-period demand rows and read them back as forecast input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from xborder.catalog import Variant
from xborder.inventory.forecasting import ForecastConfig, ForecastResult, forecast_demand
from xborder.inventory.models import DemandPoint
from xborder.inventory.sales import aggregate_order_lines, read_order_lines
from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["SalesImportReport", "demand_history", "forecast_workspace", "import_sales_history", "series_id"]


@dataclass(frozen=True)
class SalesImportReport:
    lines_read: int
    demand_rows: int
    skus: int
    markets: tuple[str, ...]
    unknown_skus: tuple[str, ...]  # imported, but not in the catalog: planning refuses them until they are added
    skipped_unknown_market: dict[str, int]


def series_id(sku: str, market: str) -> str:
    """The forecast `unique_id` of one SKU in one market."""
    return f"{sku}@{market}"


def import_sales_history(session: Session, *, organization_id: str, content: bytes, filename: str,
                         freq: Literal["D", "W"] = "W",
                         unknown_market: Literal["error", "skip"] = "error") -> SalesImportReport:
    """Replace the organization's demand history at `freq` with the aggregate of these order lines."""
    agg = aggregate_order_lines(read_order_lines(content, filename), freq=freq, unknown_market=unknown_market)
    session.execute(delete(DemandPoint).where(DemandPoint.organization_id == organization_id,
                                              DemandPoint.freq == freq))
    rows = [{"organization_id": organization_id, "freq": freq, "sku": r.sku, "market": r.market,
             "period_start": r.ds.date(), "quantity": int(r.y), "returned": int(r.returned),
             "cancelled": int(r.cancelled)} for r in agg.demand.itertuples(index=False)]
    for start in range(0, len(rows), 5000):
        session.execute(insert(DemandPoint), rows[start:start + 5000])
    skus = sorted(agg.demand["sku"].unique())
    known = set(session.scalars(select(Variant.sku).where(Variant.organization_id == organization_id)))
    session.flush()
    return SalesImportReport(lines_read=agg.lines_read, demand_rows=len(rows), skus=len(skus),
                             markets=tuple(sorted(agg.demand["market"].unique())),
                             unknown_skus=tuple(s for s in skus if s not in known),
                             skipped_unknown_market=agg.skipped_unknown_market)


def demand_history(session: Session, *, organization_id: str, freq: Literal["D", "W"] = "W",
                   market: str | None = None) -> pd.DataFrame:
    """Long-format history (unique_id = sku@market, ds, y) ready for `forecast_demand`."""
    query = select(DemandPoint.sku, DemandPoint.market, DemandPoint.period_start, DemandPoint.quantity).where(
        DemandPoint.organization_id == organization_id, DemandPoint.freq == freq)
    if market is not None:
        query = query.where(DemandPoint.market == market.upper())
    frame = pd.DataFrame(session.execute(query).all(), columns=["sku", "market", "ds", "y"])
    frame["unique_id"] = frame["sku"] + "@" + frame["market"]
    frame["ds"] = pd.to_datetime(frame["ds"])
    frame = frame[["unique_id", "ds", "y"]]
    if frame.empty:
        return frame
    # Only periods with sales are stored: a SKU that stopped selling must still run up to the latest period
    # imported, with zeros, or its forecast would start from its last sale.
    last = frame["ds"].max()
    step = pd.Timedelta(days=7 if freq == "W" else 1)
    starts = frame.groupby("unique_id")["ds"].min()
    grid = pd.MultiIndex.from_tuples(
        [(uid, ds) for uid, first in starts.items() for ds in pd.date_range(first, last, freq=step)],
        names=["unique_id", "ds"])
    full = frame.set_index(["unique_id", "ds"])["y"].reindex(grid, fill_value=0)
    return full.reset_index().sort_values(["unique_id", "ds"]).reset_index(drop=True)


def forecast_workspace(session: Session, *, organization_id: str, horizon: int, freq: Literal["D", "W"] = "W",
                       market: str | None = None, levels: tuple[int, ...] = (80, 95)) -> ForecastResult:
    """Forecast the stored history (per SKU x market) with the market's calendar when one market is asked for."""
    history = demand_history(session, organization_id=organization_id, freq=freq, market=market)
    if history.empty:
        raise ValidationFailed("no demand history stored; import sales first", details=[
            ErrorDetail("no history", field="history", code="inventory.no_history")])
    return forecast_demand(history, ForecastConfig(horizon=horizon, freq=freq, levels=levels,
                                                   event_market=market.upper() if market else None))
