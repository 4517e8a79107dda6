"""`xborder import products` / `xborder export products` through Typer's runner on the test database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from xborder import catalog
from xborder.cli import context
from xborder.cli.catalog import export_app, import_app


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, org_a: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XBORDER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XBORDER_DATA_DIR", str(tmp_path))
    context.get_settings.cache_clear()
    context.get_container.cache_clear()
    yield tmp_path
    context.get_container().engine.dispose()
    context.get_settings.cache_clear()
    context.get_container.cache_clear()


def test_import_bad_file_prints_every_error_and_exits_2(cli_env: Path) -> None:
    bad = cli_env / "bad.csv"
    bad.write_bytes(catalog.demo_catalog_bad_csv())
    result = CliRunner().invoke(import_app, ["products", str(bad), "--org", "shengyue", "--json"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(16, "海关编码"), (42, "净重(kg)"), (79, "SKU")]
    table = CliRunner().invoke(import_app, ["products", str(bad), "--org", "shengyue"])
    assert table.exit_code == 2 and "nothing was imported" in table.stdout and "851839" in table.stdout


def test_import_dry_run_then_real_then_export(cli_env: Path) -> None:
    good = cli_env / "声悦.csv"
    good.write_bytes(catalog.demo_catalog_csv())
    runner = CliRunner()
    dry = runner.invoke(import_app, ["products", str(good), "--org", "shengyue", "--dry-run"])
    assert dry.exit_code == 0 and "would create 35 products and 120 variants" in dry.stdout
    real = runner.invoke(import_app, ["products", str(good), "--org", "shengyue"])
    assert real.exit_code == 0 and "created 35 products and 120 variants" in real.stdout
    out = cli_env / "export.xlsx"
    exported = runner.invoke(export_app, ["products", "--format", "xlsx", "--lang", "zh", "--out", str(out),
                                          "--org", "shengyue"])
    assert exported.exit_code == 0 and out.stat().st_size > 5000
    again = runner.invoke(import_app, ["products", str(out), "--org", "shengyue", "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout)["variants_updated"] == 120


def test_unknown_org_exits_1(cli_env: Path) -> None:
    good = cli_env / "a.csv"
    good.write_bytes(b"sku,title\nA,x\n")
    result = CliRunner().invoke(import_app, ["products", str(good), "--org", "nobody"])
    assert result.exit_code == 1
