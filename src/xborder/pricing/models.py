"""Saved landed-cost quotes: the request, a snapshot of every value used (schedule line, measures, facts, FX) and the
explained lines, so a quote replays to the same figures after the reference data is updated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, MoneyAmount, TimestampMixin, id_column, org_column

__all__ = ["SavedQuote", "SavedQuoteLine"]


class SavedQuote(TimestampMixin, Base):
    __tablename__ = "pricing_saved_quote"

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    origin: Mapped[str] = mapped_column(String(2))
    destination: Mapped[str] = mapped_column(String(2), index=True)
    hs_code: Mapped[str] = mapped_column(String(10))
    quoted_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    landed_cost: Mapped[Decimal] = mapped_column(MoneyAmount())
    total_taxes_and_duties: Mapped[Decimal] = mapped_column(MoneyAmount())
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    context: Mapped[dict[str, Any]] = mapped_column(JSON)  # pricing.snapshot: every value the quote used
    versions: Mapped[list[str]] = mapped_column(JSON)  # schedule:..., measure:...@date, fx:EURUSD@date
    result: Mapped[dict[str, Any]] = mapped_column(JSON)  # landed_cost_to_dict at save time

    lines: Mapped[list[SavedQuoteLine]] = relationship(back_populates="quote", cascade="all, delete-orphan",
                                                       order_by="SavedQuoteLine.position")


class SavedQuoteLine(Base):
    __tablename__ = "pricing_saved_quote_line"

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    quote_id: Mapped[str] = mapped_column(String(26), ForeignKey("pricing_saved_quote.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    rule: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(300))
    base: Mapped[Decimal] = mapped_column(MoneyAmount())
    rate: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(MoneyAmount())
    source: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date] = mapped_column(Date)

    quote: Mapped[SavedQuote] = relationship(back_populates="lines")
