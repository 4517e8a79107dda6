"""Sales history: read order lines (CSV/XLSX, our columns or the UCI Online Retail layout) and aggregate them to
daily or weekly demand per SKU x market, with cancellations netted out and returns counted apart.

Policy (docs/forecasting.md): a cancellation removes demand in its own period (floored at 0); a return does not
reduce demand (the sale happened) and is reported in `returned`; unknown markets are an error unless skipped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pycountry

from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["SalesAggregate", "aggregate_order_lines", "read_order_lines"]

_ONLINE_RETAIL = {"InvoiceNo": "order_id", "StockCode": "sku", "Quantity": "quantity", "InvoiceDate": "ordered_at",
                  "Country": "market"}
_REQUIRED = ("order_id", "sku", "quantity", "ordered_at", "market")
# Names in the Online Retail file that are no ISO short name; regions such as "European Community" stay unknown.
_ALIASES = {"EIRE": "IE", "RSA": "ZA", "USA": "US", "UK": "GB", "CZECH REPUBLIC": "CZ"}


@dataclass(frozen=True)
class SalesAggregate:
    demand: pd.DataFrame  # sku, market, ds, y (net of cancellations), returned, cancelled
    lines_read: int
    skipped_unknown_market: dict[str, int]


def read_order_lines(content: bytes, filename: str) -> pd.DataFrame:
    """Order lines with canonical column names; the Online Retail headers are recognised as they are."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        frame = pd.read_excel(io.BytesIO(content), dtype=str)
    else:
        compression = "gzip" if name.endswith(".gz") else None
        frame = pd.read_csv(io.BytesIO(content), dtype=str, compression=compression, keep_default_na=False)
    frame = frame.rename(columns=_ONLINE_RETAIL)
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationFailed(f"order lines lack column(s) {', '.join(missing)}", details=[
            ErrorDetail(f"missing column {c}", field=c, code="inventory.missing_column") for c in missing])
    return frame


def _market_codes(names: pd.Series) -> pd.Series:
    lookup: dict[str, str | None] = {}
    for raw in names.unique():
        text = str(raw).strip()
        code = _ALIASES.get(text.upper())
        if code is None and len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
            code = text.upper()
        if code is None:
            try:
                code = pycountry.countries.lookup(text).alpha_2
            except LookupError:
                code = None
        lookup[raw] = code
    return names.map(lookup)


def aggregate_order_lines(lines: pd.DataFrame, *, freq: Literal["D", "W"],
                          unknown_market: Literal["error", "skip"] = "error") -> SalesAggregate:
    """Demand per SKU x market x period (weeks start on Monday).

    Raises:
        ValidationFailed: unreadable quantities or dates (row named, 1-based data rows), or unknown markets when
            `unknown_market` is "error".
    """
    frame = lines.reset_index(drop=True)
    qty = pd.to_numeric(frame["quantity"], errors="coerce")
    when = pd.to_datetime(frame["ordered_at"], errors="coerce")
    bad = frame.index[qty.isna() | (qty % 1 != 0) | when.isna()]
    if len(bad):
        raise ValidationFailed("order lines with unreadable quantity or date", details=[
            ErrorDetail(f"row {i + 1}: quantity {frame.at[i, 'quantity']!r}, date {frame.at[i, 'ordered_at']!r}",
                        row=int(i) + 1, field="quantity/ordered_at", code="inventory.bad_order_line")
            for i in bad[:50]])
    market = _market_codes(frame["market"])
    unknown = frame.loc[market.isna(), "market"].value_counts()
    if len(unknown) and unknown_market == "error":
        first = frame.index[market.isna()][:50]
        raise ValidationFailed("order lines with unknown markets", details=[
            ErrorDetail(f"row {i + 1}: market {frame.at[i, 'market']!r} is not a country", row=int(i) + 1,
                        field="market", code="inventory.unknown_market") for i in first])
    kind = frame["kind"].str.lower() if "kind" in frame.columns else pd.Series(
        np.where(qty < 0, np.where(frame["order_id"].astype(str).str.upper().str.startswith("C"),
                                   "cancellation", "return"), "sale"), index=frame.index)
    day = when.dt.tz_localize(None) if getattr(when.dt, "tz", None) is not None else when
    ds = day.dt.normalize()
    if freq == "W":
        ds = ds - pd.to_timedelta(ds.dt.weekday, unit="D")
    tidy = pd.DataFrame({"sku": frame["sku"].astype(str).str.strip(), "market": market, "ds": ds,
                         "sold": np.where(kind == "sale", qty.abs(), 0),
                         "cancelled": np.where(kind == "cancellation", qty.abs(), 0),
                         "returned": np.where(kind == "return", qty.abs(), 0)})[market.notna()]
    grouped = tidy.groupby(["sku", "market", "ds"], as_index=False)[["sold", "cancelled", "returned"]].sum()
    grouped["y"] = (grouped["sold"] - grouped["cancelled"]).clip(lower=0)
    demand = grouped[["sku", "market", "ds", "y", "returned", "cancelled"]].astype(
        {"y": int, "returned": int, "cancelled": int})
    return SalesAggregate(demand=demand.sort_values(["sku", "market", "ds"]).reset_index(drop=True),
                          lines_read=len(frame), skipped_unknown_market={str(k): int(v) for k, v in unknown.items()})
