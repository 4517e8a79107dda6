"""Validation and regularisation of demand history in long format (`unique_id, ds, y`) before any model sees it.

Policies (docs/forecasting.md): gaps become zero demand (reported), duplicates and negatives are errors unless the
caller opts into summing or clipping; every error names the series and the 1-based data row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["Freq", "PreparedHistory", "SeriesIssue", "pandas_freq", "prepare_history"]

Freq = Literal["D", "W"]
_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_MAX_DETAILS = 50


@dataclass(frozen=True)
class SeriesIssue:
    """Something that was repaired (never something that was ignored): which series, which row, what was done."""

    unique_id: str
    code: str
    message: str
    row: int | None = None


@dataclass(frozen=True)
class PreparedHistory:
    """Regular, gap-free history sorted by (unique_id, ds) plus what was repaired on the way."""

    frame: pd.DataFrame
    freq: str
    issues: tuple[SeriesIssue, ...]

    def lengths(self) -> pd.Series:
        return self.frame.groupby("unique_id", sort=True)["y"].size()


def pandas_freq(freq: Freq, anchor: pd.Timestamp | None = None) -> str:
    """The pandas offset alias: `D`, or `W-<weekday>` anchored on the weekday the data uses (Monday by default)."""
    if freq == "D":
        return "D"
    if freq == "W":
        return f"W-{_WEEKDAYS[anchor.weekday()] if anchor is not None else 'MON'}"
    raise ValidationFailed(f"unknown frequency {freq!r}: use D or W",
                           details=[ErrorDetail("frequency must be D or W", field="freq", code="forecast.bad_freq")])


def _fail(message: str, details: list[ErrorDetail]) -> ValidationFailed:
    extra = len(details) - _MAX_DETAILS
    shown = details[:_MAX_DETAILS]
    if extra > 0:
        shown.append(ErrorDetail(f"... and {extra} more", code="forecast.more_errors"))
    return ValidationFailed(message, details=shown)


def _rows(mask: pd.Series | np.ndarray, df: pd.DataFrame, code: str, text: str, field: str) -> list[ErrorDetail]:
    hits = df.loc[np.asarray(mask)]
    return [ErrorDetail(f"series {uid!r}, row {int(row) + 1}: {text}", field=field, row=int(row) + 1, code=code)
            for row, uid in zip(hits.index, hits["unique_id"], strict=True)]


def prepare_history(
    raw: pd.DataFrame,
    *,
    freq: Freq,
    duplicates: Literal["error", "sum"] = "error",
    negatives: Literal["error", "clip"] = "error",
) -> PreparedHistory:
    """Check and regularise `raw` (columns unique_id, ds, y; row numbers are the frame's positions, 1-based).

    Raises:
        ValidationFailed: missing columns, unparsable dates or quantities, off-grid weekly dates, and — unless the
            matching policy says otherwise — duplicate (unique_id, ds) pairs and negative quantities.
    """
    missing = [c for c in ("unique_id", "ds", "y") if c not in raw.columns]
    if missing:
        raise ValidationFailed(f"history lacks column(s) {', '.join(missing)}",
                               details=[ErrorDetail(f"missing column {c}", field=c, code="forecast.missing_column")
                                        for c in missing])
    df = raw[["unique_id", "ds", "y"]].reset_index(drop=True).copy()
    if df.empty:
        raise ValidationFailed("history is empty", details=[ErrorDetail("no rows", code="forecast.empty")])
    df["unique_id"] = df["unique_id"].astype(str).str.strip()
    details = _rows(df["unique_id"].isin(["", "nan", "None"]), df, "forecast.missing_id", "unique_id is empty",
                    "unique_id")
    ds = pd.to_datetime(df["ds"], errors="coerce")
    details += _rows(ds.isna(), df, "forecast.bad_date", f"ds {'is not a date'}", "ds")
    y = pd.to_numeric(df["y"], errors="coerce")
    details += _rows(y.isna() | ~np.isfinite(y.fillna(0)), df, "forecast.bad_quantity", "y is not a finite number",
                     "y")
    if details:
        raise _fail("history has unreadable rows", details)
    df["ds"] = ds.dt.tz_localize(None) if getattr(ds.dt, "tz", None) is not None else ds
    df["ds"] = df["ds"].dt.normalize()
    df["y"] = y.astype(float)

    issues: list[SeriesIssue] = []
    negative = df["y"] < 0
    if negative.any():
        if negatives == "error":
            raise _fail("history has negative quantities (net returns?); fix them or clip with negatives='clip'",
                        _rows(negative, df, "forecast.negative_quantity", "y is negative", "y"))
        for row, uid in zip(df.index[negative], df.loc[negative, "unique_id"], strict=True):
            issues.append(SeriesIssue(uid, "negative_clipped", "negative quantity clipped to 0", int(row) + 1))
        df.loc[negative, "y"] = 0.0

    dup = df.duplicated(["unique_id", "ds"], keep=False)
    if dup.any():
        if duplicates == "error":
            raise _fail("history has duplicate (unique_id, ds) rows; fix them or add them up with duplicates='sum'",
                        _rows(dup & df.duplicated(["unique_id", "ds"], keep="first"), df,
                              "forecast.duplicate_date", "duplicate date for this series", "ds"))
        for uid in sorted(df.loc[dup, "unique_id"].unique()):
            issues.append(SeriesIssue(uid, "duplicates_summed", "rows with the same date were added up"))
        df = df.groupby(["unique_id", "ds"], as_index=False, sort=False)["y"].sum()

    anchor = df["ds"].iloc[0]
    alias = pandas_freq(freq, anchor)
    if freq == "W":
        off = df["ds"].dt.weekday != anchor.weekday()
        if off.any():
            raise _fail(f"weekly dates must all fall on a {_WEEKDAYS[anchor.weekday()].title()} "
                        "(the weekday of the first row)",
                        _rows(off, df, "forecast.off_grid_date", "date is not on the weekly grid", "ds"))
    df = df.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    return PreparedHistory(frame=_fill_gaps(df, alias, issues), freq=alias, issues=tuple(issues))


def _fill_gaps(df: pd.DataFrame, alias: str, issues: list[SeriesIssue]) -> pd.DataFrame:
    """Missing periods inside a series are periods without sales: fill them with 0 and say so."""
    step = pd.tseries.frequencies.to_offset(alias)
    bounds = df.groupby("unique_id", sort=True)["ds"].agg(["min", "max", "size"])
    expected = ((bounds["max"] - bounds["min"]) / pd.Timedelta(days=7 if alias.startswith("W") else 1)).astype(int) + 1
    gappy = expected[expected != bounds["size"]]
    if gappy.empty:
        return df
    parts = [df[~df["unique_id"].isin(gappy.index)]]
    for uid, n_expected in gappy.items():
        one = df[df["unique_id"] == uid].set_index("ds")["y"]
        grid = pd.date_range(one.index.min(), one.index.max(), freq=step)
        full = one.reindex(grid, fill_value=0.0)
        issues.append(SeriesIssue(str(uid), "gaps_filled",
                                  f"{int(n_expected) - len(one)} missing period(s) filled with zero demand"))
        parts.append(pd.DataFrame({"unique_id": uid, "ds": grid, "y": full.to_numpy()}))
    return pd.concat(parts, ignore_index=True).sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
