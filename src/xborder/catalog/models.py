"""Catalog tables: a Product groups Variants (one per SKU) that carry the attributes compliance and pricing need.

Product level: what every variant shares (title, description, brand, category). Variant level: everything that can
differ between SKUs of one product (HS code, weights, battery, electrical, cost). See docs/import-template.md.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.catalog import search_ddl
from xborder.db import Base, MoneyAmount, Quantity, TimestampMixin, id_column, org_column, plain_decimal

__all__ = ["PRODUCT_FIELDS", "PRODUCT_TABLE", "VARIANT_FIELDS", "VARIANT_TABLE", "WIRELESS_SQL", "Product", "Quantity",
           "Variant", "plain_decimal", "search_text", "table_of"]


# "has wireless bands": known and not an empty list. Written as literal SQL so the dashboard's count matches the
# partial index predicate exactly (a bound parameter would keep SQLite from using the index).
WIRELESS_SQL = "wireless_bands IS NOT NULL AND CAST(wireless_bands AS VARCHAR) != '[]'"


class Product(TimestampMixin, Base):
    __tablename__ = "catalog_product"
    __table_args__ = (
        UniqueConstraint("organization_id", "product_ref"),
        # brand prefix search (queries under 3 characters); pattern ops let PostgreSQL use it for LIKE 'x%'
        Index("ix_catalog_product_org_brand", "organization_id", "brand",
              postgresql_ops={"brand": "varchar_pattern_ops"}),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    product_ref: Mapped[str] = mapped_column(String(64))  # the seller's product id (groups variants)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_language: Mapped[str | None] = mapped_column(String(35), nullable=True)
    brand: Mapped[str | None] = mapped_column(String(120), nullable=True)
    category: Mapped[str | None] = mapped_column(String(200), nullable=True)

    variants: Mapped[list[Variant]] = relationship(back_populates="product", cascade="all, delete-orphan",
                                                   passive_deletes=True, order_by="Variant.sku")


class Variant(TimestampMixin, Base):
    __tablename__ = "catalog_variant"
    __table_args__ = (
        UniqueConstraint("organization_id", "sku"),
        Index("ix_catalog_variant_org_hs", "organization_id", "hs_code", "sku"),
        # covers keyset order + substring filter, so a search scans one index and never the table
        Index("ix_catalog_variant_org_sku_search", "organization_id", "sku", "search_text"),
        # The substring index is dialect-specific, so xborder.catalog.search_ddl creates it: a pg_trgm GIN index
        # on PostgreSQL, an FTS5 trigram table on SQLite.
        # dashboard counts read these two instead of the wide rows (catalog_stats)
        Index("ix_catalog_variant_org_stats", "organization_id", "origin_country", "hs_code", "battery_packing",
              "battery_chemistry", "battery_wh", "net_weight_kg"),
        Index("ix_catalog_variant_org_wireless", "organization_id", sqlite_where=text(WIRELESS_SQL),
              postgresql_where=text(WIRELESS_SQL)),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    product_id: Mapped[str] = mapped_column(String(26), ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                            index=True)
    sku: Mapped[str] = mapped_column(String(64))
    variant_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # lower-case "sku variant title brand hs" kept in step by the service: substring search reads one column
    search_text: Mapped[str] = mapped_column(String(800), default="")
    hs_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    origin_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    cost_price: Mapped[Decimal | None] = mapped_column(MoneyAmount(), nullable=True)
    cost_currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    net_weight_kg: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    gross_weight_kg: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    length_cm: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    width_cm: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    height_cm: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    materials: Mapped[str | None] = mapped_column(String(500), nullable=True)
    battery_chemistry: Mapped[str | None] = mapped_column(String(16), nullable=True)
    battery_wh: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    battery_packing: Mapped[str | None] = mapped_column(String(32), nullable=True)
    voltage_min_v: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    voltage_max_v: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    power_w: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    plug_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    wireless_bands: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    age_group: Mapped[str | None] = mapped_column(String(8), nullable=True)
    intended_use: Mapped[str | None] = mapped_column(String(200), nullable=True)
    energy_class: Mapped[str | None] = mapped_column(String(4), nullable=True)
    image_urls: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    attributes: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)

    product: Mapped[Product] = relationship(back_populates="variants")


def table_of(model: type[Base]) -> Table:
    """The Core `Table` behind a declarative model (stubs type `__table__` as any FromClause; ours are all Tables)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a Table")
    return table


PRODUCT_TABLE = table_of(Product)
VARIANT_TABLE = table_of(Variant)
search_ddl.attach(VARIANT_TABLE)


def search_text(*parts: str | None) -> str:
    """The normalized search column: lower-case, single spaces, capped to the column width."""
    return " ".join(" ".join(p.split()).lower() for p in parts if p)[:800]


VARIANT_FIELDS: tuple[str, ...] = tuple(
    c.name for c in VARIANT_TABLE.columns
    if c.name not in {"id", "organization_id", "product_id", "search_text", "created_at", "updated_at"}
)
PRODUCT_FIELDS: tuple[str, ...] = ("product_ref", "title", "description", "source_language", "brand", "category")
