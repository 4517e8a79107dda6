"""Rolling-origin validation and per-series model choice for one group of series (same demand class), with the
cheap candidates computed in chunks of series — locally or as Dask tasks on the current distributed client.

A series keeps the equal-weight `Combo` unless its own best candidate beats it by `selection_margin` on the
validation windows: on short retail histories per-series selection mostly fits noise (docs/forecasting.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import Naive

from xborder.inventory.forecasting.candidates import COMBO, COMBO_MEMBERS, POOLED
from xborder.inventory.forecasting.pooled import PooledModel, fit_pooled, predict_pooled
from xborder.inventory.forecasting.vectorised import base_forecasts, to_matrix

__all__ = ["fit_group"]

_CHUNK = 10_000


def _chunk_candidates(values: np.ndarray, cuts: Sequence[int], horizon: int, season: int | None,
                      intermittent: bool, pooled: Sequence[PooledModel | None]) -> list[dict[str, np.ndarray]]:
    """Candidates at each validation cut (train = columns before it) and at the end (last entry)."""
    out = []
    for cut, model in zip([*cuts, values.shape[1]], pooled, strict=True):
        train = values[:, :cut]
        fc = base_forecasts(train, horizon, season=season, intermittent=intermittent)
        if model is not None:
            fc[POOLED] = predict_pooled(model, train)
        members = [fc[m] for m in COMBO_MEMBERS if m in fc]
        fc[COMBO] = np.mean(members, axis=0)
        out.append(fc)
    return out


def _all_candidates(values: np.ndarray, cuts: Sequence[int], config: Any, season: int | None,
                    intermittent: bool) -> list[dict[str, np.ndarray]]:
    horizon = config.horizon
    pooled = [fit_pooled(values[:, :cut], horizon) for cut in [*cuts, values.shape[1]]]
    if any(p is None for p in pooled):  # the same candidates at every origin, or validation would compare apples
        pooled = [None] * len(pooled)
    chunks = [values[i:i + _CHUNK] for i in range(0, len(values), _CHUNK)]
    args = (cuts, horizon, season, intermittent, pooled)
    if config.backend == "dask":
        from dask.base import compute  # optional extra `scale`: runs on the current distributed client, if any
        from dask.delayed import delayed

        parts = list(compute(*[delayed(_chunk_candidates)(c, *args) for c in chunks]))  # type: ignore[no-untyped-call]
    elif config.n_jobs > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(max_workers=config.n_jobs) as pool:
            parts = list(pool.map(lambda c: _chunk_candidates(c, *args), chunks))
    else:
        parts = [_chunk_candidates(c, *args) for c in chunks]
    return [{name: np.concatenate([p[k][name] for p in parts]) for name in parts[0][k]} for k in range(len(cuts) + 1)]


def _statsforecast(df: pd.DataFrame, models: list[Any], config: Any, freq: str, run: Any, n: int,
                   ) -> dict[str, np.ndarray]:
    """Validation forecasts of costly statsforecast models as (series, windows, horizon) arrays."""
    sf = StatsForecast(models=models, freq=freq, n_jobs=config.n_jobs, fallback_model=Naive())
    cv = run(sf, "cross_validation", df, config, h=config.horizon, n_windows=config.n_windows,
             step_size=config.step)
    shape = (n, config.n_windows, config.horizon)
    return {m.alias: cv[m.alias].to_numpy(dtype=float).reshape(shape) for m in models}


def fit_group(df: pd.DataFrame, extras: list[Any], config: Any, freq: str, period: np.timedelta64, *,
              season: int | None, intermittent: bool, run: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Validation frame (unique_id, ds, cutoff, y, forecast of the chosen model), final forecasts and choices."""
    matrix = to_matrix(df)
    values, n, width, h = matrix.values, len(matrix.ids), matrix.values.shape[1], config.horizon
    cuts = [width - config.test_size + w * config.step for w in range(config.n_windows)]
    cands = _all_candidates(values, cuts, config, season, intermittent)
    names = list(cands[0])
    valid = np.stack([np.stack([cands[w][m] for m in names], axis=1) for w in range(len(cuts))], axis=1)
    if extras:
        sf_cv = _statsforecast(df, extras, config, freq, run, n)
        valid = np.concatenate([valid, np.stack([sf_cv[m.alias] for m in extras], axis=2)], axis=2)
        names += [m.alias for m in extras]
    actual = np.stack([values[:, c:c + h] for c in cuts], axis=1)  # (series, windows, horizon)
    errors = np.abs(valid - actual[:, :, None, :])  # (series, windows, models, horizon)
    mae = errors.mean(axis=(1, 3))
    mae[np.isnan(mae)] = np.inf  # a model that cannot forecast every validation point is out for that series
    prior = names.index(COMBO)
    own = mae.argmin(axis=1)
    keep_own = mae[np.arange(n), own] < (1 - config.selection_margin) * mae[:, prior]
    chosen = np.where(keep_own | ~np.isfinite(mae[:, prior]), own, prior)

    rows = np.arange(n)
    picked = valid[rows, :, chosen, :]  # (series, windows, horizon)
    col_dates = matrix.last_ds[:, None] - (width - 1 - np.arange(width))[None, :] * period
    cv = pd.DataFrame({
        "unique_id": np.repeat(matrix.ids, len(cuts) * h),
        "ds": np.stack([col_dates[:, c:c + h] for c in cuts], axis=1).ravel(),
        "cutoff": np.repeat(np.stack([col_dates[:, c - 1] for c in cuts], axis=1).ravel(), h),
        "y": actual.ravel(),
        "forecast": picked.ravel(),
    })
    final = np.stack([cands[-1][m] for m in names if m in cands[-1]], axis=1)
    forecast = np.full((n, h), np.nan)
    cheap = chosen < final.shape[1]
    forecast[cheap] = final[rows[cheap], chosen[cheap]]
    for k, model in enumerate(extras):
        ids = matrix.ids[chosen == final.shape[1] + k]
        if len(ids):
            sf = StatsForecast(models=[model], freq=freq, n_jobs=config.n_jobs, fallback_model=Naive())
            out = run(sf, "forecast", df[df["unique_id"].isin(list(ids))], config, h=h)
            forecast[chosen == final.shape[1] + k] = out[model.alias].to_numpy(dtype=float).reshape(len(ids), h)
    fc = pd.DataFrame({
        "unique_id": np.repeat(matrix.ids, h),
        "ds": (matrix.last_ds[:, None] + np.arange(1, h + 1)[None, :] * period).ravel(),
        "forecast": np.maximum(forecast, 0.0).ravel(),
    })
    choice = pd.DataFrame({"unique_id": matrix.ids, "model": np.asarray(names, dtype=object)[chosen],
                           "cv_mae": mae[rows, chosen]})
    return cv, fc, choice
