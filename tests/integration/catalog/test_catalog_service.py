"""Catalog service on a real database: CRUD, tenancy isolation, keyset pagination, search and stats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.kernel import Conflict, NotFound, ValidationFailed
from xborder.settings import ImportLimits


@pytest.fixture
def demo(session: Session, org_a: str) -> str:
    report = catalog.import_products(session, organization_id=org_a, filename="demo.csv",
                                     content=catalog.demo_catalog_csv(), limits=ImportLimits())
    assert report.ok
    session.commit()
    return org_a


def _kettle() -> catalog.ProductIn:
    return catalog.ProductIn(title="Travel kettle", brand="Acme", category="kitchen", source_language="en", variants=[
        catalog.VariantIn(sku="K-EU", hs_code="8516.79", cost_price=Decimal("55.00"), cost_currency="CNY",
                          net_weight_kg=Decimal("0.78"), voltage_min_v=Decimal(220), voltage_max_v=Decimal(240),
                          plug_type="欧规", battery_packing="none"),
    ])


def test_create_read_update_delete(session: Session, org_a: str) -> None:
    product = catalog.create_product(session, organization_id=org_a, data=_kettle())
    assert product.product_ref == "K-EU" and product.variants[0].plug_type == "C/F"
    variant = catalog.create_variant(session, organization_id=org_a, product_id=product.id,
                                     data=catalog.VariantIn(sku="K-UK", plug_type="G", cost_currency="CNY"))
    patched = catalog.update_variant(session, organization_id=org_a, variant_id=variant.id,
                                     patch=catalog.VariantPatch(power_w=Decimal("1350"), plug_type=None))
    assert patched.power_w == Decimal(1350) and patched.plug_type is None and patched.sku == "K-UK"
    renamed = catalog.update_product(session, organization_id=org_a, product_id=product.id,
                                     patch=catalog.ProductPatch(title="Folding kettle"))
    assert renamed.title == "Folding kettle" and len(renamed.variants) == 2
    page = catalog.list_variants(session, organization_id=org_a, query="folding")
    assert [v.sku for v in page.items] == ["K-EU", "K-UK"]
    catalog.delete_variant(session, organization_id=org_a, variant_id=variant.id)
    catalog.delete_product(session, organization_id=org_a, product_id=product.id)
    session.commit()
    with pytest.raises(NotFound):
        catalog.get_product(session, organization_id=org_a, product_id=product.id)


def test_service_rules(session: Session, org_a: str) -> None:
    product = catalog.create_product(session, organization_id=org_a, data=_kettle())
    with pytest.raises(Conflict) as dup:
        catalog.create_variant(session, organization_id=org_a, product_id=product.id,
                               data=catalog.VariantIn(sku="K-EU"))
    assert dup.value.code == "catalog.duplicate_sku"
    with pytest.raises(ValidationFailed) as mixed:
        catalog.create_variant(session, organization_id=org_a, product_id=product.id,
                               data=catalog.VariantIn(sku="K-US", cost_price=Decimal(8), cost_currency="USD"))
    assert mixed.value.details[0].code == "catalog.mixed_currencies"
    with pytest.raises(ValidationFailed) as weights:
        catalog.update_variant(session, organization_id=org_a, variant_id=product.variants[0].id,
                               patch=catalog.VariantPatch(gross_weight_kg=Decimal("0.1")))
    assert weights.value.details[0].code == "catalog.gross_below_net"
    with pytest.raises(Conflict):
        catalog.create_product(session, organization_id=org_a, data=_kettle())


def test_schema_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="unknown_hs_code"):
        catalog.VariantIn(sku="X", hs_code="851839")
    with pytest.raises(ValueError, match="greater than 0"):
        catalog.VariantIn(sku="X", net_weight_kg=Decimal("-1"))
    with pytest.raises(ValueError):
        catalog.VariantIn(sku="X", age_group="teen")


def test_other_organization_sees_and_changes_nothing(session: Session, demo: str, org_b: str) -> None:
    variant = catalog.get_variant_by_sku(session, organization_id=demo, sku="SY-E10-BK")
    calls = [
        lambda: catalog.get_variant(session, organization_id=org_b, variant_id=variant.id),
        lambda: catalog.get_variant_by_sku(session, organization_id=org_b, sku="SY-E10-BK"),
        lambda: catalog.get_product(session, organization_id=org_b, product_id=variant.product_id),
        lambda: catalog.update_variant(session, organization_id=org_b, variant_id=variant.id,
                                       patch=catalog.VariantPatch(materials="stolen")),
        lambda: catalog.update_product(session, organization_id=org_b, product_id=variant.product_id,
                                       patch=catalog.ProductPatch(title="stolen")),
        lambda: catalog.create_variant(session, organization_id=org_b, product_id=variant.product_id,
                                       data=catalog.VariantIn(sku="INTRUDER")),
        lambda: catalog.delete_variant(session, organization_id=org_b, variant_id=variant.id),
        lambda: catalog.delete_product(session, organization_id=org_b, product_id=variant.product_id),
    ]
    for call in calls:
        with pytest.raises(NotFound) as caught:
            call()
        assert caught.value.message in ("variant not found", "product not found")
    session.rollback()
    assert catalog.list_variants(session, organization_id=org_b).items == []
    assert catalog.catalog_stats(session, organization_id=org_b).variants == 0
    assert catalog.export_products(session, organization_id=org_b).count(b"\n") == 1
    # the same SKU in another organization is a different variant, not a conflict
    report = catalog.import_products(session, organization_id=org_b, filename="b.csv",
                                     content=b"sku,title\nSY-E10-BK,Mine\n", limits=ImportLimits())
    assert report.ok and report.variants_created == 1
    assert catalog.get_variant_by_sku(session, organization_id=demo, sku="SY-E10-BK").materials == "ABS+PC；硅胶耳塞"


def test_keyset_pagination_walks_every_variant_once(session: Session, demo: str) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = catalog.list_variants(session, organization_id=demo, cursor=cursor, limit=7)
        seen.extend(v.sku for v in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 120 and seen == sorted(seen) and len(set(seen)) == 120
    with pytest.raises(ValidationFailed):
        catalog.list_variants(session, organization_id=demo, cursor="not-a-cursor")
    with pytest.raises(ValidationFailed):
        catalog.list_variants(session, organization_id=demo, limit=0)


def test_search_and_filters(session: Session, demo: str) -> None:
    def skus(**kwargs: object) -> list[str]:
        return [v.sku for v in catalog.list_variants(session, organization_id=demo, limit=200, **kwargs).items]

    assert skus(query="sy-e10") == ["SY-E10-BK", "SY-E10-BL", "SY-E10-PK", "SY-E10-WH"]
    assert skus(query="  电热水壶 ") == [s for s in skus() if s.startswith(("SY-K10", "SY-K17"))]
    assert len(skus(query="851830")) == 18
    assert skus(query="100%") == [] and skus(query="_") == []  # LIKE wildcards are literal
    assert skus(hs_prefix="8507.60") == skus(hs_prefix="8507")
    assert len(skus(hs_prefix="8507")) == 13
    assert all(s.startswith("SY-P") for s in skus(hs_prefix="8507"))
    assert len(skus(has_battery=True)) == 48 and len(skus(has_wireless=True)) == 34
    assert skus(brand="声悦 shengyue") == skus()
    summary = catalog.list_variants(session, organization_id=demo, query="SY-M4-WH").items[0]
    assert summary.title == "声悦 陶瓷马克杯礼盒（4只装）" and summary.has_battery is False
    assert summary.cost_price == Decimal("42.00") and summary.cost_currency == "CNY"


def test_stats_for_the_dashboard(session: Session, demo: str) -> None:
    stats = catalog.catalog_stats(session, organization_id=demo)
    assert (stats.products, stats.variants, stats.with_battery, stats.with_wireless) == (35, 120, 48, 34)
    assert stats.by_origin == [catalog.CountBucket(key="CN", count=120)]
    chapters = {b.key: b.count for b in stats.by_hs_chapter}
    assert chapters == {"85": 104, "39": 9, "94": 5, "69": 2}
    assert sum(b.count for b in stats.by_category) == 120
    assert stats.missing_hs_code == 0 and stats.missing_weight == 0
