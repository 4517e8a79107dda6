"""Catalog attribute vocabulary: enums, length limits and the cell parsers shared by import, API schemas and export.

Each parser turns one non-empty text cell into a typed value or raises `FieldError` with a stable code; empty cells
never reach a parser (they mean unknown, stored as NULL).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache

from xborder import reference
from xborder.kernel import DomainError, known_currencies, language_tag

__all__ = [
    "AGE_GROUPS",
    "BATTERY_CHEMISTRIES",
    "BATTERY_PACKINGS",
    "MAX_LENGTH",
    "FieldError",
    "format_decimal",
    "format_list",
    "format_voltage",
    "parse_age_group",
    "parse_battery_chemistry",
    "parse_battery_packing",
    "parse_country",
    "parse_currency",
    "parse_energy_class",
    "parse_hs_code",
    "parse_language",
    "parse_list",
    "parse_plug_type",
    "parse_positive",
    "parse_price",
    "parse_text",
    "parse_voltage",
]

AGE_GROUPS = ("adult", "child", "infant")
BATTERY_PACKINGS = ("none", "contained_in_equipment", "packed_with_equipment", "standalone")
BATTERY_CHEMISTRIES = ("li_ion", "li_polymer", "li_metal", "lifepo4", "nimh", "nicd", "alkaline", "lead_acid",
                       "zinc_carbon", "other")

MAX_LENGTH: dict[str, int] = {
    "product_id": 64, "sku": 64, "variant_name": 200, "title": 300, "description": 5000, "brand": 120,
    "category": 200, "materials": 500, "plug_type": 32, "intended_use": 200, "image_url": 2000,
    "wireless_band": 64, "attribute_key": 64, "attribute_value": 1000,
}
MAX_LIST_ITEMS = 20
MAX_DECIMAL_PLACES = 6
MAX_INTEGER_DIGITS = 12

# Chinese and common spellings users type for the enums; keys are compared after `_enum_key`.
_AGE_ALIASES = {"成人": "adult", "成年人": "adult", "adults": "adult", "儿童": "child", "children": "child",
                "kids": "child", "kid": "child", "婴儿": "infant", "婴幼儿": "infant", "baby": "infant",
                "babies": "infant"}
_PACKING_ALIASES = {"无": "none", "无电池": "none", "不含电池": "none", "no": "none",
                    "内置": "contained_in_equipment", "内置于设备": "contained_in_equipment",
                    "内置电池": "contained_in_equipment", "containedinequipment": "contained_in_equipment",
                    "配套": "packed_with_equipment", "与设备同包装": "packed_with_equipment",
                    "配套包装": "packed_with_equipment", "单独": "standalone", "单独电池": "standalone",
                    "独立包装": "standalone"}
_CHEMISTRY_ALIASES = {"liion": "li_ion", "lithiumion": "li_ion", "锂离子": "li_ion", "锂离子电池": "li_ion",
                      "lipo": "li_polymer", "lipolymer": "li_polymer", "lithiumpolymer": "li_polymer",
                      "聚合物锂电池": "li_polymer", "锂聚合物": "li_polymer", "锂聚合物电池": "li_polymer",
                      "limetal": "li_metal", "lithiummetal": "li_metal", "锂金属": "li_metal",
                      "锂金属电池": "li_metal", "磷酸铁锂": "lifepo4", "镍氢": "nimh", "镍氢电池": "nimh",
                      "镍镉": "nicd", "碱性": "alkaline", "碱性电池": "alkaline", "铅酸": "lead_acid",
                      "碳性": "zinc_carbon", "其他": "other"}
_PLUG_ALIASES = {"美规": "A/B", "英规": "G", "欧规": "C/F", "澳规": "I", "usbc": "USB-C", "typec": "USB-C",
                 "usba": "USB-A", "无": "none", "none": "none"}
_PLUG = re.compile(r"^[A-N](/[A-N])*$")
_ENERGY = re.compile(r"^(A\+{0,3}|[B-G])$")
_LANGUAGE_ALIASES = {"中文": "zh", "简体中文": "zh-Hans", "繁体中文": "zh-Hant", "英文": "en", "英语": "en"}
_LIST_SPLIT = re.compile(r"\s*[;；|｜\n、]\s*")
_NONE_WORDS = {"none", "无", "没有"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class FieldError(DomainError):
    """One cell could not be accepted; `code` is the stable slug the error report shows."""

    code = "catalog.invalid_value"


def _enum_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return re.sub(r"[\s\-_./]+", "", folded)


def _parse_enum(text: str, allowed: tuple[str, ...], aliases: dict[str, str], what: str) -> str:
    key = _enum_key(text)
    for value in allowed:
        if key == _enum_key(value):
            return value
    if key in aliases:
        return aliases[key]
    raise FieldError(f"{text!r} is not a valid {what}; use one of: {', '.join(allowed)}", code="catalog.invalid_enum")


def parse_age_group(text: str) -> str:
    return _parse_enum(text, AGE_GROUPS, _AGE_ALIASES, "age group")


def parse_battery_packing(text: str) -> str:
    return _parse_enum(text, BATTERY_PACKINGS, _PACKING_ALIASES, "battery packing")


def parse_battery_chemistry(text: str) -> str:
    return _parse_enum(text, BATTERY_CHEMISTRIES, _CHEMISTRY_ALIASES, "battery chemistry")


def parse_text(text: str, *, limit: int) -> str:
    value = text.strip()
    if _CONTROL.search(value):
        raise FieldError("contains a control character (only tab and line breaks are allowed in text)",
                         code="catalog.control_character")
    if len(value) > limit:
        raise FieldError(f"{len(value)} characters is too long (at most {limit})", code="catalog.too_long")
    return value


def _parse_number(text: str) -> Decimal:
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not _NUMBER.match(cleaned):
        raise FieldError(f"{text!r} is not a number", code="catalog.not_a_number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        raise FieldError(f"{text!r} is not a number", code="catalog.not_a_number") from None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        raise FieldError(f"{text!r} has more than {MAX_DECIMAL_PLACES} decimal places", code="catalog.too_precise")
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise FieldError(f"{text!r} is too large", code="catalog.out_of_range")
    return value


def parse_positive(text: str) -> Decimal:
    """A measurement (weight, size, Wh, W) that must be greater than zero."""
    value = _parse_number(text)
    if value <= 0:
        raise FieldError(f"{text} must be greater than 0", code="catalog.must_be_positive")
    return value


def parse_price(text: str) -> Decimal:
    """A cost price: zero is allowed (free samples), negative is not."""
    value = _parse_number(text)
    if value < 0:
        raise FieldError(f"{text} must not be negative", code="catalog.negative_price")
    return value


def parse_voltage(text: str) -> tuple[Decimal, Decimal]:
    """"5", "220" or a range "100-240" / "100~240V" -> (min, max)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper().removesuffix("V").strip()
    parts = [p for p in re.split(r"\s*[-~～至到]\s*", cleaned) if p]
    if len(parts) not in (1, 2):
        raise FieldError(f"{text!r} is not a voltage such as 5, 220 or 100-240", code="catalog.not_a_number")
    low, high = parse_positive(parts[0]), parse_positive(parts[-1])
    if high < low:
        raise FieldError(f"{text!r}: the range goes down", code="catalog.invalid_range")
    return low, high


def parse_plug_type(text: str) -> str:
    """IEC plug letters ("C/F", "G"), "USB-C", "USB-A" or "none"; 欧规/英规/美规/澳规 are accepted."""
    key = _enum_key(text)
    if key in _PLUG_ALIASES:
        return _PLUG_ALIASES[key]
    letters = unicodedata.normalize("NFKC", text).strip().upper().replace(" ", "").replace(",", "/")
    letters = letters.removeprefix("TYPE")
    if _PLUG.match(letters):
        return letters
    raise FieldError(f"{text!r} is not a plug type (IEC letters such as C/F or G, USB-C, USB-A, none)",
                     code="catalog.invalid_enum")


def parse_energy_class(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).strip().upper().removeprefix("CLASS").strip()
    if not _ENERGY.match(value):
        raise FieldError(f"{text!r} is not an energy class (A+++ to G)", code="catalog.invalid_enum")
    return value


def parse_list(text: str, *, limit: int, item_limit: int = MAX_LIST_ITEMS) -> list[str]:
    """Items separated by ; | 、 or new lines (commas are kept: they occur inside URLs and band names).

    "none" / "无" is a known empty list (e.g. no wireless at all), unlike an empty cell (unknown).
    """
    if _enum_key(text) in _NONE_WORDS:
        return []
    items: list[str] = []
    for item in _LIST_SPLIT.split(text.strip()):
        if item and item not in items:
            items.append(parse_text(item, limit=limit))
    if len(items) > item_limit:
        raise FieldError(f"{len(items)} items is too many (at most {item_limit})", code="catalog.too_many_items")
    return items


def parse_image_urls(text: str) -> list[str]:
    urls = parse_list(text, limit=MAX_LENGTH["image_url"])
    for url in urls:
        if not re.match(r"^https?://\S+$", url):
            raise FieldError(f"{url!r} is not an http(s) URL", code="catalog.invalid_url")
    return urls


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in reference.countries():
        for name in (entry.name_en, entry.name_zh, entry.alpha3):
            if name:
                names[_enum_key(name)] = entry.alpha2
    names.update({_enum_key("中国大陆"): "CN", _enum_key("China mainland"): "CN", _enum_key("PRC"): "CN"})
    return names


def parse_country(text: str) -> str:
    """ISO alpha-2/alpha-3 code or the English/Chinese country name ("中国" -> "CN")."""
    key = _enum_key(text)
    if len(key) == 2 and key.isascii():
        try:
            return str(reference.country(key).alpha2)
        except DomainError:
            pass
    found = _country_names().get(key)
    if found is None:
        raise FieldError(f"{text!r} is not an ISO 3166-1 country code or name", code="catalog.invalid_country")
    return found


@cache
def _currency_names() -> dict[str, str]:
    names = {_enum_key(c.name_zh): c.code for c in reference.currencies()}
    names.update({_enum_key("RMB"): "CNY", _enum_key("人民币"): "CNY", _enum_key("元"): "CNY",
                  _enum_key("美金"): "USD"})
    return names


def parse_currency(text: str) -> str:
    code = unicodedata.normalize("NFKC", text).strip().upper()
    if code in known_currencies():
        return code
    found = _currency_names().get(_enum_key(text))
    if found is None:
        raise FieldError(f"{text!r} is not an ISO 4217 currency code such as CNY or USD",
                         code="catalog.invalid_currency")
    return found


def parse_language(text: str) -> str:
    alias = _LANGUAGE_ALIASES.get(text.strip())
    try:
        return str(language_tag(alias or text))
    except DomainError:
        raise FieldError(f"{text!r} is not a language tag such as zh-CN or en",
                         code="catalog.invalid_language") from None


def parse_hs_code(text: str) -> str:
    """Digits of a 6-10 digit HS/national code whose 6-digit prefix exists in HS 2022."""
    digits = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text))
    try:
        reference.hs_validate(digits)
    except DomainError as exc:
        code = exc.details[0].code if exc.details and exc.details[0].code else "reference.unknown_hs_code"
        reason = exc.details[0].message if exc.details else exc.message
        raise FieldError(reason, code=code.replace("reference.", "catalog.")) from None
    return digits


def format_decimal(value: Decimal | None) -> str:
    """Plain notation without exponent or trailing zeros ("1.500000" -> "1.5", "1E+1" -> "10")."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def format_voltage(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None:
        return ""
    return format_decimal(low) if low == high else f"{format_decimal(low)}-{format_decimal(high)}"


def format_list(items: list[str] | None) -> str:
    if items is None:
        return ""
    return "; ".join(items) if items else "none"
