"""Demand forecasting end to end: validate, classify, rolling-origin model choice per series, conformal intervals,
calendar uplifts where they help, fallbacks for short series and cold start — locally or on a Dask cluster.

Pure: no session, no clock. `forecast_demand` is the one entry point; see docs/forecasting.md for the policies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import pandas as pd
from statsforecast import StatsForecast

from xborder.inventory.forecasting.calendar import EventUplift, apply_uplifts, estimate_uplifts, event_flags
from xborder.inventory.forecasting.candidates import Profile, classify, statsforecast_extras
from xborder.inventory.forecasting.coldstart import borrow_from_peers
from xborder.inventory.forecasting.history import Freq, SeriesIssue, prepare_history
from xborder.inventory.forecasting.selection import fit_group
from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["ForecastConfig", "ForecastResult", "forecast_demand"]

MIN_TRAIN = 13  # shortest training window at the first origin (MA26 averages what there is)
SHORT_WINDOW = 8


@dataclass(frozen=True)
class ForecastConfig:
    horizon: int
    freq: Freq = "W"
    levels: tuple[int, ...] = (80, 95)
    n_windows: int = 3
    step_size: int | None = None  # default: half the horizon, so origins overlap and selection sees more errors
    season_length: int | None = None  # default: 52 weekly, 7 daily
    profile: Profile = "fast"  # "full" adds statsforecast AutoETS/AutoTheta or Croston/ADIDA/IMAPA (8x the time)
    selection_margin: float = 0.5  # a series leaves the Combo only if its own best beats it by this share
    event_market: str | None = None
    duplicates: Literal["error", "sum"] = "error"
    negatives: Literal["error", "clip"] = "error"
    backend: Literal["local", "dask"] = "local"
    n_jobs: int = 1
    npartitions: int = 4

    @property
    def season(self) -> int:
        return self.season_length or (52 if self.freq == "W" else 7)

    @property
    def step(self) -> int:
        return self.step_size or max(1, self.horizon // 2)

    @property
    def test_size(self) -> int:
        return self.horizon + self.step * (self.n_windows - 1)


@dataclass(frozen=True)
class ForecastResult:
    """`forecasts`: unique_id, ds, forecast, lo_L, hi_L. `choices`: per series the demand class, chosen model,
    method (cv, short_mean, cold_start) and validation MAE. `cv`: the chosen model's rolling-origin forecasts."""

    forecasts: pd.DataFrame
    choices: pd.DataFrame
    cv: pd.DataFrame
    issues: tuple[SeriesIssue, ...]
    uplifts: tuple[EventUplift, ...] = field(default=())


def _check_config(config: ForecastConfig) -> None:
    problems = []
    if config.horizon < 1:
        problems.append(ErrorDetail("horizon must be at least 1", field="horizon", code="forecast.bad_horizon"))
    if config.n_windows < 1:
        problems.append(ErrorDetail("n_windows must be at least 1", field="n_windows", code="forecast.bad_windows"))
    problems += [ErrorDetail(f"level {lv} must be between 1 and 99", field="levels", code="forecast.bad_level")
                 for lv in config.levels if not 0 < lv < 100]
    if problems:
        raise ValidationFailed("invalid forecast settings", details=problems)


def _run(sf: StatsForecast, method: str, df: pd.DataFrame, config: ForecastConfig, **kwargs: Any) -> pd.DataFrame:
    """Run a StatsForecast method locally or, with backend='dask', through statsforecast's fugue backend."""
    if config.backend == "dask":
        import dask.dataframe as dd  # optional extra `scale`

        ddf = dd.from_pandas(df.astype({"unique_id": str}), npartitions=config.npartitions)  # type: ignore[no-untyped-call]
        out = getattr(sf, method)(df=ddf, **kwargs).compute()
    else:
        out = getattr(sf, method)(df=df, **kwargs)
    out = out.reset_index() if "unique_id" not in out.columns else out
    keys = ["unique_id", "cutoff", "ds"] if "cutoff" in out.columns else ["unique_id", "ds"]
    out["ds"] = pd.to_datetime(out["ds"])
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _calendar(history: pd.DataFrame, cv: pd.DataFrame, fc: pd.DataFrame, config: ForecastConfig,
              ) -> tuple[pd.DataFrame, pd.DataFrame, tuple[EventUplift, ...]]:
    """Apply pooled event uplifts if, re-estimated at every origin, they lower the validation error."""
    if not config.event_market or cv.empty:
        return cv, fc, ()
    period = 7 if config.freq == "W" else 1
    flags = event_flags(config.event_market, pd.concat([history["ds"], fc["ds"]]), period_days=period)
    adjusted = []
    for cutoff, part in cv.groupby("cutoff", sort=True):
        ups = estimate_uplifts(history[history["ds"] <= cutoff], flags)
        adjusted.append(apply_uplifts(part, ["forecast"], flags, ups))
    cv_adj = pd.concat(adjusted).loc[cv.index]
    error_with = float((cv_adj["forecast"] - cv_adj["y"]).abs().sum())
    error_without = float((cv["forecast"] - cv["y"]).abs().sum())
    # No event inside the validation windows leaves the errors equal: the yearly consistency check decides then.
    if error_with > error_without or (error_with == error_without and not cv_adj["forecast"].equals(cv["forecast"])):
        return cv, fc, ()
    uplifts = estimate_uplifts(history, flags)
    return cv_adj, apply_uplifts(fc, ["forecast"], flags, uplifts), tuple(uplifts)


def _conformal(cv: pd.DataFrame, fc: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
    """Split-conformal bands from each series' own absolute validation errors (finite-sample quantile
    ceil((n + 1) * level) / n of the n errors), vectorised over series."""
    errors = pd.DataFrame({"uid": cv["unique_id"].to_numpy(), "e": (cv["y"] - cv["forecast"]).abs().to_numpy()})
    errors = errors.dropna().sort_values(["uid", "e"], kind="stable")
    n = errors.groupby("uid", sort=False)["e"].transform("size").to_numpy()
    position = errors.groupby("uid", sort=False).cumcount().to_numpy() + 1
    out = fc.copy()
    for level in levels:
        rank = np.minimum(n, np.ceil((n + 1) * level / 100))
        width = errors.loc[position == rank].set_index("uid")["e"]
        w = out["unique_id"].map(width).to_numpy(dtype=float)
        out[f"lo_{level}"] = np.maximum(out["forecast"].to_numpy() - w, 0.0)
        out[f"hi_{level}"] = out["forecast"].to_numpy() + w
    return out


def _short(frame: pd.DataFrame, config: ForecastConfig, freq: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documented fallback for series too short to validate: mean of the last 8 periods, normal bands whose spread
    is at least Poisson-like (sqrt of the mean) so a flat short history does not claim certainty."""
    rows, choices = [], []
    for uid, grp in frame.groupby("unique_id", sort=True):
        y = grp["y"].to_numpy(dtype=float)[-SHORT_WINDOW:]
        mean = float(y.mean())
        sd = max(float(y.std(ddof=1)) if len(y) > 1 else 0.0, math.sqrt(mean))
        ds = pd.date_range(grp["ds"].iloc[-1], periods=config.horizon + 1, freq=freq)[1:]
        part = pd.DataFrame({"unique_id": uid, "ds": ds, "forecast": mean})
        for level in config.levels:
            z = NormalDist().inv_cdf(0.5 + level / 200)
            part[f"lo_{level}"] = max(mean - z * sd, 0.0)
            part[f"hi_{level}"] = mean + z * sd
        rows.append(part)
        choices.append((uid, "ShortMean", np.nan))
    return (pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(),
            pd.DataFrame(choices, columns=["unique_id", "model", "cv_mae"]))


def forecast_demand(
    history: pd.DataFrame,
    config: ForecastConfig,
    *,
    peers: Mapping[str, Sequence[str]] | None = None,
) -> ForecastResult:
    """Forecast every series of `history` (unique_id, ds, y) `config.horizon` periods ahead.

    `peers` maps a new or short series (which need not appear in `history`) to similar series; those get a
    cold-start forecast borrowed from their peers instead of the short-series fallback.

    Raises:
        ValidationFailed: bad settings or bad rows (see `prepare_history`), or a cold-start series with no usable
            peer and no history of its own.
    """
    _check_config(config)
    prepared = prepare_history(history, freq=config.freq, duplicates=config.duplicates, negatives=config.negatives)
    frame, freq = prepared.frame, prepared.freq
    lengths = prepared.lengths()
    peers = dict(peers or {})
    need = config.test_size + MIN_TRAIN
    long_ids = lengths.index[(lengths >= need) & ~lengths.index.isin(list(peers))]
    classes = classify(frame)
    cvs, fcs, choices = [], [], []
    long_frame = frame[frame["unique_id"].isin(long_ids)]
    seasonal_ok = lengths >= config.test_size + config.season + 1
    period = np.timedelta64(7 if config.freq == "W" else 1, "D")
    for demand in ("smooth", "intermittent"):
        for seasonal in (True, False):
            ids = long_ids[(classes.reindex(long_ids) == demand).to_numpy()
                           & (seasonal_ok.reindex(long_ids) == seasonal).to_numpy()]
            if ids.empty:
                continue
            cv, fc, choice = fit_group(long_frame[long_frame["unique_id"].isin(ids)],
                                       statsforecast_extras(demand, config.profile), config, freq, period,
                                       season=config.season if seasonal else None,
                                       intermittent=demand == "intermittent", run=_run)
            cvs.append(cv)
            fcs.append(fc)
            choices.append(choice.assign(demand_class=demand, method="cv"))
    cv_all = pd.concat(cvs, ignore_index=True) if cvs else pd.DataFrame(
        columns=["unique_id", "ds", "cutoff", "y", "forecast"])
    fc_all = pd.concat(fcs, ignore_index=True) if fcs else pd.DataFrame(columns=["unique_id", "ds", "forecast"])
    cv_all, fc_all, uplifts = _calendar(long_frame, cv_all, fc_all, config)
    out = [_conformal(cv_all, fc_all, config.levels)] if len(fc_all) else []

    short_ids = lengths.index[(lengths < need) & ~lengths.index.isin(list(peers))]
    short_fc, short_choice = _short(frame[frame["unique_id"].isin(short_ids)], config, freq)
    if len(short_fc):
        out.append(short_fc)
        choices.append(short_choice.assign(demand_class=classes.reindex(short_choice["unique_id"]).to_numpy(),
                                           method="short_mean"))
    if peers:
        value_cols = ["forecast", *[f"{b}_{lv}" for lv in config.levels for b in ("lo", "hi")]]
        served = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=["unique_id", "ds", *value_cols])
        cold, missing = borrow_from_peers(served, frame, peers, value_cols)
        if missing:
            raise ValidationFailed("cold-start series without usable peers", details=[
                ErrorDetail(f"series {uid!r}: {why}", field="peers", code="forecast.no_peers")
                for uid, why in sorted(missing.items())])
        out.append(cold)
        choices.append(pd.DataFrame({"unique_id": list(peers), "model": "ColdStart", "cv_mae": np.nan,
                                     "demand_class": None, "method": "cold_start"}))
    forecasts = pd.concat(out, ignore_index=True).sort_values(["unique_id", "ds"], kind="stable")
    choice_df = pd.concat(choices, ignore_index=True).merge(
        lengths.rename("n_obs").reset_index(), on="unique_id", how="left")
    choice_df["n_obs"] = choice_df["n_obs"].fillna(0).astype(int)
    return ForecastResult(
        forecasts=forecasts.reset_index(drop=True),
        choices=choice_df.sort_values("unique_id", kind="stable").reset_index(drop=True),
        cv=cv_all.sort_values(["unique_id", "cutoff", "ds"], kind="stable").reset_index(drop=True),
        issues=prepared.issues,
        uplifts=uplifts,
    )
