"""Replenishment from the workspace's data and order routing with reservation, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy.orm import Session

from xborder.inventory import (
    PlanSettings,
    forecast_workspace,
    import_sales_history,
    plan_replenishment,
    receive_stock,
    route_order,
    stock_levels,
)
from xborder.kernel import Money, ValidationFailed

SETTINGS = PlanSettings(currency="EUR", fx={"USD": Decimal("0.92"), "CNY": Decimal("0.128")},
                        backorder_cost_per_unit_week=Decimal("3"), horizon_weeks=10, time_limit_s=10)


def _orders(weeks: int = 40) -> bytes:
    rng = np.random.default_rng(3)
    lines = ["order_id,sku,quantity,ordered_at,market"]
    start = date(2025, 9, 1)
    for w in range(weeks):
        day = start + timedelta(weeks=w)
        lines.append(f"A{w},EAR-01,{rng.poisson(60)},{day},DE")
        lines.append(f"B{w},SPK-02,{rng.poisson(8)},{day},DE")
    return "\n".join(lines).encode()


def test_plan_from_workspace_data(session: Session, org: str, network: dict[str, str]) -> None:
    import_sales_history(session, organization_id=org, content=_orders(), filename="orders.csv")
    receive_stock(session, organization_id=org, warehouse="SZ", sku="EAR-01", quantity=3000)
    receive_stock(session, organization_id=org, warehouse="SZ", sku="SPK-02", quantity=400)
    receive_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=50)
    session.commit()
    forecast = forecast_workspace(session, organization_id=org, horizon=10, market="DE")
    assert set(forecast.forecasts["unique_id"]) == {"EAR-01@DE", "SPK-02@DE"}
    plan = plan_replenishment(session, organization_id=org, today=date(2026, 6, 1), settings=SETTINGS)
    assert plan.status in {"optimal", "time_limit"} and plan.mip_gap is not None
    ear = [s for s in plan.shipments if s.sku == "EAR-01"]
    assert ear and all(s.from_site == "SZ" and s.to_site in {"DE-3PL", "DE-FBA", "FRA-FWD"} for s in ear)
    assert sum(s.quantity for s in ear) <= 3000
    assert {ln.site for ln in plan.lines} == {"DE-3PL", "DE-FBA", "FRA-FWD"}
    poor = PlanSettings(**{**SETTINGS.__dict__, "budget": Money.of("1", "EUR")})
    assert plan_replenishment(session, organization_id=org, today=date(2026, 6, 1),
                              settings=poor).freight_cost.amount <= 1
    with pytest.raises(ValidationFailed, match="exchange rate"):
        plan_replenishment(session, organization_id=org, today=date(2026, 6, 1),
                           settings=PlanSettings(**{**SETTINGS.__dict__, "fx": {}}))


def test_route_order_reserves_at_the_nearest_site(session: Session, org: str, network: dict[str, str]) -> None:
    receive_stock(session, organization_id=org, warehouse="SZ", sku="EAR-01", quantity=100)
    receive_stock(session, organization_id=org, warehouse="DE-FBA", sku="EAR-01", quantity=2)
    decision = route_order(session, organization_id=org, sku="EAR-01", quantity=2, destination_country="de",
                           reserve=True, reference="ORD-1")
    session.commit()
    assert [a.warehouse for a in decision.allocations] == ["DE-FBA"]
    fba = next(lv for lv in stock_levels(session, organization_id=org, sku="EAR-01") if lv.warehouse_code == "DE-FBA")
    assert fba.reserved == 2 and fba.available == 0
    again = route_order(session, organization_id=org, sku="EAR-01", quantity=3, destination_country="DE")
    assert [a.warehouse for a in again.allocations] == ["SZ"]
