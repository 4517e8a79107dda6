"""Bulk import against a real database: all-or-nothing, the journey's three-problem file, upsert, dry run, XLSX."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.catalog.models import Product, Variant
from xborder.settings import ImportLimits


def _import(session: Session, org: str, content: bytes, *, name: str = "sheet.csv", dry_run: bool = False,
            limits: ImportLimits | None = None, progress=None) -> catalog.ImportReport:  # type: ignore[no-untyped-def]
    report = catalog.import_products(session, organization_id=org, filename=name, content=content, dry_run=dry_run,
                                     limits=limits or ImportLimits(), progress=progress)
    session.commit()
    return report


def _count(session: Session, org: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Variant).where(Variant.organization_id == org)) or 0)


def _csv(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_demo_catalog_imports_with_progress(session: Session, org_a: str) -> None:
    calls: list[tuple[int, int]] = []
    report = _import(session, org_a, catalog.demo_catalog_csv(), progress=lambda d, t: calls.append((d, t)))
    assert report.ok and report.written
    assert (report.rows, report.variants_created, report.products_created) == (120, 120, 35)
    assert report.encoding == "utf-8-sig" and report.warnings == []
    assert _count(session, org_a) == 120
    assert calls[-1] == (240, 240) and all(d <= t for d, t in calls)
    kettle = catalog.get_variant_by_sku(session, organization_id=org_a, sku="SY-K17-UK")
    assert kettle.plug_type == "G" and kettle.power_w == 2200 and kettle.hs_code == "851679"
    assert kettle.battery_packing == "none" and kettle.wireless_bands is None


def test_three_problem_file_changes_nothing_and_names_row_and_column(session: Session, org_a: str) -> None:
    _import(session, org_a, catalog.demo_catalog_csv())
    before = catalog.export_products(session, organization_id=org_a, fmt="csv", language="en")
    report = _import(session, org_a, catalog.demo_catalog_bad_csv())
    assert not report.ok and not report.written
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (16, "海关编码", "catalog.unknown_hs_code"),
        (42, "净重(kg)", "catalog.must_be_positive"),
        (79, "SKU", "catalog.duplicate_sku"),
    ]
    assert "row 78" in report.errors[2].message
    assert catalog.export_products(session, organization_id=org_a, fmt="csv", language="en") == before


def test_bad_file_into_empty_catalog_writes_nothing(session: Session, org_a: str) -> None:
    report = _import(session, org_a, catalog.demo_catalog_bad_csv())
    assert len(report.errors) == 3
    assert _count(session, org_a) == 0
    assert session.scalar(select(func.count()).select_from(Product)) == 0


def test_upsert_updates_only_columns_in_the_file(session: Session, org_a: str) -> None:
    _import(session, org_a, catalog.demo_catalog_csv())
    report = _import(session, org_a, _csv(["SKU,采购价,币种,适用年龄,商品名称",
                                           "SY-E10-BK,50.5,CNY,,", "NEW-1,1,CNY,,新品"]))
    assert report.ok, report.errors
    assert (report.variants_updated, report.variants_created, report.products_created) == (1, 1, 1)
    variant = catalog.get_variant_by_sku(session, organization_id=org_a, sku="SY-E10-BK")
    assert str(variant.cost_price) in ("50.5", "50.500000") and variant.hs_code == "851830"  # untouched column kept
    assert variant.age_group is None  # an empty cell in a present column means unknown
    product = catalog.get_product(session, organization_id=org_a, product_id=variant.product_id)
    assert product.title == "SY-E10 真无线蓝牙耳机"  # an empty title cell never clears the title
    assert _count(session, org_a) == 121


def test_reimport_of_own_export_is_a_no_op(session: Session, org_a: str) -> None:
    _import(session, org_a, catalog.demo_catalog_csv())
    for fmt in ("csv", "xlsx"):
        exported = catalog.export_products(session, organization_id=org_a, fmt=fmt, language="zh")
        report = _import(session, org_a, exported, name=f"export.{fmt}")
        assert report.ok and report.variants_updated == 120 and report.variants_created == 0
        again = catalog.export_products(session, organization_id=org_a, fmt="csv", language="zh")
        assert again == catalog.export_products(session, organization_id=org_a, fmt="csv", language="zh")


def test_reimport_rewrites_only_changed_rows(session: Session, org_a: str) -> None:
    _import(session, org_a, catalog.demo_catalog_csv())
    before = {v.sku: v.updated_at for v in session.scalars(select(Variant))}
    assert _import(session, org_a, catalog.demo_catalog_csv()).variants_updated == 120
    session.expire_all()
    assert {v.sku: v.updated_at for v in session.scalars(select(Variant))} == before
    assert _import(session, org_a, _csv(["SKU,净重(kg)", "SY-E10-BK,0.05"])).ok
    session.expire_all()
    changed = {v.sku: v.updated_at for v in session.scalars(select(Variant)) if v.updated_at != before[v.sku]}
    assert list(changed) == ["SY-E10-BK"]
    assert catalog.get_variant_by_sku(session, organization_id=org_a, sku="SY-E10-BK").net_weight_kg == Decimal(
        "0.05")


def test_export_import_into_another_org_is_identical(session: Session, org_a: str, org_b: str) -> None:
    _import(session, org_a, catalog.demo_catalog_csv())
    exported = catalog.export_products(session, organization_id=org_a, fmt="xlsx", language="en")
    assert _import(session, org_b, exported, name="a.xlsx").ok
    assert (catalog.export_products(session, organization_id=org_b, fmt="csv", language="zh")
            == catalog.export_products(session, organization_id=org_a, fmt="csv", language="zh"))


def test_xlsx_with_chinese_headers(session: Session, org_a: str) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in catalog.demo_catalog_csv().decode("utf-8-sig").splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _import(session, org_a, buffer.getvalue(), name="声悦商品.xlsx")
    assert report.ok, report.errors[:3]
    assert report.file_format == "xlsx" and report.variants_created == 120


def test_dry_run_reports_and_writes_nothing(session: Session, org_a: str) -> None:
    report = _import(session, org_a, catalog.demo_catalog_csv(), dry_run=True)
    assert report.ok and not report.written and report.variants_created == 120
    assert _count(session, org_a) == 0


def test_cross_row_rules(session: Session, org_a: str) -> None:
    report = _import(session, org_a, _csv([
        "product_id,sku,title,cost_price,cost_currency,brand,库存",
        "P1,A,Kettle,10,CNY,Acme,5",
        "P1,B,Kettle,2,USD,Other,6",
        "P2,C,,1,CNY,,7",
    ]))
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (3, "brand", "catalog.product_field_conflict"),
        (4, "title", "catalog.required"),
        (3, "cost_currency", "catalog.mixed_currencies"),
    ]
    assert [(w.column, w.code) for w in report.warnings] == [("库存", "catalog.unknown_header")]
    assert _count(session, org_a) == 0


def test_file_level_refusals_leave_catalog_unchanged(session: Session, org_a: str) -> None:
    _import(session, org_a, catalog.demo_catalog_csv())
    small = ImportLimits(max_upload_bytes=1000, max_rows=10)
    assert _import(session, org_a, catalog.demo_catalog_csv(), limits=small).errors[0].code == "catalog.file_too_large"
    assert _import(session, org_a, catalog.demo_catalog_csv(),
                   limits=ImportLimits(max_rows=10)).errors[0].code == "catalog.too_many_rows"
    truncated = catalog.demo_catalog_csv()[:-160]  # cut inside the last row, before its last columns
    assert _import(session, org_a, truncated).errors[0].code == "catalog.row_length"
    cut_in_last_cell = _import(session, org_a, catalog.demo_catalog_csv()[:-10], dry_run=True)
    assert [w.code for w in cut_in_last_cell.warnings] == ["catalog.no_final_newline"]
    assert _import(session, org_a, b"SKU,title\nA,\xff\xfe\x80\n").errors[0].code == "catalog.undecodable"
    assert _count(session, org_a) == 120


def test_gb18030_file_from_excel_on_a_chinese_pc(session: Session, org_a: str) -> None:
    content = catalog.demo_catalog_csv().decode("utf-8-sig").encode("gb18030")
    report = _import(session, org_a, content)
    assert report.ok and report.encoding == "gb18030" and report.variants_created == 120
