"""The product attributes compliance rules may read, their types, and how a catalog row becomes `ProductFacts`.

Rules name attributes from this vocabulary only (`xborder rules validate` checks it). Most are catalog columns;
a few are derived (e.g. `radio_technologies` from the free-text `wireless_bands`), and say what they derive from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

__all__ = [
    "ATTRIBUTES",
    "AttributeSpec",
    "ProductFacts",
    "facts_from_mapping",
    "radio_technologies",
]

AttrType = Literal["text", "enum", "number", "list", "country", "hs_code"]


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """One readable attribute. `values` lists the allowed values of an enum (or the known items of a list)."""

    name: str
    type: AttrType
    description: str
    values: tuple[str, ...] = ()
    derived_from: str | None = None


# Mirrors the catalog import template (docs/import-template.md); enums are the catalog's canonical values.
_BATTERY_CHEMISTRIES = ("li_ion", "li_polymer", "li_metal", "lifepo4", "nimh", "nicd", "alkaline", "lead_acid",
                        "zinc_carbon", "other", "none")
_RADIO = ("bluetooth", "wifi", "cellular", "nfc", "zigbee", "thread", "lora", "uwb", "gnss", "rfid", "sub_ghz",
          "infrared", "other_radio")

ATTRIBUTES: dict[str, AttributeSpec] = {s.name: s for s in (
    AttributeSpec("hs_code", "hs_code", "HS/HTS code, digits only"),
    AttributeSpec("origin_country", "country", "ISO 3166-1 alpha-2 country of origin"),
    AttributeSpec("category", "text", "seller's category path"),
    AttributeSpec("brand", "text", "brand name"),
    AttributeSpec("materials", "list", "materials / composition, one item per material"),
    AttributeSpec("battery_chemistry", "enum", "battery chemistry; 'none' when the product has no battery "
                  "(also derived from battery_packing = none)",
                  _BATTERY_CHEMISTRIES),
    AttributeSpec("battery_wh", "number", "battery energy in Wh (per battery)"),
    AttributeSpec("battery_packing", "enum", "how the battery travels with the product",
                  ("none", "contained_in_equipment", "packed_with_equipment", "standalone")),
    AttributeSpec("voltage_min_v", "number", "lowest rated supply voltage (V)"),
    AttributeSpec("voltage_max_v", "number", "highest rated supply voltage (V)"),
    AttributeSpec("power_w", "number", "rated power (W)"),
    AttributeSpec("plug_type", "text", "IEC plug letters, USB-C, USB-A or none"),
    AttributeSpec("wireless_bands", "list", "radio bands as written by the seller; 'none' = no radio"),
    AttributeSpec("radio_technologies", "list", "radio technologies recognised in wireless_bands", _RADIO,
                  derived_from="wireless_bands"),
    AttributeSpec("age_group", "enum", "intended user age group", ("adult", "child", "infant")),
    AttributeSpec("intended_use", "text", "intended use as written by the seller"),
    AttributeSpec("energy_class", "text", "energy efficiency class (A+++ to G)"),
    AttributeSpec("net_weight_kg", "number", "net weight (kg)"),
    AttributeSpec("gross_weight_kg", "number", "gross weight (kg)"),
)}

# Words sellers write in `wireless_bands` (English and Chinese) and the technology each reveals.
_RADIO_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), t) for p, t in (
    (r"blue\s*tooth|\bbt\s*\d|\bble\b|蓝牙", "bluetooth"),
    (r"wi-?fi|wlan|802\.11|无线局域网", "wifi"),
    (r"\blte\b|\b[2345]g\b|\bnr\b|gsm|umts|wcdma|cellular|nb-?iot|蜂窝|移动网络", "cellular"),
    (r"\bnfc\b|近场", "nfc"),
    (r"zigbee", "zigbee"),
    (r"\bthread\b|\bmatter\b", "thread"),
    (r"lora", "lora"),
    (r"\buwb\b|ultra[\s-]*wide", "uwb"),
    (r"gps|gnss|glonass|galileo|beidou|北斗", "gnss"),
    (r"rfid", "rfid"),
    (r"433\s*mhz|868\s*mhz|915\s*mhz|sub-?ghz", "sub_ghz"),
    (r"infra-?red|\bir\b|红外", "infrared"),
    (r"2\.4\s*g(hz)?|5(\.8)?\s*ghz|\bghz\b|\bmhz\b|radio|无线|射频", "other_radio"),
))
_NONE_WORDS = frozenset({"none", "no", "n/a", "na", "无", "没有", "不带", "无无线"})


def radio_technologies(bands: tuple[str, ...]) -> tuple[str, ...]:
    """Technologies named by free-text bands ("Bluetooth 5.3; 2.4GHz" -> ("bluetooth", "other_radio"))."""
    found: list[str] = []
    for band in bands:
        matched = [tech for pattern, tech in _RADIO_WORDS if pattern.search(band)]
        # a bare frequency only says "some radio" when nothing more specific matched
        if len(matched) > 1 and "other_radio" in matched:
            matched.remove("other_radio")
        for tech in matched or ["other_radio"]:
            if tech not in found:
                found.append(tech)
    return tuple(sorted(found))


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What the evaluator knows about one SKU: attribute name -> normalized value, `None` meaning unknown.

    Text and enums are lower-case strings, numbers are Decimal, lists are sorted tuples of lower-case strings
    (an empty tuple means "known: none"), `hs_code` is digits only.
    """

    sku: str
    values: Mapping[str, Any]

    def get(self, name: str) -> Any:
        return self.values.get(name)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _number(value: Any, name: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{name}: floats are not accepted, pass a Decimal or a string")
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{name}: {value!r} is not a number") from None


def _items(value: Any) -> tuple[str, ...]:
    raw = [value] if isinstance(value, str) else list(value)
    items: list[str] = []
    for entry in raw:
        items.extend(p for p in re.split(r"\s*[;；|｜\n、]\s*", _fold(str(entry))) if p)
    if all(item in _NONE_WORDS for item in items):
        return ()
    return tuple(sorted({i for i in items if i not in _NONE_WORDS}))


def _normalize(name: str, value: Any) -> Any:
    spec = ATTRIBUTES[name]
    if spec.type == "number":
        return _number(value, name)
    if spec.type == "list":
        return _items(value)
    if spec.type == "hs_code":
        return re.sub(r"[\s.\-]", "", str(value))
    if spec.type == "country":
        return str(value).strip().upper()
    return _fold(str(value))


def facts_from_mapping(sku: str, row: Mapping[str, Any]) -> ProductFacts:
    """Build `ProductFacts` from a catalog-shaped mapping (a Variant's columns, an import row, a test case).

    Empty strings and None mean unknown. `voltage_v` ("100-240" or a number) fills voltage_min_v/voltage_max_v.
    Unknown keys are ignored: the caller may pass a whole row.
    """
    values: dict[str, Any] = {}
    for name, value in row.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name == "voltage_v":
            parts = [p for p in re.split(r"\s*[-~～]\s*", str(value).upper().removesuffix("V").strip()) if p]
            values.setdefault("voltage_min_v", _number(parts[0], name))
            values.setdefault("voltage_max_v", _number(parts[-1], name))
        elif name in ATTRIBUTES and ATTRIBUTES[name].derived_from is None:
            values[name] = _normalize(name, value)
    # the catalog records "no battery" as battery_packing = none; rules read it as battery_chemistry = none
    if values.get("battery_packing") == "none" and "battery_chemistry" not in values:
        values["battery_chemistry"] = "none"
    if "wireless_bands" in values:
        values["radio_technologies"] = radio_technologies(values["wireless_bands"])
    return ProductFacts(sku=sku, values=values)
