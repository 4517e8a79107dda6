"""Localization tables: translation-memory segments and glossary terms, both per organization."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, TimestampMixin, id_column, org_column

__all__ = ["GlossaryTerm", "TmSegment"]


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
