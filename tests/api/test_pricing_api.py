"""Pricing API: single quotes (the CLI JSON contract), batch == single, batch jobs, saved quotes (replay, diff,
pages, tenancy, roles) and the price matrix over the caller's catalog."""

from __future__ import annotations

import json
import time
from datetime import date

from fastapi.testclient import TestClient

from xborder import jobs, pricing
from xborder.kernel import Money
from xborder.pricing import EcbReferenceRates, PricingData, QuoteRequest
from xborder.web.app import create_app

DE_QUOTE = {"origin": "CN", "dest": "DE", "hs": "610910", "value": "200", "currency": "EUR", "shipping": "20",
            "date": "2025-03-01", "incoterm": "DDP"}
# Singapore ships only its non-dutiable chapters: dutiable beer (2203) has no line, a stable "no tariff data" case
NO_TARIFF = {"dest": "SG", "hs": "220300"}
CLI_KEYS = {"currency", "customs_value", "duty", "import_vat", "other_taxes_and_fees", "total_taxes_and_duties",
            "landed_cost", "de_minimis_applied", "lines"}
LINE_KEYS = {"name", "base", "rate", "amount", "source", "effective_from", "certainty", "payer", "rule"}


def test_single_quote_is_the_cli_contract_with_every_line_explained(client, org_a) -> None:
    response = client.post("/api/v1/quotes", json=DE_QUOTE, headers=org_a.auth("viewer"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= CLI_KEYS and body.get("quote_id") is None
    assert (body["currency"], body["customs_value"], body["duty"], body["import_vat"], body["landed_cost"]) == (
        "EUR", "220.00", "26.40", "46.82", "293.22")
    assert body["de_minimis_applied"] is False and body["payable_by_seller"] == "73.22"
    assert all(set(line) >= LINE_KEYS and line["source"].startswith("https://") for line in body["lines"])
    # the same figures as the engine called directly (what the CLI prints)
    direct = pricing.landed_cost_to_dict(pricing.quote_landed_cost(PricingData(fx=EcbReferenceRates()),
                                                                   request=QuoteRequest(
        origin="CN", destination="DE", hs_code="610910", goods_value=Money.of("200", "EUR"),
        shipping=Money.of("20", "EUR"), insurance=Money.of("0", "EUR"), on=date(2025, 3, 1), incoterm="DDP")))
    assert {k: v for k, v in body.items() if k != "quote_id"} == direct


def test_bad_input_names_what_is_missing(client, org_a) -> None:
    unknown_hs = client.post("/api/v1/quotes", json={**DE_QUOTE, **NO_TARIFF}, headers=org_a.auth())
    assert unknown_hs.status_code == 404 and unknown_hs.json()["code"] == "pricing.no_tariff_data"
    bad_currency = client.post("/api/v1/quotes", json={**DE_QUOTE, "currency": "XXQ"}, headers=org_a.auth())
    assert bad_currency.status_code in (400, 422) and "XXQ" in bad_currency.text
    negative = client.post("/api/v1/quotes", json={**DE_QUOTE, "value": "-1"}, headers=org_a.auth())
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "value"
    incoterm = client.post("/api/v1/quotes", json={**DE_QUOTE, "incoterm": "FOB"}, headers=org_a.auth())
    assert incoterm.status_code == 422 and incoterm.json()["errors"][0]["field"] == "incoterm"
    old = client.post("/api/v1/quotes", json={**DE_QUOTE, "date": "1990-01-01"}, headers=org_a.auth())
    assert old.status_code == 404 and old.json()["code"] in ("markets.fact_not_found", "pricing.date_outside_data")
    assert client.post("/api/v1/quotes", json=DE_QUOTE).status_code == 401


def test_batch_json_and_csv_equal_the_single_path(client, org_a) -> None:
    rows = [DE_QUOTE, {**DE_QUOTE, "dest": "GB", "currency": "GBP", "value": "90"},
            {**DE_QUOTE, "dest": "US", "currency": "USD", "value": "700", "date": "2025-06-01"},
            {**DE_QUOTE, **NO_TARIFF}, {**DE_QUOTE, "value": "100", "ioss": True, "incoterm": "DAP"}]
    single = [client.post("/api/v1/quotes", json=row, headers=org_a.auth()) for row in rows]
    batch = client.post("/api/v1/quotes/batch", json=rows, headers=org_a.auth("viewer"))
    assert batch.status_code == 200, batch.text
    results = batch.json()["results"]
    assert [r["row"] for r in results] == [1, 2, 3, 4, 5]
    for one, many in zip(single, results, strict=True):
        if one.status_code == 200:
            assert {k: v for k, v in one.json().items() if k != "quote_id"} == many["result"]
        else:
            assert many["error"]["code"] == one.json()["code"]
    figures = client.post("/api/v1/quotes/batch?explain=false", json={"rows": rows}, headers=org_a.auth()).json()
    for one, many in zip(single, figures["results"], strict=True):
        if one.status_code == 200:
            assert {k: one.json()[k] for k in pricing.FIGURE_COLUMNS} == many["figures"]
    header = "origin,dest,hs,value,currency,shipping,date,incoterm,ioss\n"
    csv_rows = "".join(f"{r['origin']},{r['dest']},{r['hs']},{r['value']},{r['currency']},{r['shipping']},"
                       f"{r['date']},{r['incoterm']},{'1' if r.get('ioss') else ''}\n" for r in rows)
    uploaded = client.post("/api/v1/quotes/batch", files={"file": ("q.csv", (header + csv_rows).encode(), "text/csv")},
                           headers=org_a.auth())
    assert [r.get("result") for r in uploaded.json()["results"]] == [r.get("result") for r in results]
    assert [r["row"] for r in uploaded.json()["results"]] == [2, 3, 4, 5, 6]  # CSV line numbers, like the CLI
    bad = client.post("/api/v1/quotes/batch", content=b"origin,dest,colour\nCN,DE,red\n",
                      headers={**org_a.auth(), "Content-Type": "text/csv"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {"colour", "hs"}
    row_error = client.post("/api/v1/quotes/batch", json=[{**DE_QUOTE, "value": "abc"}, DE_QUOTE],
                            headers=org_a.auth()).json()["results"]
    assert row_error[0]["error"]["errors"][0]["row"] == 1 and "result" in row_error[1]


def test_large_batch_runs_as_a_job_with_a_result_csv(app, org_a, org_b) -> None:
    rows = [{**DE_QUOTE, "value": str(100 + n)} for n in range(30)] + [{**DE_QUOTE, **NO_TARIFF}]
    with TestClient(app) as client:
        viewer = client.post("/api/v1/quotes/batch?job=true", json=rows, headers=org_a.auth("viewer"))
        assert viewer.status_code == 403
        accepted = client.post("/api/v1/quotes/batch?job=true", json=rows, headers=org_a.auth("operator"))
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["id"]
        assert accepted.headers["Location"] == f"/api/v1/jobs/{job_id}"
        deadline = time.monotonic() + 30
        while (job := client.get(f"/api/v1/jobs/{job_id}", headers=org_a.auth()).json())["status"] not in (
                "succeeded", "failed") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert job["status"] == "succeeded", job
        assert job["result"]["rows"] == 31 and job["result"]["failed"] == 1
        assert job["result"]["errors"][0] == {"row": 31, "code": "pricing.no_tariff_data",
                                              "message": job["result"]["errors"][0]["message"]}
        csv_text = client.get(job["result"]["result_url"], headers=org_a.auth()).text
        lines = csv_text.strip().splitlines()
        assert lines[0].startswith("row,currency,customs_value") and len(lines) == 32
        single = client.post("/api/v1/quotes", json=rows[5], headers=org_a.auth()).json()
        assert lines[6].split(",")[:8] == ["6", "EUR", single["customs_value"], single["duty"], single["import_vat"],
                                          single["other_taxes_and_fees"], single["total_taxes_and_duties"],
                                          single["landed_cost"]]
        assert client.get(job["result"]["result_url"], headers=org_b.auth()).status_code == 404


def test_batch_result_is_served_from_the_database_by_any_host(app, client, org_a, api_settings, tmp_path) -> None:
    """The result CSV is stored with the job: another app process with its own (empty) data dir serves it, and
    nothing is written under the data dir of the host that ran the job."""
    accepted = client.post("/api/v1/quotes/batch?job=true", json=[DE_QUOTE, {**DE_QUOTE, **NO_TARIFF}],
                           headers=org_a.auth("operator"))
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["id"]
    queued = client.get(f"/api/v1/quotes/batch/{job_id}/results", headers=org_a.auth())
    assert queued.status_code == 409 and queued.json()["code"] == "jobs.no_output"
    container = app.state.container
    while jobs.run_one(container.session_factory, registry=container.job_handlers, clock=container.clock,
                       worker_id="host-1"):
        pass  # the seeded import jobs run too
    assert not (api_settings.data_dir / "pricing" / "batches").exists()
    other_host = create_app(api_settings.model_copy(update={"data_dir": tmp_path / "host-2"}))
    try:
        served = TestClient(other_host).get(f"/api/v1/quotes/batch/{job_id}/results", headers=org_a.auth())
    finally:
        other_host.state.container.engine.dispose()
    assert served.status_code == 200, served.text
    assert served.headers["content-type"].startswith("text/csv")
    assert f'filename="quotes-{job_id}.csv"' in served.headers["content-disposition"]
    lines = served.text.splitlines()
    assert lines[1].startswith("1,EUR,220.00,26.40,46.82") and "pricing.no_tariff_data" in lines[2]
    view = client.get(f"/api/v1/jobs/{job_id}", headers=org_a.auth()).json()
    assert view["output_filename"] == f"quotes-{job_id}.csv" and view["output_media_type"].startswith("text/csv")
    not_a_batch = client.get(f"/api/v1/quotes/batch/{org_a.job_id}/results", headers=org_a.auth())
    assert not_a_batch.status_code == 404


def test_saved_quote_replay_diff_pages_and_tenancy(client, org_a, org_b) -> None:
    viewer = client.post("/api/v1/quotes", json={**DE_QUOTE, "save": True}, headers=org_a.auth("viewer"))
    assert viewer.status_code == 403
    ids = []
    for n in range(3):
        saved = client.post("/api/v1/quotes", json={**DE_QUOTE, "value": str(200 + n), "save": True,
                                                    "label": f"alpha quote {n}"}, headers=org_a.auth("operator"))
        assert saved.status_code == 201, saved.text
        assert saved.headers["Location"] == f"/api/v1/quotes/{saved.json()['quote_id']}"
        ids.append(saved.json()["quote_id"])
    first = client.get(f"/api/v1/quotes/{ids[0]}", headers=org_a.auth("viewer")).json()
    assert first["request"]["dest"] == "DE" and first["request"]["date"] == "2025-03-01"
    assert first["result"]["landed_cost"] == "293.22" and first["versions"] == ["schedule:eu-cet-2020"]
    replay = client.post(f"/api/v1/quotes/{ids[0]}/replay", headers=org_a.auth("viewer")).json()
    assert {k: v for k, v in replay.items()} == first["result"]
    diff = client.get(f"/api/v1/quotes/{ids[0]}/diff", headers=org_a.auth()).json()
    assert diff["changed"] is False and diff["figures"] == [] and diff["today"]["landed_cost"] == "293.22"
    later = client.get(f"/api/v1/quotes/{ids[0]}/diff", params={"on": "2026-07-02"}, headers=org_a.auth()).json()
    assert later["requoted_on"] == "2026-07-02" and "versions_added" in later
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/quotes", params={"limit": 2} | ({"cursor": cursor} if cursor else {}),
                          headers=org_a.auth()).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert sorted(seen) == sorted([*ids, org_a.extra["saved_quote_id"]])  # + the tenancy seed's quote
    assert [q["id"] for q in client.get("/api/v1/quotes", headers=org_b.auth()).json()["items"]] == [
        org_b.extra["saved_quote_id"]]
    for url in (f"/api/v1/quotes/{ids[0]}", f"/api/v1/quotes/{ids[0]}/diff"):
        assert client.get(url, headers=org_b.auth()).status_code == 404
    assert client.post(f"/api/v1/quotes/{ids[0]}/replay", headers=org_b.auth()).status_code == 404
    again = client.post("/api/v1/quotes", json={**DE_QUOTE, "save": True},
                        headers={**org_a.auth(), "Idempotency-Key": "k-1"})
    retry = client.post("/api/v1/quotes", json={**DE_QUOTE, "save": True},
                        headers={**org_a.auth(), "Idempotency-Key": "k-1"})
    assert retry.headers.get("Idempotent-Replayed") == "true" and retry.json() == again.json()


def test_price_matrix_over_the_callers_catalog(client, org_a, org_b) -> None:
    created = client.post("/api/v1/products", headers=org_a.auth(), json={
        "product_ref": "SPK", "title": "Speaker", "variants": [
            {"sku": "SPK-1", "hs_code": "851822", "origin_country": "CN", "cost_price": "20", "cost_currency": "EUR"},
            {"sku": "TEE-1", "hs_code": "610910", "origin_country": "CN", "cost_price": "4", "cost_currency": "EUR"},
            {"sku": "BEER-1", "hs_code": "220300", "origin_country": "CN", "cost_price": "1", "cost_currency": "EUR"}]})
    assert created.status_code == 201, created.text
    response = client.get("/api/v1/price-matrix", params={"markets": "DE,GB,SG", "on": "2025-03-01",
                                                          "target_margin": "35", "shipping": "5",
                                                          "shipping_currency": "EUR"}, headers=org_a.auth("viewer"))
    assert response.status_code == 200, response.text
    matrix = response.json()
    assert matrix["markets"] == ["DE", "GB", "SG"] and matrix["variants"] == 4 and matrix["target_margin"] == "35"
    cells = {(c["sku"], c["market"]): c for c in matrix["cells"]}
    de = cells[("SPK-1", "DE")]
    assert de["status"] in ("ok", "amber", "red") and de["proposed_price"].endswith(".99") and de["currency"] == "EUR"
    assert cells[("BEER-1", "SG")]["error_code"] == "pricing.no_tariff_data" and cells[("BEER-1", "SG")]["message"]
    assert cells[(org_a.sku, "DE")]["error_code"] == "pricing.variant_incomplete"  # seeded SKU has no cost
    assert org_b.sku not in response.text
    default = client.get("/api/v1/price-matrix", headers=org_a.auth()).json()
    assert default["markets"] == ["DE", "FR", "GB", "JP", "SA", "BR"]
    assert json.dumps(default)  # today without fresh FX: cells name the missing rate, never a silent 0
    assert all(c["status"] == "error" and c["message"] for c in default["cells"] if c["proposed_price"] is None)


def test_a_running_server_picks_up_a_tariff_import(api_settings, org_a, tmp_path) -> None:
    """`xborder tariffs import` writes the workspace's overlay; the server quotes with it on the next check."""
    served = create_app(api_settings.model_copy(update={"pricing_refresh_seconds": 0}))
    try:
        client = TestClient(served)
        before = client.post("/api/v1/quotes", json=DE_QUOTE, headers=org_a.auth()).json()
        source = tmp_path / "taric.csv"
        source.write_text("commodity,cet_duty_rate\n6109100010,15%\n", encoding="utf-8")
        pricing.import_schedule_version("EU", source, valid_from=date(2025, 1, 1),
                                        source_url="https://example.test/taric",
                                        overlay_dir=api_settings.data_dir / "pricing" / "schedules")
        after = client.post("/api/v1/quotes", json=DE_QUOTE, headers=org_a.auth()).json()
    finally:
        served.state.container.engine.dispose()
    assert (before["duty"], after["duty"]) == ("26.40", "33.00")
    assert after["versions"][0].startswith("schedule:eu-2025-01-01-")


def test_tariff_coverage_over_the_api(client, org_a) -> None:
    response = client.get("/api/v1/tariff-coverage", params={"on": "2026-11-22"}, headers=org_a.auth("viewer"))
    assert response.status_code == 200, response.text
    rows = {row["market"]: row for row in response.json()}
    assert rows["US"]["covered"] == rows["US"]["headings"] > 300 and rows["US"]["problem"] is None
    assert rows["SA"]["version"] is None and "no tariff schedule" in rows["SA"]["problem"]
    assert rows["BR"]["regimes"] and {c["chapter"] for c in rows["JP"]["chapters"]} >= {"61", "85", "95"}
    assert client.get("/api/v1/tariff-coverage").status_code == 401
    assert client.get("/api/v1/tariff-coverage", params={"on": "junk"}, headers=org_a.auth()).status_code == 422
