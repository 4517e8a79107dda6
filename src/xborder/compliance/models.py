"""Compliance tables: evidence vault, stored verdicts with history, rule-pack versions, alert inbox and deliveries.

Every business row carries its organization; pack versions are instance-wide (the operator loads them).
File bytes live in the database so any app host can serve them (processes stay stateless).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, UtcDateTime, id_column, org_column
from xborder.kernel import utcnow

__all__ = [
    "Alert",
    "AlertDelivery",
    "ChecklistRecord",
    "EvidenceDocument",
    "EvidenceSku",
    "PackVersion",
    "StoredVerdict",
    "Subscription",
    "VerdictHistory",
]


class EvidenceDocument(Base):
    __tablename__ = "compliance_evidence"

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    evidence_type: Mapped[str] = mapped_column(String(32))
    scheme: Mapped[str] = mapped_column(String(64))
    standard: Mapped[str | None] = mapped_column(String(200), nullable=True)
    issuer: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(200), nullable=True)  # certificate / registration number
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    markets: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)  # None = every market
    all_skus: Mapped[bool] = mapped_column(default=False)  # organization-wide (registrations, representatives)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    expiry_alerted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class EvidenceSku(Base):
    """Which SKUs a document covers (scope), for documents that are not organization-wide."""

    __tablename__ = "compliance_evidence_sku"
    __table_args__ = (UniqueConstraint("evidence_id", "sku"), Index("ix_compliance_evidence_sku_org_sku",
                                                                     "organization_id", "sku"))

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    evidence_id: Mapped[str] = mapped_column(String(26), ForeignKey("compliance_evidence.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64))


class ChecklistRecord(Base):
    """A checklist's content, stored once per organization and shared by every (SKU, market) that has it."""

    __tablename__ = "compliance_checklist"
    __table_args__ = (UniqueConstraint("organization_id", "digest"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    digest: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    open_items: Mapped[int] = mapped_column(Integer)


class StoredVerdict(Base):
    """The latest evaluation of one SKU in one market (the readiness matrix reads this table)."""

    __tablename__ = "compliance_verdict"
    __table_args__ = (UniqueConstraint("organization_id", "market", "sku"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    sku: Mapped[str] = mapped_column(String(64))
    market: Mapped[str] = mapped_column(String(2))
    verdict: Mapped[str] = mapped_column(String(16))
    open_items: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))  # -> compliance_checklist (organization_id, digest)
    rules_version: Mapped[str] = mapped_column(String(64))
    evaluated_on: Mapped[date] = mapped_column(Date)
    evaluated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class VerdictHistory(Base):
    """Append-only: one row each time a SKU's checklist in a market changed (what it was on any past date)."""

    __tablename__ = "compliance_verdict_history"
    __table_args__ = (Index("ix_compliance_verdict_history_key", "organization_id", "sku", "market", "recorded_at"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    sku: Mapped[str] = mapped_column(String(64))
    market: Mapped[str] = mapped_column(String(2))
    verdict: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64))
    rules_version: Mapped[str] = mapped_column(String(64))
    cause: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PackVersion(Base):
    """A validated rule library loaded by the operator; the newest row is in force (else the shipped packs)."""

    __tablename__ = "compliance_pack_version"

    id: Mapped[str] = id_column()
    version: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(500))
    documents: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class Alert(Base):
    """Inbox entry for an organization: rule changes with the SKUs and markets they touch, expiring evidence."""

    __tablename__ = "compliance_alert"

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    kind: Mapped[str] = mapped_column(String(32))  # rules_changed | evidence_expiring
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Subscription(Base):
    """Where an organization wants alerts delivered besides the inbox: a signed webhook or an e-mail address."""

    __tablename__ = "compliance_subscription"
    __table_args__ = (UniqueConstraint("organization_id", "channel", "target"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    channel: Mapped[str] = mapped_column(String(16))  # webhook | email
    target: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str | None] = mapped_column(String(128), nullable=True, info={"secret": True})


class AlertDelivery(Base):
    """Outbox: one row per alert × subscription, retried with backoff until sent or out of attempts."""

    __tablename__ = "compliance_alert_delivery"
    __table_args__ = (UniqueConstraint("alert_id", "subscription_id"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    alert_id: Mapped[str] = mapped_column(String(26), ForeignKey("compliance_alert.id", ondelete="CASCADE"))
    subscription_id: Mapped[str] = mapped_column(String(26),
                                                 ForeignKey("compliance_subscription.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
