"""The console import flow with the in-process runner: upload form → job page polled by htmx → summary or report."""

from __future__ import annotations

import csv
import io
import re
import time

from fastapi.testclient import TestClient

GOOD_CSV = (
    "商品编号,SKU,商品名称,品牌,海关编码,原产国,采购价,币种,净重\n"
    "P1,CON-001,蓝牙耳机,声悦,851830,CN,12.50,CNY,0.05\n"
    "P1,CON-002,蓝牙耳机,声悦,851830,CN,12.50,CNY,0.05\n"
    "P2,CON-003,USB-C 数据线,声悦,854442,CN,3.10,CNY,0.03\n"
).encode("utf-8-sig")
BAD_CSV = (
    b"product_id,sku,title,hs_code,net_weight_kg\n"
    b"P1,BAD-001,Earbuds,999999,0.05\n"
    b"P1,BAD-002,=HYPERLINK(\"x\"),851830,-1\n"
)


def _upload(client: TestClient, csrf: str, content: bytes, name: str, **extra: str) -> str:
    response = client.post("/catalog/import", data={"csrf_token": csrf, **extra},
                           files={"file": (name, content, "text/csv")}, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/catalog/import/jobs/[0-9a-z]+", location)
    return location


def _poll(client: TestClient, url: str, timeout: float = 30) -> str:
    """Poll like htmx does (HX-Request, every 500 ms in the browser) until the fragment stops polling."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fragment = client.get(url, headers={"HX-Request": "true"})
        assert fragment.status_code == 200 and "<html" not in fragment.text
        if 'hx-trigger="every 500ms"' not in fragment.text:
            return fragment.text
        assert "<progress" in fragment.text
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_import_shows_progress_then_a_summary(app, org_a, console_login):
    with TestClient(app) as client:  # the lifespan starts the in-process job runner
        csrf = console_login(client, org_a.owner_email, next="/catalog/import")
        job_url = _upload(client, csrf, GOOD_CSV, "目录.csv")
        page = client.get(job_url)
        assert page.status_code == 200 and "导入 目录.csv" in page.text
        done = _poll(client, job_url)
        assert 'data-status="succeeded"' in done and "导入完成" in done
        assert re.search(r"新建变体</dt><dd>3</dd>", done)
        assert "CON-002" in client.get("/catalog", params={"q": "con-"}).text
        recent = client.get("/catalog/import").text
        assert "目录.csv" in recent and "badge--ok" in recent


def test_dry_run_changes_nothing(app, org_a, console_login):
    with TestClient(app) as client:
        csrf = console_login(client, org_a.owner_email)
        done = _poll(client, _upload(client, csrf, GOOD_CSV, "dry.csv", dry_run="1"))
        assert "试运行通过" in done
        assert "CON-001" not in client.get("/catalog", params={"q": "con-"}).text


def test_bad_file_shows_the_error_report_and_offers_it_as_csv(app, org_a, console_login):
    with TestClient(app) as client:
        csrf = console_login(client, org_a.owner_email)
        client.post("/locale", data={"locale": "en", "csrf_token": csrf})
        job_url = _upload(client, csrf, BAD_CSV, "bad.csv")
        done = _poll(client, job_url)
        assert 'data-status="failed"' in done and "The import stopped: nothing was changed." in done
        table = done.split('id="import-errors"')[1]
        assert re.search(r'<td class="num">2</td><td>hs_code</td>', table)
        assert re.search(r'<td class="num">3</td><td>net_weight_kg</td>', table)
        assert f'href="{job_url}/errors.csv"' in done
        report = client.get(f"{job_url}/errors.csv")
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
        assert "attachment" in report.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
        assert rows[0] == ["Row", "Column", "Reason", "Code"]
        assert {(r[0], r[1]) for r in rows[1:]} >= {("2", "hs_code"), ("3", "net_weight_kg")}
        assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
        assert "BAD-001" not in client.get("/catalog", params={"q": "bad-"}).text
        # In Chinese each line also gets a short explanation of its code.
        client.post("/locale", data={"locale": "zh-CN", "csrf_token": csrf})
        page = client.get(job_url).text
        assert "不是有效的 HS 2022 编码" in page and "必须大于 0" in page
        assert "必须大于 0: " in client.get(f"{job_url}/errors.csv").content.decode("utf-8-sig")


def test_upload_form_errors_are_shown_on_the_page(client, org_a, console_login):
    csrf = console_login(client, org_a.owner_email)
    empty = client.post("/catalog/import", data={"csrf_token": csrf}, files={"file": ("e.csv", b"", "text/csv")})
    assert empty.status_code == 422 and "文件是空的" in empty.text
    missing = client.post("/catalog/import", data={"csrf_token": csrf})
    assert missing.status_code == 422 and "请选择要导入的 CSV 或 XLSX 文件" in missing.text
    forged = client.post("/catalog/import", data={"csrf_token": "nope"}, files={"file": ("a.csv", b"x", "text/csv")})
    assert forged.status_code == 403


def test_viewer_cannot_upload(client, org_a, console_login):
    csrf = console_login(client, f"viewer@{org_a.slug}.example.com")
    response = client.post("/catalog/import", data={"csrf_token": csrf},
                           files={"file": ("a.csv", GOOD_CSV, "text/csv")})
    assert response.status_code == 403
