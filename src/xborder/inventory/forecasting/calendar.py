"""Market calendar events (Black Friday, 11.11, Ramadan/Eid, Christmas...) as known future flags and pooled uplifts.

Used by the forecast engine only where rolling-origin validation shows the uplift lowers the error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from xborder.markets import market

__all__ = ["EventUplift", "apply_uplifts", "estimate_uplifts", "event_flags"]

_BASELINE_PERIODS = 4
_MAX_FACTOR = 3.0
_MIN_FACTOR = 0.5


@dataclass(frozen=True)
class EventUplift:
    event_id: str
    factor: float
    occurrences: int


def event_flags(market_code: str, dates: pd.Series | pd.DatetimeIndex, *, period_days: int) -> pd.DataFrame:
    """One boolean column per event id: does the period starting at each date overlap an occurrence of it."""
    days = pd.DatetimeIndex(pd.unique(pd.DatetimeIndex(dates)))
    if days.empty:
        return pd.DataFrame(index=days)
    occurrences = market(market_code).events(int(days.min().year) - 1, int(days.max().year) + 1)
    flags: dict[str, np.ndarray] = {}
    starts = days.to_numpy()
    ends = (days + pd.Timedelta(days=period_days - 1)).to_numpy()
    for occ in occurrences:
        hit = (starts <= np.datetime64(occ.ends_on)) & (ends >= np.datetime64(occ.starts_on))
        flags[occ.id] = flags.get(occ.id, np.zeros(len(days), dtype=bool)) | hit
    return pd.DataFrame(flags, index=days)


def estimate_uplifts(history: pd.DataFrame, flags: pd.DataFrame) -> list[EventUplift]:
    """Pooled demand ratio of flagged periods to the mean of the last non-event periods before them, shrunk
    towards 1 by the number of yearly occurrences; kept only when every year points the same way (one year is an
    anecdote, two years disagreeing are noise)."""
    if flags.empty:
        return []
    frame = history.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    any_event = frame["ds"].map(flags.any(axis=1)).fillna(False).to_numpy(dtype=bool)
    quiet = frame["y"].where(~any_event)
    baseline = _trailing_mean(quiet, frame["unique_id"])
    uplifts = []
    for event_id in flags.columns:
        flagged_days = flags.index[flags[event_id].to_numpy()]
        mask = frame["ds"].isin(flagged_days) & baseline.notna()
        if not mask.any():
            continue
        years = frame.loc[mask, "ds"].dt.year
        sums = pd.DataFrame({"y": frame.loc[mask, "y"], "b": baseline[mask], "year": years}).groupby("year").sum()
        sums = sums[sums["b"] > 0]
        yearly = sums["y"] / sums["b"]
        occurrences = len(yearly)
        if occurrences < 2 or not ((yearly > 1).all() or (yearly < 1).all()):
            continue
        ratio = float(sums["y"].sum() / sums["b"].sum())
        factor = 1 + (ratio - 1) * occurrences / (occurrences + 1)
        uplifts.append(EventUplift(str(event_id), float(np.clip(factor, _MIN_FACTOR, _MAX_FACTOR)), occurrences))
    return uplifts


def _trailing_mean(values: pd.Series, ids: pd.Series) -> pd.Series:
    """Per series: mean of the non-missing values among the previous `_BASELINE_PERIODS` rows (at least 2), carried
    forward over gaps — with grouped cumulative sums instead of one rolling window per series."""
    key = ids.to_numpy()
    prev = values.groupby(key, sort=False).shift(1)
    sums = prev.fillna(0.0).groupby(key, sort=False).cumsum()
    counts = prev.notna().astype(float).groupby(key, sort=False).cumsum()
    window_sum = sums - sums.groupby(key, sort=False).shift(_BASELINE_PERIODS).fillna(0.0)
    window_n = counts - counts.groupby(key, sort=False).shift(_BASELINE_PERIODS).fillna(0.0)
    mean = (window_sum / window_n).where(window_n >= 2)
    return mean.groupby(key, sort=False).ffill()


def apply_uplifts(frame: pd.DataFrame, columns: list[str], flags: pd.DataFrame,
                  uplifts: list[EventUplift]) -> pd.DataFrame:
    """Multiply `columns` on flagged dates by the strongest applicable uplift (events overlap: count one)."""
    if not uplifts:
        return frame
    factor = pd.Series(1.0, index=flags.index)
    for uplift in uplifts:
        hit = flags[uplift.event_id].to_numpy()
        stronger = np.abs(np.log(uplift.factor)) > np.abs(np.log(factor.to_numpy()))
        factor[hit & stronger] = uplift.factor
    out = frame.copy()
    per_row = out["ds"].map(factor).fillna(1.0).to_numpy()
    for col in columns:
        out[col] = out[col].to_numpy() * per_row
    return out
