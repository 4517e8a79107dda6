"""Imports through the API end to end: upload -> job -> in-process runner or `run_worker` -> catalog, and exports."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from xborder.jobs import run_worker
from xborder.web.app import create_app

GOOD_CSV = (
    b"product_id,sku,title,brand,hs_code,origin_country,cost_price,cost_currency,net_weight_kg,gross_weight_kg\n"
    b"P1,IMP-001,Wireless earbuds,Shengyue,851830,CN,12.50,CNY,0.05,0.08\n"
    b"P1,IMP-002,Wireless earbuds,Shengyue,851830,CN,12.50,CNY,0.05,0.08\n"
    b"P2,IMP-003,USB-C cable,Shengyue,854442,CN,3.10,CNY,0.03,0.04\n"
)
BAD_CSV = (
    b"product_id,sku,title,hs_code,net_weight_kg\n"
    b"P1,BAD-001,Earbuds,999999,0.05\n"
    b"P1,BAD-002,Earbuds,851830,-1\n"
)


def _wait(client: TestClient, job_id: str, headers: dict[str, str], timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_import_job_end_to_end_with_in_process_runner(app, org_a):
    with TestClient(app) as client:  # lifespan starts the in-process runner
        headers = org_a.auth("operator")
        accepted = client.post("/api/v1/imports", files={"file": ("catalog.csv", GOOD_CSV, "text/csv")},
                               headers=headers)
        assert accepted.status_code == 202, accepted.text
        assert accepted.headers["Location"] == f"/api/v1/jobs/{accepted.json()['id']}"
        job = _wait(client, accepted.json()["id"], headers)
        assert job["status"] == "succeeded", job
        assert job["result"]["variants_created"] == 3 and job["result"]["written"] is True
        assert job["progress_total"] and job["progress_done"] == job["progress_total"]
        skus = [v["sku"] for v in client.get("/api/v1/variants?q=imp-", headers=headers).json()["items"]]
        assert skus == ["IMP-001", "IMP-002", "IMP-003"]
        listed = client.get("/api/v1/jobs?kind=catalog.import&status=succeeded", headers=headers).json()
        assert job["id"] in [j["id"] for j in listed["items"]]


def test_bad_file_fails_with_an_error_report_and_changes_nothing(app, org_a):
    with TestClient(app) as client:
        headers = org_a.auth()
        accepted = client.post("/api/v1/imports?filename=bad.csv", content=BAD_CSV,
                               headers={**headers, "Content-Type": "text/csv"})
        job = _wait(client, accepted.json()["id"], headers)
        assert job["status"] == "failed" and job["error"]["code"] == "catalog.import_rejected"
        rows = {(d.get("row"), d.get("field")) for d in job["error"]["details"]}
        assert (2, "hs_code") in rows and (3, "net_weight_kg") in rows
        assert client.get("/api/v1/variants?q=bad-", headers=headers).json()["items"] == []


def test_dry_run_and_external_worker(api_settings, org_a):
    app = create_app(api_settings.model_copy(update={"job_runner": "external"}))
    try:
        with TestClient(app) as client:
            headers = org_a.auth()
            accepted = client.post("/api/v1/imports", files={"file": ("c.csv", GOOD_CSV, "text/csv")},
                                   data={"dry_run": "true"}, headers={**headers, "Idempotency-Key": "imp-1"})
            again = client.post("/api/v1/imports", files={"file": ("c.csv", GOOD_CSV, "text/csv")},
                                data={"dry_run": "true"}, headers={**headers, "Idempotency-Key": "imp-1"})
            assert accepted.status_code == again.status_code == 202 and accepted.json()["id"] == again.json()["id"]
            assert client.get(f"/api/v1/jobs/{accepted.json()['id']}", headers=headers).json()["status"] == "queued"
            assert run_worker(app.state.container, once=True) >= 1  # `xborder worker --once`
            job = client.get(f"/api/v1/jobs/{accepted.json()['id']}", headers=headers).json()
            assert job["status"] == "succeeded" and job["result"]["dry_run"] is True
            assert job["result"]["written"] is False
            assert client.get("/api/v1/variants?q=imp-", headers=headers).json()["items"] == []
    finally:
        app.state.container.engine.dispose()


def test_viewer_cannot_import_and_uploads_are_bounded(api_settings, org_a):
    small = api_settings.model_copy(update={"imports": api_settings.imports.model_copy(
        update={"max_upload_bytes": 1024})})
    app = create_app(small)
    try:
        client = TestClient(app)
        refused = client.post("/api/v1/imports", files={"file": ("c.csv", GOOD_CSV, "text/csv")},
                              headers=org_a.auth("viewer"))
        assert refused.status_code == 403
        too_big = client.post("/api/v1/imports", files={"file": ("c.csv", GOOD_CSV * 20, "text/csv")},
                              headers=org_a.auth())
        assert too_big.status_code == 413 and too_big.json()["code"] == "payload_too_large"
        empty = client.post("/api/v1/imports", content=b"", headers=org_a.auth())
        assert empty.status_code == 422
    finally:
        app.state.container.engine.dispose()


def test_export_products_csv_and_xlsx(client, org_a):
    csv_response = client.get("/api/v1/exports/products?format=csv&lang=en", headers=org_a.auth())
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    assert org_a.sku in csv_response.content.decode("utf-8-sig")
    assert "attachment" in csv_response.headers["content-disposition"]
    xlsx = client.get("/api/v1/exports/products?format=xlsx&lang=zh", headers=org_a.auth())
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/api/v1/exports/products?format=pdf", headers=org_a.auth()).status_code == 422
