"""The brand and model names a catalog product declares are kept as is in every language: the listing QA and the
QA dashboard do not report them as untranslated or foreign-script text (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

import xborder.localization.models  # noqa: F401 - registers the tables before the engine fixture creates them
from xborder import catalog
from xborder.identity.models import Organization
from xborder.localization import qa_dashboard
from xborder.localization.listings import create_listing, qa_listing

DAY = date(2026, 11, 22)
LANGUAGE_CODES = {"mixed_scripts", "untranslated_source_text"}


def _listing(session: Session, *, brand: str | None, model: str | None) -> tuple[str, str]:
    org = Organization(name=f"Org {brand}", slug=f"org-{brand or 'none'}", kind="seller")
    session.add(org)
    session.flush()
    attributes = {"model": model} if model else None
    product = catalog.create_product(session, organization_id=org.id, data=catalog.ProductIn(
        product_ref="SY-E1", title="声悦 悦动 无线耳机", source_language="zh-CN", brand=brand,
        variants=[catalog.VariantIn(sku="SY-E1-B", attributes=attributes)]))
    listing = create_listing(session, organization_id=org.id, product_id=product.id, market="SA", language="ar",
                             title="声悦 悦动 سماعات لاسلكية")
    session.commit()
    return org.id, listing.id


def _codes(session: Session, org: str, listing_id: str) -> tuple[set[str], set[str]]:
    checked = {f.code for f in qa_listing(session, organization_id=org, listing_id=listing_id, on=DAY).findings}
    board = qa_dashboard(session, organization_id=org, on=DAY)
    return checked & LANGUAGE_CODES, {c.code for c in board.codes} & LANGUAGE_CODES


def test_declared_brand_and_model_are_not_language_findings(session: Session) -> None:
    org, listing_id = _listing(session, brand="声悦", model="悦动")
    assert _codes(session, org, listing_id) == (set(), set())


def test_undeclared_names_are_still_reported(session: Session) -> None:
    org, listing_id = _listing(session, brand=None, model=None)
    assert _codes(session, org, listing_id) == (LANGUAGE_CODES, LANGUAGE_CODES)
