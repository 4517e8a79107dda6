"""`xborder l10n qa` contract: JSON list with sku, language, findings(code, severity, field, message); bad CSVs
exit 2 naming the row and column; an unknown market exits 1."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from xborder.cli.l10n import app

CSV = (
    "sku,language,title,description,source_language,source_title,source_description\n"
    "SY-K100,ja,使用制限電気ケトル 1.5L SY-K100 4個セット,サイズ 8 x 6 in,zh,"
    "声悦 节能电水壶 1.5L SY-K100 4件套,尺寸 20 x 15 厘米\n"
    "SY-BT5,ja,ワイヤレスイヤホン SY-BT5,最大30時間再生,zh,无线耳机 SY-BT5,最长30小时播放\n"
)


def test_qa_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "listings.csv"
    path.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(app, ["qa", "--file", str(path), "--market", "JP", "--channel", "amazon", "--json",
                                      "--date", "2026-11-22"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["sku"] for r in rows] == ["SY-K100", "SY-BT5"]
    first = {f["code"] for f in rows[0]["findings"]}
    assert {"known_mistranslation", "unlucky_number", "metric_units_missing"} <= first
    assert set(rows[0]["findings"][0]) == {"code", "severity", "field", "message"}
    assert rows[1]["findings"] == []


def test_bad_csv_and_unknown_market(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("sku,language,title\nA,ja,x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["qa", "--file", str(path), "--market", "JP"])
    assert result.exit_code == 2 and "description" in result.output
    path.write_text("sku,language,title,description\n,xx_bad!,t,d\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["qa", "--file", str(path), "--market", "JP"])
    assert result.exit_code == 2 and "row 2" in result.output
    good = tmp_path / "ok.csv"
    good.write_text(CSV, encoding="utf-8")
    assert CliRunner().invoke(app, ["qa", "--file", str(good), "--market", "XX"]).exit_code == 1
