"""The demo's pure helpers and data files (no database): the PDF writer, the synthetic sales generator, dates."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from xborder import inventory
from xborder.demo._common import add_months, data_bytes, data_yaml
from xborder.demo.pdf import simple_pdf
from xborder.demo.synthetic_sales import black_friday, synthetic_order_lines, week_factor


def test_pdf_has_exact_cross_reference_offsets_and_escapes_text() -> None:
    content = simple_pdf(title="Report (test)", lines=["Issuer: Lab \\ 实验室", "Standard: EN 300 328"])
    assert content.startswith(b"%PDF-1.4") and content.endswith(b"%%EOF\n")
    xref_at = int(re.search(rb"startxref\n(\d+)", content).group(1))  # type: ignore[union-attr]
    assert content[xref_at:].startswith(b"xref\n0 8\n")
    for number, offset in enumerate((int(m) for m in re.findall(rb"(\d{10}) 00000 n", content)), start=1):
        assert content[offset:].startswith(f"{number} 0 obj".encode())
    assert b"(Report \\(test\\)) Tj" in content and b"Lab \\\\ ???" in content
    length = int(re.search(rb"/Length (\d+)", content).group(1))  # type: ignore[union-attr]
    start = content.index(b"stream\n") + len(b"stream\n")
    assert content[start + length:].startswith(b"\nendstream")


def test_synthetic_sales_are_deterministic_weekly_and_marked() -> None:
    profile = data_yaml("sales_profile.yaml")
    assert profile["synthetic"] is True
    monday = date(2026, 11, 9)
    first = synthetic_order_lines(profile, last_week=monday)
    assert first == synthetic_order_lines(profile, last_week=monday)
    rows = list(csv.DictReader(io.StringIO(first.decode())))
    assert all(r["order_id"].startswith("SYNTH-") and int(r["quantity"]) > 0 for r in rows)
    assert {date.fromisoformat(r["ordered_at"]).weekday() for r in rows} == {2}
    assert max(date.fromisoformat(r["ordered_at"]) for r in rows) == monday + timedelta(days=2)
    series = {(r["sku"], r["market"]) for r in rows}
    assert len(series) == sum(len(m) for m in profile["series"].values()) == 16


def test_black_friday_week_is_the_peak_and_christmas_the_lull() -> None:
    profile = data_yaml("sales_profile.yaml")
    assert black_friday(2025) == date(2025, 11, 28) and black_friday(2026) == date(2026, 11, 27)
    bf_week = date(2026, 11, 23)
    weeks = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(52)]
    assert max(weeks, key=lambda w: week_factor(w, profile)) == bf_week
    assert week_factor(date(2026, 12, 28), profile) < week_factor(date(2026, 12, 14), profile)


def test_demo_skus_and_lanes_exist_in_the_data_they_rely_on() -> None:
    sheet = data_bytes("shengyue_catalog_zh.csv").decode("utf-8-sig")
    catalog_skus = {line.split(",")[1] for line in sheet.splitlines()[1:]}
    assert set(data_yaml("sales_profile.yaml")["series"]) <= catalog_skus
    stock = data_yaml("inventory.yaml")["opening_stock"]
    assert set().union(*(set(v) for v in stock.values())) <= catalog_skus
    lanes = {lane.id for lane in inventory.load_lanes()}
    assert {t["lane"] for t in data_yaml("inventory.yaml")["transfers"]} <= lanes


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=0, max_value=36))
def test_add_months_keeps_the_day_or_clamps_to_month_end(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)
