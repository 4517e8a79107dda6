"""Inventory end to end in headless Chromium (journey 1 step 5): stock by tier with its chart, sales import and a
forecast run as polled jobs, the forecast chart with its bands, then the replenishment plan with its shipments,
costs, service level, gap and the why — in Chinese.

Same approach as test_console_e2e.py: Debian's chromium via playwright `executable_path`, skipped when missing
unless XBORDER_REQUIRE_BROWSER=1. Screenshots go to test-artifacts/inventory-*.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.browser._harness import chromium_page, seller_app, sign_in

from xborder import catalog, inventory
from xborder.db import transaction

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
JOB_TIMEOUT_MS = 180_000  # the first forecast also pays statsforecast's numba compilation


def _sales_file(folder: Path) -> Path:
    """Two years of weekly DE orders: earphones ~220/week with a Q4 ramp, speakers intermittent."""
    rng = np.random.default_rng(11)
    last = date(2026, 11, 16)
    rows = ["order_id,sku,quantity,ordered_at,market"]
    for w in range(104):
        day = last - timedelta(weeks=103 - w) + timedelta(days=1)
        ramp = 1.7 if day.month in (11, 12) else 1.0
        rows.append(f"O{w}E,SY-EB-01,{int(rng.poisson(220 * ramp))},{day.isoformat()} 09:30,DE")
        if rng.random() < 0.35:
            rows.append(f"O{w}S,SY-SP-01,{int(rng.integers(2, 9))},{day.isoformat()} 15:00,Germany")
    path = folder / "shengyue-orders.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, serve_app: Callable[[Any], str]) -> Iterator[tuple[str, Path]]:
    """The app under uvicorn in a thread: Shengyue (中文) with earphones and a speaker, a Shenzhen domestic
    warehouse with stock, a German 3PL overseas warehouse and a forward warehouse near Frankfurt."""

    folder = tmp_path_factory.mktemp("inventory-e2e")
    seller = seller_app(folder / "data")
    org_id = seller.organization_id
    with transaction(seller.session_factory) as session:
        for sku, title, weight in (("SY-EB-01", "蓝牙耳机", "0.25"), ("SY-SP-01", "蓝牙音箱", "0.9")):
            catalog.create_product(session, organization_id=org_id, data=catalog.ProductIn(
                title=title, brand="声悦", variants=[catalog.VariantIn(
                    sku=sku, hs_code="851830", origin_country="CN", gross_weight_kg=Decimal(weight),
                    length_cm=Decimal(16), width_cm=Decimal(11), height_cm=Decimal(6))]))
        for code, name, tier, operator, country, cur, city in (
                ("SZ-01", "深圳龙华仓", "domestic", "own", "CN", "CNY", "Shenzhen"),
                ("DE-3PL", "德国海外仓", "overseas", "3pl", "DE", "EUR", "Duisburg"),
                ("DE-FWD", "法兰克福前置仓", "forward", "own", "DE", "EUR", "Frankfurt")):
            inventory.create_warehouse(session, organization_id=org_id, data=inventory.WarehouseIn(
                code=code, name=name, tier=tier, operator=operator, country=country, currency=cur, city=city,
                capacity_m3=Decimal(300), storage_cost_per_m3_month=Decimal(18),
                handling_cost_per_unit=Decimal("0.35")))
        inventory.receive_stock(session, organization_id=org_id, warehouse="SZ-01", sku="SY-EB-01", quantity=8000)
        inventory.receive_stock(session, organization_id=org_id, warehouse="SZ-01", sku="SY-SP-01", quantity=600)
        inventory.receive_stock(session, organization_id=org_id, warehouse="DE-3PL", sku="SY-EB-01", quantity=900)
        inventory.reserve_stock(session, organization_id=org_id, warehouse="DE-3PL", sku="SY-EB-01", quantity=120)
        inventory.create_transfer(session, organization_id=org_id, number="TR-2026-41", from_warehouse="SZ-01",
                                  to_warehouse="DE-FWD", mode="rail", shipped_on=date(2026, 11, 10),
                                  eta_on=date(2026, 11, 28),
                                  lines=[inventory.TransferLineIn(sku="SY-EB-01", quantity=400)])
    yield serve_app(seller.app), _sales_file(folder)


def test_inventory_journey_in_chromium(chromium_path: str, chromium_args: list[str],
                                       workspace: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base_url, sales = workspace
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw, chromium_page(pw, chromium_path, chromium_args, problems) as page:
        has_charts = None

        sign_in(page, base_url, "/inventory?animation=0")
        expect(page.locator("h1")).to_have_text("库存")
        expect(page.locator("[data-tier='overseas']")).to_contain_text("780")  # 900 on hand - 120 reserved
        expect(page.locator("[data-tier='forward']")).to_contain_text("400")  # in transit by rail
        has_charts = page.locator("script[src='/static/vendor/echarts.min.js']").count() > 0
        if has_charts:
            expect(page.locator("#stock-chart[data-chart-ready='true'] canvas").first).to_be_attached()
        page.screenshot(path=str(ARTIFACTS / "inventory-01-stock.png"), full_page=True)

        # Import two years of orders, then forecast DE with its calendar; both jobs report progress.
        page.goto(f"{base_url}/inventory/forecasts")
        page.locator("#f-file").set_input_files(str(sales))
        page.get_by_role("button", name="导入", exact=True).click()
        expect(page.locator("#inv-job[data-status='succeeded']")).to_be_visible(timeout=JOB_TIMEOUT_MS)
        expect(page.locator("#job-result")).to_contain_text("DE")
        page.goto(f"{base_url}/inventory/forecasts")
        page.locator("#f-horizon").fill("16")
        page.locator("#f-market").fill("DE")
        page.get_by_role("button", name="运行预测").click()
        expect(page.locator("#inv-job[data-status='succeeded']")).to_be_visible(timeout=JOB_TIMEOUT_MS)
        page.get_by_role("link", name="打开预测").click()
        expect(page.locator("#series-table")).to_contain_text("SY-EB-01")
        page.screenshot(path=str(ARTIFACTS / "inventory-02-forecast-run.png"), full_page=True)
        chart_url = page.locator("#series-table a", has_text="SY-EB-01").get_attribute("href")
        page.goto(f"{base_url}{chart_url}?animation=0")
        expect(page.locator("#forecast-table tr.row-forecast")).to_have_count(16)
        if has_charts:
            expect(page.locator("#forecast-chart[data-chart-ready='true'] canvas").first).to_be_attached()
        page.screenshot(path=str(ARTIFACTS / "inventory-03-forecast-chart.png"), full_page=False)

        # The plan: EUR, 95 % service, rates from the ECB reference data.
        page.goto(f"{base_url}/inventory/plans")
        page.locator("#f-hw").fill("16")
        page.get_by_role("button", name="生成计划").click()
        expect(page.locator("#inv-job[data-status='succeeded']")).to_be_visible(timeout=JOB_TIMEOUT_MS)
        page.get_by_role("link", name="打开补货计划").click()
        expect(page.locator("#plan-shipments tbody tr").first).to_be_visible()
        expect(page.locator("#plan-shipments")).to_contain_text("SZ-01")
        expect(page.locator("#plan-lines .why-send").first).to_contain_text("发货")
        expect(page.locator("#plan-costs")).to_contain_text("运费")
        expect(page.locator("#plan-gap")).not_to_have_text("—")
        expect(page.locator("#plan-costs + p")).to_contain_text("USD")  # the FX used, with its date
        page.screenshot(path=str(ARTIFACTS / "inventory-04-plan.png"), full_page=True)

        page.goto(f"{base_url}/inventory/ledger?sku=SY-EB-01")
        page.locator("#f-kind").select_option("shipment")
        page.locator("#f-wh").select_option("DE-FWD")
        page.locator("#f-qty").fill("5")
        page.get_by_role("button", name="记录").click()
        expect(page.locator("#inv-problem")).to_contain_text("库存将变为负数")
        page.screenshot(path=str(ARTIFACTS / "inventory-05-ledger-refused.png"), full_page=True)
    # The refused entry answers 422 on purpose (htmx swaps it in place); nothing else may fail.
    expected = {f"422 {base_url}/inventory/ledger",
                "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"}
    problems = [p for p in problems if p not in expected]
    assert problems == [], f"browser console errors (CSP violations, script errors): {problems}"
