"""Parse a file in the catalog import format into typed rows without touching the database.

For other domains that read a catalog file (e.g. `xborder compliance check --products FILE`): the same sheet
reader, header mapping and cell parsers as the importer, so they accept exactly what `xborder import` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xborder.catalog.readers import FileRejected, open_sheet
from xborder.catalog.rows import validate_row
from xborder.catalog.template import map_headers
from xborder.kernel import ErrorDetail, ValidationFailed
from xborder.settings import ImportLimits

__all__ = ["ParsedRow", "parse_products_file"]


@dataclass(frozen=True)
class ParsedRow:
    """One valid row: its SKU, product-level and variant-level values (catalog column names), and row number."""

    row: int
    sku: str
    product: dict[str, Any] = field(default_factory=dict)
    variant: dict[str, Any] = field(default_factory=dict)


def parse_products_file(filename: str, content: bytes, *, limits: ImportLimits | None = None) -> list[ParsedRow]:
    """Every row of the file, typed; any problem rejects the whole file with each row and column named.

    Raises:
        ValidationFailed: unreadable file, missing sku column, bad cells, duplicate SKUs (`details` name them).
    """
    try:
        sheet = open_sheet(filename, content, limits or ImportLimits())
    except FileRejected as exc:
        raise ValidationFailed(exc.message, details=[ErrorDetail(exc.message, row=exc.row, code=exc.code)]) from None
    headers = map_headers(sheet.header)
    errors: list[ErrorDetail] = []
    if "sku" not in headers.written:
        errors.append(ErrorDetail("the file has no sku column", row=sheet.header_row, field="sku",
                                  code="catalog.missing_column"))
    rows: list[ParsedRow] = []
    seen: dict[str, int] = {}
    try:
        for number, cells in sheet.rows:
            record, issues = validate_row(cells, headers, number)
            errors.extend(ErrorDetail(i.message, row=i.row, field=i.column, code=i.code) for i in issues)
            if record.sku and record.sku in seen:
                errors.append(ErrorDetail(f"SKU {record.sku!r} already appears on row {seen[record.sku]}",
                                          row=number, field="sku", code="catalog.duplicate_sku"))
                continue
            seen.setdefault(record.sku, number)
            if not issues:
                rows.append(ParsedRow(number, record.sku, dict(record.product), dict(record.variant)))
    except FileRejected as exc:
        errors.append(ErrorDetail(exc.message, row=exc.row, code=exc.code))
    if errors:
        raise ValidationFailed(f"{filename}: {len(errors)} problem(s) in the file", details=errors)
    return rows
