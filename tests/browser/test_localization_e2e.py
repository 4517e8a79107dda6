"""Localization studio end to end in headless Chromium: the journey's JP listing shows its three findings in the
editor, is fixed and approved; bulk translation runs with progress; the QA dashboard draws its chart; Arabic is RTL.

Needs Debian's `chromium` and Python playwright (no `playwright install`). Skipped when either is missing, unless
XBORDER_REQUIRE_BROWSER=1 (CI). Screenshots go to test-artifacts/l10n-*.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.browser._harness import EMAIL, PASSWORD, SellerApp, chromium_page, seller_app

from xborder import catalog, localization
from xborder.db import transaction

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


SOURCE_TITLE = "声悦 节能电水壶 1.5L SY-K100 4件套"
BAD_TITLE = "声悦 使用制限電気ケトル 1.5L SY-K100 4個セット"


def _seed(session: Session, seller: SellerApp) -> dict[str, str]:
    org = seller.organization_id
    kettle = catalog.create_product(session, organization_id=org, data=catalog.ProductIn(
        product_ref="SY-K100", title=SOURCE_TITLE, description="尺寸 20 x 15 厘米", source_language="zh-CN",
        brand="声悦", variants=[catalog.VariantIn(sku="SY-K100-W")])).id
    catalog.create_product(session, organization_id=org, data=catalog.ProductIn(
        product_ref="SY-BT5", title="声悦 蓝牙音箱 SY-BT5", description="续航 12 小时", source_language="zh-CN",
        variants=[catalog.VariantIn(sku="SY-BT5-B")]))
    localization.import_glossary(session, organization_id=org, content=(
        "term,kind,language,translation,source_language\n节能,required,ja,省エネ,zh\n声悦,do_not_translate,,,\n"
    ).encode())
    memory = (("ja", "声悦 省エネ電気ケトル 1.5L SY-K100"), ("de", "声悦 Energiespar-Wasserkocher 1,5 L SY-K100"))
    for target, text in memory:
        localization.add_segment(session, organization_id=org, source_language="zh-CN", target_language=target,
                                 source_text="声悦 节能电水壶 1.5L SY-K100", target_text=text)
    jp = localization.create_listing(session, organization_id=org, product_id=kettle, market="JP", language="ja",
                                     title=BAD_TITLE, description="サイズ 8 x 6 in", user_id=seller.user_id)
    sa = localization.create_listing(session, organization_id=org, product_id=kettle, market="SA", language="ar",
                                     title="غلاية كهربائية 声悦 SY-K100", description="سعة 1.5 لتر")
    return {"jp": jp.id, "sa": sa.id}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory,
           serve_app: Callable[[Any], str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The real app under uvicorn in a thread (embedded job runner), on a fresh SQLite workspace."""
    seller = seller_app(tmp_path_factory.mktemp("l10n-workspace"))
    with transaction(seller.session_factory) as session:
        ids = _seed(session, seller)
    yield serve_app(seller.app), ids


def test_localization_studio_in_chromium(chromium_path: str, chromium_args: list[str],
                                         served: tuple[str, dict[str, str]]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base_url, ids = served
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    with (sync_playwright() as pw,
          # the refused approval is a 422 page on purpose
          chromium_page(pw, chromium_path, chromium_args, problems, width=1366,
                        expected_failures=("/transition",)) as page):

        page.goto(f"{base_url}/localization")
        page.get_by_label("邮箱").fill(EMAIL)
        page.get_by_label("密码").fill(PASSWORD)
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("本地化工作台")
        expect(page.locator("#listings tbody tr")).to_have_count(2)
        page.screenshot(path=str(ARTIFACTS / "l10n-01-listings.png"), full_page=True)

        # The journey's JP listing: the three findings inline, with code, severity and both languages.
        page.goto(f"{base_url}/localization/listings/{ids['jp']}")
        findings = page.locator("#findings")
        for code in ("known_mistranslation", "unlucky_number", "metric_units_missing"):
            expect(findings.locator(f"li[data-code='{code}']")).to_be_visible()
        expect(findings.locator("li[data-code='known_mistranslation'] .badge--bad")).to_have_text("严重")
        expect(findings).to_contain_text("限制使用")
        expect(page.locator("#seg-title .tm")).to_contain_text("%")
        page.screenshot(path=str(ARTIFACTS / "l10n-02-editor-findings.png"), full_page=True)

        # Approval is refused while the critical finding stands; the fix clears it and approval goes through.
        page.locator("button[data-to='needs_review']").click()
        page.locator("button[data-to='approved']").click()
        expect(page.locator("#editor-error")).to_contain_text("known_mistranslation")
        page.locator("button[data-to='draft']").click()
        page.locator("#t-title").fill("声悦 省エネ電気ケトル 1.5L SY-K100 4個セット")
        page.locator("#t-description").fill("サイズ 20 x 15 cm（8 x 6 in）")
        page.locator("#t-note").fill("修正：节能译法和厘米")
        page.get_by_role("button", name="保存并检查").click()
        expect(page.locator("li[data-code='known_mistranslation']")).to_have_count(0)
        expect(page.locator("#revisions")).to_contain_text("修正：节能译法和厘米")
        page.locator("button[data-to='needs_review']").click()
        page.locator("button[data-to='approved']").click()
        expect(page.locator("h1 + p .badge[data-status='approved']")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "l10n-03-editor-approved.png"), full_page=True)

        # Bulk translation into German with progress (TM only: no MT provider configured here).
        page.goto(f"{base_url}/localization")
        page.locator("#bt-market").select_option("DE")
        page.locator("#bt-language").fill("de")
        page.get_by_role("button", name="翻译全部商品").click()
        expect(page.locator("#l10n-job")).to_be_visible()
        expect(page.locator("#l10n-job[data-status='succeeded']")).to_be_visible(timeout=60_000)
        expect(page.locator("#job-result")).to_contain_text("2")
        page.screenshot(path=str(ARTIFACTS / "l10n-04-bulk-translate.png"), full_page=True)

        # The per-market QA dashboard: stacked chart (ECharts when present) and the code matrix.
        page.goto(f"{base_url}/localization/qa?animation=0")
        expect(page.locator("h1")).to_have_text("各市场质检")
        if page.locator("script[src='/static/vendor/echarts.min.js']").count():
            expect(page.locator("#chart-l10n-qa[data-chart-ready='true'] canvas").first).to_be_attached()
        expect(page.locator("#qa-codes-table")).to_contain_text("unlucky_number")
        page.screenshot(path=str(ARTIFACTS / "l10n-05-qa-dashboard.png"), full_page=True)

        # Arabic target fields are right to left.
        page.goto(f"{base_url}/localization/listings/{ids['sa']}")
        expect(page.locator("#t-title")).to_have_attribute("dir", "rtl")
        expect(page.locator("#t-title")).to_have_attribute("lang", "ar")
        page.screenshot(path=str(ARTIFACTS / "l10n-06-editor-arabic.png"), full_page=True)
    assert problems == [], f"browser console errors (CSP violations, script errors): {problems}"
