"""Listings end to end on a real database: generate from the catalog (TM first, MT for the rest, nothing invented
without a provider), QA gate on approval, workflow and revisions, Shopify/flat/JSON export and import back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

import xborder.localization.models  # noqa: F401 - registers the tables before the engine fixture creates them
from xborder import catalog
from xborder.identity.models import Organization
from xborder.kernel import Conflict, ValidationFailed
from xborder.localization import service
from xborder.localization.exports import export_listings, import_listings
from xborder.localization.listings import (
    generate_listing,
    list_revisions,
    qa_listing,
    transition_listing,
    update_listing,
)
from xborder.localization.providers.fake import FakeProvider

DAY = date(2026, 11, 22)


def _setup(session: Session) -> tuple[str, str]:
    org = Organization(name="Shengyue", slug="shengyue", kind="seller")
    session.add(org)
    session.flush()
    product = catalog.create_product(session, organization_id=org.id, data=catalog.ProductIn(
        product_ref="SY-K100", title="节能电水壶 1.5L", description="尺寸 20 x 15 厘米", source_language="zh-CN",
        brand="Shengyue", variants=[catalog.VariantIn(sku="SY-K100-W", net_weight_kg=Decimal("0.9"))]))
    service.add_segment(session, organization_id=org.id, source_language="zh-CN", target_language="ja",
                        source_text="节能电水壶 1.5L", target_text="省エネ電気ケトル 1.5L")
    session.commit()
    return org.id, product.id


def test_generate_without_provider_marks_fields_for_a_translator(session: Session) -> None:
    org, product = _setup(session)
    view = generate_listing(session, organization_id=org, product_id=product, market="JP", language="ja")
    assert view.title == "省エネ電気ケトル 1.5L"  # from the TM
    assert view.description == "" and view.pending_segments == ("description",)
    with pytest.raises(ValidationFailed, match="translator"):
        transition_listing(session, organization_id=org, listing_id=view.id, to_status="needs_review")
        transition_listing(session, organization_id=org, listing_id=view.id, to_status="approved", on=DAY)


def test_workflow_revisions_and_qa_gate(session: Session) -> None:
    org, product = _setup(session)
    provider = FakeProvider({("zh-CN", "ja", "尺寸 20 x 15 厘米"): "サイズ 8 x 6 in"})
    view = generate_listing(session, organization_id=org, product_id=product, market="JP", language="ja",
                            provider=provider)
    assert view.description == "サイズ 8 x 6 in" and view.pending_segments == ()
    assert view.meta_title.startswith("省エネ電気ケトル")
    codes = {f.code for f in qa_listing(session, organization_id=org, listing_id=view.id, on=DAY).findings}
    assert "metric_units_missing" in codes
    bad = update_listing(session, organization_id=org, listing_id=view.id, expected_version=view.version,
                         changes={"title": "使用制限電気ケトル 1.5L"}, user_id="u-lin")
    transition_listing(session, organization_id=org, listing_id=view.id, to_status="needs_review")
    with pytest.raises(ValidationFailed, match="critical"):
        transition_listing(session, organization_id=org, listing_id=view.id, to_status="approved", on=DAY)
    with pytest.raises(Conflict):
        update_listing(session, organization_id=org, listing_id=view.id, expected_version=bad.version,
                       changes={"title": "x"})
    current = transition_listing(session, organization_id=org, listing_id=view.id, to_status="draft")
    fixed = update_listing(session, organization_id=org, listing_id=view.id, expected_version=current.version,
                           changes={"title": "省エネ電気ケトル 1.5L", "description": "サイズ 20 x 15 cm"},
                           user_id="u-lin")
    transition_listing(session, organization_id=org, listing_id=view.id, to_status="needs_review")
    approved = transition_listing(session, organization_id=org, listing_id=view.id, to_status="approved", on=DAY)
    assert approved.status == "approved" and approved.version == fixed.version + 2
    history = list_revisions(session, organization_id=org, listing_id=view.id)
    assert [r.version for r in history] == list(range(1, approved.version + 1))
    assert history[1].changed_by == "u-lin" and history[1].changed_fields == ("title",)


def test_exports_carry_the_japanese_fields_and_import_back(session: Session) -> None:
    org, product = _setup(session)
    provider = FakeProvider({("zh-CN", "ja", "尺寸 20 x 15 厘米"): "サイズ 20 x 15 cm"})
    view = generate_listing(session, organization_id=org, product_id=product, market="JP", language="ja",
                            provider=provider)
    shopify = list(csv.DictReader(io.StringIO(export_listings(session, organization_id=org, market="JP",
                                                              file_format="shopify").decode())))
    assert shopify[0]["Handle"] == "sy-k100" and shopify[0]["Title"] == "省エネ電気ケトル 1.5L"
    assert "サイズ 20 x 15 cm" in shopify[0]["Body (HTML)"] and shopify[0]["Variant Grams"] == "900"
    assert shopify[0]["SEO Title"]
    data = json.loads(export_listings(session, organization_id=org, market="JP", file_format="json"))
    data[0]["keywords"] = ["電気ケトル", "省エネ"]
    assert import_listings(session, organization_id=org, market="JP", file_format="json",
                           content=json.dumps(data).encode()) == 1
    flat = export_listings(session, organization_id=org, market="JP", file_format="flat").decode()
    assert "電気ケトル 省エネ" in flat
    stale = json.dumps(data).encode()  # version moved on after the first import
    with pytest.raises(ValidationFailed, match="nothing was imported"):
        import_listings(session, organization_id=org, market="JP", file_format="json", content=stale)
    assert view.id == data[0]["listing_id"]
