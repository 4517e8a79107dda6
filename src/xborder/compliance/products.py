"""Read a file in the catalog import format (CSV/XLSX, English or Chinese headers) into `ProductFacts`.

Uses the catalog's own sheet reader, header mapping and cell parsers, so `xborder compliance check --products FILE`
accepts exactly what `xborder import products` accepts, without touching the database.
"""

from __future__ import annotations

from typing import Any

from xborder import catalog
from xborder.compliance.attributes import ATTRIBUTES, ProductFacts, facts_from_mapping
from xborder.kernel import ValidationFailed
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
        rows = catalog.parse_products_file(filename, content, limits=limits)
    except ValidationFailed as exc:
        raise ValidationFailed(f"{filename}: {len(exc.details)} problem(s); nothing was checked",
                               details=exc.details) from None
    return [facts_from_variant(row.sku, row.variant, row.product) for row in rows]
