"""Forecast accuracy per series and overall: MASE, RMSSE, bias and interval coverage against held-out actuals.

References: Hyndman & Koehler (2006), "Another look at measures of forecast accuracy" (MASE);
Makridakis, Spiliotis & Assimakopoulos (2022), "M5 accuracy competition" (RMSSE).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["AccuracyReport", "OverallAccuracy", "evaluate_forecasts", "scale_factors"]


@dataclass(frozen=True)
class OverallAccuracy:
    """Means over series with a usable scale (a constant history cannot scale an error)."""

    series: int
    scored_series: int
    mase: float
    rmsse: float
    bias: float
    coverage: dict[int, float]


@dataclass(frozen=True)
class AccuracyReport:
    per_series: pd.DataFrame  # unique_id, mase, rmsse, bias, coverage_<level>...
    overall: OverallAccuracy


def scale_factors(history: pd.DataFrame, season_length: int) -> pd.DataFrame:
    """In-sample mean absolute and mean squared (seasonal) naive differences per series.

    The seasonal lag is used only for series longer than one season; shorter ones scale by the one-step naive.
    """
    rows = []
    for uid, y in history.groupby("unique_id", sort=True)["y"]:
        values = y.to_numpy(dtype=float)
        lag = season_length if len(values) > season_length else 1
        diffs = values[lag:] - values[:-lag] if len(values) > lag else np.array([])
        mae = float(np.mean(np.abs(diffs))) if diffs.size else np.nan
        mse = float(np.mean(diffs**2)) if diffs.size else np.nan
        rows.append((uid, mae if mae > 0 else np.nan, mse if mse > 0 else np.nan))
    return pd.DataFrame(rows, columns=["unique_id", "scale_mae", "scale_mse"])


def evaluate_forecasts(
    forecasts: pd.DataFrame,
    actuals: pd.DataFrame,
    history: pd.DataFrame,
    *,
    season_length: int,
    levels: Sequence[int] = (),
    column: str = "forecast",
) -> AccuracyReport:
    """Score `forecasts` (unique_id, ds, forecast[, lo_L, hi_L]) on `actuals` (unique_id, ds, y).

    `history` is the data the forecasts were made from (it scales MASE/RMSSE). Bias is sum(forecast - actual) /
    sum(actual) per series, so +0.1 means 10 % over-forecast. Several origins may be stacked with a `cutoff` column.
    """
    keys = ["unique_id", "ds"] + (["cutoff"] if "cutoff" in forecasts.columns and "cutoff" in actuals.columns else [])
    merged = forecasts.merge(actuals[[*keys, "y"]], on=keys, how="inner")
    merged = merged.merge(scale_factors(history, season_length), on="unique_id", how="left")
    err = merged[column] - merged["y"]
    merged["_abs"] = err.abs() / merged["scale_mae"]
    merged["_sq"] = err**2 / merged["scale_mse"]
    merged["_err"] = err
    for level in levels:
        merged[f"_in_{level}"] = (merged["y"] >= merged[f"lo_{level}"]) & (merged["y"] <= merged[f"hi_{level}"])
    grouped = merged.groupby("unique_id", sort=True)
    per = pd.DataFrame({
        "mase": grouped["_abs"].mean(),
        "rmsse": np.sqrt(grouped["_sq"].mean()),
        "bias": grouped["_err"].sum() / grouped["y"].sum().replace(0, np.nan),
        "points": grouped.size(),
    })
    for level in levels:
        per[f"coverage_{level}"] = grouped[f"_in_{level}"].mean()
    per = per.reset_index()
    scored = per.dropna(subset=["mase"])
    total_actual = float(merged["y"].sum())
    overall = OverallAccuracy(
        series=int(per.shape[0]),
        scored_series=int(scored.shape[0]),
        mase=float(scored["mase"].mean()) if len(scored) else float("nan"),
        rmsse=float(scored["rmsse"].mean()) if len(scored) else float("nan"),
        bias=float(merged["_err"].sum() / total_actual) if total_actual else float("nan"),
        coverage={level: float(merged[f"_in_{level}"].mean()) for level in levels},
    )
    return AccuracyReport(per_series=per, overall=overall)
