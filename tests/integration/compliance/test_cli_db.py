"""Database-backed CLI commands: evaluate, matrix, evidence upload (refusal exit 2), history, rules load, alerts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
import yaml
from sqlalchemy import Engine
from typer.testing import CliRunner

from xborder import compliance
from xborder.cli import context
from xborder.cli.compliance import compliance_app, rules_app

from .conftest import PDF

app = typer.Typer()
app.add_typer(compliance_app, name="compliance")
app.add_typer(rules_app, name="rules")
runner = CliRunner()


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, seller: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XBORDER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XBORDER_DATA_DIR", str(tmp_path))
    context.get_settings.cache_clear()
    context.get_container.cache_clear()
    yield tmp_path
    context.get_container().engine.dispose()
    context.get_settings.cache_clear()
    context.get_container.cache_clear()


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_evaluate_matrix_evidence_history_and_rules_load(cli_env: Path) -> None:
    assert "5 SKU(s) evaluated" in _ok(["compliance", "evaluate", "--org", "shengyue", "--market", "DE",
                                        "--market", "JP", "--date", "2026-11-22"])
    matrix = json.loads(_ok(["compliance", "matrix", "--org", "shengyue", "--json"]))
    assert matrix["cells"]["SPK-01"]["JP"]["verdict"] == "blocked"
    assert matrix["counts"]["DE"]["blocked"] == 5

    fake = cli_env / "cert.pdf"
    fake.write_bytes(b"PK\x03\x04 not a pdf")
    refused = runner.invoke(app, ["compliance", "evidence", "upload", str(fake), "--type", "certificate",
                                  "--scheme", "giteki", "--issuer", "RCB", "--issued-on", "2026-01-01",
                                  "--org", "shengyue"])
    assert refused.exit_code == 2 and "not a PDF or an image" in refused.stderr
    real = cli_env / "giteki.pdf"
    real.write_bytes(PDF)
    assert "stored" in _ok(["compliance", "evidence", "upload", str(real), "--type", "certificate", "--scheme",
                            "giteki", "--issuer", "RCB", "--issued-on", "2026-01-01", "--expires-on", "2030-01-01",
                            "--sku", "SPK-01", "--org", "shengyue"])
    assert json.loads(_ok(["compliance", "evidence", "list", "--json"]))[0]["skus"] == ["SPK-01"]
    record = json.loads(_ok(["compliance", "history", "SPK-01", "--market", "JP", "--date", "2030-01-01"]))
    assert record["verdict"] == "blocked"  # the UN 38.3 test summary is still missing
    assert {r["id"]: r["status"] for r in record["requirements"]}["jp.radio.giteki"] == "satisfied"

    pack = yaml.safe_load((compliance.packs_root() / "jp" / "rules.yaml").read_text(encoding="utf-8"))
    giteki = next(r for r in pack["rules"] if r["id"] == "jp.radio.giteki")
    giteki["severity"] = "required"
    path = cli_env / "jp" / "rules.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    out = _ok(["rules", "load", str(path)])
    assert "jp.radio.giteki" in out and "1 alert(s)" in out
    alerts = json.loads(_ok(["compliance", "alerts", "list"]))
    assert alerts[0]["kind"] == "rules_changed" and alerts[0]["body"]["skus_by_market"]["JP"]
    broken = cli_env / "broken.yaml"
    broken.write_text("jurisdiction: JP\nversion: x\nrules: [", encoding="utf-8")
    rejected = runner.invoke(app, ["rules", "load", str(broken)])
    assert rejected.exit_code == 2 and "not valid YAML" in rejected.stderr


def _jp_severity_pack(folder: Path) -> Path:
    pack = yaml.safe_load((compliance.packs_root() / "jp" / "rules.yaml").read_text(encoding="utf-8"))
    next(r for r in pack["rules"] if r["id"] == "jp.radio.giteki")["severity"] = "required"
    path = folder / "jp" / "rules.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    return path


def test_alerts_deliver_reads_the_settings_section(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                   webhook_server, smtp_server) -> None:
    url, received = webhook_server
    port, mails = smtp_server
    monkeypatch.setenv("XBORDER_ALERTS__SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("XBORDER_ALERTS__SMTP_PORT", str(port))
    monkeypatch.setenv("XBORDER_ALERTS__SMTP_FROM", "alerts@xborder.example")
    refused = runner.invoke(app, ["compliance", "alerts", "subscribe", "webhook", url])
    assert refused.exit_code == 2 and "target" in refused.stderr and "loopback" in refused.stderr
    context.get_settings.cache_clear()
    context.get_container.cache_clear()
    monkeypatch.setenv("XBORDER_ALERTS__ALLOW_PRIVATE_WEBHOOKS", "true")  # the receiver runs on 127.0.0.1
    assert "signing secret" in _ok(["compliance", "alerts", "subscribe", "webhook", url])
    _ok(["compliance", "alerts", "subscribe", "email", "ops@shengyue.example"])
    _ok(["compliance", "evaluate", "--market", "JP", "--date", "2026-11-22"])
    assert "1 alert(s)" in _ok(["rules", "load", str(_jp_severity_pack(cli_env))])
    assert "sent 2, retrying 0, failed 0" in _ok(["compliance", "alerts", "deliver"])
    assert len(received.requests) == 1 and len(mails) == 1 and "From: alerts@xborder.example" in mails[0]


def test_alerts_deliver_ignores_the_old_variables(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XBORDER_SMTP_HOST", "127.0.0.1")  # the pre-Settings name: no longer read
    _ok(["compliance", "alerts", "subscribe", "email", "ops@shengyue.example"])
    _ok(["compliance", "evaluate", "--market", "JP", "--date", "2026-11-22"])
    _ok(["rules", "load", str(_jp_severity_pack(cli_env))])
    out = _ok(["compliance", "alerts", "deliver"])
    assert "sent 0" in out and "XBORDER_ALERTS__SMTP_HOST is not set" in out
    assert "--smtp-host" not in runner.invoke(app, ["compliance", "alerts", "deliver", "--help"]).stdout
