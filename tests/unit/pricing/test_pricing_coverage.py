"""The coverage report: per market, how many consumer-goods headings the schedule in force covers, how sure the
lines are, and which regimes replace the base rate; a market without data says why."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from xborder.cli.main import app
from xborder.pricing import CONSUMER_CHAPTERS, tariff_coverage


def test_report_counts_headings_and_names_gaps() -> None:
    report = {m.market: m for m in tariff_coverage(date(2026, 3, 1))}
    assert len(report) >= 27 and [c.chapter for c in report["US"].chapters] == list(CONSUMER_CHAPTERS)
    us, sg, sa, br = report["US"], report["SG"], report["SA"], report["BR"]
    assert us.covered == us.headings > 300  # the full HTS: every HS 2022 subheading has national lines
    assert sg.covered == sg.headings and sg.chapters[0].certainty == {"confirmed": 1}  # one chapter line: 33
    assert sa.version is None and sa.problem and "no tariff schedule" in sa.problem and sa.covered == 0
    assert br.covered == 0 and br.regimes  # base (TEC) not shipped; the simplified regime replaces it
    de = report["DE"]
    assert de.covered < de.headings and sum(c.partial for c in de.chapters) > 0  # HS 2017 edition: renumbered codes
    ke = report["KE"]
    assert all(c.covered + c.partial <= c.headings for c in ke.chapters)


def test_before_a_schedule_starts_the_problem_is_the_date() -> None:
    ng = next(m for m in tariff_coverage(date(2024, 1, 1)) if m.market == "NG")
    assert ng.schedule == "ng" and ng.version is None and ng.problem and "no version in force" in ng.problem


def test_cli_json(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XBORDER_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["tariffs", "coverage", "--date", "2026-03-01", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["market"]: row for row in json.loads(result.output)}
    assert rows["US"]["covered"] == rows["US"]["headings"] and rows["SA"]["version"] is None
    assert {"chapter", "headings", "covered", "partial", "lines_by_certainty"} <= set(rows["JP"]["chapters"][0])
    text = CliRunner().invoke(app, ["tariffs", "coverage", "--date", "2026-03-01"])
    assert text.exit_code == 0 and "no tariff schedule for market SA" in text.output
