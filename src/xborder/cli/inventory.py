"""`xborder forecast`: demand forecasts from a long-format CSV (unique_id, ds, y) to a CSV of forecasts and bands."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from xborder.inventory.forecasting import ForecastConfig, forecast_demand
from xborder.kernel import DomainError, NotFound

__all__ = ["forecast"]


def _fail(error: DomainError) -> typer.Exit:
    typer.secho(f"error [{error.code}]: {error.message}", err=True, fg=typer.colors.RED)
    for detail in error.details[:20]:
        typer.secho(f"  - {detail.message}", err=True)
    return typer.Exit(code=1 if isinstance(error, NotFound) else 2)


def _read_table(path: Path, hint: str) -> pd.DataFrame:
    if not path.exists():
        raise typer.BadParameter(f"{path} does not exist", param_hint=hint)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return pd.read_excel(path, dtype={"unique_id": str})
    return pd.read_csv(path, dtype={"unique_id": str}, keep_default_na=False, na_values=[""])


def forecast(
    history: Path = typer.Option(..., "--history", help="CSV with columns unique_id, ds, y"),
    horizon: int = typer.Option(..., "--horizon", min=1, help="periods to forecast"),
    freq: str = typer.Option("W", "--freq", help="D (daily) or W (weekly)"),
    out: Path = typer.Option(..., "--out", help="output CSV: unique_id, ds, forecast[, lo_L, hi_L]"),
    level: list[int] = typer.Option([], "--level", help="interval level in percent, repeatable (80, 95)"),
    market: str | None = typer.Option(None, "--market", help="use this market's calendar events where they help"),
    profile: str = typer.Option("full", "--profile", help="full (AutoTheta) or fast (Theta) for very many series"),
    duplicates: str = typer.Option("error", "--duplicates", help="error or sum rows with the same date"),
    negatives: str = typer.Option("error", "--negatives", help="error or clip negative quantities to 0"),
    choices: Path | None = typer.Option(None, "--choices", help="also write the model chosen per series here"),
    backend: str = typer.Option("local", "--backend", help="local or dask (needs the `scale` extra)"),
) -> None:
    """Forecast every series with per-series model choice by rolling-origin validation."""
    if freq not in ("D", "W"):
        raise typer.BadParameter("use D or W", param_hint="--freq")
    checks = (("--profile", profile, ("full", "fast")), ("--duplicates", duplicates, ("error", "sum")),
              ("--negatives", negatives, ("error", "clip")), ("--backend", backend, ("local", "dask")))
    for name, value, allowed in checks:
        if value not in allowed:
            raise typer.BadParameter(f"use one of {', '.join(allowed)}", param_hint=name)
    frame = _read_table(history, "--history")
    levels = tuple(sorted(set(level)))
    config = ForecastConfig(horizon=horizon, freq=freq, levels=levels or (80,), event_market=market,
                            profile=profile, duplicates=duplicates, negatives=negatives,  # type: ignore[arg-type]
                            backend=backend)  # type: ignore[arg-type]
    try:
        result = forecast_demand(frame, config)
    except DomainError as exc:
        raise _fail(exc) from exc
    columns = ["unique_id", "ds", "forecast", *[f"{b}_{lv}" for lv in levels for b in ("lo", "hi")]]
    table = result.forecasts[columns].copy()
    table["ds"] = table["ds"].dt.strftime("%Y-%m-%d")
    table.to_csv(out, index=False, float_format="%.4f")
    if choices is not None:
        result.choices.to_csv(choices, index=False, float_format="%.4f")
    for issue in result.issues[:20]:
        typer.secho(f"note [{issue.code}] series {issue.unique_id!r}: {issue.message}", err=True)
    counts = result.choices["model"].value_counts().to_dict()
    typer.echo(f"{result.choices.shape[0]} series, {len(table)} rows -> {out}; models: "
               + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
