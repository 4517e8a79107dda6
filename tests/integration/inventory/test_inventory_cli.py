"""`xborder stock ...` and `xborder replenish` through Typer's runner on the test database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from xborder.cli import context
from xborder.cli.inventory import replenish, stock_app


@pytest.fixture
def cli(engine: Engine, tmp_path: Path, org: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("XBORDER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XBORDER_DATA_DIR", str(tmp_path))
    context.get_settings.cache_clear()
    context.get_container.cache_clear()
    app = typer.Typer()
    app.add_typer(stock_app, name="stock")
    app.command("replenish")(replenish)
    yield app
    context.get_container().engine.dispose()
    context.get_settings.cache_clear()
    context.get_container.cache_clear()


def test_stock_commands_and_replenish(cli: typer.Typer, tmp_path: Path) -> None:
    run = CliRunner().invoke
    for code, tier, country, cur in (("SZ", "domestic", "CN", "CNY"), ("DE-3PL", "overseas", "DE", "EUR")):
        res = run(cli, ["stock", "warehouse-add", code, "--name", code, "--tier", tier, "--country", country,
                        "--currency", cur, "--storage-cost", "10", "--handling-cost", "0.3", "--capacity-m3", "300"])
        assert res.exit_code == 0, res.output
    assert run(cli, ["stock", "move", "receive", "SZ", "EAR-01", "500"]).exit_code == 0
    refused = run(cli, ["stock", "move", "ship", "DE-3PL", "EAR-01", "1"])
    assert refused.exit_code == 2 and "insufficient_stock" in refused.output
    assert run(cli, ["stock", "move", "receive", "MOON", "EAR-01", "1"]).exit_code == 1
    levels = json.loads(run(cli, ["stock", "levels", "--json"]).stdout)
    assert levels[0]["warehouse_code"] == "SZ" and levels[0]["available"] == 500
    orders = tmp_path / "orders.csv"
    start = date(2025, 9, 1)
    orders.write_text("order_id,sku,quantity,ordered_at,market\n" + "".join(
        f"A{w},EAR-01,{20 + w % 5},{start + timedelta(weeks=w)},DE\n" for w in range(40)))
    res = run(cli, ["stock", "import-sales", str(orders)])
    assert res.exit_code == 0 and "40 demand rows" in res.stdout
    out = tmp_path / "plan.csv"
    res = run(cli, ["replenish", "--backorder-cost", "3", "--fx", "CNY=0.128", "--fx", "USD=0.92", "--today",
                    "2026-06-01", "--horizon", "10", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    plan = json.loads(res.stdout)
    assert plan["summary"]["shipments"] >= 1 and plan["shipments"][0]["from"] == "SZ"
    assert out.read_text().startswith("sku,from,to,mode,quantity,ship_by,eta,freight,currency,lane")
    res = run(cli, ["stock", "route", "EAR-01", "3", "--to", "DE", "--reserve"])
    assert res.exit_code == 0 and "from SZ" in res.stdout
