"""Identity tables: organizations (tenants), users, memberships, sessions, API tokens, sign-in attempts.

Secrets are never stored: sessions and API tokens are keyed by the SHA-256 of the token the client holds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, UtcDateTime, id_column, org_column
from xborder.kernel import utcnow

__all__ = [
    "ApiToken",
    "IdempotencyRecord",
    "LoginAttempt",
    "Membership",
    "Organization",
    "User",
    "UserSession",
]

ROLES = ("owner", "operator", "viewer")
ORG_KINDS = ("seller", "platform")


def _user_fk() -> Mapped[str]:
    return mapped_column(String(26), ForeignKey("identity_user.id", ondelete="CASCADE"), index=True)


class Organization(Base):
    __tablename__ = "identity_organization"
    __table_args__ = (CheckConstraint("kind IN ('seller', 'platform')", name="kind"),)

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="seller")
    default_locale: Mapped[str] = mapped_column(String(35), default="zh-CN")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class User(Base):
    __tablename__ = "identity_user"

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(String(254), unique=True, info={"pii": "email"})
    display_name: Mapped[str] = mapped_column(String(200), info={"pii": "name"})
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(35), nullable=True)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Membership(Base):
    __tablename__ = "identity_membership"
    __table_args__ = (
        UniqueConstraint("organization_id", "user_id"),
        CheckConstraint("role IN ('owner', 'operator', 'viewer')", name="role"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    user_id: Mapped[str] = _user_fk()
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UserSession(Base):
    """A console sign-in. `id` is the SHA-256 hex of the cookie value, so a database leak yields no live session."""

    __tablename__ = "identity_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    organization_id: Mapped[str] = org_column()
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True, info={"pii": "ip"})
    user_agent: Mapped[str | None] = mapped_column(String(400), nullable=True)


class ApiToken(Base):
    """A bearer token for the API; the plain token is returned once at creation and only its hash is kept."""

    __tablename__ = "identity_api_token"
    __table_args__ = (CheckConstraint("role IN ('owner', 'operator', 'viewer')", name="role"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    user_id: Mapped[str] = _user_fk()
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class LoginAttempt(Base):
    __tablename__ = "identity_login_attempt"
    __table_args__ = (
        Index("ix_identity_login_attempt_email_at", "email", "at"),
        Index("ix_identity_login_attempt_ip_at", "ip", "at"),
    )

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(String(254), info={"pii": "email"})
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True, info={"pii": "ip"})
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    succeeded: Mapped[bool] = mapped_column(Boolean)


class IdempotencyRecord(Base):
    """The first response to a creating request, replayed when the client retries with the same Idempotency-Key.

    The (organization_id, key) unique constraint is what settles concurrent duplicates.
    """

    __tablename__ = "identity_idempotency_record"
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer, default=0)
    content_type: Mapped[str] = mapped_column(String(100), default="application/json")
    body: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    headers_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
