"""Property: whatever the catalog holds, export (CSV or XLSX, English or Chinese headers) then import gives it back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xborder.catalog import fields
from xborder.catalog.readers import open_sheet
from xborder.catalog.rows import validate_row
from xborder.catalog.template import map_headers
from xborder.catalog.writers import export_header, render_cells, write_csv, write_xlsx
from xborder.settings import ImportLimits

NONE_WORDS = {"none", "无", "没有"}
_chars = st.characters(blacklist_categories=("Cc", "Cs"))
text = st.text(_chars, min_size=1, max_size=25).map(str.strip).filter(bool)
item = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=";；|｜、\n"),
               min_size=1, max_size=15).map(str.strip).filter(lambda s: s and s.casefold() not in NONE_WORDS)
positive = st.builds(lambda n, k: Decimal(n).scaleb(-k), st.integers(1, 10**12 - 1), st.integers(0, 6))


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    low = draw(optional(positive))
    high = None if low is None else low + draw(st.sampled_from([Decimal(0), Decimal(20), Decimal("0.5")]))
    return {
        "product_id": draw(text), "sku": draw(text), "title": draw(text),
        "variant_name": draw(optional(text)), "description": draw(optional(st.text(_chars, max_size=60)
                                                                             .map(str.strip).filter(bool))),
        "source_language": draw(optional(st.sampled_from(["zh-CN", "en", "ja", "pt-BR"]))),
        "brand": draw(optional(text)), "category": draw(optional(text)),
        "hs_code": draw(optional(st.sampled_from(["851830", "8516790000", "691200", "09021000", "392690"]))),
        "origin_country": draw(optional(st.sampled_from(["CN", "DE", "VN"]))),
        "cost_price": draw(optional(positive)), "cost_currency": draw(st.sampled_from(["CNY", "USD", "JPY"])),
        "net_weight_kg": draw(optional(positive)), "gross_weight_kg": None,
        "length_cm": draw(optional(positive)), "width_cm": draw(optional(positive)),
        "height_cm": draw(optional(positive)), "materials": draw(optional(text)),
        "battery_chemistry": draw(optional(st.sampled_from(fields.BATTERY_CHEMISTRIES))),
        "battery_wh": draw(optional(positive)),
        "battery_packing": draw(optional(st.sampled_from(fields.BATTERY_PACKINGS[1:]))),
        "voltage_min_v": low, "voltage_max_v": high, "power_w": draw(optional(positive)),
        "plug_type": draw(optional(st.sampled_from(["C/F", "G", "A/B", "USB-C", "none"]))),
        "wireless_bands": draw(optional(st.lists(item, max_size=3, unique=True))),
        "age_group": draw(optional(st.sampled_from(fields.AGE_GROUPS))),
        "intended_use": draw(optional(text)), "energy_class": draw(optional(st.sampled_from(["A+++", "C", "G"]))),
        "image_urls": draw(optional(st.lists(st.from_regex(r"https://img\.example/[a-z0-9_%-]{1,12}\.jpg",
                                                           fullmatch=True), max_size=2, unique=True))),
        "attributes": draw(optional(st.dictionaries(st.sampled_from(["颜色", "size"]), text, min_size=1))),
    }


def _round_trip(record: dict[str, Any], fmt: str, language: str) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = sorted(record["attributes"] or {})
    names, labels = export_header(language, keys)  # type: ignore[arg-type]
    typed = fmt == "xlsx"
    row = render_cells(record, names, typed=typed)
    data = (write_xlsx if typed else write_csv)(labels, iter([row]))
    sheet = open_sheet(f"export.{fmt}", data, ImportLimits())
    headers = map_headers(sheet.header)
    assert not headers.unknown and not headers.duplicates
    [(number, cells)] = list(sheet.rows)
    parsed, issues = validate_row(cells, headers, number)
    assert issues == []
    assert parsed.product_ref == record["product_id"]
    return parsed.product, parsed.variant


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records(), fmt=st.sampled_from(["csv", "xlsx"]), language=st.sampled_from(["en", "zh"]))
def test_export_then_import_is_lossless(record: dict[str, Any], fmt: str, language: str) -> None:
    product, variant = _round_trip(record, fmt, language)
    for name in ("title", "description", "source_language", "brand", "category"):
        assert product[name] == record[name], name
    for name, value in variant.items():
        expected = record[name] if name != "attributes" else (record["attributes"] or None)
        assert value == expected, (name, value, expected)
    expected_names = {n for n in record if n not in {"product_id", *product}}
    if not record["attributes"]:
        expected_names.discard("attributes")  # no attr: column is written when no variant has attributes
    assert set(variant) == expected_names
