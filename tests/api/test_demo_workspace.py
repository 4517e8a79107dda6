"""The demo workspace through the API and the console: Ms. Lin signs in with the seeded credentials and finds each
story — the readiness matrix and evidence, saved quotes that replay, the JP listings in review, stock, transfer,
forecast and plan."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from xborder.demo import DemoCredentials, seed_demo_workspace

API = "/api/v1"


def _sign_in(client: TestClient, credentials: DemoCredentials) -> str:
    lin = next(u for u in credentials.users if u.email.startswith("lin@"))
    response = client.post(f"{API}/auth/session", json={"email": lin.email, "password": lin.password})
    assert response.status_code == 200, response.text
    assert response.json()["me"]["role"] == "owner"
    return str(response.json()["csrf_token"])


def test_lin_finds_every_story_through_the_api_and_the_console(app: FastAPI, client: TestClient) -> None:
    credentials = seed_demo_workspace(app.state.container)
    csrf = _sign_in(client, credentials)

    matrix = client.get(f"{API}/compliance/matrix", params={"markets": "DE,FR,GB,JP,SA,BR"}).json()
    assert sorted(matrix["markets"]) == ["BR", "DE", "FR", "GB", "JP", "SA"]
    rows = {row["sku"]: row["cells"] for row in matrix["rows"]}
    assert len(rows) == 120 and rows["SY-B100-BK"]["JP"]["verdict"] == "blocked"
    assert rows["SY-B100-BK"]["DE"]["satisfied"] >= 1  # the CE/RED report: partly green
    evidence = {e["scheme"]: e for e in client.get(f"{API}/compliance/evidence").json()}
    assert 140 <= evidence["ce-red"]["days_left"] <= 160 and evidence["ce-red"]["standard"] == "EN 300 328"
    pdf = client.get(f"{API}/compliance/evidence/{evidence['ce-red']['id']}/file")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert [a["kind"] for a in client.get(f"{API}/compliance/alerts").json()] == ["evidence_expiring"]

    quotes = client.get(f"{API}/quotes").json()["items"]
    assert len(quotes) == 3
    for quote in quotes:
        saved = client.get(f"{API}/quotes/{quote['id']}").json()
        replayed = client.post(f"{API}/quotes/{quote['id']}/replay", headers={"X-CSRF-Token": csrf})
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["landed_cost"] == saved["result"]["landed_cost"]
    # the catalog gives the matrix what it needs (cost, origin, HS code, weight) for every variant; cells where the
    # shipped pricing data has no tariff for a market say so themselves
    cells = client.get(f"{API}/price-matrix", params={"markets": "DE,FR,GB,JP,SA,BR", "fx_latest": "true"}).json()
    assert len(cells["cells"]) == 720
    assert not [c for c in cells["cells"] if c.get("error_code") == "pricing.variant_incomplete"]
    assert {c["status"] for c in cells["cells"] if c["sku"] == "SY-E10-BK" and c["market"] in ("DE", "GB")} == {"ok"}

    listings = client.get(f"{API}/listings", params={"market": "JP", "limit": 50}).json()["items"]
    review = [item for item in listings if item["status"] == "needs_review"]
    codes = set()
    for item in review:
        codes |= {f["code"] for f in client.get(f"{API}/listings/{item['id']}/qa").json()["findings"]}
    assert {"known_mistranslation", "unlucky_number", "metric_units_missing"} <= codes

    stock = client.get(f"{API}/inventory/stock").json()
    assert stock and all(level["on_hand"] >= 0 and level["available"] >= 0 for level in stock)
    transfers = client.get(f"{API}/inventory/transfers").json()["items"]
    assert [t["status"] for t in transfers] == ["in_transit"]
    forecast = client.get(f"{API}/inventory/forecasts").json()["items"][0]
    plan = client.get(f"{API}/inventory/plans").json()["items"][0]
    assert forecast["series"] == 16 and plan["currency"] == "EUR"

    for page in ("/compliance?markets=DE,FR,GB,JP,SA,BR", "/compliance/evidence", "/compliance/alerts",
                 "/pricing/quotes", "/localization", f"/localization/listings/{review[0]['id']}", "/inventory",
                 f"/inventory/forecasts/{forecast['id']}", f"/inventory/plans/{plan['id']}"):
        response = client.get(page)
        assert response.status_code == 200, (page, response.text[:300])
    assert "DEMO-RED-2026-0815" in client.get("/compliance/evidence").text
    reminders = client.get("/compliance?markets=DE,FR,GB,JP,SA,BR").text
    assert 'id="expiry-reminders"' in reminders and "DEMO-RED-2026-0815" in reminders
