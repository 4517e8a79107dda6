"""Tenancy seed for inventory: a domestic and an overseas warehouse (names carry the tenant's marker), stock, one
transfer, demand history with a stored forecast run and a stored replenishment plan — no jobs in the queue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from xborder import catalog, inventory

PARAMS = {"warehouse_code": "inventory_warehouse", "transfer_number": "inventory_transfer",
          "forecast_id": "inventory_forecast", "series_id": "inventory_series", "plan_id": "inventory_plan"}


def seed(session: Session, tenant: Any, container: Any) -> None:
    slug = tenant.slug.upper()
    marker = f"{tenant.slug} secret warehouse"
    sku = tenant.sku  # the tenant's one SKU gets the weight and size freight needs (lists must show only it)
    catalog.update_variant(session, organization_id=tenant.org_id, variant_id=tenant.variant_id,
                           patch=catalog.VariantPatch(gross_weight_kg=Decimal("0.8"), length_cm=Decimal(20),
                                                      width_cm=Decimal(15), height_cm=Decimal(10)))
    domestic, overseas = f"{slug}-SZ", f"{slug}-DE"
    for code, tier, country, currency in ((domestic, "domestic", "CN", "CNY"), (overseas, "overseas", "DE", "EUR")):
        inventory.create_warehouse(session, organization_id=tenant.org_id, data=inventory.WarehouseIn(
            code=code, name=f"{marker} {code}", tier=tier, country=country, currency=currency,
            storage_cost_per_m3_month=Decimal(10), handling_cost_per_unit=Decimal("0.5")))
    inventory.receive_stock(session, organization_id=tenant.org_id, warehouse=domestic, sku=sku, quantity=500,
                            reference=f"{slug}-PO")
    number = f"{slug}-TR-1"
    inventory.create_transfer(session, organization_id=tenant.org_id, number=number, from_warehouse=domestic,
                              to_warehouse=overseas, mode="sea", shipped_on=date(2026, 10, 1),
                              eta_on=date(2026, 11, 5), lines=[inventory.TransferLineIn(sku=sku, quantity=50)])
    start = date(2026, 8, 3)
    lines = ["order_id,sku,quantity,ordered_at,market"] + [
        f"{slug}{w},{sku},{10 + w % 3},{(start + timedelta(weeks=w)).isoformat()},DE" for w in range(12)]
    inventory.import_sales_history(session, organization_id=tenant.org_id, content="\n".join(lines).encode(),
                                   filename="sales.csv")
    run = inventory.run_forecast(session, organization_id=tenant.org_id, horizon=4)  # short: no model fitting
    plan = inventory.run_plan(session, organization_id=tenant.org_id, today=date(2026, 11, 2),
                              settings=inventory.PlanSettings(
                                  currency="EUR", fx={"CNY": Decimal("0.13"), "USD": Decimal("0.92")},
                                  backorder_cost_per_unit_week=Decimal(2), horizon_weeks=8))
    tenant.extra.update(inventory_warehouse=overseas, inventory_transfer=number, inventory_forecast=run.id,
                        inventory_series=f"{sku}@DE", inventory_plan=plan.id)
    tenant.markers.append(marker)
