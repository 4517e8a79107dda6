"""Inventory integration fixtures: an organization, a few catalog SKUs and a three-tier warehouse network."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

import xborder.inventory.models  # noqa: F401  (registers the inventory tables before the engine fixture creates them)
from xborder.catalog.models import Product, Variant
from xborder.identity.models import Organization
from xborder.inventory.schemas import WarehouseIn
from xborder.inventory.service import create_warehouse

SKUS = ("EAR-01", "SPK-02", "KTL-03")


@pytest.fixture
def org(session: Session) -> str:
    org = Organization(name="Shengyue", slug="shengyue", kind="seller")
    session.add(org)
    session.flush()
    product = Product(organization_id=org.id, product_ref="P1", title="Audio")
    session.add(product)
    session.flush()
    for sku in SKUS:
        session.add(Variant(organization_id=org.id, product_id=product.id, sku=sku, search_text=sku.lower(),
                            gross_weight_kg=Decimal("0.4"), length_cm=Decimal(20), width_cm=Decimal(15),
                            height_cm=Decimal(8)))
    session.commit()
    return org.id


@pytest.fixture
def network(session: Session, org: str) -> dict[str, str]:
    specs = [("SZ", "domestic", "own", None, "CN", "CNY"), ("DE-3PL", "overseas", "3pl", None, "DE", "EUR"),
             ("DE-FBA", "overseas", "marketplace", "amazon_fba", "DE", "EUR"), ("FRA-FWD", "forward", "own", None,
                                                                                  "DE", "EUR")]
    for code, tier, operator, marketplace, country, cur in specs:
        create_warehouse(session, organization_id=org, data=WarehouseIn(
            code=code, name=code, tier=tier, operator=operator, marketplace=marketplace, country=country,
            currency=cur, capacity_m3=Decimal(500), storage_cost_per_m3_month=Decimal("12.5"),
            handling_cost_per_unit=Decimal("0.40")))
    session.commit()
    return {code: code for code, *_ in specs}
