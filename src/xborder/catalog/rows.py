"""Turn one spreadsheet row into typed catalog values, collecting every problem with its row and column.

Pure: no database. A value is present in the returned record only when its column exists in the file, so an
update never touches attributes the file does not carry; an empty cell is present as None (unknown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from xborder.catalog import fields as f
from xborder.catalog.template import HeaderMap

__all__ = ["RowIssue", "RowRecord", "cell_text", "unescape_formula", "validate_row"]

# A leading apostrophe added on export against formula injection (see writers.py) is removed on import.
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")

L = f.MAX_LENGTH


def _memo(parser: Callable[[str], Any]) -> Callable[[str], Any]:
    # Columns with few distinct values (codes, enums, measures) repeat across thousands of rows.
    return lru_cache(maxsize=8192)(parser)


@lru_cache(maxsize=4096)
def _bands(text: str) -> tuple[str, ...]:
    return tuple(f.parse_list(text, limit=L["wireless_band"]))


PARSERS: dict[str, Callable[[str], Any]] = {
    "product_id": partial(f.parse_text, limit=L["product_id"]),
    "sku": partial(f.parse_text, limit=L["sku"]),
    "variant_name": partial(f.parse_text, limit=L["variant_name"]),
    "title": partial(f.parse_text, limit=L["title"]),
    "description": partial(f.parse_text, limit=L["description"]),
    "source_language": _memo(f.parse_language),
    "brand": _memo(partial(f.parse_text, limit=L["brand"])),
    "category": _memo(partial(f.parse_text, limit=L["category"])),
    "hs_code": _memo(f.parse_hs_code),
    "origin_country": _memo(f.parse_country),
    "cost_price": _memo(f.parse_price),
    "cost_currency": _memo(f.parse_currency),
    "net_weight_kg": _memo(f.parse_positive),
    "gross_weight_kg": _memo(f.parse_positive),
    "length_cm": _memo(f.parse_positive),
    "width_cm": _memo(f.parse_positive),
    "height_cm": _memo(f.parse_positive),
    "materials": _memo(partial(f.parse_text, limit=L["materials"])),
    "battery_chemistry": _memo(f.parse_battery_chemistry),
    "battery_wh": _memo(f.parse_positive),
    "battery_packing": _memo(f.parse_battery_packing),
    "voltage_v": _memo(f.parse_voltage),
    "power_w": _memo(f.parse_positive),
    "plug_type": _memo(f.parse_plug_type),
    "wireless_bands": lambda text: list(_bands(text)),
    "age_group": _memo(f.parse_age_group),
    "intended_use": _memo(partial(f.parse_text, limit=L["intended_use"])),
    "energy_class": _memo(f.parse_energy_class),
    "image_urls": f.parse_image_urls,
}


@dataclass(frozen=True)
class RowIssue:
    row: int
    column: str | None
    message: str
    code: str


@dataclass
class RowRecord:
    """Typed values of one row: product-level and variant-level (model column names), plus its row number."""

    row: int
    sku: str
    product_ref: str | None
    product: dict[str, Any] = field(default_factory=dict)
    variant: dict[str, Any] = field(default_factory=dict)


def unescape_formula(text: str) -> str:
    return text[1:] if _ESCAPED.match(text) else text


def cell_text(value: Any, name: str) -> str | None:
    """Text of a raw cell (CSV string or XLSX typed value); None when empty."""
    if value is None:
        return None
    if type(value) is str:  # the common case first: every CSV cell, most XLSX cells
        text = value.strip()
        if text[:1] == "'":
            text = unescape_formula(text).strip()
        return text or None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)
        # A numeric HS cell loses its leading zero (0902 -> 902): codes have an even number of digits.
        if name == "hs_code" and len(text) % 2:
            text = "0" + text
    elif isinstance(value, float):
        # repr is the shortest text that reads back as the same double; print it without an exponent
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(Decimal(repr(value)), "f")
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        text = unescape_formula(str(value))
    text = text.strip()
    return text or None


_PRODUCT_COLUMNS = {"title", "description", "source_language", "brand", "category"}


def validate_row(cells: list[Any], headers: HeaderMap, row: int) -> tuple[RowRecord, list[RowIssue]]:
    """Parse every mapped cell; return the record (only usable when there are no issues) and the issues."""
    issues: list[RowIssue] = []
    product: dict[str, Any] = {}
    variant: dict[str, Any] = {}
    attributes: dict[str, str] = {}
    has_attributes = False
    product_ref: str | None = None
    width = len(cells)
    for position, name in headers.positions.items():
        raw = cells[position] if position < width else None
        written = headers.written[name]
        if name.startswith("attr:"):
            has_attributes = True
            text = cell_text(raw, name)
            if text is not None:
                if len(text) > L["attribute_value"]:
                    issues.append(RowIssue(row, written, f"{len(text)} characters is too long "
                                           f"(at most {L['attribute_value']})", "catalog.too_long"))
                attributes[name[5:]] = text
            continue
        text = cell_text(raw, name)
        if text is None:
            value = None
        else:
            try:
                value = PARSERS[name](text)
            except f.FieldError as exc:
                issues.append(RowIssue(row, written, exc.message, exc.code))
                continue
        if name == "voltage_v":
            variant["voltage_min_v"], variant["voltage_max_v"] = value if value else (None, None)
        elif name in _PRODUCT_COLUMNS:
            product[name] = value
        elif name == "product_id":
            product_ref = value
        else:
            variant[name] = value
    if has_attributes:
        variant["attributes"] = attributes or None
    sku = variant.get("sku")
    if not sku and not any(i.column == headers.written.get("sku") for i in issues):
        issues.append(RowIssue(row, headers.written.get("sku", "sku"), "SKU is required", "catalog.required"))
    issues.extend(_cross_checks(variant, headers, row))
    return RowRecord(row, str(sku or ""), product_ref, product, variant), issues


def _cross_checks(variant: dict[str, Any], headers: HeaderMap, row: int) -> list[RowIssue]:
    issues: list[RowIssue] = []
    written = headers.written
    net, gross = variant.get("net_weight_kg"), variant.get("gross_weight_kg")
    if net is not None and gross is not None and gross < net:
        issues.append(RowIssue(row, written["gross_weight_kg"], f"gross weight {gross} kg is below the net weight "
                               f"{net} kg", "catalog.gross_below_net"))
    if variant.get("cost_price") is not None and not variant.get("cost_currency"):
        issues.append(RowIssue(row, written.get("cost_currency", written["cost_price"]),
                               "a cost price needs its currency (e.g. CNY)", "catalog.currency_required"))
    if variant.get("battery_packing") == "none" and (variant.get("battery_wh") or variant.get("battery_chemistry")):
        issues.append(RowIssue(row, written["battery_packing"], "battery packing is \"none\" but the row gives a "
                               "battery chemistry or capacity", "catalog.battery_conflict"))
    return issues
