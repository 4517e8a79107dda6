"""Compliance API: the journey (matrix → speaker blocked in JP → CE/RED report turns DE partly green, expires in
five months → radio certificate + UN38.3 unblock JP), evidence refusals, alerts, subscriptions, rule-pack updates
for platform admins only (preview, rejection, apply as a job re-checking affected SKUs), roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import update

from xborder import catalog, compliance, jobs
from xborder.db import transaction
from xborder.identity.models import User

MARKETS = "DE,FR,GB,JP,SA,BR"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SPEAKERS = ["SY-B100-BK", "SY-B100-BL", "SY-B100-GN", "SY-B100-PK"]


def _run_jobs(app) -> None:
    container = app.state.container
    while jobs.run_one(container.session_factory, registry=container.job_handlers, clock=container.clock,
                       worker_id="test"):
        pass


@pytest.fixture
def demo_catalog(app, org_a) -> None:
    container = app.state.container
    with transaction(container.session_factory) as session:
        report = catalog.import_products(session, organization_id=org_a.org_id, filename="shengyue_catalog_zh.csv",
                                         content=catalog.demo_catalog_csv(), limits=container.settings.imports)
    assert not report.errors


def _evaluate(app, client: TestClient, auth: dict[str, str]) -> dict:
    response = client.post("/api/v1/compliance/evaluations", json={"markets": MARKETS.split(",")}, headers=auth)
    assert response.status_code == 202, response.text
    _run_jobs(app)
    job = client.get(response.headers["Location"], headers=auth).json()
    assert job["status"] == "succeeded", job
    return job


def _upload(client: TestClient, auth: dict[str, str], *, content: bytes = PDF, **fields: object):
    data = {"evidence_type": "test_report", "scheme": "ce-red", "issuer": "TÜV Rheinland",
            "issued_on": "2026-10-01", **fields}
    return client.post("/api/v1/compliance/evidence", files={"file": ("report.pdf", content, "application/pdf")},
                       data=data, headers=auth)


def _cell(client: TestClient, auth: dict[str, str], sku: str, market: str) -> dict:
    matrix = client.get("/api/v1/compliance/matrix", params={"markets": MARKETS}, headers=auth).json()
    return next(r for r in matrix["rows"] if r["sku"] == sku)["cells"][market]


def test_journey_matrix_checklist_and_evidence(app, client: TestClient, org_a, demo_catalog) -> None:
    auth = org_a.auth("operator")
    seeded = client.get("/api/v1/compliance/matrix", headers=auth).json()  # the tenancy seed evaluated DE
    assert [r["sku"] for r in seeded["rows"]] == [org_a.sku] and seeded["markets"] == ["DE"]
    job = _evaluate(app, client, auth)
    assert job["progress_done"] == job["progress_total"] == 6 and job["result"]["skus_evaluated"] == 121
    matrix = client.get("/api/v1/compliance/matrix", params={"markets": MARKETS}, headers=auth).json()
    assert matrix["markets"] == MARKETS.split(",")  # in the order asked
    assert all(sum(matrix["counts"][m].values()) == 121 for m in matrix["markets"])
    speaker = next(r for r in matrix["rows"] if r["sku"] == "SY-B100-BK")
    assert speaker["cells"]["JP"]["verdict"] == "blocked" and speaker["product_title"]

    checklist = client.get(f"/api/v1/compliance/variants/{speaker['variant_id']}/checklist",
                           params={"market": "JP"}, headers=auth).json()
    assert checklist["verdict"] == "blocked" and checklist["sku"] == "SY-B100-BK"
    radio = next(r for r in checklist["requirements"] if r["id"] == "jp.radio.giteki")
    assert radio["status"] == "missing" and radio["severity"] == "blocking" and radio["triggered_by"]
    assert {"type", "scheme"} <= set(radio["satisfied_by"][0]) and radio["source"]["href"].startswith("https://")
    assert radio["title_zh"] and radio["title_en"] and radio["valid_from"] and radio["certainty"]

    today = app.state.container.clock.today()
    before = _cell(client, auth, "SY-B100-BK", "DE")
    expires = today + timedelta(days=151)
    uploaded = _upload(client, auth, skus=",".join(SPEAKERS), markets=["DE", "FR"], expires_on=expires.isoformat(),
                       standard="EN 300 328", reference="TR-2026-0815")
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert body["skus_rechecked"] == 4 and body["checklists_changed"] == 8  # 4 speakers × DE, FR
    assert body["evidence"]["days_left"] == 151 and body["evidence"]["state"] == "valid"
    after = _cell(client, auth, "SY-B100-BK", "DE")
    assert after["satisfied"] == before["satisfied"] + 1 and after["open_items"] == before["open_items"] - 1
    red = next(r for r in client.get(f"/api/v1/compliance/variants/{speaker['variant_id']}/checklist",
                                     params={"market": "DE"}, headers=auth).json()["requirements"]
               if r["id"] == "eu.ce.red")
    assert red["status"] == "satisfied" and red["expires_on"] == expires.isoformat() and red["days_left"] == 151

    for scheme, kind in (("giteki", "certificate"), ("un38-3", "test_report")):
        assert _upload(client, auth, scheme=scheme, evidence_type=kind, skus=SPEAKERS[0]).status_code == 201
    assert _cell(client, auth, "SY-B100-BK", "JP")["verdict"] == "ready"
    assert _cell(client, auth, "SY-B100-BL", "JP")["verdict"] == "blocked"
    ready = client.get("/api/v1/compliance/matrix", params={"markets": "JP", "verdict": "ready"}, headers=auth)
    assert [r["sku"] for r in ready.json()["rows"]] == ["SY-B100-BK"]

    vault = client.get("/api/v1/compliance/evidence", headers=auth).json()
    assert len(vault) == 4 and {d["scheme"] for d in vault} >= {"ce-red", "giteki", "un38-3"}
    doc_id = body["evidence"]["id"]
    assert client.get(f"/api/v1/compliance/evidence/{doc_id}", headers=auth).json()["skus"] == SPEAKERS
    download = client.get(f"/api/v1/compliance/evidence/{doc_id}/file", headers=auth)
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"


def test_evidence_refusals_name_the_field(app, client: TestClient, org_a) -> None:
    auth = org_a.auth()
    today = app.state.container.clock.today()
    cases = [({"content": b"hello, not a pdf"}, "file"),
             ({"expires_on": (today - timedelta(days=1)).isoformat()}, "expires_on"),
             ({"skus": "NOPE-1"}, "skus"),
             ({"evidence_type": "selfie"}, "evidence_type")]
    for fields, field in cases:
        response = _upload(client, auth, **fields)  # type: ignore[arg-type]
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in [e.get("field") for e in response.json()["errors"]], response.text
    viewer = _upload(client, org_a.auth("viewer"))
    assert viewer.status_code == 403


def test_checklist_needs_a_known_market(client: TestClient, org_a) -> None:
    url = f"/api/v1/compliance/variants/{org_a.variant_id}/checklist"
    assert client.get(url, headers=org_a.auth()).status_code == 422
    unknown = client.get(url, params={"market": "XX"}, headers=org_a.auth())
    assert unknown.status_code == 422 and "XX" in unknown.text
    assert client.get(url, params={"market": "de", "all": "true"}, headers=org_a.auth()).json()["market"] == "DE"


def test_alerts_and_subscriptions(client: TestClient, org_a) -> None:
    auth = org_a.auth()
    alerts = client.get("/api/v1/compliance/alerts", params={"unread": "true"}, headers=auth).json()
    assert alerts and alerts[0]["kind"] == "evidence_expiring" and alerts[0]["body"]["evidence"]
    assert client.post(f"/api/v1/compliance/alerts/{alerts[0]['id']}/read", headers=auth).status_code == 204
    assert client.get("/api/v1/compliance/alerts", params={"unread": "true"}, headers=auth).json() == []
    created = client.post("/api/v1/compliance/subscriptions", json={"channel": "webhook",
                                                                    "target": "https://erp.example.com/hook"},
                          headers=auth)
    assert created.status_code == 201 and created.json()["secret"]
    subs = client.get("/api/v1/compliance/subscriptions", headers=auth).json()
    assert {s["target"] for s in subs} >= {"https://erp.example.com/hook"} and all("secret" not in s for s in subs)
    bad = client.post("/api/v1/compliance/subscriptions", json={"channel": "email", "target": "nobody"},
                      headers=auth)
    assert bad.status_code == 422
    assert client.delete(f"/api/v1/compliance/subscriptions/{created.json()['id']}",
                         headers=org_a.auth("viewer")).status_code == 403
    assert client.delete(f"/api/v1/compliance/subscriptions/{created.json()['id']}", headers=auth).status_code == 204


def _make_admin(app, email: str) -> None:
    with transaction(app.state.container.session_factory) as session:
        session.execute(update(User).where(User.email == email).values(is_platform_admin=True))


def _jp_pack(change: str) -> bytes:
    pack = yaml.safe_load((compliance.packs_root() / "jp" / "rules.yaml").read_text(encoding="utf-8"))
    pack["version"] = "2026.12.1"
    rule = next(r for r in pack["rules"] if r["id"] == "jp.pse.embedded_battery")
    if change == "severity":
        rule["severity"] = "required"
    else:
        rule["when"] = {"attr": "colour", "eq": "red"}
    return yaml.safe_dump(pack, allow_unicode=True).encode()


def test_rule_pack_update_for_platform_admins(app, client: TestClient, org_a, demo_catalog) -> None:
    auth = org_a.auth()
    _evaluate(app, client, auth)
    upload = {"file": ("jp.yaml", _jp_pack("severity"), "application/yaml")}
    assert client.post("/api/v1/compliance/rule-packs", files=upload, headers=auth).status_code == 403
    _make_admin(app, org_a.owner_email)
    rejected = client.post("/api/v1/compliance/rule-packs",
                           files={"file": ("jp.yaml", _jp_pack("broken"), "application/yaml")}, headers=auth)
    assert rejected.status_code == 422 and "jp.pse.embedded_battery" in rejected.text
    preview = client.post("/api/v1/compliance/rule-packs", files=upload, headers=auth)
    assert preview.status_code == 200, preview.text
    change = preview.json()["changes"][0]
    assert change["rule_id"] == "jp.pse.embedded_battery" and change["fields"] == ["severity"]
    assert preview.json()["affected_skus"]["JP"] > 0
    assert client.get("/api/v1/compliance/alerts", headers=auth).json()[0]["kind"] != "rules_changed"
    applied = client.post("/api/v1/compliance/rule-packs", params={"apply": "true"}, files=upload, headers=auth)
    assert applied.status_code == 202, applied.text
    _run_jobs(app)
    job = client.get(applied.headers["Location"], headers=auth).json()
    assert job["status"] == "succeeded", job
    assert job["result"]["skus_rechecked"] > 0 and job["result"]["alerts"] >= 1
    alert = client.get("/api/v1/compliance/alerts", headers=auth).json()[0]
    assert alert["kind"] == "rules_changed" and "SY-B100-BK" in alert["body"]["skus_by_market"]["JP"]
    assert client.post("/api/v1/compliance/rule-packs", json={"url": "file:///etc/passwd"},
                       headers=auth).status_code == 422
    delivery = client.post("/api/v1/compliance/alerts/deliveries", headers=auth)
    assert delivery.status_code == 202
    _run_jobs(app)
    assert client.get(delivery.headers["Location"], headers=auth).json()["status"] == "succeeded"
