"""Sign-in with throttling, console sessions and API tokens. Only SHA-256 hashes of session/API tokens are stored."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from xborder.identity.errors import InvalidCredentials, RoleRequired, SignInThrottled
from xborder.identity.models import ApiToken, LoginAttempt, Membership, Organization, User, UserSession
from xborder.identity.passwords import hash_password, needs_rehash, verify_password
from xborder.identity.principal import ROLE_RANK, Principal, Role, weaker_role
from xborder.identity.schemas import ApiTokenView, IssuedToken, SignedIn
from xborder.identity.service import normalize_email
from xborder.kernel import ErrorDetail, NotFound, ValidationFailed, new_secret
from xborder.settings import SecuritySettings

__all__ = [
    "hash_token",
    "issue_api_token",
    "list_api_tokens",
    "resolve_api_token",
    "resolve_session",
    "revoke_api_token",
    "sign_in",
    "sign_out",
    "touch_credential",
]

TOKEN_PREFIX = "xbt_"  # noqa: S105 - a public marker, not a secret
# One address may try several accounts (a shared office NAT), so it gets more room than one email does.
IP_FAILURE_MULTIPLIER = 4
# last_seen/last_used are informational; writing them on every request would serialize reads behind writes.
TOUCH_INTERVAL = timedelta(seconds=60)
_DUMMY_HASH_CACHE: dict[tuple[int, int], str] = {}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _dummy_hash(settings: SecuritySettings) -> str:
    key = (settings.argon2_time_cost, settings.argon2_memory_kib)
    if key not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[key] = hash_password(new_secret(), settings=settings)
    return _DUMMY_HASH_CACHE[key]


def _check_throttle(session: Session, *, email: str, ip: str | None, settings: SecuritySettings,
                    now: datetime) -> None:
    since = now - timedelta(seconds=settings.login_window_seconds)
    checks = [(LoginAttempt.email == email, settings.login_max_failures)]
    if ip:
        checks.append((LoginAttempt.ip == ip, settings.login_max_failures * IP_FAILURE_MULTIPLIER))
    for condition, limit in checks:
        count, oldest = session.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(
                condition, LoginAttempt.at > since, LoginAttempt.succeeded.is_(False))).one()
        if count >= limit:
            oldest_at = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
            retry = int((oldest_at + timedelta(seconds=settings.login_window_seconds) - now).total_seconds()) + 1
            raise SignInThrottled(max(retry, 1))


def _principal(user: User, org: Organization, role: str, *, session_id: str | None = None,
               csrf_token: str | None = None, api_token_id: str | None = None) -> Principal:
    return Principal(
        user_id=user.id, organization_id=org.id, organization_name=org.name, organization_kind=org.kind,
        role=role,  # type: ignore[arg-type]
        email=user.email, display_name=user.display_name, locale=user.locale or org.default_locale,
        is_platform_admin=user.is_platform_admin, session_id=session_id, csrf_token=csrf_token,
        api_token_id=api_token_id,
    )


def sign_in(session: Session, *, email: str, password: str, ip: str | None, user_agent: str | None,
            settings: SecuritySettings, now: datetime, organization_slug: str | None = None) -> SignedIn:
    """Check the password and open a console session in the user's first (or the named) organization.

    Raises:
        SignInThrottled: too many recent failures for this email or address (carries retry_after_seconds).
        InvalidCredentials: unknown email, wrong password, disabled user or no membership — one error for all.
    """
    email_norm = normalize_email(email)
    _check_throttle(session, email=email_norm, ip=ip, settings=settings, now=now)
    user = session.scalar(select(User).where(User.email == email_norm))
    # Verify against a dummy hash for unknown users so response time does not reveal which emails exist.
    ok = verify_password(user.password_hash if user else _dummy_hash(settings), password, settings=settings)
    membership = None
    if user is not None and ok and not user.disabled:
        query = (select(Membership, Organization).join(Organization, Organization.id == Membership.organization_id)
                 .where(Membership.user_id == user.id).order_by(Membership.created_at))
        if organization_slug:
            query = query.where(Organization.slug == organization_slug)
        membership = session.execute(query.limit(1)).first()
    session.add(LoginAttempt(email=email_norm, ip=ip, at=now, succeeded=membership is not None))
    if membership is None or user is None:
        session.flush()
        raise InvalidCredentials()
    if needs_rehash(user.password_hash, settings=settings):
        user.password_hash = hash_password(password, settings=settings)
    member, org = membership
    token, csrf = new_secret(32), new_secret(24)
    row = UserSession(id=hash_token(token), user_id=user.id, organization_id=org.id, csrf_token=csrf,
                      created_at=now, expires_at=now + timedelta(days=settings.session_days), last_seen_at=now,
                      ip=ip, user_agent=(user_agent or "")[:400] or None)
    session.add(row)
    session.flush()
    return SignedIn(session_token=token, csrf_token=csrf,
                    principal=_principal(user, org, member.role, session_id=row.id, csrf_token=csrf))


def resolve_session(session: Session, *, token: str, now: datetime, touch: bool = True) -> Principal | None:
    """The principal behind a session cookie, or None when unknown, expired, disabled or no longer a member.

    `touch=False` writes nothing: a due last-seen update is flagged on the principal (`touch_due`) instead."""
    if not token:
        return None
    row = session.execute(
        select(UserSession, User, Organization, Membership)
        .join(User, User.id == UserSession.user_id)
        .join(Organization, Organization.id == UserSession.organization_id)
        .join(Membership, (Membership.user_id == User.id) & (Membership.organization_id == Organization.id))
        .where(UserSession.id == hash_token(token))).first()
    if row is None:
        return None
    user_session, user, org, member = row
    if user_session.expires_at <= now or user.disabled:
        return None
    due = now - user_session.last_seen_at > TOUCH_INTERVAL
    if due and touch:
        session.execute(update(UserSession).where(UserSession.id == user_session.id).values(last_seen_at=now))
    principal = _principal(user, org, member.role, session_id=user_session.id, csrf_token=user_session.csrf_token)
    return replace(principal, touch_due=True) if due and not touch else principal


def touch_credential(session: Session, *, principal: Principal, now: datetime) -> None:
    """Record that the principal's session or API token was used (what resolve_* with touch=False left out)."""
    if principal.api_token_id is not None:
        session.execute(update(ApiToken).where(ApiToken.id == principal.api_token_id).values(last_used_at=now))
    elif principal.session_id is not None:
        session.execute(update(UserSession).where(UserSession.id == principal.session_id).values(last_seen_at=now))


def sign_out(session: Session, *, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id == hash_token(token)))


def issue_api_token(session: Session, *, principal: Principal, name: str, role: Role | None = None,
                    now: datetime) -> IssuedToken:
    """Create an API token for the caller; the returned plain token is never retrievable again."""
    role = role or principal.role
    if role not in ROLE_RANK:
        raise ValidationFailed("unknown role", details=[ErrorDetail(f"{role!r}", field="role", code="invalid_choice")])
    if ROLE_RANK[role] > ROLE_RANK[principal.role]:
        raise RoleRequired(role)
    if not name.strip():
        raise ValidationFailed("token name is required",
                               details=[ErrorDetail("required", field="name", code="required")])
    token = TOKEN_PREFIX + new_secret(32)
    row = ApiToken(organization_id=principal.organization_id, user_id=principal.user_id, name=name.strip()[:100],
                   prefix=token[:12], token_hash=hash_token(token), role=role, created_at=now)
    session.add(row)
    session.flush()
    return IssuedToken(token=token, token_id=row.id, prefix=row.prefix, name=row.name, role=role)


def _visible_tokens(principal: Principal):  # type: ignore[no-untyped-def]
    query = select(ApiToken).where(ApiToken.organization_id == principal.organization_id)
    if not principal.can_admin:  # owners see the organization's tokens, others their own
        query = query.where(ApiToken.user_id == principal.user_id)
    return query


def list_api_tokens(session: Session, *, principal: Principal) -> list[ApiTokenView]:
    rows = session.scalars(_visible_tokens(principal).order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return [ApiTokenView.model_validate(r) for r in rows]


def revoke_api_token(session: Session, *, principal: Principal, token_id: str, now: datetime) -> ApiTokenView:
    row = session.scalar(_visible_tokens(principal).where(ApiToken.id == token_id))
    if row is None:
        raise NotFound("API token not found")
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
    return ApiTokenView.model_validate(row)


# Built once: the bearer lookup runs on every API request, and a prebuilt statement skips construction and
# cache-key generation; plain columns instead of four ORM entities skip identity-map bookkeeping.
_API_TOKEN_LOOKUP = (
    select(ApiToken.id, ApiToken.role, ApiToken.revoked_at, ApiToken.last_used_at,
           User.id, User.email, User.display_name, User.locale, User.is_platform_admin, User.disabled,
           Organization.id, Organization.name, Organization.kind, Organization.default_locale, Membership.role)
    .join(User, User.id == ApiToken.user_id)
    .join(Organization, Organization.id == ApiToken.organization_id)
    .join(Membership, (Membership.user_id == User.id) & (Membership.organization_id == Organization.id))
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def resolve_api_token(session: Session, *, token: str, now: datetime, touch: bool = True) -> Principal | None:
    """The principal behind a bearer token, or None when unknown, revoked, disabled or no longer a member
    (`touch=False`: as in resolve_session)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.execute(_API_TOKEN_LOOKUP, {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    (token_id, token_role, revoked_at, last_used_at, user_id, email, display_name, user_locale, is_platform_admin,
     disabled, org_id, org_name, org_kind, org_locale, member_role) = row
    if revoked_at is not None or disabled:
        return None
    due = last_used_at is None or now - last_used_at > TOUCH_INTERVAL
    if due and touch:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    return Principal(
        user_id=user_id, organization_id=org_id, organization_name=org_name, organization_kind=org_kind,
        role=weaker_role(token_role, member_role),
        email=email, display_name=display_name, locale=user_locale or org_locale,
        is_platform_admin=is_platform_admin, api_token_id=token_id, touch_due=due and not touch,
    )
