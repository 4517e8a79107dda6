"""Studio console: the editor shows the journey's three JP findings inline (code, severity, both languages) with
TM matches, glossary hits and history; workflow buttons; conflicts; Arabic RTL; bulk jobs; QA dashboard; exports."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from xborder import catalog, jobs, localization
from xborder.db import transaction

from .conftest import csrf_from

SOURCE_TITLE = "声悦 节能电水壶 1.5L SY-K100 4件套"
BAD_TITLE = "声悦 使用制限電気ケトル 1.5L SY-K100 4個セット"


@pytest.fixture
def journey(app, org_a) -> dict[str, str]:
    """Org A's kettle with the drifted JP listing, a TM segment, a glossary and an Arabic listing."""
    with transaction(app.state.container.session_factory) as s:
        product = catalog.create_product(s, organization_id=org_a.org_id, data=catalog.ProductIn(
            product_ref="SY-K100", title=SOURCE_TITLE, description="尺寸 20 x 15 厘米", source_language="zh-CN",
            variants=[catalog.VariantIn(sku="SY-K100-W")])).id
        localization.import_glossary(s, organization_id=org_a.org_id, content=(
            "term,kind,language,translation,source_language\n节能,required,ja,省エネ,zh\n声悦,do_not_translate,,,\n"
        ).encode())
        localization.add_segment(s, organization_id=org_a.org_id, source_language="zh-CN", target_language="ja",
                                 source_text="声悦 节能电水壶 1.5L SY-K100",
                                 target_text="声悦 省エネ電気ケトル 1.5L SY-K100")
        jp = localization.create_listing(s, organization_id=org_a.org_id, product_id=product, market="JP",
                                         language="ja", title=BAD_TITLE, description="サイズ 8 x 6 in")
        sa = localization.create_listing(s, organization_id=org_a.org_id, product_id=product, market="SA",
                                         language="ar", title="غلاية كهربائية 1.5 لتر")
    return {"product": product, "jp": jp.id, "sa": sa.id}


def _run_jobs(app) -> None:
    container = app.state.container
    while jobs.run_one(container.session_factory, registry=container.job_handlers, clock=container.clock,
                       worker_id="test"):
        pass


def test_editor_shows_the_three_journey_findings_inline_bilingually(client: TestClient, org_a, journey,
                                                                    console_login) -> None:
    console_login(client, org_a.owner_email)
    page = client.get(f"/localization/listings/{journey['jp']}")
    assert page.status_code == 200
    html = page.text
    for code in ("known_mistranslation", "unlucky_number", "metric_units_missing"):
        assert f'data-code="{code}"' in html
    assert "使用制限" in html and "restricted use" in html and "限制使用" in html  # both languages
    assert 'class="badge badge--bad"' in html  # critical severity badge
    assert re.search(r'name="title" lang="ja" dir="ltr"', html)
    assert "声悦 省エネ電気ケトル 1.5L SY-K100" in html and "%</span>" in html  # TM match with its score
    assert "省エネ" in html and 'id="revisions"' in html
    assert 'data-to="needs_review"' in html
    fragment = client.get(f"/localization/listings/{journey['jp']}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith("{%") is False and "<html" not in fragment.text


def test_arabic_target_fields_render_right_to_left(client: TestClient, org_a, journey, console_login) -> None:
    console_login(client, org_a.owner_email)
    html = client.get(f"/localization/listings/{journey['sa']}").text
    assert 'name="title" lang="ar" dir="rtl"' in html and 'name="bullets" lang="ar" dir="rtl"' in html


def test_save_conflict_and_workflow(client: TestClient, org_a, journey, console_login) -> None:
    csrf = console_login(client, org_a.owner_email)
    url = f"/localization/listings/{journey['jp']}"
    saved = client.post(url, data={"csrf_token": csrf, "version": "1", "title": BAD_TITLE.replace("使用制限", "省エネ"),
                                   "description": "サイズ 20 x 15 cm", "note": "fix drift"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"{url}?saved=1"
    page = client.get(saved.headers["location"]).text
    assert 'data-code="known_mistranslation"' not in page and "fix drift" in page
    stale = client.post(url, data={"csrf_token": csrf, "version": "1", "title": "古い"})
    assert stale.status_code == 409 and "古い" in stale.text  # the editor keeps the user's text
    moved = client.post(f"{url}/transition", data={"csrf_token": csrf, "to_status": "needs_review"},
                        follow_redirects=False)
    assert moved.status_code == 303
    approved = client.post(f"{url}/transition", data={"csrf_token": csrf, "to_status": "approved"},
                           follow_redirects=False)
    assert approved.status_code == 303
    assert 'data-status="approved"' in client.get(url).text
    refused = client.post(f"{url}/transition", data={"csrf_token": csrf, "to_status": "needs_review"})
    assert refused.status_code == 422 and 'id="editor-error"' in refused.text
    viewer = TestClient(client.app)
    viewer_csrf = console_login(viewer, f"viewer@{org_a.slug}.example.com")
    assert viewer.post(url, data={"csrf_token": viewer_csrf, "version": "9", "title": "x"}).status_code == 403


def test_bulk_translate_job_page_polls_until_done(app, client: TestClient, org_a, journey, console_login) -> None:
    csrf = console_login(client, org_a.owner_email)
    response = client.post("/localization/bulk", data={"csrf_token": csrf, "action": "translate", "market": "DE",
                                                       "language": "de"}, follow_redirects=False)
    assert response.status_code == 303
    job_url = response.headers["location"]
    queued = client.get(job_url, headers={"HX-Request": "true"}).text
    assert 'hx-trigger="every 500ms"' in queued and "<progress" in queued
    _run_jobs(app)
    done = client.get(job_url).text
    assert 'data-status="succeeded"' in done and 'id="job-failures"' in done  # the tenancy product: no source
    assert "localization.no_source_language" in done
    nothing = client.post("/localization/bulk", data={"csrf_token": csrf, "action": "approve", "selection": "1"})
    assert nothing.status_code == 422


def test_qa_dashboard_chart_and_code_matrix(client: TestClient, org_a, journey, console_login) -> None:
    console_login(client, org_a.owner_email)
    html = client.get("/localization/qa").text
    assert 'data-stacked-table="qa-severity-table"' in html and "/static/js/localization.js" in html
    assert "known_mistranslation" in html and "<th scope=\"row\">JP</th>" in html
    assert "echarts.min.js" in html or "vendor" not in html


def test_index_and_exports(client: TestClient, org_a, journey, console_login) -> None:
    console_login(client, org_a.owner_email)
    html = client.get("/localization", params={"market": "JP"}).text
    assert BAD_TITLE[:10] in html and "/localization/export?market=JP&format=shopify" in html
    csv = client.get("/localization/export", params={"market": "JP", "format": "shopify"})
    assert csv.status_code == 200 and "使用制限" in csv.content.decode("utf-8")
    assert client.get("/localization/export", follow_redirects=False).status_code == 303
    assert csrf_from(html)


def test_every_studio_message_has_a_chinese_translation() -> None:
    from pathlib import Path

    from babel.messages.extract import extract_from_dir

    from xborder.web.console.i18n import translations_for

    root = Path(__file__).resolve().parents[3] / "src" / "xborder" / "web"
    method_map = [("templates/localization/**.html", "jinja2"), ("console/localization.py", "python")]
    messages = {m[2] for m in extract_from_dir(str(root), method_map=method_map,
                                                options_map={"templates/localization/**.html":
                                                             {"extensions": "jinja2.ext.i18n"}})}
    zh = translations_for("zh_CN")
    assert len(messages) > 50
    untranslated = [m for m in messages if isinstance(m, str) and zh.ugettext(m) == m]
    assert untranslated == []
