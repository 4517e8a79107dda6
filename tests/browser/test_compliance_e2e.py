"""Compliance end to end in headless Chromium (journey 1 step 2, journey 2): run a readiness check of the demo
catalog in six markets, see the speaker blocked in JP and why, upload the CE/RED test report (the matrix turns
partly green and reminds that it expires in five months), unblock JP with the radio certificate and UN38.3 report,
then load a rule update as the platform admin and read the alert.

Same approach as test_console_e2e.py; screenshots go to test-artifacts/compliance-*.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.browser._harness import chromium_page, seller_app, sign_in

from xborder import catalog, compliance
from xborder.db import transaction

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, serve_app: Callable[[Any], str]) -> Iterator[str]:
    """The app under uvicorn in a thread: the demo seller (中文, platform admin too) with the demo catalog."""
    seller = seller_app(tmp_path_factory.mktemp("workspace"), platform_admin=True)
    with transaction(seller.session_factory) as session:
        catalog.import_products(session, organization_id=seller.organization_id, filename="shengyue_catalog_zh.csv",
                                content=catalog.demo_catalog_csv(), limits=seller.settings.imports)
    yield serve_app(seller.app)


def _upload(page, base_url: str, tmp: Path, *, scheme: str, kind: str, skus: str, markets: str = "",
            expires: str = "") -> None:
    page.goto(f"{base_url}/compliance/evidence")
    report = tmp / f"{scheme}.pdf"
    report.write_bytes(PDF)
    page.locator("#f-file").set_input_files(str(report))
    page.locator("#f-evidence_type").select_option(kind)
    page.locator("#f-scheme").fill(scheme)
    page.locator("#f-issuer").fill("TÜV Rheinland")
    page.locator("#f-reference").fill(f"{scheme.upper()}-2026-0815")
    page.locator("#f-issued_on").fill("2026-10-01")
    if expires:
        page.locator("#f-expires_on").fill(expires)
    page.locator("#f-skus").fill(skus)
    page.locator("#f-markets").fill(markets)
    page.locator("#upload-evidence").click()


def test_compliance_journey_in_chromium(chromium_path: str, chromium_args: list[str], base_url: str,
                                        tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    expires = (date.today() + timedelta(days=151)).isoformat()
    with (sync_playwright() as pw,
          # the refused upload answers 422 on purpose
          chromium_page(pw, chromium_path, chromium_args, problems, timeout_ms=30_000,
                        expected_failures=("/compliance/evidence",)) as page):

        sign_in(page, base_url, "/compliance")
        expect(page.locator("h1")).to_have_text("市场准入")

        # A readiness check of the whole catalog in the six markets, as a job with a polled progress bar.
        page.locator("#run-check").click()
        expect(page.locator("#compliance-job[data-status='succeeded']")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "compliance-01-check-done.png"), full_page=True)
        page.get_by_role("link", name="打开准入矩阵").click()
        speaker = page.locator("tr[data-sku='SY-B100-BK']")
        expect(speaker.locator("td[data-market='JP'][data-verdict='blocked']")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "compliance-02-matrix-blocked.png"), full_page=False)

        # Why JP blocks it: the radio-law certificate (and UN38.3) are missing; each line cites its source.
        speaker.locator("td[data-market='JP'] a").click()
        radio = page.locator("tr[data-rule='jp.radio.giteki']")
        expect(radio).to_have_attribute("data-status", "missing")
        expect(radio).to_contain_text("giteki")
        expect(radio.locator("a[href^='https://']")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "compliance-03-checklist-jp.png"), full_page=True)

        # A non-PDF is refused with a clear message, in place.
        page.goto(f"{base_url}/compliance/evidence")
        note = tmp_path / "note.txt"
        note.write_text("not a certificate", encoding="utf-8")
        page.locator("#f-file").set_input_files(str(note))
        page.locator("#f-scheme").fill("ce-red")
        page.locator("#f-issuer").fill("TÜV")
        page.locator("#f-issued_on").fill("2026-10-01")
        page.locator("#upload-evidence").click()
        expect(page.locator("#evidence-refused")).to_contain_text("not a PDF or an image")
        page.screenshot(path=str(ARTIFACTS / "compliance-04-refused.png"), full_page=False)

        # The CE/RED test report she already has: DE and FR turn partly green, expiring in five months.
        _upload(page, base_url, tmp_path, scheme="ce-red", kind="test_report",
                skus="SY-B100-BK,SY-B100-BL,SY-B100-GN,SY-B100-PK", markets="DE,FR", expires=expires)
        expect(page.locator("#evidence-flash")).to_be_visible()
        expect(page.locator("#evidence-table")).to_contain_text("约 5 个月")
        page.screenshot(path=str(ARTIFACTS / "compliance-05-evidence.png"), full_page=True)
        page.goto(f"{base_url}/compliance?markets=DE,FR,GB,JP,SA,BR")
        expect(page.locator("#expiry-reminders")).to_contain_text("约 5 个月")
        met = page.locator("tr[data-sku='SY-B100-BK'] td[data-market='DE'] progress.rcell__met")
        expect(met).to_have_attribute("value", "1")

        # The radio certificate and the UN38.3 summary unblock the speaker in JP.
        _upload(page, base_url, tmp_path, scheme="giteki", kind="certificate", skus="SY-B100-BK")
        _upload(page, base_url, tmp_path, scheme="un38-3", kind="test_report", skus="SY-B100-BK")
        page.goto(f"{base_url}/compliance?markets=DE,FR,GB,JP,SA,BR")
        expect(page.locator("tr[data-sku='SY-B100-BK'] td[data-market='JP'][data-verdict='ready']")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "compliance-06-matrix-partly-green.png"), full_page=False)

        # Journey 2: the operator loads a JP rule change; the diff shows, applying re-checks and alerts.
        pack = yaml.safe_load((compliance.packs_root() / "jp" / "rules.yaml").read_text(encoding="utf-8"))
        next(r for r in pack["rules"] if r["id"] == "jp.pse.embedded_battery")["severity"] = "required"
        update = tmp_path / "jp-rules.yaml"
        update.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
        page.goto(f"{base_url}/compliance/rules")
        page.locator("#f-pack").set_input_files(str(update))
        page.locator("#preview-pack").click()
        expect(page.locator("#pack-diff tr[data-rule='jp.pse.embedded_battery']")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "compliance-07-rule-diff.png"), full_page=True)
        page.locator("#apply-pack").click()
        expect(page.locator("#compliance-job[data-status='succeeded']")).to_be_visible()
        page.goto(f"{base_url}/compliance/alerts")
        expect(page.locator("article[data-kind='rules_changed']").first).to_contain_text("SY-B100-BK")
        page.screenshot(path=str(ARTIFACTS / "compliance-08-alerts.png"), full_page=True)
    assert problems == [], f"browser console errors (CSP violations, script errors): {problems}"
