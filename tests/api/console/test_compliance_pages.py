"""Compliance console: readiness matrix (coloured cells, filters, htmx fragment), a check as a job with progress,
the checklist (trigger, evidence, source, certainty, bilingual title), evidence upload with refusals and expiry
reminders, the alert inbox, and the platform admin's rule-update page (errors or diff → apply → job)."""

from __future__ import annotations

from datetime import timedelta

import yaml
from fastapi.testclient import TestClient
from sqlalchemy import update

from xborder import catalog, compliance, jobs
from xborder.db import transaction
from xborder.identity.models import User

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SPEAKERS = "SY-B100-BK,SY-B100-BL,SY-B100-GN,SY-B100-PK"


def _run_jobs(app) -> None:
    container = app.state.container
    while jobs.run_one(container.session_factory, registry=container.job_handlers, clock=container.clock,
                       worker_id="test"):
        pass


def _import_demo(app, org) -> None:
    container = app.state.container
    with transaction(container.session_factory) as session:
        catalog.import_products(session, organization_id=org.org_id, filename="demo.csv",
                                content=catalog.demo_catalog_csv(), limits=container.settings.imports)


def _english(client: TestClient, csrf: str) -> None:
    client.post("/locale", data={"locale": "en", "next": "/compliance", "csrf_token": csrf})


def test_matrix_check_checklist_and_evidence_journey(app, client: TestClient, org_a, console_login) -> None:
    _import_demo(app, org_a)
    csrf = console_login(client, org_a.owner_email, next="/compliance")
    page = client.get("/compliance")
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text and "市场准入" in page.text
    _english(client, csrf)
    started = client.post("/compliance/evaluations", data={"csrf_token": csrf, "markets": "DE,FR,GB,JP,SA,BR"},
                          follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/compliance/jobs/")
    waiting = client.get(started.headers["location"])
    assert 'hx-trigger="every 500ms"' in waiting.text
    _run_jobs(app)
    finished = client.get(started.headers["location"], headers={"HX-Request": "true"})
    assert 'data-status="succeeded"' in finished.text and "<html" not in finished.text

    matrix = client.get("/compliance?markets=DE,FR,GB,JP,SA,BR")
    assert 'data-sku="SY-B100-BK"' in matrix.text
    row = matrix.text.split('data-sku="SY-B100-BK"')[1].split("</tr>")[0]
    assert 'data-market="JP" data-verdict="blocked"' in row and "rcell--blocked" in row
    fragment = client.get("/compliance?markets=JP&verdict=blocked", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="readiness-matrix"')
    link = row.split('href="')[1].split('"')[0]
    assert link.endswith("market=DE")
    checklist = client.get(link.replace("market=DE", "market=JP"))
    assert checklist.status_code == 200
    radio = checklist.text.split('data-rule="jp.radio.giteki"')[1].split("</tr>")[0]
    assert 'data-status="missing"' in radio and "giteki" in radio and "https://" in radio and "badge" in radio
    assert "blocking" in radio and "in force from" in radio

    today = app.state.container.clock.today()
    refused = client.post("/compliance/evidence", data={
        "csrf_token": csrf, "evidence_type": "test_report", "scheme": "ce-red", "issuer": "TÜV",
        "issued_on": "2026-10-01", "skus": SPEAKERS}, files={"file": ("notes.txt", b"just text", "text/plain")})
    assert refused.status_code == 422 and 'id="evidence-refused"' in refused.text
    assert "not a PDF or an image" in refused.text and 'id="e-file"' in refused.text
    expired = client.post("/compliance/evidence", data={
        "csrf_token": csrf, "evidence_type": "test_report", "scheme": "ce-red", "issuer": "TÜV",
        "issued_on": "2026-01-01", "expires_on": (today - timedelta(days=3)).isoformat()},
        files={"file": ("r.pdf", PDF, "application/pdf")})
    assert expired.status_code == 422 and 'id="e-expires_on"' in expired.text
    stored = client.post("/compliance/evidence", data={
        "csrf_token": csrf, "evidence_type": "test_report", "scheme": "ce-red", "issuer": "TÜV Rheinland",
        "issued_on": "2026-10-01", "expires_on": (today + timedelta(days=151)).isoformat(), "skus": SPEAKERS,
        "markets": "DE,FR", "reference": "TR-2026-0815"}, files={"file": ("red-report.pdf", PDF, "application/pdf")})
    assert stored.status_code == 200 and 'id="evidence-flash"' in stored.text
    assert "8 checklists re-checked" in stored.text and "expires in 151 days (about 5 months)" in stored.text
    matrix = client.get("/compliance?markets=DE,FR,GB,JP,SA,BR")
    assert 'id="expiry-reminders"' in matrix.text and "TR-2026-0815" in matrix.text
    de_cell = matrix.text.split('data-sku="SY-B100-BK"')[1].split('data-market="DE"')[1].split("</td>")[0]
    assert 'class="rcell__met" value="1"' in de_cell
    doc_id = stored.text.split('data-evidence="')[1].split('"')[0]
    download = client.get(f"/compliance/evidence/{doc_id}/file")
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"


def test_alert_inbox_and_rule_updates(app, client: TestClient, org_a, console_login) -> None:
    csrf = console_login(client, org_a.owner_email, next="/compliance/alerts")
    _english(client, csrf)
    inbox = client.get("/compliance/alerts")
    assert 'data-kind="evidence_expiring"' in inbox.text and "alpha-secret-cert" in inbox.text
    alert_id = inbox.text.split('data-alert="')[1].split('"')[0]
    read = client.post(f"/compliance/alerts/{alert_id}/read", data={"csrf_token": csrf}, follow_redirects=False)
    assert read.status_code == 303
    assert 'data-alert="' not in client.get("/compliance/alerts?unread=1").text

    assert 'id="rules-admin-only"' in client.get("/compliance/rules").text
    assert client.post("/compliance/rules/preview", data={"csrf_token": csrf}).status_code == 403
    with transaction(app.state.container.session_factory) as session:
        session.execute(update(User).where(User.email == org_a.owner_email).values(is_platform_admin=True))
    pack = yaml.safe_load((compliance.packs_root() / "jp" / "rules.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in pack["rules"] if r["id"] == "jp.pse.embedded_battery")
    rule["severity"] = "required"
    good = yaml.safe_dump(pack, allow_unicode=True).encode()
    rule["valid_to"] = "2000-01-01"
    bad = yaml.safe_dump(pack, allow_unicode=True).encode()
    page = client.get("/compliance/rules")
    assert page.status_code == 200 and 'id="preview-pack"' in page.text
    rejected = client.post("/compliance/rules/preview", data={"csrf_token": csrf},
                           files={"file": ("jp.yaml", bad, "application/yaml")})
    assert rejected.status_code == 422 and 'id="pack-rejected"' in rejected.text
    assert "jp.pse.embedded_battery" in rejected.text
    preview = client.post("/compliance/rules/preview", data={"csrf_token": csrf},
                          files={"file": ("jp.yaml", good, "application/yaml")})
    assert 'id="pack-diff"' in preview.text and 'data-rule="jp.pse.embedded_battery"' in preview.text
    payload = preview.text.split('name="payload" value="')[1].split('"')[0]
    applied = client.post("/compliance/rules/apply", data={"csrf_token": csrf, "payload": payload,
                                                           "source": "jp.yaml"}, follow_redirects=False)
    assert applied.status_code == 303
    _run_jobs(app)
    done = client.get(applied.headers["location"])
    assert 'data-status="succeeded"' in done.text and "Rules version" in done.text
    inbox = client.get("/compliance/alerts")
    assert 'data-kind="rules_changed"' in inbox.text and org_a.sku in inbox.text
    assert "jp.pse.embedded_battery" in inbox.text


def test_viewer_sees_no_upload_form_and_cannot_post(client: TestClient, org_a, console_login) -> None:
    csrf = console_login(client, f"viewer@{org_a.slug}.example.com", next="/compliance/evidence")
    page = client.get("/compliance/evidence")
    assert page.status_code == 200 and 'id="upload-evidence"' not in page.text
    assert "alpha-secret-cert" in page.text
    denied = client.post("/compliance/evidence", data={"csrf_token": csrf},
                         files={"file": ("r.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert denied.status_code == 403
