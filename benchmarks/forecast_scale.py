"""Speed of the full forecasting pipeline (validation, demand classes, rolling-origin model choice, conformal bands)
on synthetic weekly series of two years; optionally the same run on a Dask LocalCluster.

    PYTHONPATH=src .venv/bin/python benchmarks/forecast_scale.py --series 100000 [--profile fast] [--dask]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import pandas as pd

from xborder.inventory.forecasting import ForecastConfig, forecast_demand


def synthetic(n_series: int, weeks: int = 104, seed: int = 0) -> pd.DataFrame:
    """A retail-like mix: 45 % intermittent (Poisson rate < 0.7), the rest smooth with trend and a yearly wave."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks)
    level = np.where(rng.random(n_series) < 0.45, rng.uniform(0.05, 0.7, n_series), rng.uniform(2, 60, n_series))
    trend = rng.normal(0, 0.004, n_series)
    wave = rng.uniform(0, 0.4, n_series)
    rate = level[:, None] * (1 + trend[:, None] * t) * (1 + wave[:, None] * np.sin(2 * np.pi * t / 52))
    y = rng.poisson(np.clip(rate, 0, None)).astype(float)
    ds = pd.date_range("2023-01-02", periods=weeks, freq="W-MON")
    ids = np.char.add("sku", np.arange(n_series).astype(str))
    return pd.DataFrame({"unique_id": np.repeat(ids, weeks), "ds": np.tile(ds, n_series), "y": y.ravel()})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--profile", default="fast")
    parser.add_argument("--dask", action="store_true")
    args = parser.parse_args()
    data = synthetic(args.series)
    config = ForecastConfig(horizon=8, levels=(80, 95), profile=args.profile, n_jobs=os.cpu_count() or 1,
                            backend="dask" if args.dask else "local", npartitions=max(2, args.series // 5000))
    cluster = client = None
    if args.dask:
        import distributed

        cluster = distributed.LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
    start = time.perf_counter()
    result = forecast_demand(data, config)
    seconds = time.perf_counter() - start
    if client is not None and cluster is not None:
        client.close()
        cluster.close()
    print(json.dumps({
        "series": args.series, "weeks": 104, "profile": args.profile, "backend": config.backend,
        "cores": os.cpu_count(), "seconds": round(seconds, 1),
        "ms_per_series": round(1000 * seconds / args.series, 2),
        "models_chosen": result.choices["model"].value_counts().to_dict(),
    }, indent=1))


if __name__ == "__main__":
    main()
