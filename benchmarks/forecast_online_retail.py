"""Accuracy and speed on real retail demand: weekly units of the 500 best-selling Online Retail items, the last 8
weeks of the development file held out, forecasts from 5 origins inside them (horizon 4, origins 8..4 weeks before
the end), against naive / seasonal naive / moving averages / Prophet. Writes a JSON summary and per-series choices.

    PYTHONPATH=src .venv/bin/python benchmarks/forecast_online_retail.py [--no-prophet] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from xborder.inventory.forecasting import ForecastConfig, evaluate_forecasts, forecast_demand

DATA = Path("/work/shared/data/online-retail/online_retail_2010-12_to_2011-09.csv.gz")
TOP = 500
HORIZON = 4
ORIGINS_BACK = (8, 7, 6, 5, 4)
SEASON = 52
DEV_SHIFT = 8  # weeks dropped from the end for the development slice (the held-out weeks)


def weekly_demand() -> pd.DataFrame:
    """Units sold per item and Monday-week; cancellations (invoice C...) and non-product codes are left out, and the
    two partial weeks at the file's edges are dropped."""
    raw = pd.read_csv(DATA, dtype={"InvoiceNo": str, "StockCode": str}, parse_dates=["InvoiceDate"])
    sales = raw[~raw["InvoiceNo"].str.startswith("C") & (raw["Quantity"] > 0)
                & raw["StockCode"].str.match(r"^\d{5}")]
    sales = sales.assign(ds=sales["InvoiceDate"].dt.normalize()
                         - pd.to_timedelta(sales["InvoiceDate"].dt.weekday, unit="D"))
    top = sales.groupby("StockCode")["Quantity"].sum().nlargest(TOP).index
    weekly = sales[sales["StockCode"].isin(top)].groupby(["StockCode", "ds"], as_index=False)["Quantity"].sum()
    weeks = pd.date_range("2010-12-06", "2011-09-19", freq="W-MON")
    grid = pd.MultiIndex.from_product([sorted(top), weeks], names=["unique_id", "ds"])
    frame = weekly.rename(columns={"StockCode": "unique_id", "Quantity": "y"}).set_index(["unique_id", "ds"])
    return frame["y"].reindex(grid, fill_value=0).astype(float).reset_index()


def baselines(train: pd.DataFrame, future: pd.DataFrame) -> pd.DataFrame:
    out = future[["unique_id", "ds"]].copy()
    grouped = train.groupby("unique_id")["y"]
    out["Naive"] = out["unique_id"].map(grouped.last())
    for k in (4, 8, 13):
        out[f"MA{k}"] = out["unique_id"].map(grouped.apply(lambda s, k=k: s.iloc[-k:].mean()))
    # Fewer than 52 weeks of history: the seasonal naive has no last-year value and degenerates to the naive.
    out["SeasonalNaive"] = out["Naive"]
    return out


def prophet_forecasts(train: pd.DataFrame, future: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    from prophet import Prophet

    logging.getLogger("cmdstanpy").setLevel(logging.ERROR)
    logging.getLogger("prophet").setLevel(logging.ERROR)
    parts = []
    start = time.perf_counter()
    for uid, grp in train.groupby("unique_id", sort=True):
        model = Prophet(weekly_seasonality=False, daily_seasonality=False, yearly_seasonality="auto")
        model.fit(grp[["ds", "y"]])
        dates = future.loc[future["unique_id"] == uid, ["ds"]]
        pred = model.predict(dates)
        parts.append(pd.DataFrame({"unique_id": uid, "ds": dates["ds"].to_numpy(),
                                   "Prophet": np.clip(pred["yhat"].to_numpy(), 0, None)}))
    return pd.concat(parts, ignore_index=True), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-prophet", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "xborder-bench")
    parser.add_argument("--profile", default=ForecastConfig.profile)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--margin", type=float, default=ForecastConfig.selection_margin)
    parser.add_argument("--windows", type=int, default=ForecastConfig.n_windows)
    parser.add_argument("--dev", action="store_true",
                        help="development slice: drop the 8 held-out weeks and evaluate the 8 weeks before them")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    args.out.mkdir(parents=True, exist_ok=True)
    demand = weekly_demand()
    if args.dev:
        demand = demand[demand["ds"] <= sorted(demand["ds"].unique())[-DEV_SHIFT - 1]]
    weeks = sorted(demand["ds"].unique())
    scored: dict[str, list[pd.DataFrame]] = {}
    choices, timings = [], {"xborder": 0.0, "Prophet": 0.0}
    cover = []
    totals: dict[str, list[float]] = {}  # aggregate bias sum(forecast - actual) / sum(actual) per origin
    for back in ORIGINS_BACK:
        cutoff = weeks[-back - 1]
        train = demand[demand["ds"] <= cutoff]
        future = demand[(demand["ds"] > cutoff) & (demand["ds"] <= weeks[-back - 1 + HORIZON])]
        start = time.perf_counter()
        result = forecast_demand(train, ForecastConfig(horizon=HORIZON, levels=(80, 95), event_market="GB",
                                                        profile=args.profile, n_jobs=args.n_jobs,
                                                        selection_margin=args.margin, n_windows=args.windows))
        timings["xborder"] += time.perf_counter() - start
        fc = result.forecasts.merge(baselines(train, future), on=["unique_id", "ds"])
        if not args.no_prophet:
            prophet, seconds = prophet_forecasts(train, future)
            timings["Prophet"] += seconds
            fc = fc.merge(prophet, on=["unique_id", "ds"])
        for column in [c for c in fc.columns if c not in {"unique_id", "ds"} and c[:3] not in {"lo_", "hi_"}]:
            report = evaluate_forecasts(fc, future, train, season_length=SEASON, column=column,
                                        levels=(80, 95) if column == "forecast" else ())
            scored.setdefault(column, []).append(report.per_series.assign(origin=str(cutoff)[:10]))
            totals.setdefault(column, []).append(report.overall.bias)
            if column == "forecast":
                cover.append(report.overall.coverage)
        choices.append(result.choices.assign(origin=str(cutoff)[:10]))
    summary = {name: {"mase": float(pd.concat(parts)["mase"].mean()), "rmsse": float(pd.concat(parts)["rmsse"].mean()),
                      "bias": float(pd.concat(parts)["bias"].mean())}
               for name, parts in scored.items()}
    for name, values in totals.items():
        summary[name]["bias_total"] = float(np.mean(values))
    summary["xborder"] = summary.pop("forecast")
    summary["xborder"]["coverage"] = {str(k): float(np.mean([c[k] for c in cover])) for k in (80, 95)}
    chosen = pd.concat(choices)
    chosen.to_csv(args.out / "online_retail_choices.csv", index=False)
    simple = min(summary[k]["mase"] for k in ("Naive", "MA4", "MA8", "MA13"))
    report = {
        "series": TOP, "slice": "development" if args.dev else "held-out", "profile": args.profile,
        "n_jobs": args.n_jobs,
        "selection_margin": args.margin, "cv_windows": args.windows,
        "origins": [str(weeks[-b - 1])[:10] for b in ORIGINS_BACK], "horizon_weeks": HORIZON,
        "models": summary,
        "xborder_vs_seasonal_naive": 1 - summary["xborder"]["mase"] / summary["SeasonalNaive"]["mase"],
        "xborder_vs_best_simple": 1 - summary["xborder"]["mase"] / simple,
        "seconds": {k: round(v, 1) for k, v in timings.items()},
        "speedup_vs_prophet": round(timings["Prophet"] / timings["xborder"], 1) if timings["Prophet"] else None,
        "chosen_models": chosen["model"].value_counts().to_dict(),
    }
    if "Prophet" in summary:
        report["xborder_vs_prophet"] = 1 - summary["xborder"]["mase"] / summary["Prophet"]["mase"]
    (args.out / "online_retail.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
