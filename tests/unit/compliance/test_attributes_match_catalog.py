"""The rule vocabulary stays in step with the catalog: every readable attribute is a real catalog column (or is
derived from one), and enum values match the catalog's canonical values."""

from __future__ import annotations

from xborder.catalog import Product, Variant
from xborder.catalog import fields as catalog_fields
from xborder.compliance import ATTRIBUTES

CATALOG_COLUMNS = set(Variant.__table__.columns.keys()) | set(Product.__table__.columns.keys())


def test_every_attribute_is_a_catalog_column_or_derived_from_one() -> None:
    for spec in ATTRIBUTES.values():
        source = spec.derived_from or spec.name
        assert source in CATALOG_COLUMNS, f"{spec.name} reads {source}, which the catalog does not store"


def test_enum_values_match_the_catalog() -> None:
    assert set(ATTRIBUTES["battery_chemistry"].values) == {*catalog_fields.BATTERY_CHEMISTRIES, "none"}
    assert set(ATTRIBUTES["battery_packing"].values) == set(catalog_fields.BATTERY_PACKINGS)
    assert set(ATTRIBUTES["age_group"].values) == set(catalog_fields.AGE_GROUPS)
