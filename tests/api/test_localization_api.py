"""Localization API: the journey's JP listing end to end (generate, three findings, fix, approve, Shopify export),
listings CRUD with versions, revisions, TM and glossary, exports and import back, bulk jobs with progress, roles."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient

from xborder import catalog, jobs
from xborder.db import transaction
from xborder.localization.providers.fake import FakeProvider

DAY = "2026-11-22"
SOURCE_TITLE = "声悦 节能电水壶 1.5L SY-K100 4件套"
SOURCE_DESCRIPTION = "尺寸 20 x 15 厘米"
BAD_TITLE = "声悦 使用制限電気ケトル 1.5L SY-K100 4個セット"
FIXED_TITLE = "声悦 省エネ電気ケトル 1.5L SY-K100 5個セット"
GLOSSARY = ("term,kind,language,translation,source_language,market,note\n"
            "节能,required,ja,省エネ,zh,,energy-saving\n声悦,do_not_translate,,,,,brand\n").encode()
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
 srclang="zh-CN" datatype="plaintext"/><body>
<tu><tuv xml:lang="zh-CN"><seg>蓝牙音箱</seg></tuv><tuv xml:lang="ja"><seg>Bluetoothスピーカー</seg></tuv></tu>
</body></tmx>""".encode()


@pytest.fixture
def kettle(app, org_a) -> str:
    """The journey's kettle, in Chinese, in org A's catalog."""
    with transaction(app.state.container.session_factory) as session:
        return catalog.create_product(session, organization_id=org_a.org_id, data=catalog.ProductIn(
            product_ref="SY-K100", title=SOURCE_TITLE, description=SOURCE_DESCRIPTION, source_language="zh-CN",
            brand="声悦", variants=[catalog.VariantIn(sku="SY-K100-W")])).id


def _run_jobs(app) -> None:
    container = app.state.container
    while jobs.run_one(container.session_factory, registry=container.job_handlers, clock=container.clock,
                       worker_id="test"):
        pass


def test_journey_jp_listing_generate_find_fix_approve_export(app, client: TestClient, org_a, kettle) -> None:
    auth = org_a.auth()
    brand_only = b"term,kind\n\xe5\xa3\xb0\xe6\x82\xa6,do_not_translate\n"  # 声悦 stays as is
    assert client.post("/api/v1/glossary/imports", content=brand_only, params={"replace": "true"},
                       headers=auth).json() == {"terms": 1, "replaced": 1}
    # The configured MT provider renders 节能 as "restricted use", keeps the set of 4 and gives inches only.
    app.state.container.mt_provider = FakeProvider({
        ("zh-CN", "ja", "⟦0⟧ 节能电水壶 1.5L SY-K100 4件套"): "⟦0⟧ 使用制限電気ケトル 1.5L SY-K100 4個セット",
        ("zh-CN", "ja", SOURCE_DESCRIPTION): "サイズ 8 x 6 in"})
    generated = client.post("/api/v1/listings/generate", json={"product_id": kettle, "market": "JP",
                                                               "language": "ja"}, headers=auth)
    assert generated.status_code == 200, generated.text
    listing = generated.json()
    assert listing["title"] == BAD_TITLE and listing["pending_segments"] == []  # the brand was protected
    qa = client.get(f"/api/v1/listings/{listing['id']}/qa", params={"on": DAY}, headers=auth).json()
    codes = {f["code"] for f in qa["findings"]}
    assert {"known_mistranslation", "unlucky_number", "metric_units_missing"} <= codes and qa["blocking"]
    zh = client.get(f"/api/v1/listings/{listing['id']}/qa", params={"on": DAY, "locale": "zh"}, headers=auth).json()
    assert any("限制使用" in f["message"] for f in zh["findings"])
    to_review = client.post(f"/api/v1/listings/{listing['id']}/transitions", json={"to_status": "needs_review"},
                            headers=auth)
    assert to_review.status_code == 200
    refused = client.post(f"/api/v1/listings/{listing['id']}/transitions",
                          json={"to_status": "approved", "on": DAY}, headers=auth)
    assert refused.status_code == 422 and "known_mistranslation" in refused.text
    back = client.post(f"/api/v1/listings/{listing['id']}/transitions", json={"to_status": "draft"},
                       headers=auth).json()
    # As the finding advises, the offer becomes a set of 5 (in the catalog and in the listing).
    assert client.patch(f"/api/v1/products/{kettle}", json={"title": SOURCE_TITLE.replace("4件套", "5件套")},
                        headers=auth).status_code == 200
    fixed = client.patch(f"/api/v1/listings/{listing['id']}", json={
        "version": back["version"], "title": FIXED_TITLE,
        "description": "サイズ 20 x 15 cm", "note": "fixed QA findings"}, headers=auth).json()
    assert fixed["version"] == back["version"] + 1
    for status in ("needs_review", "approved"):
        moved = client.post(f"/api/v1/listings/{listing['id']}/transitions", json={"to_status": status, "on": DAY},
                            headers=auth)
        assert moved.status_code == 200, moved.text
    export = client.get("/api/v1/markets/JP/listings/export", params={"format": "shopify"}, headers=auth)
    rows = [r for r in csv.DictReader(io.StringIO(export.content.decode("utf-8"))) if r["Handle"] == "sy-k100"]
    assert export.headers["content-type"].startswith("text/csv")
    assert rows[0]["Title"] == FIXED_TITLE and "20 x 15 cm" in rows[0]["Body (HTML)"]
    history = client.get(f"/api/v1/listings/{listing['id']}/revisions", headers=auth).json()
    assert [r["status"] for r in history][-1] == "approved"
    fix = next(r for r in history if r["note"] == "fixed QA findings")
    assert fix["changed_fields"] == ["description", "title"] and fix["changed_by"] == fixed["updated_by"]


def test_generate_without_provider_never_invents(client: TestClient, org_a, kettle) -> None:
    response = client.post("/api/v1/listings/generate", json={"product_id": kettle, "market": "JP",
                                                              "language": "ja"}, headers=org_a.auth())
    body = response.json()
    assert body["title"] == "" and body["description"] == ""
    assert body["pending_segments"] == ["description", "title"]


def test_crud_pages_conflicts_and_roles(client: TestClient, org_a, kettle) -> None:
    auth = org_a.auth()
    created = client.post("/api/v1/listings", json={"product_id": kettle, "market": "DE", "language": "de",
                                                    "title": "Wasserkocher 1,5 L", "bullets": ["Schnell"]},
                          headers={**auth, "Idempotency-Key": "create-de-1"})
    assert created.status_code == 201 and created.headers["location"].endswith(created.json()["id"])
    replay = client.post("/api/v1/listings", json={"product_id": kettle, "market": "DE", "language": "de",
                                                   "title": "Wasserkocher 1,5 L", "bullets": ["Schnell"]},
                         headers={**auth, "Idempotency-Key": "create-de-1"})
    assert replay.json()["id"] == created.json()["id"]
    duplicate = client.post("/api/v1/listings", json={"product_id": kettle, "market": "DE", "language": "de"},
                            headers=auth)
    assert duplicate.status_code == 409
    listing = created.json()
    first = client.get("/api/v1/listings", params={"limit": 1}, headers=auth).json()
    second = client.get("/api/v1/listings", params={"limit": 1, "cursor": first["next_cursor"]}, headers=auth).json()
    assert len(first["items"]) == 1 and first["next_cursor"] and second["items"][0]["id"] != first["items"][0]["id"]
    assert [i["market"] for i in client.get("/api/v1/listings", params={"market": "DE"},
                                            headers=auth).json()["items"]] == ["DE"]
    ok = client.patch(f"/api/v1/listings/{listing['id']}", json={"version": 1, "title": "Wasserkocher"},
                      headers=auth)
    stale = client.patch(f"/api/v1/listings/{listing['id']}", json={"version": 1, "title": "Alt"}, headers=auth)
    assert ok.status_code == 200 and stale.status_code == 409
    assert stale.json()["code"] == "conflict" or "stale" in stale.text
    unknown = client.patch(f"/api/v1/listings/{listing['id']}", json={"version": 2, "colour": "red"}, headers=auth)
    assert unknown.status_code == 422
    bad_move = client.post(f"/api/v1/listings/{listing['id']}/transitions", json={"to_status": "published"},
                           headers=auth)
    assert bad_move.status_code == 422 and "localization.invalid_transition" in bad_move.text
    viewer = org_a.auth("viewer")
    assert client.get(f"/api/v1/listings/{listing['id']}", headers=viewer).status_code == 200
    assert client.patch(f"/api/v1/listings/{listing['id']}", json={"version": 2, "title": "x"},
                        headers=viewer).status_code == 403
    assert client.get("/api/v1/listings").status_code == 401
    workspace = client.get(f"/api/v1/listings/{listing['id']}/workspace", params={"on": DAY}, headers=auth).json()
    assert workspace["segments"][0]["source_text"] == SOURCE_TITLE and workspace["direction"] == "ltr"
    assert workspace["revisions"][0]["version"] == 2


def test_tm_lookup_import_export_and_glossary(client: TestClient, org_a) -> None:
    auth = org_a.auth()
    imported = client.post("/api/v1/tm/imports", content=TMX, headers=auth)
    assert imported.status_code == 200 and imported.json()["created"] == 1
    assert client.post("/api/v1/tm/segments", json={"source_language": "zh-CN", "target_language": "ja",
                                                    "source_text": "蓝牙耳机", "target_text": "Bluetoothイヤホン"},
                       headers=auth).status_code == 204
    matches = client.post("/api/v1/tm/lookup", json={"source_language": "zh-CN", "target_language": "ja",
                                                     "text": "蓝牙音箱"}, headers=auth).json()
    assert matches[0]["target_text"] == "Bluetoothスピーカー" and matches[0]["score"] == 100
    fuzzy = client.post("/api/v1/tm/lookup", json={"source_language": "zh-CN", "target_language": "ja",
                                                   "text": "蓝牙音箱 黑色", "min_score": 50}, headers=auth).json()
    assert fuzzy and 50 <= fuzzy[0]["score"] < 100
    tmx = client.get("/api/v1/tm/exports", params={"target_language": "ja"}, headers=auth)
    assert b"Bluetooth\xe3\x82\xa4\xe3\x83\xa4\xe3\x83\x9b\xe3\x83\xb3" in tmx.content and b"<tmx" in tmx.content
    broken = client.post("/api/v1/tm/imports", content=b"<tmx><body><tu>", headers=auth)
    assert broken.status_code == 422
    assert client.post("/api/v1/tm/imports", content=b"", headers=auth).status_code == 422
    files = {"file": ("glossary.csv", GLOSSARY, "text/csv")}
    assert client.post("/api/v1/glossary/imports", files=files, params={"replace": "true"},
                       headers=auth).status_code == 200
    terms = client.get("/api/v1/glossary", params={"market": "JP"}, headers=auth).json()
    assert {t["term"] for t in terms} == {"节能", "声悦"}  # replaced the tenancy seed's term
    bad = client.post("/api/v1/glossary/imports", content=b"term,kind\nX,sometimes\n", headers=auth)
    assert bad.status_code == 422


def test_json_export_imports_back_and_rejects_stale_rows(client: TestClient, org_a, kettle) -> None:
    auth = org_a.auth()
    client.post("/api/v1/listings", json={"product_id": kettle, "market": "JP", "language": "ja",
                                          "title": "省エネ電気ケトル"}, headers=auth)
    data = client.get("/api/v1/markets/JP/listings/export", params={"format": "json"}, headers=auth).json()
    mine = [d for d in data if d["title"] == "省エネ電気ケトル"]
    mine[0]["keywords"] = ["電気ケトル", "省エネ"]
    response = client.post("/api/v1/markets/JP/listings/import", params={"format": "json"}, json=mine, headers=auth)
    assert response.status_code == 200 and response.json() == {"updated": 1}
    again = client.post("/api/v1/markets/JP/listings/import", params={"format": "json"}, json=mine, headers=auth)
    assert again.status_code == 422 and "nothing was imported" in again.text
    flat = client.get("/api/v1/markets/JP/listings/export", params={"format": "flat"}, headers=auth).text
    assert "電気ケトル 省エネ" in flat


def test_bulk_translate_and_approve_run_as_jobs_with_progress(app, client: TestClient, org_a, kettle) -> None:
    auth = org_a.auth()
    client.post("/api/v1/tm/segments", headers=auth, json={
        "source_language": "zh-CN", "target_language": "ja", "source_text": SOURCE_TITLE,
        "target_text": "声悦 省エネ電気ケトル 1.5L SY-K100 4個セット"})
    app.state.container.mt_provider = FakeProvider({("zh-CN", "ja", SOURCE_DESCRIPTION): "サイズ 20 x 15 cm"})
    queued = client.post("/api/v1/listings/bulk-translate", json={"market": "JP", "language": "ja"}, headers=auth)
    assert queued.status_code == 202 and queued.headers["location"] == f"/api/v1/jobs/{queued.json()['id']}"
    _run_jobs(app)
    job = client.get(queued.headers["location"], headers=auth).json()
    assert job["status"] == "succeeded" and job["progress_done"] == job["progress_total"] == 2
    result = job["result"]
    assert result["total"] == 2 and result["succeeded"] == 1 and result["pending_fields"] == 0
    assert result["failures"] == [{"item_id": org_a.product_id, "code": "localization.no_source_language",
                                   "message": result["failures"][0]["message"]}]  # the product named, not guessed
    kettle_listing = result["listing_ids"][0]
    approve = client.post("/api/v1/listings/bulk-approve", json={"market": "JP", "status": "draft", "on": DAY},
                          headers=auth)
    assert approve.status_code == 202
    _run_jobs(app)
    done = client.get(approve.headers["location"], headers=auth).json()["result"]
    assert done["total"] == done["succeeded"] == 2 and done["failures"] == []
    assert set(done["listing_ids"]) == {kettle_listing, org_a.extra["listing_id"]}
    assert client.get(f"/api/v1/listings/{kettle_listing}", headers=auth).json()["status"] == "approved"
    summary = client.get("/api/v1/listings/qa-summary", params={"on": DAY}, headers=auth).json()
    assert [m["market"] for m in summary["markets"]] == ["JP"] and summary["markets"][0]["listings"] == 2
    viewer = client.post("/api/v1/listings/bulk-approve", json={"market": "JP"}, headers=org_a.auth("viewer"))
    assert viewer.status_code == 403


def test_other_organizations_listings_are_not_found(client: TestClient, org_a, org_b) -> None:
    other = org_b.extra["listing_id"]
    for method, path in (("GET", ""), ("GET", "/qa"), ("GET", "/revisions"), ("GET", "/workspace")):
        assert client.request(method, f"/api/v1/listings/{other}{path}", headers=org_a.auth()).status_code == 404
    stolen = client.post("/api/v1/listings/bulk-approve", json={"listing_ids": [other]}, headers=org_a.auth())
    assert stolen.status_code == 202
    assert date.fromisoformat(DAY)
