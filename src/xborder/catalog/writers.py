"""Write catalog rows as CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX, safe against formula injection.

Pure: takes plain dicts keyed by template column names, returns bytes. The importer reads back exactly what is
written here (apostrophe escapes included), which is what makes export -> import lossless.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Literal

from xborder.catalog import fields as f
from xborder.catalog.template import COLUMNS, header_label

__all__ = ["NUMERIC_COLUMNS", "export_header", "neutralize", "render_cells", "write_csv", "write_xlsx"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
# Beyond 15 significant digits an Excel number (an IEEE double) is no longer exact: such values go as text.
_EXACT_DIGITS = 15

NUMERIC_COLUMNS = frozenset({"cost_price", "net_weight_kg", "gross_weight_kg", "length_cm", "width_cm",
                             "height_cm", "battery_wh", "power_w"})


def neutralize(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (= + - @ tab CR).

    Plain numbers such as "-5" stay as they are (they are data, not formulas). Text that already starts with
    apostrophes before a dangerous character gets one more, so the importer's single-apostrophe strip is exact.
    """
    if not text:
        return text
    if _PLAIN_NUMBER.match(text):
        return text
    if text.startswith(_DANGEROUS) or _ESCAPED.match(text):
        return "'" + text
    return text


def export_header(language: Literal["en", "zh"], attribute_keys: Iterable[str]) -> tuple[list[str], list[str]]:
    """(canonical names, header labels) in export order; free attributes last as attr:<key>."""
    names = [c.name for c in COLUMNS] + [f"attr:{k}" for k in attribute_keys]
    return names, [header_label(n, language) for n in names]


def _text_value(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f.format_decimal(value)
    if isinstance(value, list):
        return f.format_list(value)
    return str(value)


def render_cells(record: dict[str, Any], names: list[str], *, typed: bool) -> list[Any]:
    """One output row. `typed` (XLSX) keeps exact-enough Decimals as numbers; text is always neutralized."""
    attributes = record.get("attributes") or {}
    cells: list[Any] = []
    for name in names:
        if name.startswith("attr:"):
            value: Any = attributes.get(name[5:])
        elif name == "voltage_v":
            value = f.format_voltage(record.get("voltage_min_v"), record.get("voltage_max_v"))
        else:
            value = record.get(name)
        if (typed and name in NUMERIC_COLUMNS and isinstance(value, Decimal)
                and len(value.as_tuple().digits) <= _EXACT_DIGITS):
            cells.append(value)
            continue
        text = _text_value(name, value)
        if name in NUMERIC_COLUMNS or name == "voltage_v":
            cells.append(text if text or not typed else None)
        else:
            cells.append(neutralize(text) if text or not typed else None)
    return cells


def write_csv(labels: list[str], rows: Iterator[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(labels)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def write_xlsx(labels: list[str], rows: Iterator[list[Any]], *, sheet_title: str = "catalog") -> bytes:
    from openpyxl import Workbook  # deferred: only XLSX exports pay for it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(labels)
    # openpyxl turns a string starting with "=" into a formula; render_cells already neutralized every text cell.
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
