"""`catalog.parse_products_file`: the importer's parsers without a database, all-or-nothing."""

from __future__ import annotations

import pytest

from xborder import catalog
from xborder.kernel import ValidationFailed


def test_parses_the_demo_catalog_with_chinese_headers() -> None:
    rows = catalog.parse_products_file("shengyue_catalog_zh.csv", catalog.demo_catalog_csv())
    assert len(rows) == 120
    speaker = next(r for r in rows if r.sku == "SY-B100-BK")
    assert speaker.variant["hs_code"] == "851821"
    assert speaker.product["brand"] == "声悦 SHENGYUE"
    assert speaker.row == rows.index(speaker) + 2  # the header is row 1


def test_any_bad_row_rejects_the_file_naming_row_and_column() -> None:
    with pytest.raises(ValidationFailed) as caught:
        catalog.parse_products_file("bad.csv", catalog.demo_catalog_bad_csv())
    details = caught.value.details
    assert details and all(d.row for d in details)
    assert any(d.code == "catalog.duplicate_sku" for d in details)


def test_a_file_without_sku_column_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        catalog.parse_products_file("x.csv", b"title,brand\nA,B\n")
    assert caught.value.details[0].code == "catalog.missing_column"
