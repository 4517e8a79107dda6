"""Pricing console: calculator with every line explained (both languages, htmx fragment, field and engine errors),
saving, saved quotes with replay and diff, and the price matrix (heat-map table, red margin warning, error cells)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

QUERY = ("origin=CN&dest=DE&hs=610910&value=200&currency=EUR&shipping=20&date=2025-03-01&incoterm=DDP"
         "&channel=courier&buyer=B2C&quantity=1")


def test_calculator_explains_every_line_in_chinese_and_english(client: TestClient, org_a, console_login) -> None:
    csrf = console_login(client, org_a.owner_email, next="/pricing")
    page = client.get(f"/pricing?{QUERY}")
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text
    assert "到岸成本" in page.text and "逐项说明" in page.text and "谁付什么" in page.text
    for expected in ("eu-cet-2020:61091000", "https://eur-lex.europa.eu/eli/reg_impl/2019/1776/oj", "12%", "19%",
                     "de.tax.standard_rate", "€293.22", "€26.40", "€46.82"):
        assert expected in page.text, expected
    assert "200 EUR exceeds 150 EUR" in page.text  # de minimis decision explained
    assert 'class="badge badge--warn"' in page.text  # the EU CET line's certainty is "uncertain"
    fragment = client.get(f"/pricing?{QUERY}", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="calculator"') and "<html" not in fragment.text
    client.post("/locale", data={"locale": "en", "next": "/pricing", "csrf_token": csrf})
    english = client.get(f"/pricing?{QUERY}")
    assert '<html lang="en">' in english.text and "Every line explained" in english.text
    assert "Who pays what" in english.text and "Payable by the seller" in english.text


def test_calculator_errors_name_the_field_or_what_is_missing(client: TestClient, org_a, console_login) -> None:
    console_login(client, org_a.owner_email, next="/pricing")
    assert client.get("/pricing").status_code == 200  # empty form with defaults
    bad = client.get("/pricing?origin=CN&dest=DE&hs=610910&value=-5&currency=EUR")
    assert 'id="e-value"' in bad.text and 'aria-invalid="true"' in bad.text
    missing = client.get("/pricing?origin=CN&dest=SG&hs=220300&value=50&currency=USD&date=2025-03-01")
    assert 'id="quote-problem"' in missing.text and "pricing.no_tariff_data" in missing.text
    assert "从不假定为 0 %" in missing.text


def test_save_replay_and_diff(client: TestClient, org_a, org_b, console_login) -> None:
    csrf = console_login(client, org_a.owner_email, next="/pricing")
    form = dict(item.split("=") for item in QUERY.split("&"))
    saved = client.post("/pricing/quotes", data={**form, "label": "earbuds DE", "csrf_token": csrf},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text
    url = saved.headers["location"]
    assert re.fullmatch(r"/pricing/quotes/\w+", url)
    detail = client.get(url)
    assert detail.status_code == 200 and "earbuds DE" in detail.text and "€293.22" in detail.text
    assert "按保存时的快照重算" in detail.text
    listing = client.get("/pricing/quotes")
    assert "earbuds DE" in listing.text and "bravo secret quote" not in listing.text
    diff = client.get(url + "/diff")
    assert diff.status_code == 200 and 'data-changed="false"' in diff.text
    later = client.get(url + "/diff?on=2026-07-02&fx_latest=1")
    assert later.status_code == 200 and 'id="quote-diff"' in later.text
    assert client.get(f"/pricing/quotes/{org_b.extra['saved_quote_id']}").status_code == 404
    forged = client.post("/pricing/quotes", data={**form, "csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 403


def test_viewer_cannot_save(client: TestClient, org_a, console_login) -> None:
    csrf = console_login(client, f"viewer@{org_a.slug}.example.com", next="/pricing")
    page = client.get(f"/pricing?{QUERY}")
    assert 'action="/pricing/quotes"' not in page.text
    form = dict(item.split("=") for item in QUERY.split("&"))
    assert client.post("/pricing/quotes", data={**form, "csrf_token": csrf}, follow_redirects=False).status_code == 403


def test_price_matrix_heat_map_table_red_warning_and_error_cells(client: TestClient, org_a, console_login) -> None:
    console_login(client, org_a.owner_email, next="/pricing/matrix")
    created = client.post("/api/v1/products", headers=org_a.auth(), json={
        "product_ref": "SPK", "title": "Speaker", "variants": [
            {"sku": "SPK-1", "hs_code": "851822", "origin_country": "CN", "cost_price": "20", "cost_currency": "EUR"},
            {"sku": "CHEAP-1", "hs_code": "851822", "origin_country": "CN", "cost_price": "1",
             "cost_currency": "EUR"},
            {"sku": "BEER-1", "hs_code": "220300", "origin_country": "CN", "cost_price": "1", "cost_currency": "EUR"}]})
    assert created.status_code == 201
    page = client.get("/pricing/matrix?markets=DE,GB,SG&on=2025-03-01&target_margin=35&shipping=6"
                      "&shipping_currency=EUR&fx_latest=1")
    assert page.status_code == 200 and 'id="matrix-table"' in page.text
    assert 'data-heatmap-table="matrix-table"' in page.text
    assert "/static/js/pricing.js" in page.text and "/static/vendor/echarts.min.js" in page.text
    assert re.search(r'data-market="DE"\s+data-share="\d+(\.\d)?"', page.text)
    assert "€" in page.text and ".99" in page.text  # price endings
    assert 'data-status="red"' in page.text and "到岸成本吃掉了利润" in page.text  # shipping 6 EUR on a 1 EUR item
    assert "pricing.no_tariff_data" in page.text and "pricing.variant_incomplete" in page.text
    fragment = client.get("/pricing/matrix?markets=DE", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="price-matrix"')
    assert client.get("/pricing/matrix?markets=secret&on=secret").status_code == 200  # junk falls back to defaults


def test_duty_data_coverage_page_heat_map_and_gaps(client: TestClient, org_a, console_login) -> None:
    csrf = console_login(client, org_a.owner_email, next="/pricing/coverage")
    page = client.get("/pricing/coverage?on=2026-11-22")
    assert page.status_code == 200 and "关税数据覆盖" in page.text
    assert 'data-heatmap-table="coverage-table"' in page.text and 'data-scale="coverage"' in page.text
    assert re.search(r'<tr data-market="US">.*?<strong>362</strong> / 362', page.text, re.S)
    assert "no tariff schedule for market SA" in page.text  # a market without data says why
    assert re.search(r'data-col="61" data-share="\d+"', page.text) and "cover-5" in page.text
    fragment = client.get("/pricing/coverage?on=2024-01-01", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="coverage"') and "<html" not in fragment.text
    assert "tariff schedule ng: no version in force on 2024-01-01" in fragment.text  # before NG's data starts
    client.post("/locale", data={"locale": "en", "next": "/pricing/coverage", "csrf_token": csrf})
    english = client.get("/pricing/coverage")
    assert "Duty data coverage" in english.text and "never assumes 0 %." in english.text
    assert 'href="/pricing/coverage"' in client.get("/pricing/matrix").text  # linked from the price matrix
    assert client.get("/pricing/coverage?on=junk").status_code == 200  # a junk date falls back to today
