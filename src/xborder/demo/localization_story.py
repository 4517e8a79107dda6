"""Demo story 4 (localization): a glossary and translation memory, Japanese listings generated from the Chinese
source (no MT provider by default: what TM cannot fill is marked for a translator), and the journey's agency
drafts put in review with their QA findings."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xborder import catalog, localization
from xborder.demo._common import data_bytes, data_yaml

__all__ = ["seed_localization"]


def _products(session: Session, organization_id: str) -> dict[str, str]:
    """product_ref -> product id for the whole catalog."""
    found: dict[str, str] = {}
    cursor: str | None = None
    while True:
        page = catalog.list_products(session, organization_id=organization_id, cursor=cursor, limit=200)
        found.update({p.product_ref: p.id for p in page.items})
        cursor = page.next_cursor
        if cursor is None:
            return found


def seed_localization(session: Session, *, organization_id: str, user_id: str | None,
                      provider: localization.MtProvider | None) -> bool:
    """Glossary, TM, generated JP listings and the drafts in review (skipped, False, when listings exist)."""
    spec = data_yaml("localization_ja.yaml")
    market, language = spec["market"], spec["language"]
    if localization.list_listings(session, organization_id=organization_id, market=market):
        return False
    localization.import_glossary(session, organization_id=organization_id, content=data_bytes("glossary_ja.csv"))
    for segment in spec["memory"]:
        localization.add_segment(session, organization_id=organization_id, source_language="zh-CN",
                                 target_language=language, source_text=segment["source"],
                                 target_text=segment["target"], created_by=user_id)
    products = _products(session, organization_id)
    listings = {ref: localization.generate_listing(session, organization_id=organization_id,
                                                   product_id=products[ref], market=market, language=language,
                                                   provider=provider, user_id=user_id)
                for ref in spec["generate"]}
    for draft in spec["agency_drafts"]:
        listing = listings[draft["product"]]
        edited = localization.update_listing(session, organization_id=organization_id, listing_id=listing.id,
                                             expected_version=listing.version,
                                             changes={"description": draft["description"]}, user_id=user_id,
                                             note=draft["note"])
        localization.transition_listing(session, organization_id=organization_id, listing_id=edited.id,
                                        to_status="needs_review", user_id=user_id, note=draft["note"])
    return True
