"""Export safety: formula injection neutralized, negative numbers stay numeric, CSV has a BOM, XLSX has no formulas."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from xborder.catalog.rows import cell_text
from xborder.catalog.writers import export_header, neutralize, render_cells, write_csv, write_xlsx


@pytest.mark.parametrize(("text", "expected"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+cmd", "'+cmd"), ("-x", "'-x"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-5", "-5"), ("-3.25", "-3.25"), ("+7", "+7"),
    ("'=x", "''=x"), ("'plain", "'plain"), ("normal", "normal"), ("", ""),
])
def test_neutralize(text: str, expected: str) -> None:
    assert neutralize(text) == expected
    assert cell_text(neutralize(text), "title") == (text.strip() or None)


def test_csv_has_bom_and_escaped_cells() -> None:
    names, labels = export_header("zh", [])
    record = {"sku": "=1+1", "title": "蓝牙耳机", "net_weight_kg": Decimal("0.250")}
    data = write_csv(labels, iter([render_cells(record, names, typed=False)]))
    assert data.startswith(b"\xef\xbb\xbf\xe5\x95\x86")  # BOM then 商品编号
    line = data.decode("utf-8-sig").splitlines()[1]
    assert ",'=1+1," in line and ",0.25," in line


def test_xlsx_never_contains_formulas_and_keeps_numbers_numeric() -> None:
    names, labels = export_header("en", ["colour"])
    record = {"sku": "=cmd|' /C calc'!A0", "title": "@SUM(1)", "cost_price": Decimal("12.50"),
              "attributes": {"colour": "-2"}, "voltage_min_v": Decimal(100), "voltage_max_v": Decimal(240)}
    data = write_xlsx(labels, iter([render_cells(record, names, typed=True)]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    row = {labels[i]: cell for i, cell in enumerate(sheet[2])}
    assert all(c.data_type != "f" for c in sheet[2])
    assert row["sku"].value == "'=cmd|' /C calc'!A0"
    assert row["cost_price"].value == 12.5 and row["cost_price"].data_type == "n"
    assert row["voltage_v"].value == "100-240"
    assert row["attr:colour"].value == "-2"
