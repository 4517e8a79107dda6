"""Row validation: typed values, empty = unknown, every problem named by row and column with a stable code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xborder.catalog.rows import cell_text, validate_row
from xborder.catalog.template import map_headers


def _validate(row: dict[str, Any], number: int = 2) -> tuple[Any, list[tuple[str | None, str]]]:
    headers = map_headers(list(row))
    record, issues = validate_row(list(row.values()), headers, number)
    return record, [(i.column, i.code) for i in issues]


def test_chinese_row_parses_to_typed_values() -> None:
    record, issues = _validate({
        "商品编号": "SY-E10", "SKU": "SY-E10-BK", "商品名称": "蓝牙耳机", "海关编码": "8518.30", "原产国": "中国",
        "采购价": "48.00", "币种": "人民币", "净重(kg)": "0.045", "毛重(kg)": "0.12", "电池类型": "锂聚合物",
        "电池容量(Wh)": "1.11", "电池包装方式": "内置于设备", "电压(V)": "100~240V", "插头类型": "欧规",
        "无线频段": "Bluetooth 2.4 GHz；NFC 13.56 MHz", "适用年龄": "儿童", "能效等级": "a++", "源语言": "zh_cn",
    })
    assert issues == []
    assert record.sku == "SY-E10-BK" and record.product_ref == "SY-E10"
    assert record.product == {"title": "蓝牙耳机", "source_language": "zh-CN"}
    v = record.variant
    assert v["hs_code"] == "851830" and v["origin_country"] == "CN" and v["cost_currency"] == "CNY"
    assert v["cost_price"] == Decimal("48.00") and isinstance(v["net_weight_kg"], Decimal)
    assert (v["voltage_min_v"], v["voltage_max_v"]) == (Decimal(100), Decimal(240))
    assert v["battery_chemistry"] == "li_polymer" and v["battery_packing"] == "contained_in_equipment"
    assert v["plug_type"] == "C/F" and v["age_group"] == "child" and v["energy_class"] == "A++"
    assert v["wireless_bands"] == ["Bluetooth 2.4 GHz", "NFC 13.56 MHz"]


def test_empty_cells_are_unknown_not_zero_or_false() -> None:
    record, issues = _validate({"sku": "A", "net_weight_kg": "", "battery_wh": None, "wireless_bands": " "})
    assert issues == []
    assert record.variant == {"sku": "A", "net_weight_kg": None, "battery_wh": None, "wireless_bands": None}


def test_every_bad_cell_is_reported_with_its_column_as_written() -> None:
    _record, issues = _validate({
        "SKU": "A", "净重(kg)": "-0.5", "Gross Weight (kg)": "0", "海关编码": "851839", "适用年龄": "teen",
        "商品名称": "x" * 301, "电压(V)": "240-100", "采购价": "abc", "币种": "XXX", "原产国": "Atlantis",
        "图片链接": "ftp://x", "电池包装方式": "maybe",
    })
    assert sorted(issues) == sorted([
        ("净重(kg)", "catalog.must_be_positive"), ("Gross Weight (kg)", "catalog.must_be_positive"),
        ("海关编码", "catalog.unknown_hs_code"), ("适用年龄", "catalog.invalid_enum"), ("商品名称", "catalog.too_long"),
        ("电压(V)", "catalog.invalid_range"), ("采购价", "catalog.not_a_number"), ("币种", "catalog.invalid_currency"),
        ("原产国", "catalog.invalid_country"), ("图片链接", "catalog.invalid_url"),
        ("电池包装方式", "catalog.invalid_enum"),
    ])


def test_cross_field_rules() -> None:
    _r, issues = _validate({"sku": "A", "net_weight_kg": "2", "gross_weight_kg": "1", "cost_price": "3",
                            "battery_packing": "none", "battery_wh": "5"})
    assert sorted(issues) == [("battery_packing", "catalog.battery_conflict"),
                              ("cost_price", "catalog.currency_required"),
                              ("gross_weight_kg", "catalog.gross_below_net")]


def test_missing_sku_and_too_precise_numbers() -> None:
    _r, issues = _validate({"sku": "", "net_weight_kg": "0.1234567"})
    assert issues == [("net_weight_kg", "catalog.too_precise"), ("sku", "catalog.required")]


def test_excel_typed_cells() -> None:
    assert cell_text(90210, "hs_code") == "090210"  # a numeric HS cell lost its leading zero
    assert cell_text(851830, "hs_code") == "851830"
    assert cell_text(0.1, "net_weight_kg") == "0.1"
    assert cell_text(2.0, "power_w") == "2"
    assert cell_text("'=1+1", "title") == "=1+1"  # export's anti-formula apostrophe is removed
    assert cell_text("'plain", "title") == "'plain"


def test_attribute_columns_become_the_json_attributes() -> None:
    record, issues = _validate({"sku": "A", "attr:颜色": "黑色", "属性:尺码": ""})
    assert issues == []
    assert record.variant["attributes"] == {"颜色": "黑色"}
