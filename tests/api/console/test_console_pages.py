"""Console pages through the real app: sign-in with CSRF, both languages, htmx fragments, edit forms, isolation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.console.conftest import csrf_from

# (path, a Chinese string, an English string) each page must show in its language.
PAGES = [
    ("/", "按 HS 章统计的变体", "Variants by HS chapter"),
    ("/catalog", "搜索商品库", "Search the catalog"),
    ("/catalog?q=secret", "与“secret”匹配的变体", "Variants matching “secret”"),
    ("/catalog/import", "开始导入", "Start import"),
    ("/markets", "平台语言", "Marketplace languages"),
    ("/markets/de", "免税额度历史", "De minimis history"),
    ("/hs?q=bluetooth%20earphones", "品目", "heading"),
]
FRAGMENT_IDS = {"/": 'id="dashboard"', "/catalog": 'id="catalog-results"', "/catalog?q=secret": 'id="catalog-results"',
                "/catalog/import": 'id="import-upload"', "/markets": 'id="market-list"',
                "/markets/de": 'id="market-detail"', "/hs?q=bluetooth%20earphones": 'id="hs-results"'}


def test_signed_out_pages_redirect_to_login_and_htmx_gets_hx_redirect(client: TestClient):
    response = client.get("/catalog?q=x", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=/catalog")
    htmx = client.get("/catalog", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/login")


def test_sign_in_page_defaults_to_chinese_and_rejects_a_missing_csrf_token(client: TestClient, org_a, password):
    page = client.get("/login")
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text and "登录" in page.text
    assert 'name="csrf_token"' in page.text and 'for="f-email"' in page.text
    forged = client.post("/login", data={"email": org_a.owner_email, "password": password, "csrf_token": "forged"},
                         follow_redirects=False)
    assert forged.status_code == 403 and "表单已过期" in forged.text
    assert "xb_session" not in client.cookies


def test_wrong_password_is_reported_in_the_page_language(client: TestClient, org_a):
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": org_a.owner_email, "password": "wrong password",
                                           "csrf_token": token})
    assert response.status_code == 401 and "邮箱或密码不正确" in response.text
    switched = client.post("/login/locale", data={"locale": "en", "csrf_token": token, "next": "/login"},
                           follow_redirects=False)
    assert switched.status_code == 303 and client.cookies.get("xb_locale") == "en"
    response = client.post("/login", data={"email": org_a.owner_email, "password": "wrong password",
                                           "csrf_token": token})
    assert "Email or password is incorrect." in response.text and '<html lang="en">' in response.text


def test_next_parameter_cannot_leave_the_site(client: TestClient, org_a, password):
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": org_a.owner_email, "password": password, "csrf_token": token,
                                           "next": "//evil.example.com/"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "xb_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_every_page_renders_in_chinese_then_english_and_the_choice_persists(app, client, org_a, console_login):
    csrf = console_login(client, org_a.owner_email)
    for path, zh, _en in PAGES:
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:500])
        assert zh in page.text and '<html lang="zh-CN">' in page.text, path
        assert 'action="/locale"' in page.text and "English" in page.text, path
    switched = client.post("/locale", data={"locale": "en", "next": "/markets", "csrf_token": csrf},
                           follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/markets"
    for path, _zh, en in PAGES:
        page = client.get(path)
        assert en in page.text and '<html lang="en">' in page.text, path
    # Persisted per user: a fresh browser signs in straight into English.
    other = TestClient(app)
    console_login(other, org_a.owner_email)
    assert "Variants by HS chapter" in other.get("/").text


def test_locale_switch_needs_the_csrf_token(client, org_a, console_login):
    console_login(client, org_a.owner_email)
    response = client.post("/locale", data={"locale": "en", "next": "/"}, follow_redirects=False)
    assert response.status_code == 403


@pytest.mark.parametrize("path", [p for p, _, _ in PAGES])
def test_htmx_requests_get_a_fragment_without_the_layout(client, org_a, console_login, path):
    console_login(client, org_a.owner_email)
    fragment = client.get(path, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<nav class" not in fragment.text.split(FRAGMENT_IDS[path])[0]
    assert FRAGMENT_IDS[path] in fragment.text
    assert "HX-Request" in fragment.headers["vary"]
    full = client.get(path)
    assert "<html" in full.text and FRAGMENT_IDS[path] in full.text


def test_dashboard_counts_and_chart_table(client, org_a, console_login):
    console_login(client, org_a.owner_email)
    page = client.get("/?animation=0").text
    assert 'data-chart-table="chart-hs-table"' in page and 'data-animation="false"' in page
    chapter_row = r'<th scope="row" class="mono">85</th>\s*<td>电机、电气设备.*</td>\s*<td class="num" data-value="1">'
    assert re.search(chapter_row, page)
    assert "/markets/de" in page


def test_catalog_search_detail_and_keyset_paging(client, org_a, console_login):
    console_login(client, org_a.owner_email)
    found = client.get("/catalog", params={"q": "secret"}).text
    assert org_a.sku in found and f"/catalog/products/{org_a.product_id}" in found
    assert "没有与“nothing-like-this”匹配的变体" in client.get("/catalog?q=nothing-like-this").text
    detail = client.get(f"/catalog/products/{org_a.product_id}").text
    assert "alpha secret earbuds" in detail and "851830" in detail
    assert f"/catalog/variants/{org_a.variant_id}/edit" in detail


def test_variant_edit_shows_validation_errors_inline_and_saves(client, org_a, console_login):
    csrf = console_login(client, org_a.owner_email)
    url = f"/catalog/variants/{org_a.variant_id}/edit"
    form = client.get(url)
    assert form.status_code == 200 and 'value="851830"' in form.text
    bad = {"csrf_token": csrf, "sku": org_a.sku, "hs_code": "851830", "net_weight_kg": "-1", "cost_price": "abc"}
    response = client.post(url, data=bad)
    assert response.status_code == 422 and "<html" in response.text
    assert 'id="f-net_weight_kg"' in response.text and 'aria-describedby="e-net_weight_kg"' in response.text
    assert 'id="e-cost_price"' in response.text and "请修正标出的字段" in response.text
    assert 'value="-1"' in response.text  # the user's input is kept
    fragment = client.post(url, data=bad, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and "<html" not in fragment.text and 'id="variant-form"' in fragment.text
    good = {"csrf_token": csrf, "sku": org_a.sku, "hs_code": "851830", "net_weight_kg": "0.25",
            "cost_price": "12.5", "cost_currency": "CNY", "wireless_bands": "2.4 GHz; 5 GHz"}
    saved = client.post(url, data=good, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"/catalog/products/{org_a.product_id}")
    detail = client.get(saved.headers["location"]).text
    assert "修改已保存" in detail and "0.25" in detail and "2.4 GHz, 5 GHz" in detail and "¥12.50" in detail
    htmx_saved = client.post(url, data=good, headers={"HX-Request": "true"})
    assert htmx_saved.status_code == 200 and htmx_saved.headers["HX-Redirect"].startswith("/catalog/products/")


def test_product_edit_rejects_an_empty_title(client, org_a, console_login):
    csrf = console_login(client, org_a.owner_email)
    url = f"/catalog/products/{org_a.product_id}/edit"
    response = client.post(url, data={"csrf_token": csrf, "title": "", "product_ref": "P-1"})
    assert response.status_code == 422 and 'id="e-title"' in response.text
    ok = client.post(url, data={"csrf_token": csrf, "title": "Earbuds Pro", "product_ref": "P-1", "brand": "Shengyue"},
                     follow_redirects=False)
    assert ok.status_code == 303
    assert "Earbuds Pro" in client.get(f"/catalog/products/{org_a.product_id}").text


def test_viewer_reads_but_cannot_edit(client, org_a, console_login):
    console_login(client, f"viewer@{org_a.slug}.example.com")
    detail = client.get(f"/catalog/products/{org_a.product_id}").text
    assert "/edit" not in detail
    assert client.get(f"/catalog/variants/{org_a.variant_id}/edit").status_code == 403
    assert "您的角色可以查看商品库，但不能导入" in client.get("/catalog/import").text


def test_another_organizations_objects_are_not_found(client, org_a, org_b, console_login):
    csrf = console_login(client, org_a.owner_email)
    for path in (f"/catalog/products/{org_b.product_id}", f"/catalog/variants/{org_b.variant_id}/edit",
                 f"/catalog/import/jobs/{org_b.job_id}", f"/catalog/import/jobs/{org_b.job_id}/errors.csv"):
        response = client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 404, path
        assert "未找到" in response.text and org_b.sku not in response.text
    post = client.post(f"/catalog/variants/{org_b.variant_id}/edit", data={"csrf_token": csrf, "sku": "X"})
    assert post.status_code == 404
    assert org_b.sku not in client.get("/catalog?q=secret").text


def test_market_detail_shows_values_sources_certainty_calendar_and_de_minimis_history(client, org_a, console_login):
    console_login(client, org_a.owner_email)
    page = client.get("/markets/us", params={"on": "2026-11-22"}).text
    assert "2026年11月22日" in page
    assert 'href="https://' in page and "badge--ok" in page
    assert "de_minimis" not in page.split('id="deminimis-title"')[0].split('id="facts-title"')[1]
    history = page.split('id="deminimis-title"')[1]
    assert "800 USD" in history and "无免税额度" in history and "不含来自 中国" in history
    assert "2025年8月29日" in history and "badge--warn" in history  # the uncertain 2025-02 versions
    assert "黑色星期五" in page or "Black Friday" in page
    assert client.get("/markets/zz", headers={"accept": "text/html"}).status_code == 404


def test_hs_search_page_in_chinese(client, org_a, console_login):
    console_login(client, org_a.owner_email)
    page = client.get("/hs", params={"q": "蓝牙耳机"}).text
    assert "8518" in page
    assert "输入编码或关键词进行搜索" in client.get("/hs").text


def test_sign_out_ends_the_session(client, org_a, console_login):
    csrf = console_login(client, org_a.owner_email)
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/", follow_redirects=False).status_code == 303


def test_htmx_history_restore_gets_the_whole_page(client, org_a, console_login):
    console_login(client, org_a.owner_email)
    restore = client.get("/catalog?q=secret", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_repeated_wrong_passwords_are_throttled_with_a_readable_message(client, org_a):
    token = csrf_from(client.get("/login").text)
    for _ in range(3):  # FAST_SECURITY allows 3 failures per window
        client.post("/login", data={"email": org_a.owner_email, "password": "nope-nope", "csrf_token": token})
    throttled = client.post("/login", data={"email": org_a.owner_email, "password": "nope-nope", "csrf_token": token})
    assert throttled.status_code == 429 and "失败次数过多" in throttled.text
    assert int(throttled.headers["Retry-After"]) > 0


def test_a_platform_operator_sees_the_same_console(app, client, console_login, password):
    from xborder import identity
    from xborder.db import transaction
    from xborder.settings import SecuritySettings

    fast = SecuritySettings(argon2_time_cost=1, argon2_memory_kib=8192)
    with transaction(app.state.container.session_factory) as session:
        org = identity.create_organization(session, name="综试区平台", slug="zone-platform", kind="platform")
        user = identity.create_user(session, email="ops@zone.example.com", password=password,
                                    display_name="平台运营", settings=fast)
        identity.add_member(session, organization_id=org.id, user_id=user.id, role="owner")
    console_login(client, "ops@zone.example.com")
    for path, zh, _en in PAGES:
        page = client.get(path)
        assert page.status_code == 200 and zh in page.text and "综试区平台" in page.text, path
