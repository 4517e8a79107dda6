"""Localization objects for the tenancy test: a JP listing (with a revision), a TM segment and a glossary term."""

from __future__ import annotations

from typing import Any

from xborder import localization

PARAMS = {"listing_id": "listing_id"}


def seed(session: Any, tenant: Any, container: Any) -> None:
    marker = f"{tenant.slug} secret listing"
    listing = localization.create_listing(session, organization_id=tenant.org_id, product_id=tenant.product_id,
                                          market="JP", language="ja", title=marker, user_id=None)
    localization.add_segment(session, organization_id=tenant.org_id, source_language="zh-CN", target_language="ja",
                             source_text=f"{tenant.slug} 秘密 segment", target_text=f"{tenant.slug} secret TM text")
    localization.import_glossary(session, organization_id=tenant.org_id, content=(
        f"term,kind\n{tenant.slug}-secret-term,do_not_translate\n").encode())
    tenant.extra["listing_id"] = listing.id
    tenant.markers.extend([marker, f"{tenant.slug} secret TM text", f"{tenant.slug}-secret-term"])
