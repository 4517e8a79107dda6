"""Organizations, users and memberships: create, look up, change locale. Sign-in and tokens live in auth.py."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.identity.errors import AlreadyExists
from xborder.identity.models import Membership, Organization, User
from xborder.identity.passwords import hash_password
from xborder.identity.principal import ROLE_RANK, Role
from xborder.identity.schemas import MembershipView, OrganizationView, UserView
from xborder.kernel import ErrorDetail, NotFound, ValidationFailed, language_tag
from xborder.settings import SecuritySettings

__all__ = [
    "add_member",
    "create_organization",
    "create_user",
    "get_organization_by_slug",
    "list_memberships",
    "normalize_email",
    "set_locale",
]

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_organization(session: Session, *, name: str, slug: str, kind: str = "seller",
                        default_locale: str = "zh-CN") -> OrganizationView:
    errors = []
    if not name.strip():
        errors.append(ErrorDetail("name is required", field="name", code="required"))
    if not _SLUG.match(slug):
        errors.append(ErrorDetail("slug: lower-case letters, digits and '-' (1-64 chars)", field="slug",
                                  code="invalid_slug"))
    if kind not in ("seller", "platform"):
        errors.append(ErrorDetail("kind must be seller or platform", field="kind", code="invalid_choice"))
    if errors:
        raise ValidationFailed("organization is invalid", details=errors)
    locale = language_tag(default_locale, field="default_locale")
    if session.scalar(select(Organization.id).where(Organization.slug == slug)) is not None:
        raise AlreadyExists(f"an organization with slug {slug!r} already exists",
                            details=[ErrorDetail("already taken", field="slug", code="duplicate")])
    org = Organization(name=name.strip(), slug=slug, kind=kind, default_locale=str(locale))
    session.add(org)
    session.flush()
    return OrganizationView.model_validate(org)


def create_user(session: Session, *, email: str, password: str, display_name: str,
                settings: SecuritySettings, locale: str | None = None,
                is_platform_admin: bool = False) -> UserView:
    email_norm = normalize_email(email)
    errors = []
    if not _EMAIL.match(email_norm) or len(email_norm) > 254:
        errors.append(ErrorDetail("not an email address", field="email", code="invalid_email"))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.append(ErrorDetail(f"at least {MIN_PASSWORD_LENGTH} characters", field="password",
                                  code="password_too_short"))
    if not display_name.strip():
        errors.append(ErrorDetail("display name is required", field="display_name", code="required"))
    if errors:
        raise ValidationFailed("user is invalid", details=errors)
    tag = str(language_tag(locale, field="locale")) if locale else None
    if session.scalar(select(User.id).where(User.email == email_norm)) is not None:
        raise AlreadyExists("a user with this email already exists",
                            details=[ErrorDetail("already registered", field="email", code="duplicate")])
    user = User(email=email_norm, display_name=display_name.strip(), locale=tag,
                password_hash=hash_password(password, settings=settings), is_platform_admin=is_platform_admin,
                disabled=False)
    session.add(user)
    session.flush()
    return UserView.model_validate(user)


def add_member(session: Session, *, organization_id: str, user_id: str, role: Role) -> MembershipView:
    """Give a user a role in an organization (or change the role it already has)."""
    if role not in ROLE_RANK:
        raise ValidationFailed("role must be owner, operator or viewer",
                               details=[ErrorDetail(f"unknown role {role!r}", field="role", code="invalid_choice")])
    if session.get(Organization, organization_id) is None:
        raise NotFound("organization not found")
    if session.get(User, user_id) is None:
        raise NotFound("user not found")
    member = session.scalar(select(Membership).where(Membership.organization_id == organization_id,
                                                     Membership.user_id == user_id))
    if member is None:
        member = Membership(organization_id=organization_id, user_id=user_id, role=role)
        session.add(member)
    else:
        member.role = role
    session.flush()
    return MembershipView.model_validate(member)


def list_memberships(session: Session, *, user_id: str) -> list[MembershipView]:
    rows = session.scalars(select(Membership).where(Membership.user_id == user_id).order_by(Membership.created_at))
    return [MembershipView.model_validate(m) for m in rows]


def get_organization_by_slug(session: Session, *, slug: str) -> OrganizationView:
    org = session.scalar(select(Organization).where(Organization.slug == slug.strip().lower()))
    if org is None:
        raise NotFound(f"organization {slug!r} not found")
    return OrganizationView.model_validate(org)


def set_locale(session: Session, *, user_id: str, locale: str) -> UserView:
    """Store the user's console language (BCP 47, e.g. zh-CN or en)."""
    tag = language_tag(locale, field="locale")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    user.locale = str(tag)
    session.flush()
    return UserView.model_validate(user)

