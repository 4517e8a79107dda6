"""Vectorised candidates equal their statsforecast counterparts; the pooled model sees no future; selection shrinks
to the combination."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsforecast import StatsForecast
from statsforecast.models import Naive, SeasonalNaive, WindowAverage

from xborder.inventory.forecasting import ForecastConfig, forecast_demand
from xborder.inventory.forecasting.pooled import fit_pooled, predict_pooled
from xborder.inventory.forecasting.selection import _chunk_candidates
from xborder.inventory.forecasting.vectorised import base_forecasts, croston_sba, damped_trend, ses, to_matrix, tsb


def _ragged(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for i, length in enumerate((60, 75, 90)):
        ds = pd.date_range("2023-01-02", periods=length, freq="W-MON") + pd.Timedelta(weeks=90 - length + i)
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": rng.poisson(3 + i, length).astype(float)}))
    return pd.concat(parts, ignore_index=True)


def test_matrix_is_right_aligned_per_series() -> None:
    frame = _ragged()
    m = to_matrix(frame)
    assert list(m.ids) == ["s0", "s1", "s2"] and m.values.shape == (3, 90)
    assert np.isnan(m.values[0, :30]).all() and not np.isnan(m.values[0, 30:]).any()
    for i, uid in enumerate(m.ids):
        one = frame[frame["unique_id"] == uid]
        assert np.array_equal(m.values[i, -len(one):], one["y"].to_numpy())
        assert m.last_ds[i] == one["ds"].max()


def test_cheap_models_equal_statsforecast() -> None:
    frame = _ragged()
    m = to_matrix(frame)
    ours = base_forecasts(m.values, 5, season=52, intermittent=False)
    sf = StatsForecast(models=[Naive(), WindowAverage(window_size=8, alias="MA8"),
                               WindowAverage(window_size=26, alias="MA26"), SeasonalNaive(season_length=52)],
                       freq="W-MON")
    theirs = sf.forecast(df=frame, h=5).sort_values(["unique_id", "ds"])
    for name, alias in (("Naive", "Naive"), ("MA8", "MA8"), ("MA26", "MA26"), ("SeasonalNaive", "SeasonalNaive")):
        assert np.allclose(ours[name].ravel(), theirs[alias].to_numpy()), name


def test_smoothers_on_known_patterns() -> None:
    const = np.full((2, 30), 5.0)
    assert np.allclose(ses(const, 3), 5.0) and np.allclose(damped_trend(const, 3), 5.0)
    line = np.arange(40, dtype=float)[None, :]
    fc = damped_trend(line, 4)[0]
    assert (np.diff(fc) > 0).all() and fc[-1] < 43  # keeps rising, but damped below the straight line
    every_other = np.tile([0.0, 4.0], 30)[None, :]
    assert croston_sba(every_other, 2)[0, 0] == pytest.approx(0.95 * 4 / 2)
    assert tsb(every_other, 2)[0, 0] == pytest.approx(2.0, rel=0.1)  # ends on a sale: probability above 0.5
    assert tsb(np.zeros((1, 10)), 2)[0, 0] == 0.0


def test_pooled_model_learns_levels_and_never_sees_the_future() -> None:
    rng = np.random.default_rng(0)
    levels = rng.uniform(1, 50, 200)
    values = rng.poisson(levels[:, None], (200, 40)).astype(float)
    model = fit_pooled(values, 4)
    assert model is not None
    fc = predict_pooled(model, values)
    assert np.median(np.abs(fc.mean(axis=1) / levels - 1)) < 0.15
    cut = 30
    changed = values.copy()
    changed[:, cut:] *= 10  # what happens after a validation origin must not move that origin's candidates
    pooled = [fit_pooled(values[:, :cut], 4), None]
    before = _chunk_candidates(values, [cut], 4, None, True, pooled)[0]
    after = _chunk_candidates(changed, [cut], 4, None, True, [fit_pooled(changed[:, :cut], 4), None])[0]
    for name in before:
        assert np.allclose(before[name], after[name]), name


def test_series_keep_the_combination_unless_clearly_better() -> None:
    rng = np.random.default_rng(1)
    ds = pd.date_range("2023-01-02", periods=60, freq="W-MON")
    parts = [pd.DataFrame({"unique_id": f"n{i}", "ds": ds, "y": rng.poisson(8, 60).astype(float)}) for i in range(8)]
    # A level shift 15 weeks before the end: the long averages in the combination lag far behind the naive.
    shifted = np.where(np.arange(60) < 45, 10.0, 200.0) + rng.normal(0, 1, 60)
    parts.append(pd.DataFrame({"unique_id": "walk", "ds": ds, "y": shifted}))
    result = forecast_demand(pd.concat(parts, ignore_index=True), ForecastConfig(horizon=4, levels=(80,)))
    chosen = result.choices.set_index("unique_id")["model"]
    assert (chosen.drop("walk") == "Combo").mean() >= 0.75
    assert chosen["walk"] != "Combo"


def test_trailing_mean_equals_a_rolling_window_per_series() -> None:
    from xborder.inventory.forecasting.calendar import _BASELINE_PERIODS, _trailing_mean

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"u": np.repeat(["a", "b", "c"], 30), "y": rng.poisson(3, 90).astype(float)})
    quiet = frame["y"].where(rng.random(90) > 0.3)
    expected = quiet.groupby(frame["u"], sort=False).transform(
        lambda s: s.shift(1).rolling(_BASELINE_PERIODS, min_periods=2).mean().ffill())
    pd.testing.assert_series_equal(_trailing_mean(quiet, frame["u"]), expected, check_names=False)
