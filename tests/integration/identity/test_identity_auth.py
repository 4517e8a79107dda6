"""Identity services on SQLite and PostgreSQL: users, sign-in throttling, sessions, API tokens, idempotency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from xborder import identity
from xborder.identity.models import ApiToken, UserSession
from xborder.kernel import NotFound, ValidationFailed
from xborder.settings import SecuritySettings

FAST = SecuritySettings(argon2_time_cost=1, argon2_memory_kib=8192, login_max_failures=3, login_window_seconds=600)


@pytest.fixture
def seller(session):
    org = identity.create_organization(session, name="Shenzhen Audio", slug="sz-audio")
    user = identity.create_user(session, email="  Lin@Example.COM ", password="correct horse", display_name="Lin",
                                settings=FAST)
    identity.add_member(session, organization_id=org.id, user_id=user.id, role="operator")
    session.commit()
    return org, user


def test_email_is_normalized_and_unique(session, seller):
    _, user = seller
    assert user.email == "lin@example.com"
    with pytest.raises(identity.AlreadyExists):
        identity.create_user(session, email="LIN@example.com", password="x" * 10, display_name="Other",
                             settings=FAST)


def test_invalid_user_names_every_field(session):
    with pytest.raises(ValidationFailed) as info:
        identity.create_user(session, email="nope", password="short", display_name=" ", settings=FAST)
    assert {d.field for d in info.value.details} == {"email", "password", "display_name"}


def test_password_is_hashed_with_argon2id(session, seller):
    from xborder.identity.models import User

    stored = session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_sign_in_opens_a_hashed_session(session, seller, clock):
    org, user = seller
    signed = identity.sign_in(session, email="LIN@example.com", password="correct horse", ip="10.0.0.1",
                              user_agent="pytest", settings=FAST, now=clock.now())
    session.commit()
    assert signed.principal.organization_id == org.id and signed.principal.role == "operator"
    assert signed.principal.can_write and not signed.principal.can_admin
    stored_ids = session.scalars(select(UserSession.id)).all()
    assert signed.session_token not in stored_ids and identity.hash_token(signed.session_token) in stored_ids
    resolved = identity.resolve_session(session, token=signed.session_token, now=clock.now() + timedelta(hours=1))
    assert resolved is not None and resolved.user_id == user.id and resolved.csrf_token == signed.csrf_token
    assert identity.resolve_session(session, token=signed.session_token, now=clock.now() + timedelta(days=15)) is None
    identity.sign_out(session, token=signed.session_token)
    assert identity.resolve_session(session, token=signed.session_token, now=clock.now()) is None


def test_same_error_for_unknown_email_and_wrong_password(session, seller, clock):
    messages = []
    for email, password in (("nobody@example.com", "correct horse"), ("lin@example.com", "wrong password")):
        with pytest.raises(identity.InvalidCredentials) as info:
            identity.sign_in(session, email=email, password=password, ip=None, user_agent=None, settings=FAST,
                             now=clock.now())
        messages.append((info.value.code, info.value.message))
    assert messages[0] == messages[1]


def test_sign_in_is_throttled_after_max_failures(session, seller, clock):
    now = clock.now()
    for i in range(FAST.login_max_failures):
        with pytest.raises(identity.InvalidCredentials):
            identity.sign_in(session, email="lin@example.com", password="bad", ip="10.0.0.2", user_agent=None,
                             settings=FAST, now=now + timedelta(seconds=i))
    session.commit()
    with pytest.raises(identity.SignInThrottled) as info:
        identity.sign_in(session, email="lin@example.com", password="correct horse", ip="10.0.0.2",
                         user_agent=None, settings=FAST, now=now + timedelta(seconds=10))
    assert 0 < info.value.retry_after_seconds <= FAST.login_window_seconds
    later = now + timedelta(seconds=FAST.login_window_seconds + 5)
    assert identity.sign_in(session, email="lin@example.com", password="correct horse", ip="10.0.0.2",
                            user_agent=None, settings=FAST, now=later).principal.email == "lin@example.com"


def test_api_token_is_shown_once_and_stored_hashed(session, seller, clock):
    org, _user = seller
    principal = identity.sign_in(session, email="lin@example.com", password="correct horse", ip=None,
                                 user_agent=None, settings=FAST, now=clock.now()).principal
    issued = identity.issue_api_token(session, principal=principal, name="erp sync", now=clock.now())
    session.commit()
    assert issued.token.startswith("xbt_") and issued.prefix == issued.token[:12]
    row = session.scalar(select(ApiToken))
    assert row.token_hash == identity.hash_token(issued.token) and issued.token not in (row.token_hash, row.prefix)
    listed = identity.list_api_tokens(session, principal=principal)
    assert [t.id for t in listed] == [issued.token_id] and not hasattr(listed[0], "token")
    resolved = identity.resolve_api_token(session, token=issued.token, now=clock.now())
    assert resolved is not None and resolved.organization_id == org.id and resolved.role == "operator"
    assert identity.resolve_api_token(session, token=issued.token + "x", now=clock.now()) is None
    identity.revoke_api_token(session, principal=principal, token_id=issued.token_id, now=clock.now())
    assert identity.resolve_api_token(session, token=issued.token, now=clock.now()) is None


def test_token_role_never_exceeds_membership(session, seller, clock):
    org, user = seller
    principal = identity.sign_in(session, email="lin@example.com", password="correct horse", ip=None,
                                 user_agent=None, settings=FAST, now=clock.now()).principal
    with pytest.raises(identity.RoleRequired):
        identity.issue_api_token(session, principal=principal, name="too strong", role="owner", now=clock.now())
    issued = identity.issue_api_token(session, principal=principal, name="ops", now=clock.now())
    identity.add_member(session, organization_id=org.id, user_id=user.id, role="viewer")  # demoted later
    resolved = identity.resolve_api_token(session, token=issued.token, now=clock.now())
    assert resolved is not None and resolved.role == "viewer" and not resolved.can_write


def test_other_organizations_tokens_are_not_found(session, seller, clock):
    principal = identity.sign_in(session, email="lin@example.com", password="correct horse", ip=None,
                                 user_agent=None, settings=FAST, now=clock.now()).principal
    other_org = identity.create_organization(session, name="Other", slug="other")
    other_user = identity.create_user(session, email="o@example.com", password="o" * 10, display_name="O",
                                      settings=FAST)
    identity.add_member(session, organization_id=other_org.id, user_id=other_user.id, role="owner")
    other = identity.sign_in(session, email="o@example.com", password="o" * 10, ip=None, user_agent=None,
                             settings=FAST, now=clock.now()).principal
    theirs = identity.issue_api_token(session, principal=other, name="theirs", now=clock.now())
    with pytest.raises(NotFound):
        identity.revoke_api_token(session, principal=principal, token_id=theirs.token_id, now=clock.now())
    assert identity.list_api_tokens(session, principal=principal) == []


def test_idempotency_records_and_detects_reuse(session, seller):
    org, _ = seller
    fingerprint = identity.request_fingerprint(method="POST", path="/api/v1/products", body=b'{"a":1}')
    assert identity.find_stored_response(session, organization_id=org.id, key="k1", request_hash=fingerprint) is None
    record_id = identity.reserve_key(session, organization_id=org.id, key="k1", request_hash=fingerprint)
    assert record_id is not None
    identity.store_response(session, record_id=record_id, status_code=201, content_type="application/json",
                            body=b'{"id":"p1"}')
    session.commit()
    stored = identity.find_stored_response(session, organization_id=org.id, key="k1", request_hash=fingerprint)
    assert stored is not None and stored.status_code == 201 and stored.body == b'{"id":"p1"}'
    assert identity.reserve_key(session, organization_id=org.id, key="k1", request_hash=fingerprint) is None
    other = identity.request_fingerprint(method="POST", path="/api/v1/products", body=b'{"a":2}')
    with pytest.raises(identity.IdempotencyKeyReused):
        identity.find_stored_response(session, organization_id=org.id, key="k1", request_hash=other)


def test_locale_and_slug_lookup(session, seller):
    org, user = seller
    assert identity.set_locale(session, user_id=user.id, locale="en").locale == "en"
    with pytest.raises(ValidationFailed):
        identity.set_locale(session, user_id=user.id, locale="not a tag!")
    assert identity.get_organization_by_slug(session, slug="SZ-Audio").id == org.id
    with pytest.raises(NotFound):
        identity.get_organization_by_slug(session, slug="missing")
