"""Inventory console: stock by tier and warehouse, the ledger with refusals in place, sales import -> forecast ->
chart, and the replenishment plan page (shipments, costs, service level, gap, the why) — in English and Chinese."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from fastapi.testclient import TestClient

from xborder import catalog, inventory, jobs
from xborder.db import transaction

EAR = "EAR-01"


def _seed(app, org_id: str) -> None:
    with transaction(app.state.container.session_factory) as s:
        catalog.create_product(s, organization_id=org_id, data=catalog.ProductIn(
            title="Earphones", variants=[catalog.VariantIn(
                sku=EAR, hs_code="851830", origin_country="CN", gross_weight_kg=Decimal("0.3"), length_cm=Decimal(18),
                width_cm=Decimal(12), height_cm=Decimal(6))]))
        for code, tier, country, cur in (("SZ", "domestic", "CN", "CNY"), ("DE-3PL", "overseas", "DE", "EUR"),
                                         ("DE-FWD", "forward", "DE", "EUR")):
            inventory.create_warehouse(s, organization_id=org_id, data=inventory.WarehouseIn(
                code=code, name=f"{code} hub", tier=tier, country=country, currency=cur,
                storage_cost_per_m3_month=Decimal(15), handling_cost_per_unit=Decimal("0.3")))
        inventory.receive_stock(s, organization_id=org_id, warehouse="SZ", sku=EAR, quantity=5000)


def _sales(weeks: int = 60) -> bytes:
    rng = np.random.default_rng(3)
    last = date(2026, 11, 16)
    rows = ["order_id,sku,quantity,ordered_at,market"]
    for w in range(weeks):
        day = last - timedelta(weeks=weeks - 1 - w)
        rows.append(f"O{w},{EAR},{int(rng.poisson(180))},{day.isoformat()},DE")
    return ("\n".join(rows) + "\n").encode()


def _run_jobs(app) -> None:
    c = app.state.container
    while jobs.run_one(c.session_factory, registry=c.job_handlers, clock=c.clock, worker_id="test"):
        pass


def test_stock_and_ledger_pages(app, org_a, console_login) -> None:
    _seed(app, org_a.org_id)
    client = TestClient(app)
    csrf = console_login(client, org_a.owner_email, next="/inventory")
    page = client.get("/inventory?animation=0")
    assert page.status_code == 200
    assert 'data-stock-table="stock-table"' in page.text and 'data-tier="forward"' in page.text
    assert "DE-3PL" in page.text and "5,000" in page.text
    fragment = client.get(f"/inventory?sku={EAR}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="inv-stock"' in fragment.text

    refused = client.post("/inventory/ledger", data={"csrf_token": csrf, "kind": "shipment", "warehouse": "DE-3PL",
                                                     "sku": EAR, "quantity": "5"}, follow_redirects=False)
    assert refused.status_code == 422
    assert "stock would go negative" in refused.text and "inventory.insufficient_stock" in refused.text
    bad = client.post("/inventory/ledger", data={"csrf_token": csrf, "kind": "receipt", "warehouse": "SZ",
                                                 "sku": EAR, "quantity": "many"}, follow_redirects=False)
    assert bad.status_code == 422 and "field--error" in bad.text
    ok = client.post("/inventory/ledger", data={"csrf_token": csrf, "kind": "reservation", "warehouse": "SZ",
                                                "sku": EAR, "quantity": "30", "reference": "SO-1"},
                     follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == f"/inventory/ledger?sku={EAR}"
    ledger = client.get(ok.headers["location"])
    assert 'data-kind="reservation"' in ledger.text and "SO-1" in ledger.text and "4,970" in ledger.text
    assert client.post("/inventory/ledger", data={"kind": "receipt"}).status_code == 403  # no CSRF token


def test_forecast_journey_and_plan_page_in_chinese(app, org_a, console_login) -> None:
    _seed(app, org_a.org_id)
    client = TestClient(app)
    csrf = console_login(client, org_a.owner_email, next="/inventory/forecasts")
    empty = client.post("/inventory/sales-history", data={"csrf_token": csrf},
                        files={"file": ("x.csv", b"", "text/csv")})
    assert empty.status_code == 422
    started = client.post("/inventory/sales-history", data={"csrf_token": csrf, "freq": "W"},
                          files={"file": ("sales.csv", _sales(), "text/csv")}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/inventory/jobs/")
    polling = client.get(started.headers["location"], headers={"HX-Request": "true"})
    assert 'hx-trigger="every 700ms"' in polling.text
    _run_jobs(app)
    done = client.get(started.headers["location"])
    assert 'data-status="succeeded"' in done.text and "DE" in done.text

    run = client.post("/inventory/forecasts", data={"csrf_token": csrf, "horizon": "8", "market": "DE"},
                      follow_redirects=False)
    assert run.status_code == 303
    _run_jobs(app)
    result = client.get(run.headers["location"]).text
    forecast_url = result.split('href="/inventory/forecasts/')[1].split('"')[0]
    listing = client.get(f"/inventory/forecasts/{forecast_url}")
    assert listing.status_code == 200 and f"{EAR}" in listing.text
    chart = client.get(f"/inventory/forecasts/{forecast_url}/series/{EAR}@DE?animation=0&history=26")
    assert chart.status_code == 200
    assert 'data-forecast-table="forecast-table"' in chart.text and 'data-levels="80,95"' in chart.text
    assert chart.text.count('class="row-forecast"') == 8 and chart.text.count("data-y=") == 26
    assert client.get(f"/inventory/forecasts/{forecast_url}/series/NOPE@DE").status_code == 404
    assert client.post("/inventory/forecasts", data={"csrf_token": csrf, "horizon": "0"}).status_code == 422

    client.post("/locale", data={"csrf_token": csrf, "locale": "zh-CN", "next": "/inventory/plans"})
    bad = client.post("/inventory/plans", data={"csrf_token": csrf, "service_level": "120"})
    assert bad.status_code == 422 and "服务水平" in bad.text
    planned = client.post("/inventory/plans", data={
        "csrf_token": csrf, "currency": "EUR", "backorder_cost_per_unit_week": "4", "horizon_weeks": "12",
        "service_level": "95", "fx": "USD=0.92, CNY=0.13"}, follow_redirects=False)
    assert planned.status_code == 303
    _run_jobs(app)
    job_page = client.get(planned.headers["location"]).text
    assert 'data-status="succeeded"' in job_page, job_page[:2000]
    plan_id = job_page.split('href="/inventory/plans/')[1].split('"')[0]
    plan = client.get(f"/inventory/plans/{plan_id}")
    assert plan.status_code == 200
    text = plan.text
    assert "补货计划" in text and any(mode in text for mode in ("海运", "铁路", "空运", "快递"))
    assert 'id="plan-shipments"' in text and 'id="plan-gap"' in text and 'id="plan-costs"' in text
    assert "发货" in text  # the why: "Send N by sea from SZ to DE-3PL by <date>" in Chinese
    assert "SZ" in text and ("DE-3PL" in text or "DE-FWD" in text)
    listing = client.get("/inventory/plans")
    assert plan_id in listing.text
    assert client.get("/inventory/plans/nope").status_code == 404
