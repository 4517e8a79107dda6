"""Pricing end to end in headless Chromium (journey 1 step 3, journey 2): the calculator explains every line, a saved
quote replays and diffs against today's data, the price matrix draws its heat map and flags BR in red.

Same approach as test_console_e2e.py: Debian's chromium via playwright `executable_path`, skipped when missing
unless XBORDER_REQUIRE_BROWSER=1. Screenshots go to test-artifacts/pricing-*.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser._harness import chromium_page, seller_app, sign_in

from xborder import catalog
from xborder.db import transaction

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# (sku, title, HS, cost in CNY): Shengyue's earphones, speaker, kettle and a cheap cable (shipping outweighs it)
SKUS = [("SY-EB-01", "蓝牙耳机", "851830", "85"), ("SY-SP-01", "蓝牙音箱", "851822", "120"),
        ("SY-KT-01", "电热水壶", "851671", "95"), ("SY-CB-01", "USB-C 数据线", "854442", "6")]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, serve_app: Callable[[Any], str]) -> Iterator[str]:
    """The app under uvicorn in a thread: one seller (中文) with four SKUs costed in CNY."""
    seller = seller_app(tmp_path_factory.mktemp("workspace"))
    with transaction(seller.session_factory) as session:
        for sku, title, hs, cost in SKUS:
            catalog.create_product(session, organization_id=seller.organization_id, data=catalog.ProductIn(
                title=title, brand="声悦", variants=[catalog.VariantIn(
                    sku=sku, hs_code=hs, origin_country="CN", cost_price=cost, cost_currency="CNY")]))
    yield serve_app(seller.app)


def test_pricing_journey_in_chromium(chromium_path: str, chromium_args: list[str], base_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw, chromium_page(pw, chromium_path, chromium_args, problems) as page:

        sign_in(page, base_url, "/pricing")
        expect(page.locator("h1")).to_have_text("到岸成本计算器")

        # The calculator: earphones CN -> DE, every line with rule, rate, source, date and certainty.
        for label, value in (("目的市场", "DE"), ("海关编码", "851830"), ("货值", "30"), ("货币", "EUR"),
                             ("运费", "5")):
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_label("进口日期").fill("2025-03-01")
        page.get_by_role("button", name="计算").click()
        lines = page.locator("#quote-lines tbody tr")
        expect(lines.first).to_be_visible()
        expect(page.locator("#quote-result")).to_contain_text("谁付什么")
        expect(page.locator("#quote-result")).to_contain_text("de.tax.standard_rate")
        expect(page.locator("#quote-lines a[href^='https://']").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "pricing-01-calculator.png"), full_page=True)

        # Save it, then compare with today's data (journey 2: saved quotes replay and diff).
        page.locator("#f-label").fill("耳机 德国 2025-03")
        page.get_by_role("button", name="保存此报价").click()
        expect(page.locator("#saved-quote")).to_contain_text("按保存时的快照重算")
        page.screenshot(path=str(ARTIFACTS / "pricing-02-saved.png"), full_page=True)
        page.get_by_role("link", name="与今天的数据比较").click()
        expect(page.locator("#quote-diff")).to_be_visible()
        page.locator("#f-on").fill("2026-07-02")
        page.get_by_role("button", name="比较", exact=True).click()
        expect(page.locator("#quote-diff")).to_contain_text("2026")
        page.screenshot(path=str(ARTIFACTS / "pricing-03-diff.png"), full_page=True)

        # The price matrix for the six markets at a 35 % margin: heat map, local price endings, BR in red.
        page.goto(f"{base_url}/pricing/matrix?markets=DE,FR,GB,JP,SA,BR&target_margin=35&shipping=4"
                  "&shipping_currency=USD&fx_latest=1&animation=0")
        table = page.locator("#matrix-table")
        expect(table).to_be_visible()
        if page.locator("script[src='/static/vendor/echarts.min.js']").count():
            expect(page.locator("#matrix-heatmap[data-chart-ready='true'] canvas").first).to_be_attached()
        # BR: the simplified regime's 60 % duty takes half the profit of every SKU (amber) and all of the cable's
        # (red); the engine's rule is red when transport + duties + border fees reach the profit.
        expect(table.locator("td[data-market='BR'][data-status='red']").first).to_be_visible()
        expect(table.locator("td[data-market='BR'] .matrix-warning").first).to_contain_text("到岸成本吃掉了利润")
        assert table.locator("td[data-market='BR'][data-status='ok']").count() == 0
        expect(table.locator("td[data-market='DE'] .matrix-cell__price").first).to_contain_text(".99")
        expect(table.locator("td[data-market='SA'][data-status='error']").first).to_contain_text("pricing.no_tariff_data")
        page.screenshot(path=str(ARTIFACTS / "pricing-04-matrix.png"), full_page=True)

        # Duty data coverage: where the duty data is thin, as a heat map over markets x chapters.
        page.get_by_role("link", name="关税数据覆盖").click()
        coverage = page.locator("#coverage-table")
        expect(coverage).to_be_visible()
        expect(coverage.locator("tr[data-market='SA']")).to_contain_text("no tariff schedule")
        if page.locator("script[src='/static/vendor/echarts.min.js']").count():
            expect(page.locator("#coverage-heatmap[data-chart-ready='true'] canvas").first).to_be_attached()
        page.screenshot(path=str(ARTIFACTS / "pricing-05-coverage.png"), full_page=True)
    assert problems == [], f"browser console errors (CSP violations, script errors): {problems}"
