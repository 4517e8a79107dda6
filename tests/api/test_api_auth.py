"""Authentication over HTTP: sign-in throttling, tokens shown once and hashed at rest, revocation, CSRF, roles."""

from __future__ import annotations

from sqlalchemy import LargeBinary, String, Text, select

from xborder.db.models_registry import metadata


def test_sign_in_same_error_then_throttled(client, org_a, password):
    unknown = client.post("/api/v1/auth/session", json={"email": "ghost@alpha.example.com", "password": password})
    wrong = client.post("/api/v1/auth/session", json={"email": org_a.owner_email, "password": "nope nope"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert unknown.json()["code"] == "identity.invalid_credentials"
    client.post("/api/v1/auth/session", json={"email": org_a.owner_email, "password": "nope again"})
    client.post("/api/v1/auth/session", json={"email": org_a.owner_email, "password": "and again"})
    throttled = client.post("/api/v1/auth/session", json={"email": org_a.owner_email, "password": password})
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "identity.sign_in_throttled"
    assert int(throttled.headers["Retry-After"]) > 0
    assert "xb_session" not in throttled.cookies


def test_session_cookie_is_http_only_and_lax(client, org_a, password):
    response = client.post("/api/v1/auth/session", json={"email": org_a.owner_email, "password": password})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert client.get("/api/v1/me").json()["auth"] == "session"


def test_token_is_shown_once_and_never_stored_in_plain(client, app, org_a):
    created = client.post("/api/v1/auth/tokens", json={"name": "erp"}, headers=org_a.auth())
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    token = created.json()["token"]
    listed = client.get("/api/v1/auth/tokens", headers=org_a.auth())
    assert token not in listed.text and created.json()["prefix"] in listed.text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # Scan every text/binary column of every table: neither this token nor the seeded ones appear anywhere.
    secrets = [token, *org_a.tokens.values()]
    with app.state.container.engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | LargeBinary)]
            for row in conn.execute(select(*columns)) if columns else []:
                for value in row:
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    assert not any(secret in text for secret in secrets), f"plain token stored in {table.name}"


def test_revoked_token_is_rejected(client, org_a):
    created = client.post("/api/v1/auth/tokens", json={"name": "temp"}, headers=org_a.auth()).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    revoked = client.delete(f"/api/v1/auth/tokens/{created['token_id']}", headers=org_a.auth())
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    rejected = client.get("/api/v1/me", headers=headers)
    assert rejected.status_code == 401 and rejected.headers["WWW-Authenticate"] == "Bearer"
    assert rejected.json()["code"] == "identity.not_authenticated"


def test_cookie_writes_need_the_csrf_header(client, org_a, cookie_login):
    csrf = cookie_login(client, org_a.owner_email)
    body = {"title": "Cookie product", "variants": [{"sku": "COOKIE-1"}]}
    refused = client.post("/api/v1/products", json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "identity.csrf_failed"
    wrong = client.post("/api/v1/products", json=body, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    assert client.post("/api/v1/products", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.get("/api/v1/variants?q=cookie").json()["items"][0]["sku"] == "COOKIE-1"  # reads need none


def test_sign_out_ends_the_session(client, org_a, cookie_login):
    csrf = cookie_login(client, org_a.owner_email)
    assert client.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/me").status_code == 401


def test_viewer_reads_but_cannot_write(client, org_a):
    viewer = org_a.auth("viewer")
    assert client.get(f"/api/v1/products/{org_a.product_id}", headers=viewer).status_code == 200
    refused = client.patch(f"/api/v1/products/{org_a.product_id}", json={"title": "x"}, headers=viewer)
    assert refused.status_code == 403 and refused.json()["code"] == "identity.role_required"
    assert client.post("/api/v1/products", json={"title": "t", "variants": [{"sku": "V-1"}]},
                       headers=viewer).status_code == 403
    assert client.post("/api/v1/auth/tokens", json={"name": "x", "role": "owner"},
                       headers=viewer).status_code == 403
    operator = org_a.auth("operator")
    assert client.patch(f"/api/v1/products/{org_a.product_id}", json={"title": "renamed"},
                        headers=operator).json()["title"] == "renamed"


def test_me_describes_the_caller(client, org_a):
    me = client.get("/api/v1/me", headers=org_a.auth("viewer")).json()
    assert me["role"] == "viewer" and not me["can_write"] and me["organization_id"] == org_a.org_id


def test_hot_list_reads_stamp_last_use_after_the_read(client, app, org_a, cookie_login):
    """The list routes read on the event loop without writing (ADR 0008); the once-a-minute "last used" stamp of
    the token (and of the session cookie) is still written, afterwards, and a fresh stamp is not rewritten."""
    from datetime import timedelta

    from sqlalchemy import update

    from xborder.db import transaction
    from xborder.identity.models import ApiToken, UserSession

    factory = app.state.container.session_factory
    long_ago = app.state.container.clock.now() - timedelta(hours=2)
    with transaction(factory) as s:
        s.execute(update(ApiToken).values(last_used_at=long_ago))
    assert client.get("/api/v1/variants", headers=org_a.auth()).status_code == 200
    with factory() as s:
        stamps = s.scalars(select(ApiToken.last_used_at)).all()
    assert sum(1 for stamp in stamps if stamp is not None and stamp > long_ago) == 1  # only the caller's token
    cookie_login(client, org_a.owner_email)
    with transaction(factory) as s:
        s.execute(update(UserSession).values(last_seen_at=long_ago))
    assert client.get("/api/v1/products").status_code == 200
    with factory() as s:
        assert sum(1 for seen in s.scalars(select(UserSession.last_seen_at)) if seen > long_ago) == 1
