"""End to end in headless Chromium: sign in, switch to 中文, import a catalog, watch it finish, search, open a market.

Needs Debian's `chromium` and Python playwright (no `playwright install`). Skipped when either is missing, unless
XBORDER_REQUIRE_BROWSER=1 (CI), where a missing browser fails the run. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser._harness import EMAIL, PASSWORD, chromium_page, seller_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEMO_DIR = ROOT / "src" / "xborder" / "demo" / "data"
DEMO_FILE, DEMO_BAD_FILE = DEMO_DIR / "shengyue_catalog_zh.csv", DEMO_DIR / "shengyue_catalog_bad.csv"
FIXTURE_FILE = Path(__file__).with_name("catalog_small.csv")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, serve_app: Callable[[Any], str]) -> Iterator[str]:
    """The real app under uvicorn in a thread, on a fresh SQLite workspace with one organization and user."""
    # English as the stored preference, so the test proves the switch to 中文 works and sticks.
    yield serve_app(seller_app(tmp_path_factory.mktemp("workspace"), locale="en").app)


def test_console_journey_in_chromium(chromium_path: str, chromium_args: list[str], base_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    catalog_file = DEMO_FILE if DEMO_FILE.is_file() else FIXTURE_FILE
    problems: list[str] = []
    with sync_playwright() as pw, chromium_page(pw, chromium_path, chromium_args, problems, width=1366) as page:

        # Sign in (the sign-in page speaks the console default, Chinese).
        page.goto(f"{base_url}/catalog")
        expect(page).to_have_url(f"{base_url}/login?next=/catalog")
        expect(page.locator("h1")).to_have_text("登录")
        page.screenshot(path=str(ARTIFACTS / "01-login.png"))
        page.get_by_label("邮箱").fill(EMAIL)
        page.get_by_label("密码").fill(PASSWORD)
        page.locator("form.form button[type=submit]").click()
        expect(page).to_have_url(f"{base_url}/catalog")
        expect(page.locator("h1")).to_have_text("Catalog")  # the user's stored language

        # Switch to 中文: persisted for the user.
        page.locator(".lang-switch button[value='zh-CN']").click()
        expect(page.locator("h1")).to_have_text("商品库")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

        # A sheet with problems: the import stops and names row, column and reason for each.
        if DEMO_BAD_FILE.is_file():
            page.get_by_role("navigation", name="主导航").get_by_role("link", name="导入", exact=True).click()
            page.locator("#f-file").set_input_files(str(DEMO_BAD_FILE))
            page.get_by_role("button", name="开始导入").click()
            expect(page.locator("#import-job[data-status='failed']")).to_be_visible(timeout=90_000)
            expect(page.locator("#import-errors tbody tr").first).to_be_visible()
            expect(page.get_by_role("link", name="下载错误报告（CSV）")).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "02a-import-error-report.png"), full_page=True)

        # Import a catalog file and wait for the progress to finish.
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="导入", exact=True).click()
        page.locator("#f-file").set_input_files(str(catalog_file))
        page.get_by_role("button", name="开始导入").click()
        expect(page.locator("#import-job")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "02-import-progress.png"))
        expect(page.locator("#import-job[data-status='succeeded']")).to_be_visible(timeout=90_000)
        expect(page.locator("#import-job")).to_contain_text("导入完成")
        page.screenshot(path=str(ARTIFACTS / "03-import-done.png"), full_page=True)

        # Search the catalog (htmx swaps the results in; without htmx the form submits normally).
        page.goto(f"{base_url}/catalog")
        page.locator("#f-q").fill("蓝牙耳机")
        page.locator("#f-q").press("Enter")
        results = page.locator("#catalog-results")
        expect(results).to_contain_text("蓝牙耳机")
        expect(results.locator("tbody tr").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "04-catalog-search.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})  # a phone: the layout must still work
        page.screenshot(path=str(ARTIFACTS / "04b-catalog-search-phone.png"))
        page.set_viewport_size({"width": 1366, "height": 900})

        # Dashboard with its chart (ECharts when fetched; the data table otherwise), animation off.
        page.goto(f"{base_url}/?animation=0")
        expect(page.locator("h1")).to_have_text("概览")
        if page.locator("script[src='/static/vendor/echarts.min.js']").count():
            expect(page.locator("#chart-hs[data-chart-ready='true']")).to_be_attached()
            expect(page.locator("#chart-hs canvas").first).to_be_attached()
        else:
            expect(page.locator("#chart-hs-table")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "05-dashboard.png"), full_page=True)

        # A market page: facts in force with sources, calendar, de minimis history.
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="市场", exact=True).click()
        page.get_by_role("link", name="德国").click()
        expect(page.locator("h1")).to_contain_text("德国")
        expect(page.locator("#deminimis-title")).to_have_text("免税额度历史")
        expect(page.locator("#market-detail a[href^='https://']").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "06-market-de.png"), full_page=True)

        page.goto(f"{base_url}/hs?q=%E8%93%9D%E7%89%99%E8%80%B3%E6%9C%BA")
        expect(page.locator("#hs-results")).to_contain_text("8518")
        page.screenshot(path=str(ARTIFACTS / "07-hs-search.png"), full_page=True)
    assert problems == [], f"browser console errors (CSP violations, script errors): {problems}"
