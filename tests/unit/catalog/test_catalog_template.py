"""Header mapping: canonical English names, Chinese aliases, insensitivity to case/space/punctuation/width."""

from __future__ import annotations

import pytest

from xborder.catalog.template import COLUMNS, header_label, map_headers, normalize_header


@pytest.mark.parametrize(("header", "canonical"), [
    ("sku", "sku"), ("SKU", "sku"), (" Sku ", "sku"), ("product_id", "product_id"), ("Product ID", "product_id"),
    ("商品名称", "title"), ("海关编码", "hs_code"), ("HS编码", "hs_code"), ("hs code", "hs_code"),
    ("HS-Code", "hs_code"),
    ("采购价", "cost_price"), ("成本价", "cost_price"), ("币种", "cost_currency"), ("净重(kg)", "net_weight_kg"),
    ("净重（KG）", "net_weight_kg"), ("Net Weight (kg)", "net_weight_kg"), ("毛重(kg)", "gross_weight_kg"),
    ("长(cm)", "length_cm"), ("宽(cm)", "width_cm"), ("高（cm）", "height_cm"), ("材质", "materials"),
    ("电池类型", "battery_chemistry"), ("电池容量(Wh)", "battery_wh"), ("电池包装方式", "battery_packing"),
    ("电压(V)", "voltage_v"), ("功率(W)", "power_w"), ("插头类型", "plug_type"), ("无线频段", "wireless_bands"),
    ("适用年龄", "age_group"), ("用途", "intended_use"), ("能效等级", "energy_class"), ("原产国", "origin_country"),
    ("品牌", "brand"), ("类目", "category"), ("描述", "description"), ("图片链接", "image_urls"),
    ("ＳＫＵ", "sku"),  # full-width letters from a Chinese input method
])
def test_header_aliases_map_to_canonical(header: str, canonical: str) -> None:
    mapped = map_headers([header])
    assert mapped.positions == {0: canonical}
    assert mapped.written[canonical] == header.strip()


def test_every_canonical_name_and_label_round_trips() -> None:
    for column in COLUMNS:
        for language in ("en", "zh"):
            assert map_headers([header_label(column.name, language)]).positions == {0: column.name}


def test_unknown_duplicate_blank_and_attribute_headers() -> None:
    mapped = map_headers(["SKU", "库存", "", "sku", "attr:颜色", "属性：尺码"])
    assert mapped.positions == {0: "sku", 4: "attr:颜色", 5: "attr:尺码"}
    assert mapped.unknown == [(1, "库存")]
    assert mapped.blank == [2]
    assert mapped.duplicates == [(3, "sku", "sku")]


def test_normalize_header_drops_case_space_punctuation() -> None:
    assert normalize_header("Gross_Weight (KG)") == normalize_header("gross-weight-kg") == "grossweightkg"
