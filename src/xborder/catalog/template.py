"""The import/export template: canonical column names, Chinese labels and aliases, header normalization.

Used by the importer to map a file's headers and by the exporter to write them; `docs/import-template.md` mirrors it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ATTRIBUTE_PREFIXES",
    "COLUMNS",
    "Column",
    "HeaderMap",
    "header_label",
    "map_headers",
    "normalize_header",
]

Level = Literal["product", "variant"]


@dataclass(frozen=True)
class Column:
    """One template column: canonical English name, Chinese label written on export, accepted aliases."""

    name: str
    label_zh: str
    level: Level
    aliases: tuple[str, ...] = ()


# Order here is the export order. Aliases are compared after `normalize_header`, so "Net weight (KG)",
# "net_weight_kg" and "净重（kg）" all match; units in a header are part of the name, never converted.
COLUMNS: tuple[Column, ...] = (
    Column("product_id", "商品编号", "product",
           ("product id", "product ref", "spu", "产品编号", "产品ID", "款号", "货号")),
    Column("sku", "SKU", "variant", ("sku code", "seller sku", "SKU编码", "SKU编号")),
    Column("variant_name", "规格", "variant", ("variant", "规格名称", "变体", "款式")),
    Column("title", "商品名称", "product", ("name", "product name", "product title", "产品名称", "标题", "商品标题")),
    Column("description", "描述", "product", ("商品描述", "产品描述")),
    Column("source_language", "源语言", "product", ("language", "语言")),
    Column("brand", "品牌", "product", ("品牌名称",)),
    Column("category", "类目", "product", ("分类", "品类", "商品类目")),
    Column("hs_code", "海关编码", "variant", ("hs", "hs编码", "hscode", "商品编码", "税号", "海关HS编码")),
    Column("origin_country", "原产国", "variant", ("origin", "country of origin", "原产地")),
    Column("cost_price", "采购价", "variant", ("cost", "purchase price", "成本价", "进价", "采购单价")),
    Column("cost_currency", "币种", "variant", ("currency", "货币", "采购币种")),
    Column("net_weight_kg", "净重(kg)", "variant", ("净重", "净重千克")),
    Column("gross_weight_kg", "毛重(kg)", "variant", ("毛重", "毛重千克", "包装重量(kg)")),
    Column("length_cm", "长(cm)", "variant", ("长度(cm)", "长", "长度")),
    Column("width_cm", "宽(cm)", "variant", ("宽度(cm)", "宽", "宽度")),
    Column("height_cm", "高(cm)", "variant", ("高度(cm)", "高", "高度")),
    Column("materials", "材质", "variant", ("material", "composition", "材料", "成分")),
    Column("battery_chemistry", "电池类型", "variant", ("battery type", "电池种类")),
    Column("battery_wh", "电池容量(Wh)", "variant", ("battery capacity wh", "电池能量(Wh)", "额定能量(Wh)")),
    Column("battery_packing", "电池包装方式", "variant", ("battery packaging", "电池安装方式")),
    Column("voltage_v", "电压(V)", "variant", ("voltage", "电压", "额定电压(V)")),
    Column("power_w", "功率(W)", "variant", ("power", "功率", "额定功率(W)")),
    Column("plug_type", "插头类型", "variant", ("plug", "插头", "插头规格")),
    Column("wireless_bands", "无线频段", "variant", ("wireless", "radio bands", "无线", "频段")),
    Column("age_group", "适用年龄", "variant", ("age", "适用人群", "年龄段")),
    Column("intended_use", "用途", "variant", ("use", "使用场景", "适用场景")),
    Column("energy_class", "能效等级", "variant", ("energy label", "energy efficiency class", "能效")),
    Column("image_urls", "图片链接", "variant", ("images", "image url", "image urls", "图片", "图片URL", "主图链接")),
)

# Free attributes travel as extra columns "attr:<key>" (or "属性:<key>"), stored in the variant's JSON attributes.
ATTRIBUTE_PREFIXES = ("attr:", "attribute:", "属性:", "属性：")

_BY_NAME = {c.name: c for c in COLUMNS}
_DROP = re.compile(r"[\s_\-.()\[\]（）【】/\\:：,，;；'\"`]+")


def normalize_header(text: str) -> str:
    """Case-, width-, space- and punctuation-insensitive key ("Net Weight (KG)" -> "netweightkg")."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _DROP.sub("", folded)


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for column in COLUMNS:
        for alias in (column.name, column.label_zh, *column.aliases):
            key = normalize_header(alias)
            previous = index.setdefault(key, column.name)
            if previous != column.name:  # pragma: no cover - guards the table above
                raise RuntimeError(f"header alias {alias!r} maps to both {previous} and {column.name}")
    return index


_ALIASES = _alias_index()


def header_label(name: str, language: str) -> str:
    """The header written on export for a canonical column in "en" or "zh"."""
    if name.startswith("attr:"):
        return name if language == "en" else "属性:" + name[5:]
    return name if language == "en" else _BY_NAME[name].label_zh


def column(name: str) -> Column:
    return _BY_NAME[name]


@dataclass
class HeaderMap:
    """Result of mapping a header row: position -> canonical name, plus what could not be mapped."""

    positions: dict[int, str]
    written: dict[str, str]  # canonical name -> header as written in the file (for error messages)
    unknown: list[tuple[int, str]]
    duplicates: list[tuple[int, str, str]]  # (position, header as written, canonical it repeats)
    blank: list[int]


def _attribute_key(raw: str) -> str | None:
    text = unicodedata.normalize("NFKC", raw).strip()
    for prefix in ATTRIBUTE_PREFIXES:
        norm_prefix = unicodedata.normalize("NFKC", prefix)
        if text.casefold().startswith(norm_prefix):
            key = text[len(norm_prefix):].strip()
            return key or None
    return None


def map_headers(headers: list[str]) -> HeaderMap:
    """Map each header cell to a canonical column (or `attr:<key>`), reporting unknown and repeated ones."""
    result = HeaderMap({}, {}, [], [], [])
    for position, raw in enumerate(headers):
        text = (raw or "").strip()
        if not text:
            result.blank.append(position)
            continue
        attribute = _attribute_key(text)
        canonical = f"attr:{attribute}" if attribute else _ALIASES.get(normalize_header(text))
        if canonical is None:
            result.unknown.append((position, text))
        elif canonical in result.written:
            result.duplicates.append((position, text, canonical))
        else:
            result.positions[position] = canonical
            result.written[canonical] = text
    return result
