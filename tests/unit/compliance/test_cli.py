"""CLI contract: `compliance check --json` output shape, `rules validate` exit codes, `rules test`, `rules diff`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from xborder.cli.compliance import compliance_app, rules_app
from xborder.compliance import packs_root

app = typer.Typer()
app.add_typer(compliance_app, name="compliance")
app.add_typer(rules_app, name="rules")
runner = CliRunner()

CSV = """product_id,sku,title,hs_code,battery_chemistry,battery_wh,battery_packing,voltage_v,wireless_bands,age_group
P1,SPK-01,Bluetooth speaker,851822,li_ion,7.4,contained_in_equipment,5,Bluetooth 5.0,adult
P3,KET-01,Kettle,851679,,,none,220-240,none,adult
"""


def test_check_json_contract(tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_text(CSV, encoding="utf-8")
    result = runner.invoke(app, ["compliance", "check", "--products", str(products), "--market", "JP",
                                 "--market", "GB", "--date", "2026-11-22", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [(o["sku"], o["market"]) for o in out] == [("SPK-01", "JP"), ("SPK-01", "GB"), ("KET-01", "JP"),
                                                       ("KET-01", "GB")]
    verdicts = {(o["sku"], o["market"]): o["verdict"] for o in out}
    assert verdicts[("SPK-01", "JP")] == "blocked"
    for obj in out:
        for req in obj["requirements"]:
            assert {"id", "kind", "status", "title", "source"} <= set(req)
            assert req["source"]["href"].startswith("https://")
    kettle_gb = {r["id"]: r["status"] for r in out[3]["requirements"]}
    assert kettle_gb["gb.ukca.electrical_safety"] == "missing"


def test_check_with_evidence_file(tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_text(CSV, encoding="utf-8")
    evidence = tmp_path / "evidence.yaml"
    evidence.write_text(yaml.safe_dump([{"type": "certificate", "scheme": "giteki", "issued_on": "2025-01-01",
                                         "skus": ["SPK-01"]},
                                        {"type": "test_report", "scheme": "un38-3", "issued_on": "2025-01-01"}]))
    result = runner.invoke(app, ["compliance", "check", "--products", str(products), "--market", "JP",
                                 "--date", "2026-11-22", "--json", "--evidence", str(evidence)])
    assert result.exit_code == 0, result.output
    speaker = json.loads(result.stdout)[0]
    assert speaker["verdict"] == "ready"


def test_check_rejects_bad_rows_naming_row_and_column(tmp_path: Path) -> None:
    products = tmp_path / "bad.csv"
    products.write_text("sku,hs_code,battery_wh\nA,851830,-1\nA,851830,2\n", encoding="utf-8")
    result = runner.invoke(app, ["compliance", "check", "--products", str(products), "--market", "DE", "--json"])
    assert result.exit_code == 2
    assert "row 2" in result.stderr and "battery_wh" in result.stderr
    assert "duplicate" in result.stderr.lower() or "already appears" in result.stderr


def test_check_unknown_market_exit_1(tmp_path: Path) -> None:
    products = tmp_path / "products.csv"
    products.write_text(CSV, encoding="utf-8")
    result = runner.invoke(app, ["compliance", "check", "--products", str(products), "--market", "ZZ"])
    assert result.exit_code == 1


def test_rules_validate_shipped_tree_and_one_pack() -> None:
    result = runner.invoke(app, ["rules", "validate", str(packs_root())])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok:")
    result = runner.invoke(app, ["rules", "validate", str(packs_root() / "de" / "rules.yaml")])
    assert result.exit_code == 0, result.output


def test_rules_validate_errors_exit_2_naming_rule_and_field(tmp_path: Path) -> None:
    bad = yaml.safe_load((packs_root() / "jp" / "rules.yaml").read_text(encoding="utf-8"))
    bad["rules"][0]["when"] = {"attr": "colour", "eq": "red"}
    del bad["rules"][1]["source"]
    bad["rules"][2]["when"] = {"all": [{"attr": "battery_wh", "gt": 10}, {"attr": "battery_wh", "lt": 5}]}
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 2
    assert "jp.pse.diamond.when.attr" in result.stderr
    assert "jp.pse.circle.source" in result.stderr
    bad["rules"][0]["when"] = {"hs": ["850440"]}
    bad["rules"][1]["source"] = {"title": "METI DENAN", "href": "https://www.meti.go.jp/"}
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 2
    assert "jp.pse.lithium_battery.when" in result.stderr and "unreachable" in result.stderr


def test_rules_test_runs_every_case() -> None:
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("0 failed")


def test_rules_diff_reports_moved_dates(tmp_path: Path) -> None:
    pack = yaml.safe_load((packs_root() / "gb" / "rules.yaml").read_text(encoding="utf-8"))
    psti = next(r for r in pack["rules"] if r["id"] == "gb.psti.statement_of_compliance")
    psti["valid_from"] = "2025-01-01"
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["rules", "diff", str(path), "--json"])
    assert result.exit_code == 0, result.output
    (change,) = json.loads(result.stdout)
    assert change["change"] == "dates_moved" and change["markets"] == ["GB"]
