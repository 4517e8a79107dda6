"""Forecasting core: input policies, model choice, intervals, short series, cold start and the CLI contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from xborder.cli.inventory import forecast
from xborder.inventory.forecasting import ForecastConfig, evaluate_forecasts, forecast_demand, prepare_history
from xborder.kernel import ValidationFailed


def _weekly(n_series: int = 6, length: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(n_series):
        ds = pd.date_range("2023-01-02", periods=length, freq="W-MON")
        rate = 6.0 if i % 2 else 0.4
        parts.append(pd.DataFrame({"unique_id": f"sku{i}", "ds": ds, "y": rng.poisson(rate, length)}))
    return pd.concat(parts, ignore_index=True)


def test_duplicate_dates_name_series_and_row() -> None:
    df = _weekly(1, 20)
    df = pd.concat([df, df.iloc[[3]]], ignore_index=True)
    with pytest.raises(ValidationFailed) as err:
        prepare_history(df, freq="W")
    detail = err.value.details[0]
    assert detail.code == "forecast.duplicate_date" and detail.row == 21 and "sku0" in detail.message


def test_duplicates_can_be_summed() -> None:
    df = _weekly(1, 20)
    df = pd.concat([df, df.iloc[[3]]], ignore_index=True)
    prepared = prepare_history(df, freq="W", duplicates="sum")
    assert len(prepared.frame) == 20
    assert prepared.frame["y"].iloc[3] == 2 * df["y"].iloc[3]
    assert prepared.issues[0].code == "duplicates_summed"


def test_negative_quantity_is_refused_or_clipped() -> None:
    df = _weekly(1, 20)
    df.loc[5, "y"] = -3
    with pytest.raises(ValidationFailed) as err:
        prepare_history(df, freq="W")
    assert err.value.details[0].row == 6 and err.value.details[0].code == "forecast.negative_quantity"
    clipped = prepare_history(df, freq="W", negatives="clip")
    assert clipped.frame["y"].min() == 0 and clipped.issues[0].row == 6


def test_gaps_become_zero_demand_and_are_reported() -> None:
    df = _weekly(1, 20).drop(index=[4, 5]).reset_index(drop=True)
    prepared = prepare_history(df, freq="W")
    assert len(prepared.frame) == 20
    assert prepared.frame["y"].iloc[4] == 0
    assert prepared.issues[0].code == "gaps_filled" and "2 missing" in prepared.issues[0].message


def test_bad_dates_quantities_and_off_grid_weeks() -> None:
    df = _weekly(1, 10).astype({"ds": str, "y": object})
    df.loc[2, "ds"] = "not a date"
    df.loc[7, "y"] = "many"
    with pytest.raises(ValidationFailed) as err:
        prepare_history(df, freq="W")
    assert {d.row for d in err.value.details} == {3, 8}
    off = _weekly(1, 10)
    off.loc[4, "ds"] = off.loc[4, "ds"] + pd.Timedelta(days=2)
    with pytest.raises(ValidationFailed, match="Mon"):
        prepare_history(off, freq="W")
    with pytest.raises(ValidationFailed, match="lacks column"):
        prepare_history(df.drop(columns=["y"]), freq="W")


def test_forecast_chooses_per_series_and_brackets_with_intervals() -> None:
    result = forecast_demand(_weekly(), ForecastConfig(horizon=6, levels=(80, 95)))
    fc = result.forecasts
    assert len(fc) == 6 * 6
    assert (fc["lo_95"] <= fc["lo_80"]).all() and (fc["lo_80"] <= fc["forecast"]).all()
    assert (fc["forecast"] <= fc["hi_80"]).all() and (fc["hi_80"] <= fc["hi_95"]).all()
    assert (fc["lo_95"] >= 0).all()
    assert set(result.choices["method"]) == {"cv"}
    assert set(result.choices["demand_class"]) == {"smooth", "intermittent"}
    assert fc["ds"].min() == pd.Timestamp("2023-01-02") + pd.Timedelta(weeks=60)


def test_short_series_fallback_and_cold_start() -> None:
    df = pd.concat([_weekly(4, 40), pd.DataFrame({"unique_id": "tiny", "ds": pd.date_range(
        "2023-09-04", periods=3, freq="W-MON"), "y": [2, 4, 3]})], ignore_index=True)
    result = forecast_demand(df, ForecastConfig(horizon=4), peers={"brand_new": ["sku1", "sku3"]})
    choices = result.choices.set_index("unique_id")
    assert choices.loc["tiny", "method"] == "short_mean"
    assert choices.loc["brand_new", "method"] == "cold_start"
    tiny = result.forecasts[result.forecasts["unique_id"] == "tiny"]
    assert np.allclose(tiny["forecast"], 3.0)
    peers = result.forecasts[result.forecasts["unique_id"].isin(["sku1", "sku3"])]
    new = result.forecasts[result.forecasts["unique_id"] == "brand_new"]
    assert np.isclose(new["forecast"].mean(), peers["forecast"].mean())
    with pytest.raises(ValidationFailed, match="peers"):
        forecast_demand(df, ForecastConfig(horizon=4), peers={"orphan": ["nope"]})


def test_calendar_events_are_used_only_when_they_help() -> None:
    # A strong December ramp in every year: the GB Christmas season uplift must be learnt and applied.
    ds = pd.date_range("2021-01-04", "2024-11-25", freq="W-MON")
    parts = []
    for i in range(4):
        y = np.full(len(ds), 10.0) + i
        y[(ds.month == 12) & (ds.day <= 26)] *= 3
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds, "y": y}))
    df = pd.concat(parts, ignore_index=True)
    cut = df[df["ds"] < "2023-11-27"]
    result = forecast_demand(cut, ForecastConfig(horizon=6, n_windows=2, step_size=6, event_market="GB"))
    assert any(u.event_id == "christmas_season" and u.factor > 1.5 for u in result.uplifts)
    december = result.forecasts[result.forecasts["ds"].dt.month == 12]
    assert december["forecast"].mean() > 1.5 * 11.5


def test_accuracy_report_matches_hand_computation() -> None:
    history = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2024-01-01", periods=4, freq="D"),
                            "y": [1.0, 3.0, 2.0, 4.0]})  # naive scale: mean(|2|,|1|,|2|) = 5/3
    future = pd.date_range("2024-01-05", periods=2, freq="D")
    fc = pd.DataFrame({"unique_id": "a", "ds": future, "forecast": [3.0, 3.0], "lo_80": [2.0, 2.0],
                       "hi_80": [4.0, 4.0]})
    actual = pd.DataFrame({"unique_id": "a", "ds": future, "y": [4.0, 6.0]})
    report = evaluate_forecasts(fc, actual, history, season_length=7, levels=(80,))
    assert report.overall.mase == pytest.approx(2.0 / (5 / 3))
    assert report.overall.bias == pytest.approx(-4.0 / 10.0)
    assert report.overall.coverage[80] == pytest.approx(0.5)


def test_cli_contract(tmp_path) -> None:
    src = tmp_path / "history.csv"
    _weekly(4, 40).to_csv(src, index=False)
    out = tmp_path / "fc.csv"
    app = typer.Typer()
    app.command()(forecast)
    res = CliRunner().invoke(app, ["--history", str(src), "--horizon", "5", "--freq", "W", "--out", str(out),
                                   "--level", "80"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["unique_id", "ds", "forecast", "lo_80", "hi_80"]
    assert len(table) == 20
    plain = tmp_path / "plain.csv"
    res = CliRunner().invoke(app, ["--history", str(src), "--horizon", "5", "--out", str(plain)])
    assert list(pd.read_csv(plain).columns) == ["unique_id", "ds", "forecast"]
    bad = tmp_path / "bad.csv"
    frame = _weekly(1, 20)
    frame.loc[3, "y"] = -1
    frame.to_csv(bad, index=False)
    res = CliRunner().invoke(app, ["--history", str(bad), "--horizon", "5", "--out", str(plain)])
    assert res.exit_code == 2 and "row 4" in res.output


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 30), st.integers(0, 50)), min_size=1,
                max_size=60))
def test_prepared_history_is_regular_whatever_the_input(rows: list[tuple[str, int, int]]) -> None:
    frame = pd.DataFrame([(uid, pd.Timestamp("2024-01-01") + pd.Timedelta(days=d), y) for uid, d, y in rows],
                         columns=["unique_id", "ds", "y"])
    prepared = prepare_history(frame, freq="D", duplicates="sum")
    out = prepared.frame
    assert (out["y"] >= 0).all()
    assert out["y"].sum() == frame["y"].sum()  # gaps add zeros, duplicates are summed, nothing is lost
    for _, grp in out.groupby("unique_id"):
        steps = grp["ds"].diff().dropna().dt.days
        assert (steps == 1).all()


def test_public_api_is_sorted_and_complete() -> None:
    import xborder.inventory as inventory

    assert inventory.__all__ == sorted(inventory.__all__)
    assert all(hasattr(inventory, name) for name in inventory.__all__)
