"""Inventory API: warehouses, ledger (refusals as problem+json), transfers, routing, and the jobs — sales import,
stored forecast (per SKU x market with bands), replenishment plan (shipments, costs, service level, gap, why)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from fastapi import FastAPI
from fastapi.testclient import TestClient

from xborder import catalog, jobs
from xborder.db import transaction

EAR, SPK = "EAR-01", "SPK-02"
LAST_MONDAY = date(2026, 11, 16)


def seed_skus(app: FastAPI, org_id: str) -> None:
    with transaction(app.state.container.session_factory) as s:
        catalog.create_product(s, organization_id=org_id, data=catalog.ProductIn(
            title="Shengyue audio", brand="Shengyue",
            variants=[catalog.VariantIn(sku=sku, hs_code="851830", origin_country="CN", gross_weight_kg=Decimal(w),
                                        length_cm=Decimal(18), width_cm=Decimal(12), height_cm=Decimal(6))
                      for sku, w in ((EAR, "0.3"), (SPK, "0.9"))]))


def sales_csv(weeks: int = 60, seed: int = 7) -> bytes:
    """Weekly order lines for two SKUs in DE (earphones ~150/week with a Q4 ramp, speakers intermittent)."""
    rng = np.random.default_rng(seed)
    lines = ["order_id,sku,quantity,ordered_at,market"]
    for w in range(weeks):
        day = LAST_MONDAY - timedelta(weeks=weeks - 1 - w) + timedelta(days=2)
        ramp = 1.6 if day.month in (11, 12) else 1.0
        lines.append(f"O{w}A,{EAR},{int(rng.poisson(150 * ramp))},{day.isoformat()} 10:00,DE")
        if rng.random() < 0.4:
            lines.append(f"O{w}B,{SPK},{int(rng.integers(1, 6))},{day.isoformat()} 11:00,Germany")
    lines.append(f"C1,{EAR},-5,{LAST_MONDAY.isoformat()} 12:00,DE")  # a cancellation
    return ("\n".join(lines) + "\n").encode()


def network(client: TestClient, headers: dict[str, str]) -> None:
    for code, tier, country, currency in (("SZ", "domestic", "CN", "CNY"), ("DE-3PL", "overseas", "DE", "EUR"),
                                          ("DE-FWD", "forward", "DE", "EUR")):
        r = client.post("/api/v1/inventory/warehouses", headers=headers, json={
            "code": code, "name": f"{code} warehouse", "tier": tier, "country": country, "currency": currency,
            "capacity_m3": "400", "storage_cost_per_m3_month": "15", "handling_cost_per_unit": "0.3"})
        assert r.status_code == 201, r.text


def run_jobs(app: FastAPI) -> None:
    container = app.state.container
    while jobs.run_one(container.session_factory, registry=container.job_handlers, clock=container.clock,
                       worker_id="test"):
        pass


def test_warehouses_ledger_transfers_and_routing(client: TestClient, app: FastAPI, org_a) -> None:
    seed_skus(app, org_a.org_id)
    h = org_a.auth("operator")
    network(client, h)
    codes = [w["code"] for w in client.get("/api/v1/inventory/warehouses", headers=h).json()]
    assert [c for c in codes if not c.startswith("ALPHA-")] == ["SZ", "DE-FWD", "DE-3PL"]  # by tier, then code
    assert client.get("/api/v1/inventory/warehouses/DE-3PL", headers=h).json()["tier"] == "overseas"
    assert client.get("/api/v1/inventory/warehouses/NOPE", headers=h).status_code == 404
    dup = client.post("/api/v1/inventory/warehouses", headers=h, json={
        "code": "SZ", "name": "again", "tier": "domestic", "country": "CN", "currency": "CNY",
        "storage_cost_per_m3_month": "1", "handling_cost_per_unit": "0"})
    assert dup.status_code == 409

    refused = client.post("/api/v1/inventory/ledger", headers=h, json={
        "kind": "shipment", "warehouse": "SZ", "sku": EAR, "quantity": 10})
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "inventory.insufficient_stock"
    got = client.post("/api/v1/inventory/ledger", headers=h, json={
        "kind": "receipt", "warehouse": "SZ", "sku": EAR, "quantity": 3000, "reference": "PO-1"})
    assert got.status_code == 201 and got.json()["d_on_hand"] == 3000
    for body in ({"kind": "reservation", "quantity": 100}, {"kind": "shipment", "quantity": 40},
                 {"kind": "release", "quantity": 60}, {"kind": "return", "quantity": 2},
                 {"kind": "adjustment", "quantity": -2, "reason": "damaged in count"}):
        r = client.post("/api/v1/inventory/ledger", headers=h, json={"warehouse": "SZ", "sku": EAR, **body})
        assert r.status_code == 201, (body, r.text)
    over = client.post("/api/v1/inventory/ledger", headers=h, json={
        "kind": "reservation", "warehouse": "SZ", "sku": EAR, "quantity": 999_999})
    assert over.status_code == 409 and "SZ/EAR-01" in over.json()["errors"][0]["message"]
    unknown = client.post("/api/v1/inventory/ledger", headers=h, json={
        "kind": "receipt", "warehouse": "SZ", "sku": "NOT-IN-CATALOG", "quantity": 1})
    assert unknown.status_code == 422 and unknown.json()["code"] == "inventory.unknown_sku"
    kinds = [e["kind"] for e in client.get(f"/api/v1/inventory/ledger?sku={EAR}", headers=h).json()]
    assert kinds == ["receipt", "reservation", "shipment", "release", "return", "adjustment"]

    t = client.post("/api/v1/inventory/transfers", headers=h, json={
        "number": "TR-1", "from_warehouse": "SZ", "to_warehouse": "DE-3PL", "mode": "sea",
        "shipped_on": "2026-11-01", "eta_on": "2026-12-05", "lines": [{"sku": EAR, "quantity": 1000}]})
    assert t.status_code == 201, t.text
    level = {lv["warehouse_code"]: lv for lv in client.get(f"/api/v1/inventory/stock?sku={EAR}", headers=h).json()}
    assert level["SZ"]["on_hand"] == 1960 and level["DE-3PL"]["in_transit"] == 1000
    summary = client.get(f"/api/v1/inventory/stock/summary?sku={EAR}", headers=h).json()
    tiers = {t["tier"]: t for t in summary["tiers"]}
    assert tiers["domestic"]["on_hand"] == 1960 and tiers["overseas"]["in_transit"] == 1000
    assert tiers["forward"]["on_hand"] == 0 and tiers["forward"]["warehouses"] == 1
    assert {w["code"]: w["in_transit"] for w in summary["warehouses"]}["DE-3PL"] == 1000
    assert {lv["tier"] for lv in client.get("/api/v1/inventory/stock?tier=overseas", headers=h).json()} == {
        "overseas"}
    received = client.post("/api/v1/inventory/transfers/TR-1/receive", headers=h,
                           json={"received_on": "2026-12-04", "quantities": {EAR: 400}})
    assert received.status_code == 200 and received.json()["status"] == "in_transit"
    assert client.get("/api/v1/inventory/transfers/TR-1", headers=h).json()["lines"] == [[EAR, 1000, 400]]
    assert client.get("/api/v1/inventory/transfers", headers=h).json()["items"][0]["number"] == "TR-1"
    assert client.get("/api/v1/inventory/transfers/TR-404", headers=h).status_code == 404

    routed = client.post("/api/v1/inventory/routing", headers=h, json={
        "sku": EAR, "quantity": 50, "destination_country": "DE", "reserve": True, "reference": "SO-9"})
    assert routed.status_code == 200, routed.text
    assert routed.json()["allocations"][0]["warehouse"] == "DE-3PL"
    short = client.post("/api/v1/inventory/routing", headers=h, json={
        "sku": EAR, "quantity": 10**6, "destination_country": "DE"})
    assert short.status_code == 409 and short.json()["code"] == "inventory.insufficient_stock"
    viewer = org_a.auth("viewer")
    assert client.post("/api/v1/inventory/ledger", headers=viewer, json={
        "kind": "receipt", "warehouse": "SZ", "sku": EAR, "quantity": 1}).status_code == 403


def test_sales_forecast_and_plan_jobs(client: TestClient, app: FastAPI, org_a) -> None:
    seed_skus(app, org_a.org_id)
    h = org_a.auth("operator")
    network(client, h)
    client.post("/api/v1/inventory/ledger", headers=h, json={
        "kind": "receipt", "warehouse": "SZ", "sku": EAR, "quantity": 6000})
    client.post("/api/v1/inventory/ledger", headers=h, json={
        "kind": "receipt", "warehouse": "SZ", "sku": SPK, "quantity": 200})

    bad = client.post("/api/v1/inventory/sales-history", headers=h,
                      files={"file": ("sales.csv", b"order_id,sku\n1,EAR-01\n", "text/csv")})
    assert bad.status_code == 202
    run_jobs(app)
    failed = client.get(f"/api/v1/jobs/{bad.json()['id']}", headers=h).json()
    assert failed["status"] == "failed" and failed["error"]["details"][0]["code"] == "inventory.missing_column"

    accepted = client.post("/api/v1/inventory/sales-history", headers=h,
                           files={"file": ("sales.csv", sales_csv(), "text/csv")})
    assert accepted.status_code == 202 and accepted.headers["Location"].startswith("/api/v1/jobs/")
    run_jobs(app)
    report = client.get(accepted.headers["Location"], headers=h).json()
    assert report["status"] == "succeeded", report
    assert report["result"]["markets"] == ["DE"] and report["result"]["skus"] == 2

    assert client.post("/api/v1/inventory/forecasts", headers=h, json={"horizon": 0}).status_code == 422
    fc = client.post("/api/v1/inventory/forecasts", headers=h, json={"horizon": 8, "market": "DE"})
    assert fc.status_code == 202
    run_jobs(app)
    job = client.get(f"/api/v1/jobs/{fc.json()['id']}", headers=h).json()
    assert job["status"] == "succeeded", job
    forecast_id = job["result"]["forecast_id"]
    run = client.get(f"/api/v1/inventory/forecasts/{forecast_id}", headers=h).json()
    assert run["series"] == 2 and run["levels"] == [80, 95] and run["market"] == "DE"
    assert client.get("/api/v1/inventory/forecasts", headers=h).json()["items"][0]["id"] == forecast_id
    series = client.get(f"/api/v1/inventory/forecasts/{forecast_id}/series", headers=h).json()["items"]
    assert [s["series_id"] for s in series] == [f"{EAR}@DE", f"{SPK}@DE"]
    assert all(s["method"] == "cv" for s in series), series
    chart = client.get(f"/api/v1/inventory/forecasts/{forecast_id}/series/{EAR}@DE?history=20", headers=h).json()
    assert len(chart["history"]) == 20 and chart["history"][-1]["ds"] == LAST_MONDAY.isoformat()
    assert len(chart["forecast"]) == 8 and chart["forecast"][0]["ds"] == (LAST_MONDAY + timedelta(7)).isoformat()
    first = chart["forecast"][0]
    assert first["lo"]["95"] <= first["lo"]["80"] <= first["forecast"] <= first["hi"]["80"] <= first["hi"]["95"]
    assert 80 < first["forecast"] < 400
    missing = client.get(f"/api/v1/inventory/forecasts/{forecast_id}/series/NOPE@DE", headers=h)
    assert missing.status_code == 404 and missing.json()["code"] == "inventory.forecast_not_found"

    plan = client.post("/api/v1/inventory/plans", headers=h, json={
        "currency": "EUR", "backorder_cost_per_unit_week": "4", "horizon_weeks": 12,
        "fx": {"USD": "0.92", "CNY": "0.13"}, "today": "2026-11-23"})
    assert plan.status_code == 202
    run_jobs(app)
    job = client.get(f"/api/v1/jobs/{plan.json()['id']}", headers=h).json()
    assert job["status"] == "succeeded", job
    stored = client.get(f"/api/v1/inventory/plans/{job['result']['plan_id']}", headers=h).json()
    assert stored["status"] == "optimal" and stored["mip_gap"] is not None
    assert stored["shipments"], stored
    ship = stored["shipments"][0]
    assert ship["from_site"] in ("SZ", "ALPHA-SZ") and ship["quantity"] > 0
    assert {s["to_site"] for s in stored["shipments"] if s["sku"] == EAR} & {"DE-3PL", "DE-FWD"}
    assert date.fromisoformat(ship["ship_by"]) >= date(2026, 11, 23)
    costs = stored["costs"]
    assert Decimal(costs["total"]) == sum(Decimal(costs[k]) for k in ("freight", "handling", "holding", "backorder"))
    assert {f["currency"]: f["source"] for f in stored["fx"]} == {"CNY": "given", "USD": "given"}
    ear = [ln for ln in stored["lines"] if ln["sku"] == EAR]
    assert ear and all(ln["shipments"] or ln["planned_in"] == 0 for ln in ear)
    assert 0.5 < stored["mean_service_level"] <= 1
    assert client.get("/api/v1/inventory/plans", headers=h).json()["items"][0]["id"] == stored["id"]


def test_plan_without_a_rate_fails_naming_the_currency(client: TestClient, app: FastAPI, org_a) -> None:
    seed_skus(app, org_a.org_id)
    h = org_a.auth()
    network(client, h)
    accepted = client.post("/api/v1/inventory/plans", headers=h, json={
        "currency": "XAF", "backorder_cost_per_unit_week": "1"})
    run_jobs(app)
    job = client.get(f"/api/v1/jobs/{accepted.json()['id']}", headers=h).json()
    assert job["status"] == "failed"
    assert job["error"]["code"] == "inventory.missing_fx"
    assert {d["field"] for d in job["error"]["details"]} == {"fx.CNY", "fx.EUR", "fx.USD"}
