"""`xborder hs search|show` through Typer's test runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from xborder.cli.hs import app

runner = CliRunner()


def test_search_chinese_table_lists_8518_first() -> None:
    result = runner.invoke(app, ["search", "蓝牙耳机", "--limit", "3"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ 85")]
    assert rows[0].startswith("│ 8518.30")
    assert "耳机" in result.output


def test_search_json() -> None:
    result = runner.invoke(app, ["search", "bluetooth earphones", "--json", "-n", "2"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [h["code"] for h in hits] == ["851830", "8518"]
    assert set(hits[0]) == {"code", "level", "description_en", "description_zh", "parent", "score", "match"}


def test_search_empty_query_exits_with_usage_error() -> None:
    result = runner.invoke(app, ["search", "  "])
    assert result.exit_code == 2
    assert "search text is empty" in result.output


def test_show_path_and_children() -> None:
    result = runner.invoke(app, ["show", "8518"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Section XVI")
    assert any(line.strip().startswith("8518.30") for line in lines)


def test_show_json_for_national_code() -> None:
    result = runner.invoke(app, ["show", "8518.30.00.90", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [e["code"] for e in payload["path"]] == ["XVI", "85", "8518", "851830"]
    assert payload["children"] == []


def test_show_unknown_code_exits_1() -> None:
    result = runner.invoke(app, ["show", "999999"])
    assert result.exit_code == 1
    assert "999999" in result.output
