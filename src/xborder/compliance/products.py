"""Read a file in the catalog import format (CSV/XLSX, English or Chinese headers) into `ProductFacts`.

Uses the catalog's own sheet reader, header mapping and cell parsers, so `xborder compliance check --products FILE`
accepts exactly what `xborder import products` accepts, without touching the database.
"""

from __future__ import annotations

from typing import Any

from xborder.catalog.readers import FileRejected, open_sheet
from xborder.catalog.rows import validate_row
from xborder.catalog.template import map_headers
from xborder.compliance.attributes import ATTRIBUTES, ProductFacts, facts_from_mapping
from xborder.kernel import ErrorDetail, ValidationFailed
from xborder.settings import ImportLimits

__all__ = ["facts_from_variant", "read_products_file"]


def facts_from_variant(sku: str, variant: dict[str, Any], product: dict[str, Any] | None = None) -> ProductFacts:
    """ProductFacts from catalog column values (a Variant's columns, or an import row's typed values)."""
    row: dict[str, Any] = {k: v for k, v in variant.items() if k in ATTRIBUTES}
    for name in ("category", "brand"):
        if product and product.get(name) is not None:
            row[name] = product[name]
    for name in ("voltage_min_v", "voltage_max_v"):
        if variant.get(name) is not None:
            row[name] = variant[name]
    return facts_from_mapping(sku, row)


def read_products_file(filename: str, content: bytes, *, limits: ImportLimits | None = None) -> list[ProductFacts]:
    """Parse every row; any problem rejects the file with each row and column named (as the importer does).

    Raises:
        ValidationFailed: header or cell problems, duplicate SKUs, unreadable file.
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
    products: list[ProductFacts] = []
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
                products.append(facts_from_variant(record.sku, record.variant, record.product))
    except FileRejected as exc:
        errors.append(ErrorDetail(exc.message, row=exc.row, code=exc.code))
    if errors:
        raise ValidationFailed(f"{filename}: {len(errors)} problem(s); nothing was checked", details=errors)
    return products
