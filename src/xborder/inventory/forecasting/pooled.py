"""A global (cross-series) model: one robust linear model per horizon step, fitted on all series of a group at once
on level-free features (recent values, moving averages and medians divided by the series' own 26-period mean).

Huber loss by iteratively reweighted least squares, with a small ridge penalty, so a few wholesale spikes do not
steer the pooled coefficients. Training rows come only from periods before the forecast origin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PooledModel", "fit_pooled", "predict_pooled"]

_LAGS = 8
_WINDOWS = (4, 8, 13, 26)
_MIN_SCALE = 0.1
_MAX_RATIO = 20.0
_MIN_ORIGIN = 13
_MAX_ROWS = 40_000  # per horizon step: a deterministic stride over series keeps big groups cheap
_RIDGE = 1.0
_HUBER_DELTA = 1.0
_IRLS_STEPS = 10


@dataclass(frozen=True)
class PooledModel:
    weights: np.ndarray  # (horizon, features + 1)


def _features(hist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Features at the end of `hist` (series x periods, NaN-padded on the left) and each row's scale."""
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.maximum(np.nan_to_num(np.nanmean(hist[:, -26:], axis=1)), _MIN_SCALE)
        cols = [hist[:, -k] / scale if k <= hist.shape[1] else np.full(len(hist), np.nan)
                for k in range(1, _LAGS + 1)]
        cols += [np.nanmean(hist[:, -k:], axis=1) / scale for k in _WINDOWS]
        recent = hist[:, -13:]
        cols.append(np.nanmean(recent > 0, axis=1) if recent.size else np.full(len(hist), np.nan))
        cols += [np.nanmedian(hist[:, -k:], axis=1) / scale for k in (8, 13)]
        cols.append(np.log1p(scale))
    x = np.column_stack(cols)
    return np.clip(np.nan_to_num(x, nan=1.0), 0.0, _MAX_RATIO), scale


def _solve(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    xa = np.column_stack([x, np.ones(len(x))])
    penalty = _RIDGE * np.eye(xa.shape[1])
    penalty[-1, -1] = 0.0
    # einsum, not a BLAS product: a tall-skinny Gram matrix gains nothing from BLAS threads, and on a loaded
    # 2-core machine they made it 6x slower (measured).
    w = np.linalg.lstsq(np.einsum("ni,nj->ij", xa, xa) + penalty, np.einsum("ni,n->i", xa, y), rcond=None)[0]
    for _ in range(_IRLS_STEPS):
        r = np.abs(y - np.einsum("ni,i->n", xa, w))
        weight = np.where(r <= _HUBER_DELTA, 1.0, _HUBER_DELTA / np.maximum(r, 1e-12))
        xw = xa * weight[:, None]
        w = np.linalg.lstsq(np.einsum("ni,nj->ij", xw, xa) + penalty, np.einsum("ni,n->i", xw, y), rcond=None)[0]
    return np.asarray(w)


def fit_pooled(values: np.ndarray, horizon: int) -> PooledModel | None:
    """Fit on every origin of `values` that leaves a target inside it; None when there is too little to learn."""
    periods = values.shape[1]
    first = min(_MIN_ORIGIN, max(4, periods - horizon - 6))
    origins = list(range(first, periods))
    if not origins or periods - first < 2:
        return None
    stride = max(1, -(-len(values) * len(origins) // _MAX_ROWS))
    rows = np.arange(0, len(values), stride) if stride > 1 else np.arange(len(values))
    sample = values[rows]
    feats = {t: _features(sample[:, :t]) for t in origins}
    weights = []
    for step in range(1, horizon + 1):
        xs, ys = [], []
        for t in origins:
            if t + step - 1 >= periods:
                break
            x, scale = feats[t]
            target = sample[:, t + step - 1] / scale
            ok = ~np.isnan(target) & (np.sum(~np.isnan(sample[:, :t]), axis=1) >= 4)
            xs.append(x[ok])
            ys.append(np.clip(target[ok], 0.0, _MAX_RATIO))
        if not xs or sum(len(v) for v in ys) < 20:
            return None
        weights.append(_solve(np.vstack(xs), np.concatenate(ys)))
    return PooledModel(np.vstack(weights))


def predict_pooled(model: PooledModel, values: np.ndarray) -> np.ndarray:
    """Forecasts (series x horizon) from the end of `values`, floored at zero."""
    x, scale = _features(values)
    xa = np.column_stack([x, np.ones(len(x))])
    return np.asarray(np.maximum(np.einsum("ni,hi->nh", xa, model.weights) * scale[:, None], 0.0))
