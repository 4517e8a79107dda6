"""Pydantic shapes of the catalog API and service results (in, out, patch, list summary, stats, import report)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator
from pydantic_core import PydanticCustomError

from xborder.catalog import fields as f

__all__ = [
    "CatalogStats",
    "CountBucket",
    "ImportIssue",
    "ImportReport",
    "ProductIn",
    "ProductOut",
    "ProductPatch",
    "ProductSummary",
    "VariantIn",
    "VariantOut",
    "VariantPatch",
    "VariantSummary",
]

L = f.MAX_LENGTH
Positive = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=6, allow_inf_nan=False)]
Price = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6, allow_inf_nan=False)]
AgeGroup = Literal["adult", "child", "infant"]
BatteryPacking = Literal["none", "contained_in_equipment", "packed_with_equipment", "standalone"]
BatteryChemistry = Literal["li_ion", "li_polymer", "li_metal", "lifepo4", "nimh", "nicd", "alkaline", "lead_acid",
                           "zinc_carbon", "other"]
ListItem = Annotated[str, Field(min_length=1, pattern=r"^[^;；|｜\n、]+$")]


def _cell(parser: Callable[[str], Any]) -> Callable[[Any], Any]:
    """Run a template parser on string input so the API accepts what the spreadsheet accepts."""

    def validate(value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return parser(value)
            except f.FieldError as exc:
                raise PydanticCustomError(exc.code, exc.message) from None
        return value

    return validate


class _VariantFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    variant_name: str | None = Field(None, max_length=L["variant_name"])
    hs_code: str | None = None
    origin_country: str | None = None
    cost_price: Price | None = None
    cost_currency: str | None = None
    net_weight_kg: Positive | None = None
    gross_weight_kg: Positive | None = None
    length_cm: Positive | None = None
    width_cm: Positive | None = None
    height_cm: Positive | None = None
    materials: str | None = Field(None, max_length=L["materials"])
    battery_chemistry: BatteryChemistry | None = None
    battery_wh: Positive | None = None
    battery_packing: BatteryPacking | None = None
    voltage_min_v: Positive | None = None
    voltage_max_v: Positive | None = None
    power_w: Positive | None = None
    plug_type: str | None = None
    wireless_bands: list[Annotated[ListItem, Field(max_length=L["wireless_band"])]] | None = Field(
        None, max_length=f.MAX_LIST_ITEMS)
    age_group: AgeGroup | None = None
    intended_use: str | None = Field(None, max_length=L["intended_use"])
    energy_class: str | None = None
    image_urls: list[Annotated[ListItem, Field(max_length=L["image_url"], pattern=r"^https?://\S+$")]] | None = Field(
        None, max_length=f.MAX_LIST_ITEMS)
    attributes: dict[Annotated[str, Field(min_length=1, max_length=L["attribute_key"])],
                     Annotated[str, Field(max_length=L["attribute_value"])]] | None = None

    _hs = field_validator("hs_code", mode="before")(_cell(f.parse_hs_code))
    _origin = field_validator("origin_country", mode="before")(_cell(f.parse_country))
    _currency = field_validator("cost_currency", mode="before")(_cell(f.parse_currency))
    _chemistry = field_validator("battery_chemistry", mode="before")(_cell(f.parse_battery_chemistry))
    _packing = field_validator("battery_packing", mode="before")(_cell(f.parse_battery_packing))
    _age = field_validator("age_group", mode="before")(_cell(f.parse_age_group))
    _plug = field_validator("plug_type", mode="before")(_cell(f.parse_plug_type))
    _energy = field_validator("energy_class", mode="before")(_cell(f.parse_energy_class))


class VariantIn(_VariantFields):
    """A new SKU. Omitted or null attributes are unknown (never 0 or false)."""

    sku: str = Field(min_length=1, max_length=L["sku"])


class VariantPatch(_VariantFields):
    """Partial update: only the fields present in the request change; an explicit null clears a field."""

    sku: str | None = Field(None, min_length=1, max_length=L["sku"])


class VariantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    product_id: str
    sku: str
    variant_name: str | None
    hs_code: str | None
    origin_country: str | None
    cost_price: Decimal | None
    cost_currency: str | None
    net_weight_kg: Decimal | None
    gross_weight_kg: Decimal | None
    length_cm: Decimal | None
    width_cm: Decimal | None
    height_cm: Decimal | None
    materials: str | None
    battery_chemistry: str | None
    battery_wh: Decimal | None
    battery_packing: str | None
    voltage_min_v: Decimal | None
    voltage_max_v: Decimal | None
    power_w: Decimal | None
    plug_type: str | None
    wireless_bands: list[str] | None
    age_group: str | None
    intended_use: str | None
    energy_class: str | None
    image_urls: list[str] | None
    attributes: dict[str, str] | None
    created_at: datetime
    updated_at: datetime


class _ProductFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    description: str | None = Field(None, max_length=L["description"])
    source_language: str | None = None
    brand: str | None = Field(None, max_length=L["brand"])
    category: str | None = Field(None, max_length=L["category"])

    _language = field_validator("source_language", mode="before")(_cell(f.parse_language))


class ProductIn(_ProductFields):
    """A new product with its first variants; `product_ref` defaults to the first SKU."""

    product_ref: str | None = Field(None, min_length=1, max_length=L["product_id"])
    title: str = Field(min_length=1, max_length=L["title"])
    variants: list[VariantIn] = Field(default_factory=list)


class ProductPatch(_ProductFields):
    product_ref: str | None = Field(None, min_length=1, max_length=L["product_id"])
    title: str | None = Field(None, min_length=1, max_length=L["title"])


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    product_ref: str
    title: str
    description: str | None
    source_language: str | None
    brand: str | None
    category: str | None
    created_at: datetime
    updated_at: datetime
    variants: list[VariantOut]


class ProductSummary(BaseModel):
    """One line of the product list: the product's own fields and how many SKUs it has."""

    id: str
    product_ref: str
    title: str
    brand: str | None
    category: str | None
    source_language: str | None
    variant_count: int
    updated_at: datetime


class VariantSummary(BaseModel):
    """One line of the catalog list."""

    id: str
    product_id: str
    product_ref: str
    sku: str
    variant_name: str | None
    title: str
    brand: str | None
    category: str | None
    hs_code: str | None
    origin_country: str | None
    cost_price: Decimal | None
    cost_currency: str | None
    has_battery: bool | None
    has_wireless: bool | None


class CountBucket(BaseModel):
    key: str | None  # None = unknown (empty cell)
    count: int


class CatalogStats(BaseModel):
    """Counts for the dashboard chart; `unknown` buckets are kept apart, never folded into zero."""

    products: int
    variants: int
    by_category: list[CountBucket]
    by_origin: list[CountBucket]
    by_hs_chapter: list[CountBucket]
    with_battery: int
    with_wireless: int
    missing_hs_code: int
    missing_weight: int


class ImportIssue(BaseModel):
    """One problem: `row` as Excel shows it (header = 1), `column` as written in the file, a stable `code`."""

    row: int | None
    column: str | None
    message: str
    code: str


class ImportReport(BaseModel):
    filename: str
    file_format: Literal["csv", "xlsx"] | None
    encoding: str | None
    dry_run: bool
    rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    errors: list[ImportIssue] = Field(default_factory=list)
    warnings: list[ImportIssue] = Field(default_factory=list)
    written: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return not self.errors
