"""THE tenancy test: every route of the app (API and console) is walked as a user of org A against org B's data.

Routes with an object id must answer 404 (never 403: existence is not leaked) and change nothing; routes without
ids must never show B's rows. A new route whose path parameter has no fixture object here fails this test.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Path parameters naming tenant-owned objects -> attribute of the Tenant fixture holding B's id.
TENANT_PARAMS = {"product_id": "product_id", "variant_id": "variant_id", "job_id": "job_id", "token_id": "token_id"}
# Further domains register their path parameters in tests/api/tenancy_seeds/<domain>.py (ids in Tenant.extra);
# the `extra_tenancy_params` fixture adds them to this table.
# Path parameters naming shared reference data (no tenant): the value used, by the route's first path segment.
GLOBAL_PARAMS = {("markets", "cc"): "DE", ("markets", "code"): "DE", ("hs", "code"): "8518"}


def _segment(path: str) -> str:
    parts = [p for p in path.split("/") if p and not p.startswith("{")]
    return parts[2] if parts[:2] == ["api", "v1"] and len(parts) > 2 else (parts[0] if parts else "")


def _flat_routes(app) -> list[tuple[str, set[str] | None, Any]]:
    """(full path, methods, route with .dependant) for every route, through included routers."""
    try:  # FastAPI >= 0.16x keeps included routers lazily; this walks them
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return [(r.path, getattr(r, "methods", None), r) for r in app.routes if not isinstance(r, Mount)]
    flat = []
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        if isinstance(original, Mount):  # static files: no tenant data
            continue
        assert isinstance(original, APIRoute | Route), f"unknown route type {original!r}"
        flat.append((context.path, context.methods, original))
    return flat


def _routes(app) -> list[tuple[str, str, list[str], Any]]:
    found = []
    for path, methods, route in _flat_routes(app):
        params = re.findall(r"{(\w+)(?::\w+)?}", path)
        for method in sorted(methods or ()):
            if method != "HEAD":
                found.append((method, path, params, route))
    assert len(found) > 20, "route discovery found too few routes"
    return found


def _b_value(param: str, path: str, org_b) -> str:
    if param in TENANT_PARAMS:
        attribute = TENANT_PARAMS[param]
        if attribute.startswith("extra:"):
            value = org_b.extra.get(attribute.removeprefix("extra:"))
        else:
            value = getattr(org_b, attribute, None)
        if param == "token_id":
            value = org_b.token_ids["owner"]
        assert value, f"fixture has no object for {param}"
        return str(value)
    key = (_segment(path), param)
    if key in GLOBAL_PARAMS:
        return GLOBAL_PARAMS[key]
    raise AssertionError(f"route {path} has path parameter {{{param}}} with no tenancy fixture: add it to "
                         "TENANT_PARAMS (tenant-owned object) or GLOBAL_PARAMS (shared reference data)")


def _form_for(route: Any) -> dict[str, str]:
    """Required form/body fields of a console route, filled with plausible values, so validation passes."""
    values: dict[str, str] = {}
    dependant = getattr(route, "dependant", None)
    for field in getattr(dependant, "body_params", []) if dependant else []:
        if field.field_info.is_required():
            annotation = getattr(field.field_info, "annotation", str)
            values[field.alias] = "1" if annotation in (int, float) else ("true" if annotation is bool else "x")
    return values


def _b_markers(org_b) -> list[str]:
    return [org_b.sku, org_b.product_id, org_b.variant_id, org_b.job_id, *org_b.token_ids.values(),
            "bravo secret earbuds", "Brandbravo", "owner@bravo", "Org bravo", *org_b.markers]


@pytest.fixture
def console(app, org_a, cookie_login):
    client = TestClient(app)
    csrf = cookie_login(client, org_a.owner_email)
    return client, csrf


def _call(client: TestClient, method: str, url: str, *, headers: dict[str, str], route: Any, api: bool,
          csrf: str) -> Any:
    if method in UNSAFE and not api:
        return client.request(method, url, data={"csrf_token": csrf, **_form_for(route)}, headers=headers,
                              follow_redirects=False)
    body = {} if method in {"POST", "PUT", "PATCH"} else None
    return client.request(method, url, json=body, headers=headers, follow_redirects=False)


@pytest.fixture(autouse=True)
def _with_extra_params(extra_tenancy_params: dict[str, str]):
    added = {param: f"extra:{key}" for param, key in extra_tenancy_params.items()}
    TENANT_PARAMS.update(added)
    yield
    for param in added:
        TENANT_PARAMS.pop(param, None)


def test_every_route_hides_other_organizations(app, org_a, org_b, console):
    console_client, csrf = console
    api_client = TestClient(app)
    markers = _b_markers(org_b)
    checked_ids, checked_lists = [], []
    for method, path, params, route in _routes(app):
        if path.startswith(("/api/v1/auth/session", "/login", "/logout")):
            continue  # signing in/out is about the caller's own session, never another tenant's object
        api = path.startswith("/api/")
        client = api_client if api else console_client
        headers = org_a.auth() if api else {"X-CSRF-Token": csrf}
        if params:
            url = path
            for param in params:
                url = url.replace("{" + param + "}", _b_value(param, path, org_b))
            if not any(p in TENANT_PARAMS for p in params):
                response = _call(client, method, url, headers=headers, route=route, api=api, csrf=csrf)
                assert not any(m in response.text for m in markers), f"{method} {path} shows B's data"
                continue
            response = _call(client, method, url, headers=headers, route=route, api=api, csrf=csrf)
            assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.text[:300]}"
            assert not any(m in response.text for m in markers[:1] + markers[5:]), f"{method} {path} leaks"
            checked_ids.append(f"{method} {path}")
        elif method == "GET":
            query = {}  # search for "secret": both tenants' SKUs contain it, only A's may come back
            dependant = getattr(route, "dependant", None)
            for field in dependant.query_params if dependant is not None else []:
                if field.alias == "q" or field.field_info.is_required():
                    query[field.alias] = "secret"
            response = client.get(path, params=query, headers=headers, follow_redirects=False)
            assert response.status_code < 400, f"GET {path}: {response.status_code} {response.text[:300]}"
            assert not any(m in response.text for m in markers), f"GET {path} shows org B's data"
            checked_lists.append(path)
    assert {"GET /api/v1/products/{product_id}", "PATCH /api/v1/variants/{variant_id}",
            "DELETE /api/v1/products/{product_id}", "GET /api/v1/jobs/{job_id}",
            "DELETE /api/v1/auth/tokens/{token_id}"} <= set(checked_ids)
    assert {"/api/v1/variants", "/api/v1/jobs", "/api/v1/auth/tokens"} <= set(checked_lists)
    _assert_b_untouched(api_client, org_b)


def _assert_b_untouched(client: TestClient, org_b) -> None:
    product = client.get(f"/api/v1/products/{org_b.product_id}", headers=org_b.auth())
    assert product.status_code == 200 and product.json()["title"] == "bravo secret earbuds"
    assert client.get(f"/api/v1/variants/{org_b.variant_id}", headers=org_b.auth()).json()["sku"] == org_b.sku
    assert client.get(f"/api/v1/jobs/{org_b.job_id}", headers=org_b.auth()).status_code == 200
    tokens = client.get("/api/v1/auth/tokens", headers=org_b.auth()).json()
    assert all(t["revoked_at"] is None for t in tokens)


def test_lists_show_own_rows_only(client, org_a, org_b):
    variants = client.get("/api/v1/variants", headers=org_a.auth()).json()["items"]
    assert [v["sku"] for v in variants] == [org_a.sku]
    assert client.get("/api/v1/variants", params={"product_id": org_b.product_id},
                      headers=org_a.auth()).json()["items"] == []
    assert [j["id"] for j in client.get("/api/v1/jobs", headers=org_a.auth()).json()["items"]] == [org_a.job_id]
    export = client.get("/api/v1/exports/products", headers=org_a.auth()).content.decode("utf-8-sig")
    assert org_a.sku in export and org_b.sku not in export


def test_ids_in_bodies_are_tenant_checked_too(client, org_a, org_b):
    """A creating POST that names B's product in its body is a 404 as well."""
    response = client.post("/api/v1/variants", json={"product_id": org_b.product_id, "sku": "SNEAKY-1"},
                           headers=org_a.auth())
    assert response.status_code == 404
    assert client.get("/api/v1/variants", params={"product_id": org_b.product_id},
                      headers=org_b.auth()).json()["items"][0]["sku"] == org_b.sku


def test_every_path_parameter_has_a_fixture(app):
    """Guard: adding a route with a new path parameter fails here until the tenancy test knows its objects."""
    for _, path, params, _ in _routes(app):
        for param in params:
            assert param in TENANT_PARAMS or (_segment(path), param) in GLOBAL_PARAMS, (
                f"{path}: add {{{param}}} to TENANT_PARAMS or GLOBAL_PARAMS in tests/api/test_tenancy.py")
