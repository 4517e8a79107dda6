"""API contracts: problem+json errors, idempotency keys, cursor pagination, OpenAPI document, security headers."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from xborder.catalog import Product
from xborder.identity.models import IdempotencyRecord


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "code", "errors"}
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"https://xborder.dev/problems/{code}"
    return body


def test_problem_shapes(client, org_a):
    _problem(client.get("/api/v1/no-such-route", headers=org_a.auth()), 404, "not_found")
    _problem(client.get("/api/v1/products/01nonexistent", headers=org_a.auth()), 404, "catalog.not_found")
    _problem(client.get("/api/v1/me"), 401, "identity.not_authenticated")
    invalid = _problem(client.post("/api/v1/products", json={"title": "", "variants": [{"sku": 5}]},
                                   headers=org_a.auth()), 422, "request_invalid")
    assert {"title", "variants.0.sku"} <= {e["field"] for e in invalid["errors"]}
    limit = _problem(client.get("/api/v1/variants?limit=201", headers=org_a.auth()), 422, "request_invalid")
    assert limit["errors"][0]["field"] == "query.limit"
    duplicate = client.post("/api/v1/products", json={"title": "dup", "variants": [{"sku": org_a.sku}]},
                            headers=org_a.auth())
    assert duplicate.status_code in (409, 422) and duplicate.json()["errors"]


def test_idempotent_retry_returns_the_first_response_and_creates_once(client, app, org_a):
    headers = {**org_a.auth(), "Idempotency-Key": "create-earbuds-1"}
    body = {"title": "Earbuds", "variants": [{"sku": "IDEM-1"}]}
    first = client.post("/api/v1/products", json=body, headers=headers)
    second = client.post("/api/v1/products", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["Location"] == first.headers["Location"]
    with app.state.container.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Product).where(Product.title == "Earbuds")) == 1
    reused = client.post("/api/v1/products", json={**body, "title": "Other"}, headers=headers)
    _problem(reused, 422, "idempotency_key_reused")
    # Keys are per organization: another tenant may use the same key for its own request.
    assert client.post("/api/v1/products", json={"title": "Mine", "variants": [{"sku": "IDEM-OTHER"}]},
                       headers={**org_a.auth("operator"), "Idempotency-Key": "fresh"}).status_code == 201


def test_failed_request_does_not_burn_the_key(client, org_a):
    headers = {**org_a.auth(), "Idempotency-Key": "retry-after-fix"}
    body = {"title": "Dup", "variants": [{"sku": org_a.sku}]}
    assert client.post("/api/v1/products", json=body, headers=headers).status_code >= 400
    assert client.post("/api/v1/products", json=body, headers=headers).status_code >= 400  # not replayed as 201


def test_concurrent_duplicates_create_one_row(app, org_a):
    headers = {**org_a.auth(), "Idempotency-Key": "race-1"}
    body = {"title": "Race", "variants": [{"sku": "RACE-1"}]}
    results: list[tuple[int, str]] = []
    barrier = threading.Barrier(4)

    def post() -> None:
        with TestClient(app) as c:  # one client per thread; the app and its engine are shared
            barrier.wait()
            r = c.post("/api/v1/products", json=body, headers=headers)
            results.append((r.status_code, r.json().get("id", r.json().get("code"))))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 4
    created = {ident for status, ident in results if status == 201}
    assert len(created) == 1, results
    assert all(status in (201, 409) for status, _ in results), results
    with app.state.container.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Product).where(Product.title == "Race")) == 1
        assert s.scalar(select(func.count()).select_from(IdempotencyRecord)
                        .where(IdempotencyRecord.key == "race-1")) == 1


def test_cursor_pagination_walks_every_variant_once(client, org_a):
    variants = [{"sku": f"PAGE-{i:03d}"} for i in range(23)]
    assert client.post("/api/v1/products", json={"title": "Paged", "variants": variants},
                       headers=org_a.auth()).status_code == 201
    seen, cursor, pages = [], None, 0
    while True:
        params = {"q": "page-", "limit": 5} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/variants", params=params, headers=org_a.auth()).json()
        seen += [item["sku"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(v["sku"] for v in variants) and pages == 5
    _problem(client.get("/api/v1/variants?cursor=%%%", headers=org_a.auth()), 422, "invalid_cursor")


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert {"HTTPBearer", "APIKeyCookie"} <= set(doc["components"]["securitySchemes"])
    assert "Problem" in doc["components"]["schemas"]
    assert {t["name"] for t in doc["tags"]} >= {"auth", "catalog", "jobs", "markets", "hs"}
    for path in ("/api/v1/products", "/api/v1/variants", "/api/v1/imports", "/api/v1/jobs/{job_id}",
                 "/api/v1/markets/{cc}", "/api/v1/hs/search", "/api/v1/exports/products"):
        assert path in doc["paths"], path
    get_product = doc["paths"]["/api/v1/products/{product_id}"]["get"]
    assert "application/problem+json" in get_product["responses"]["404"]["content"]
    assert not any(p.startswith(("/login", "/static")) for p in doc["paths"])


def test_security_headers_and_server_timing(client):
    response = client.get("/api/v1/openapi.json")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["Server-Timing"].startswith("app;dur=")


def test_markets_and_hs_reference(client, org_a):
    markets = client.get("/api/v1/markets", headers=org_a.auth()).json()
    assert {"DE", "US", "JP"} <= {m["code"] for m in markets}
    de = client.get("/api/v1/markets/de?on=2026-01-15", headers=org_a.auth()).json()
    assert de["snapshot"]["currency"] == "EUR" and de["on"] == "2026-01-15"
    assert all(f["source"]["href"].startswith("http") for f in de["facts"])
    _problem(client.get("/api/v1/markets/zz", headers=org_a.auth()), 404, "markets.market_not_found")
    hits = client.get("/api/v1/hs/search", params={"q": "蓝牙耳机"}, headers=org_a.auth()).json()["items"]
    assert hits and hits[0]["code"].startswith("8518")
    heading = client.get("/api/v1/hs/8518", headers=org_a.auth()).json()
    assert heading["entry"]["code"] == "8518" and heading["children"]
    assert client.get("/api/v1/hs/9999", headers=org_a.auth()).status_code == 404
