"""`xborder forecast` (CSV in, CSV out), `xborder replenish` (plan from the workspace's data) and `xborder stock`
(warehouses, ledger entries, transfers, levels, sales-history import, order routing).

Exit codes: 0 done, 1 not found (organization, warehouse, transfer), 2 refused input or stock would go negative.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

import pandas as pd
import typer
from sqlalchemy.orm import Session

from xborder import identity, inventory
from xborder.cli.context import get_container
from xborder.db import transaction
from xborder.inventory.forecasting import ForecastConfig, forecast_demand
from xborder.kernel import DomainError, Money, NotFound

__all__ = ["forecast", "replenish", "stock_app"]

stock_app = typer.Typer(help="Warehouses, stock ledger, transfers, stock levels, sales history and order routing.",
                        no_args_is_help=True)
T = TypeVar("T")
DEFAULT_ORG = "shengyue"  # the demo seller, as in `xborder import products`
_ORG = typer.Option(DEFAULT_ORG, "--org", envvar="XBORDER_ORG", help="Organization slug (or set XBORDER_ORG).")


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
    profile: str = typer.Option("fast", "--profile",
                                help="fast (vectorised baselines, damped trend, pooled model, combination) or full "
                                     "(adds AutoETS/AutoTheta or the Croston family; about 8x slower)"),
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
    config = ForecastConfig(horizon=horizon, freq=freq, levels=levels or (80,), event_market=market,  # type: ignore[arg-type]
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


def _in_org(org: str, work: Callable[[Session, str], T]) -> T:
    """Run `work(session, organization_id)` in one transaction; domain errors become exit codes."""
    container = get_container()
    try:
        with transaction(container.session_factory) as session:
            return work(session, identity.get_organization_by_slug(session, slug=org).id)
    except DomainError as exc:
        raise _fail(exc) from exc


def _decimal(text: str, hint: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(f"{text!r} is not a number", param_hint=hint) from None


def _fx(pairs: list[str]) -> dict[str, Decimal]:
    rates = {}
    for pair in pairs:
        cur, _, rate = pair.partition("=")
        if len(cur) != 3 or not rate:
            raise typer.BadParameter(f"{pair!r}: use CUR=RATE, e.g. USD=0.92", param_hint="--fx")
        rates[cur.upper()] = _decimal(rate, "--fx")
    return rates


def replenish(
    currency: str = typer.Option("EUR", "--currency", help="plan currency"),
    fx: list[str] = typer.Option([], "--fx", help="CUR=RATE: one CUR in the plan currency, repeatable"),
    backorder_cost: str = typer.Option(..., "--backorder-cost", help="cost per unit short per week"),
    horizon: int = typer.Option(12, "--horizon", min=1, help="weeks"),
    service_level: float = typer.Option(0.95, "--service-level"),
    budget: str | None = typer.Option(None, "--budget", help="freight budget in the plan currency"),
    time_limit: float = typer.Option(25.0, "--time-limit", help="solver seconds"),
    today: str | None = typer.Option(None, "--today", help="plan date YYYY-MM-DD (default: today)"),
    out: Path | None = typer.Option(None, "--out", help="write the shipments as CSV here"),
    as_json: bool = typer.Option(False, "--json"),
    org: str = _ORG,
) -> None:
    """Plan what to send from domestic to overseas and forward warehouses, by which mode and when."""
    settings = inventory.PlanSettings(
        currency=currency.upper(), fx=_fx(fx),
        backorder_cost_per_unit_week=_decimal(backorder_cost, "--backorder-cost"),
        horizon_weeks=horizon, service_level=service_level, time_limit_s=time_limit,
        budget=Money.of(_decimal(budget, "--budget"), currency.upper()) if budget else None)
    on = date.fromisoformat(today) if today else get_container().clock.now().date()
    plan = _in_org(org, lambda s, o: inventory.plan_replenishment(s, organization_id=o, today=on, settings=settings))
    rows = [{"sku": p.sku, "from": p.from_site, "to": p.to_site, "mode": p.mode, "quantity": p.quantity,
             "ship_by": p.ship_by.isoformat(), "eta": p.eta.isoformat(), "freight": str(p.freight.amount),
             "currency": p.freight.currency, "lane": p.lane_id} for p in plan.shipments]
    if out is not None:
        pd.DataFrame(rows, columns=["sku", "from", "to", "mode", "quantity", "ship_by", "eta", "freight",
                                    "currency", "lane"]).to_csv(out, index=False)
    summary = {"status": plan.status, "method": plan.method, "mip_gap": plan.mip_gap,
               "solve_seconds": round(plan.solve_seconds, 2), "freight": str(plan.freight_cost),
               "handling": str(plan.handling_cost), "holding": str(plan.holding_cost),
               "expected_backorder": str(plan.backorder_cost), "shipments": len(rows)}
    if as_json:
        typer.echo(json.dumps({"summary": summary, "shipments": rows, "lines": [
            {"sku": ln.sku, "warehouse": ln.site, "position": ln.position, "demand": round(ln.demand_horizon, 1),
             "safety_stock": round(ln.safety_stock, 1), "planned_in": ln.planned_in,
             "service_level": round(ln.expected_service_level, 3), "upper_band_extra": ln.upper_band_extra}
            for ln in plan.lines]}, indent=2))
        return
    for row in rows[:50]:
        typer.echo(f"{row['ship_by']}  {row['quantity']:>7} x {row['sku']} {row['from']} -> {row['to']} by "
                   f"{row['mode']} (ETA {row['eta']}, freight {row['freight']} {row['currency']})")
    typer.echo(" | ".join(f"{k} {v}" for k, v in summary.items()))


@stock_app.command("warehouse-add")
def warehouse_add(
    code: str = typer.Argument(...), name: str = typer.Option(..., "--name"), tier: str = typer.Option(..., "--tier"),
    country: str = typer.Option(..., "--country"), currency: str = typer.Option(..., "--currency"),
    operator: str = typer.Option("own", "--operator"), marketplace: str | None = typer.Option(None, "--marketplace"),
    capacity_m3: str | None = typer.Option(None, "--capacity-m3"),
    storage_cost: str = typer.Option(..., "--storage-cost", help="per m3 per month"),
    handling_cost: str = typer.Option(..., "--handling-cost", help="per unit"), org: str = _ORG,
) -> None:
    """Add a warehouse (tier domestic, overseas or forward; operator own, 3pl or marketplace)."""
    try:
        data = inventory.WarehouseIn(
            code=code, name=name, tier=tier, operator=operator, marketplace=marketplace, country=country,
            currency=currency, capacity_m3=_decimal(capacity_m3, "--capacity-m3") if capacity_m3 else None,
            storage_cost_per_m3_month=_decimal(storage_cost, "--storage-cost"),
            handling_cost_per_unit=_decimal(handling_cost, "--handling-cost"))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    out = _in_org(org, lambda s, o: inventory.create_warehouse(s, organization_id=o, data=data))
    typer.echo(f"warehouse {out.code} ({out.tier}, {out.country}) added")


@stock_app.command("move")
def move(
    kind: str = typer.Argument(..., help="receive, reserve, release, ship, adjust or return"),
    warehouse: str = typer.Argument(...), sku: str = typer.Argument(...), quantity: int = typer.Argument(...),
    reason: str | None = typer.Option(None, "--reason"), reference: str | None = typer.Option(None, "--reference"),
    org: str = _ORG,
) -> None:
    """Append one ledger entry; refused (exit 2) if stock would go negative."""
    calls = {"receive": inventory.receive_stock, "reserve": inventory.reserve_stock,
             "release": inventory.release_reservation, "ship": inventory.ship_stock, "return": inventory.return_stock}
    if kind == "adjust":
        _in_org(org, lambda s, o: inventory.adjust_stock(s, organization_id=o, warehouse=warehouse, sku=sku,
                                                           quantity=quantity, reason=reason or ""))
    elif kind in calls:
        _in_org(org, lambda s, o: calls[kind](s, organization_id=o, warehouse=warehouse, sku=sku,
                                                quantity=quantity, reference=reference))
    else:
        raise typer.BadParameter("use receive, reserve, release, ship, adjust or return", param_hint="KIND")
    typer.echo(f"{kind} {quantity} x {sku} at {warehouse}: recorded")


@stock_app.command("levels")
def levels(sku: str | None = typer.Option(None, "--sku"), warehouse: str | None = typer.Option(None, "--warehouse"),
           as_json: bool = typer.Option(False, "--json"), org: str = _ORG) -> None:
    """Stock by warehouse and SKU: on hand, reserved, available, in transit."""
    rows = _in_org(org, lambda s, o: inventory.stock_levels(s, organization_id=o, sku=sku, warehouse=warehouse))
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in rows], indent=2))
        return
    for r in rows:
        typer.echo(f"{r.warehouse_code:<12} {r.tier:<9} {r.sku:<16} on_hand {r.on_hand:>7}  reserved {r.reserved:>6}"
                   f"  available {r.available:>7}  in_transit {r.in_transit:>6}")


@stock_app.command("transfer")
def transfer(
    number: str = typer.Argument(...), from_warehouse: str = typer.Option(..., "--from"),
    to_warehouse: str = typer.Option(..., "--to"), mode: str = typer.Option(..., "--mode"),
    eta: str = typer.Option(..., "--eta", help="YYYY-MM-DD"), line: list[str] = typer.Option(..., "--line",
                                                                                           help="SKU=QTY"),
    org: str = _ORG,
) -> None:
    """Dispatch a transfer order (all lines or none)."""
    lines = []
    for item in line:
        sku, _, qty = item.partition("=")
        if not qty.isdigit():
            raise typer.BadParameter(f"{item!r}: use SKU=QTY", param_hint="--line")
        lines.append(inventory.TransferLineIn(sku=sku, quantity=int(qty)))
    shipped = get_container().clock.now().date()
    out = _in_org(org, lambda s, o: inventory.create_transfer(
        s, organization_id=o, number=number, from_warehouse=from_warehouse, to_warehouse=to_warehouse,
        mode=mode, shipped_on=shipped, eta_on=date.fromisoformat(eta), lines=lines))  # type: ignore[arg-type]
    typer.echo(f"transfer {out.number}: {out.from_warehouse} -> {out.to_warehouse} by {out.mode}, ETA {out.eta_on}")


@stock_app.command("receive-transfer")
def receive_transfer(number: str = typer.Argument(...), org: str = _ORG) -> None:
    """Book the arrival of every outstanding unit of a transfer."""
    on = get_container().clock.now().date()
    out = _in_org(org, lambda s, o: inventory.receive_transfer(s, organization_id=o, number=number,
                                                                 received_on=on))
    typer.echo(f"transfer {out.number}: {out.status}")


@stock_app.command("import-sales")
def import_sales(file: Path = typer.Argument(..., exists=True, dir_okay=False), freq: str = typer.Option("W", "--freq"),
                 skip_unknown_markets: bool = typer.Option(False, "--skip-unknown-markets"),
                 org: str = _ORG) -> None:
    """Import order lines (CSV/XLSX; Online Retail layout accepted) as daily or weekly demand per SKU x market."""
    if freq not in ("D", "W"):
        raise typer.BadParameter("use D or W", param_hint="--freq")
    content = file.read_bytes()
    report = _in_org(org, lambda s, o: inventory.import_sales_history(
        s, organization_id=o, content=content, filename=file.name, freq=freq,  # type: ignore[arg-type]
        unknown_market="skip" if skip_unknown_markets else "error"))
    typer.echo(f"{report.lines_read} lines -> {report.demand_rows} demand rows, {report.skus} SKUs, markets "
               f"{', '.join(report.markets)}; {len(report.unknown_skus)} SKUs not in the catalog; skipped "
               f"{sum(report.skipped_unknown_market.values())} lines with unknown markets")


@stock_app.command("route")
def route(sku: str = typer.Argument(...), quantity: int = typer.Argument(...),
          country: str = typer.Option(..., "--to", help="buyer's country"),
          reserve: bool = typer.Option(False, "--reserve"), org: str = _ORG) -> None:
    """Which warehouse should ship an order line (optionally reserving the stock)."""
    decision = _in_org(org, lambda s, o: inventory.route_order(
        s, organization_id=o, sku=sku, quantity=quantity, destination_country=country, reserve=reserve))
    for alloc in decision.allocations:
        typer.echo(f"{alloc.quantity} x {sku} from {alloc.warehouse}")
    typer.echo(decision.reason)
