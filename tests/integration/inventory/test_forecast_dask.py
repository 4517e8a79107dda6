"""The same forecasting code on a Dask LocalCluster gives the local results: the vectorised candidates as Dask tasks
(`fast`), plus statsforecast's models through its fugue backend (`full`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xborder.inventory.forecasting import ForecastConfig, forecast_demand

distributed = pytest.importorskip("distributed")


def _history() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    parts = []
    for i in range(12):
        ds = pd.date_range("2023-01-02", periods=70, freq="W-MON")
        parts.append(pd.DataFrame({"unique_id": f"sku{i:02d}", "ds": ds, "y": rng.poisson(0.5 + i, 70)}))
    return pd.concat(parts, ignore_index=True)


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["fast", "full"])
def test_dask_cluster_matches_local_run(profile: str) -> None:
    history = _history()
    config = ForecastConfig(horizon=8, levels=(80, 95), profile=profile)  # type: ignore[arg-type]
    local = forecast_demand(history, config)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        remote = forecast_demand(history, ForecastConfig(horizon=8, levels=(80, 95), profile=profile,  # type: ignore[arg-type]
                                                         backend="dask", npartitions=3))
    # fugue hands results back as float32: equal to the local float64 run within single precision
    pd.testing.assert_frame_equal(local.forecasts, remote.forecasts, check_dtype=False, rtol=1e-6, atol=1e-6)
    pd.testing.assert_frame_equal(local.choices, remote.choices, check_dtype=False)
