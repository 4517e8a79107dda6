"""`xborder markets list|show`: parse, call the markets API, render text or stable JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from xborder.cli.markets import app

runner = CliRunner()


def test_list_json_has_stable_keys() -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    de = next(row for row in rows if row["code"] == "DE")
    assert de == {"code": "DE", "name": {"en": "Germany", "zh": "德国"}, "currency": "EUR", "languages": ["de"],
                  "writing_direction": "ltr"}


def test_show_json_gives_value_in_force_with_source() -> None:
    result = runner.invoke(app, ["show", "us", "--date", "2025-05-10", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    facts = {fact["key"]: fact for fact in payload["facts"]}
    duty = facts["de_minimis.duty"]
    assert duty["valid_from"] == "2025-05-02" and duty["value"][0]["excluded_origins"] == ["CN", "HK"]
    assert duty["reference"]["href"].startswith("https://") and duty["certainty"] == "confirmed"
    assert set(duty) == {"key", "unit", "defined_in", "value", "in_force", "valid_from", "valid_until", "certainty",
                         "note", "reference", "checked_on"}


def test_show_table_and_errors() -> None:
    result = runner.invoke(app, ["show", "DE", "--date", "2020-09-01"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "16 %" in result.output and "gesetze-im-internet.de" in result.output
    assert runner.invoke(app, ["show", "XX"]).exit_code == 1
    assert runner.invoke(app, ["show", "DE", "--date", "1.9.2020"]).exit_code == 2
