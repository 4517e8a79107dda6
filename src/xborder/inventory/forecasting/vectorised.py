"""Cheap forecasting models computed for all series at once on a right-aligned matrix (one row per series, NaN
before its first period), so 100,000 series cost numpy passes over columns instead of per-series objects.

Equivalents of statsforecast's Naive, SeasonalNaive and WindowAverage (equal results, tested), plus SES and a damped
additive-trend smoother whose parameters are picked per series from a small grid by in-sample one-step error, and
the TSB and Croston-SBA intermittent-demand methods with fixed smoothing (Teunter, Syntetos & Babai 2011;
Syntetos & Boylan 2005).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["SeriesMatrix", "base_forecasts", "to_matrix"]

_SES_ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5)
_DAMPED_GRID = tuple((a, b, phi) for a in (0.1, 0.2, 0.4) for b in (0.01, 0.05) for phi in (0.8, 0.9))


class SeriesMatrix:
    """`values[i, -1]` is the last period of series `ids[i]`, dated `last_ds[i]`; shorter series are NaN-padded
    on the left."""

    def __init__(self, ids: np.ndarray, values: np.ndarray, last_ds: np.ndarray) -> None:
        self.ids, self.values, self.last_ds = ids, values, last_ds


def to_matrix(frame: pd.DataFrame) -> SeriesMatrix:
    """Regular long history (sorted by unique_id, ds; see `prepare_history`) to a right-aligned matrix."""
    codes, ids = pd.factorize(frame["unique_id"], sort=True)
    lengths = np.bincount(codes, minlength=len(ids))
    width = int(lengths.max()) if len(lengths) else 0
    order = np.lexsort((frame["ds"].to_numpy(), codes))
    codes_sorted = codes[order]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    position = np.arange(len(order)) - starts[codes_sorted]
    column = width - lengths[codes_sorted] + position
    values = np.full((len(ids), width), np.nan)
    values[codes_sorted, column] = frame["y"].to_numpy(dtype=float)[order]
    ends = starts + lengths - 1
    last_ds = frame["ds"].to_numpy()[order][ends]
    return SeriesMatrix(np.asarray(ids, dtype=object), values, last_ds)


def _flat(level: np.ndarray, horizon: int) -> np.ndarray:
    return np.repeat(level[:, None], horizon, axis=1)


def window_average(y: np.ndarray, window: int, horizon: int) -> np.ndarray:
    """Mean of the last `window` periods (of what there is when the series is shorter)."""
    with np.errstate(invalid="ignore"):
        return _flat(np.nanmean(y[:, -window:], axis=1), horizon)


def seasonal_naive(y: np.ndarray, season: int, horizon: int) -> np.ndarray:
    steps = np.arange(horizon)
    return y[:, -season + (steps % season)]


def _ses_path(y: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Final level and in-sample one-step squared error of SES started at each series' first value."""
    level = np.full(y.shape[0], np.nan)
    sse = np.zeros(y.shape[0])
    for t in range(y.shape[1]):
        col = y[:, t]
        seen = ~np.isnan(level) & ~np.isnan(col)
        sse += np.where(seen, (col - level) ** 2, 0.0)
        level = np.where(np.isnan(level), col, np.where(np.isnan(col), level, alpha * col + (1 - alpha) * level))
    return level, sse


def ses(y: np.ndarray, horizon: int) -> np.ndarray:
    """Simple exponential smoothing, alpha per series from a grid by in-sample one-step squared error."""
    best_level, best_sse = _ses_path(y, _SES_ALPHAS[0])
    for alpha in _SES_ALPHAS[1:]:
        level, sse = _ses_path(y, alpha)
        better = sse < best_sse
        best_level, best_sse = np.where(better, level, best_level), np.where(better, sse, best_sse)
    return _flat(best_level, horizon)


def damped_trend(y: np.ndarray, horizon: int) -> np.ndarray:
    """Additive damped trend (Gardner & McKenzie) with (alpha, beta, phi) per series from a small grid, floored
    at zero demand."""
    best_fc = np.zeros((y.shape[0], horizon))
    best_sse = np.full(y.shape[0], np.inf)
    for alpha, beta, phi in _DAMPED_GRID:
        level = np.full(y.shape[0], np.nan)
        trend = np.zeros(y.shape[0])
        sse = np.zeros(y.shape[0])
        for t in range(y.shape[1]):
            col = y[:, t]
            fresh = np.isnan(level)
            pred = level + phi * trend
            has = ~fresh & ~np.isnan(col)
            sse += np.where(has, (col - pred) ** 2, 0.0)
            new_level = np.where(has, alpha * col + (1 - alpha) * pred, np.where(fresh, col, pred))
            trend = np.where(has, beta * (new_level - level) + (1 - beta) * phi * trend, np.where(fresh, 0.0, trend))
            level = new_level
        damping = np.cumsum(phi ** np.arange(1, horizon + 1))
        fc = np.maximum(level[:, None] + trend[:, None] * damping[None, :], 0.0)
        better = sse < best_sse
        best_fc[better], best_sse[better] = fc[better], sse[better]
    return best_fc


def tsb(y: np.ndarray, horizon: int, alpha_d: float = 0.1, alpha_p: float = 0.1) -> np.ndarray:
    """Teunter–Syntetos–Babai: smoothed demand probability times smoothed non-zero demand size."""
    prob = np.full(y.shape[0], np.nan)
    size = np.full(y.shape[0], np.nan)
    for t in range(y.shape[1]):
        col = y[:, t]
        has = ~np.isnan(col)
        nz = has & (col > 0)
        prob = np.where(has, np.where(np.isnan(prob), nz * 1.0, alpha_p * nz + (1 - alpha_p) * prob), prob)
        size = np.where(nz, np.where(np.isnan(size), col, alpha_d * col + (1 - alpha_d) * size), size)
    return _flat(np.nan_to_num(prob * size), horizon)


def croston_sba(y: np.ndarray, horizon: int, alpha: float = 0.1) -> np.ndarray:
    """Croston's method with the Syntetos–Boylan bias correction (1 - alpha/2)."""
    size = np.full(y.shape[0], np.nan)
    interval = np.full(y.shape[0], np.nan)
    since = np.zeros(y.shape[0])
    for t in range(y.shape[1]):
        col = y[:, t]
        has = ~np.isnan(col)
        since = np.where(has, since + 1, since)
        nz = has & (col > 0)
        size = np.where(nz, np.where(np.isnan(size), col, alpha * col + (1 - alpha) * size), size)
        interval = np.where(nz, np.where(np.isnan(interval), since, alpha * since + (1 - alpha) * interval),
                            interval)
        since = np.where(nz, 0.0, since)
    return _flat(np.nan_to_num((1 - alpha / 2) * size / interval), horizon)


BASE_MODELS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "Naive": lambda y, h: _flat(y[:, -1], h),
    "MA4": lambda y, h: window_average(y, 4, h),
    "MA8": lambda y, h: window_average(y, 8, h),
    "MA13": lambda y, h: window_average(y, 13, h),
    "MA26": lambda y, h: window_average(y, 26, h),
    "SES": ses,
    "DampedTrend": damped_trend,
}
INTERMITTENT_MODELS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {"TSB": tsb, "CrostonSBA": croston_sba}


def base_forecasts(y: np.ndarray, horizon: int, *, season: int | None, intermittent: bool) -> dict[str, np.ndarray]:
    """Every cheap candidate's forecasts, shape (series, horizon); SeasonalNaive only when `season` is given."""
    out = {name: fn(y, horizon) for name, fn in BASE_MODELS.items()}
    if intermittent:
        out.update({name: fn(y, horizon) for name, fn in INTERMITTENT_MODELS.items()})
    if season:
        out["SeasonalNaive"] = seasonal_naive(y, season, horizon)
    return out
