"""Localization tables per organization: translation-memory segments, glossary terms, listings and revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.catalog import Product  # noqa: F401 - catalog_product must be registered before the listing FK
from xborder.db import Base, TimestampMixin, UtcDateTime, id_column, org_column
from xborder.kernel import utcnow

__all__ = ["LISTING_STATUSES", "GlossaryTerm", "Listing", "ListingRevision", "TmSegment"]


class TmSegment(TimestampMixin, Base):
    """One source/target pair. `source_key` is the normalized source (tm_index.normalize_segment), hashed to fit
    a unique index on every backend."""

    __tablename__ = "localization_tm_segment"
    __table_args__ = (
        UniqueConstraint("organization_id", "source_language", "target_language", "source_key"),
        Index("ix_localization_tm_segment_pair", "organization_id", "source_language", "target_language"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    source_language: Mapped[str] = mapped_column(String(35))
    target_language: Mapped[str] = mapped_column(String(35))
    source_key: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="human")  # human | tmx | mt | approved
    created_by: Mapped[str | None] = mapped_column(String(26), nullable=True)


class GlossaryTerm(TimestampMixin, Base):
    __tablename__ = "localization_glossary_term"
    __table_args__ = (
        CheckConstraint("kind IN ('required', 'forbidden', 'do_not_translate')", name="kind"),
        Index("ix_localization_glossary_term_org", "organization_id", "kind"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    term: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(35), nullable=True)
    translation: Mapped[str | None] = mapped_column(String(300), nullable=True)
    source_language: Mapped[str | None] = mapped_column(String(35), nullable=True)
    market: Mapped[str | None] = mapped_column(String(2), nullable=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)


LISTING_STATUSES = ("draft", "needs_review", "approved", "published")


class Listing(TimestampMixin, Base):
    """One product's texts for one market and language, with its workflow status and an optimistic version."""

    __tablename__ = "localization_listing"
    __table_args__ = (
        UniqueConstraint("organization_id", "product_id", "market", "language"),
        CheckConstraint("status IN ('draft', 'needs_review', 'approved', 'published')", name="status"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    product_id: Mapped[str] = mapped_column(String(26), ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                            index=True)
    market: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(35))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    bullets: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    meta_title: Mapped[str] = mapped_column(String(300), default="")
    meta_description: Mapped[str] = mapped_column(String(500), default="")
    pending_segments: Mapped[list[str]] = mapped_column(JSON, default=list)  # fields waiting for a translator
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(26), nullable=True)


class ListingRevision(Base):
    """Append-only history: who changed what, when, and the listing as it was after the change."""

    __tablename__ = "localization_listing_revision"
    __table_args__ = (UniqueConstraint("listing_id", "version"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    listing_id: Mapped[str] = mapped_column(String(26), ForeignKey("localization_listing.id", ondelete="CASCADE"),
                                            index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    changed_by: Mapped[str | None] = mapped_column(String(26), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    changed_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
