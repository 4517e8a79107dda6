"""Request dependencies: the container, one DB transaction per request, who is calling, CSRF and role checks.

API callers authenticate with `Authorization: Bearer <token>` or the console cookie (then unsafe methods need
the X-CSRF-Token header); console pages use the cookie and redirect to /login when it is missing.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from xborder import identity
from xborder.bootstrap import Container
from xborder.db import transaction
from xborder.identity import CsrfFailed, NotAuthenticated, Principal, RoleRequired, SignedIn
from xborder.web.problems import LoginRequired

__all__ = [
    "SESSION_COOKIE",
    "ApiCall",
    "ApiCaller",
    "ApiPrincipal",
    "ApiWriter",
    "ConsoleForm",
    "ConsoleFormPrincipal",
    "ConsolePrincipal",
    "ContainerDep",
    "DbSession",
    "clear_session_cookie",
    "client_ip",
    "commit_in_route",
    "db_session",
    "get_container",
    "require_api_principal",
    "require_api_writer",
    "require_console_form_principal",
    "require_console_principal",
    "require_writer",
    "set_session_cookie",
    "sign_in_console",
    "sign_out_console",
    "verify_csrf_form",
]

SESSION_COOKIE = "xb_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")

_bearer = HTTPBearer(auto_error=False, description="API token from POST /api/v1/auth/tokens (shown once)")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="Console session; unsafe methods also need the X-CSRF-Token header")


async def get_container(request: Request) -> Container:  # async: no thread hop for a plain attribute read
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


async def db_session(container: ContainerDep) -> AsyncIterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on any error.

    Async so the request pays one thread hop (the commit or rollback) instead of two: creating a Session does no
    I/O (it connects on first use, inside the sync route or dependency that runs in the threadpool).
    """
    session = container.session_factory()
    try:
        yield session
    except BaseException:
        # Inline rather than in a thread: a cancelled request must still release its connection (errors are rare).
        try:
            session.rollback()
        finally:
            session.close()
        raise
    if session.in_transaction():
        await run_in_threadpool(_commit_and_close, session)
    else:
        # Nothing open: no query ran, or a hot route committed in its own thread (`commit_in_route`); closing an idle
        # session does no I/O, so no thread hop either.
        session.close()


def commit_in_route(session: Session) -> None:
    """Commit now, in the route's thread: saves db_session's thread hop on hot routes, and makes a write visible
    before the route hands off (waking the job runner on a just-enqueued job, a redirect right after a save).

    Whatever the route does afterwards starts a new transaction that db_session then commits.
    """
    session.commit()


def _commit_and_close(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so a redirect or a 202 Location can be read at once
# and a failed commit becomes an error response instead of being lost.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _csrf_matches(expected: str | None, submitted: str | None) -> bool:
    return bool(expected and submitted and hmac.compare_digest(expected.encode(), submitted.encode()))


def _authenticate_api(session: Session, *, now: datetime, bearer_token: str | None, cookie: str | None,
                      method: str, csrf_header: str | None, touch: bool = True) -> Principal:
    if bearer_token is not None:
        principal = identity.resolve_api_token(session, token=bearer_token, now=now, touch=touch)
        if principal is None:
            raise NotAuthenticated("the API token is unknown or revoked")
        return principal
    if cookie:
        principal = identity.resolve_session(session, token=cookie, now=now, touch=touch)
        if principal is not None:
            if method not in SAFE_METHODS and not _csrf_matches(principal.csrf_token, csrf_header):
                raise CsrfFailed()
            return principal
    raise NotAuthenticated()


def require_api_principal(
    request: Request,
    session: DbSession,
    container: ContainerDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    now = container.clock.now()
    principal = _authenticate_api(session, now=now, bearer_token=bearer.credentials if bearer is not None else None,
                                  cookie=cookie, method=request.method, csrf_header=request.headers.get(CSRF_HEADER),
                                  touch=False)
    return _stamp_now(session, principal, now)


def _stamp_now(session: Session, principal: Principal, now: datetime) -> Principal:
    """Write a due "last used" stamp in a transaction of its own, committed at once: on SQLite a write held open
    for the whole request would make concurrent requests of the same caller queue behind it for their own stamp."""
    if not principal.touch_due:
        return principal
    identity.touch_credential(session, principal=principal, now=now)
    session.commit()
    return replace(principal, touch_due=False)


ApiPrincipal = Annotated[Principal, Depends(require_api_principal)]


@contextmanager
def _read_only(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reads only: its snapshot is ended (rolled back) and the connection returned on the way out."""
    session = factory()
    try:
        yield session
        session.rollback()
    finally:
        session.close()


@dataclass(frozen=True, slots=True)
class ApiCall:
    """An authenticated call on the hot routes (ADR 0008). The dependency checks the token or session cookie (same
    rules as `ApiPrincipal`, CSRF included) on the event loop before the body is looked at; then `run` does one short
    read or pure computation on the loop, `run(..., offload=True)` and `write` do theirs in the threadpool.

    Why not the threadpool for everything: a worker process runs Python one thread at a time anyway, and 16 requests
    interleaved over threads cost ~1 ms of CPU each in switching and lock hand-offs and all finish late (processor
    sharing); run in turn, each finishes in its own service time. Rules for the loop: only work bounded by the page
    size or an index, no writes (the once-a-minute "last used" stamp is written afterwards in the threadpool), and a
    connection of its own (`Container.loop_session_factory`) released before any await.
    """

    container: Container
    principal: Principal
    now: datetime

    async def run(self, work: Callable[[Session, Principal], T], *, offload: bool = False) -> T:
        if offload:
            result = await run_in_threadpool(self._read_now, self.container.session_factory, work)
        else:
            result = self._read_now(self.container.loop_session_factory, work)
        if self.principal.touch_due:
            await run_in_threadpool(self._touch)
        return result

    async def write(self, work: Callable[[Session, Principal], T]) -> T:
        """Run `work` in the threadpool inside one transaction committed when it returns (writes, long work)."""
        return await run_in_threadpool(self._write_now, work)

    def _read_now(self, factory: sessionmaker[Session], work: Callable[[Session, Principal], T]) -> T:
        with _read_only(factory) as session:
            return work(session, self.principal)

    def _write_now(self, work: Callable[[Session, Principal], T]) -> T:
        with transaction(self.container.session_factory) as session:
            if self.principal.touch_due:
                identity.touch_credential(session, principal=self.principal, now=self.now)
            return work(session, self.principal)

    def _touch(self) -> None:
        with transaction(self.container.session_factory) as session:
            identity.touch_credential(session, principal=self.principal, now=self.now)


async def api_call(
    request: Request,
    container: ContainerDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> ApiCall:
    now = container.clock.now()
    # on the loop, like ApiCall.run: a read of one row by key, nothing written, released before any await
    with _read_only(container.loop_session_factory) as session:
        principal = _authenticate_api(session, now=now, bearer_token=bearer.credentials if bearer is not None else None,
                                      cookie=cookie, method=request.method,
                                      csrf_header=request.headers.get(CSRF_HEADER), touch=False)
    return ApiCall(container, principal, now)


ApiCaller = Annotated[ApiCall, Depends(api_call)]


def require_writer(principal: Principal) -> Principal:
    """Owners and operators change data; a viewer gets 403 (the object's existence is already known to it)."""
    if not principal.can_write:
        raise RoleRequired("operator")
    return principal


def require_api_writer(principal: ApiPrincipal) -> Principal:
    return require_writer(principal)


ApiWriter = Annotated[Principal, Depends(require_api_writer)]


def require_console_principal(request: Request, session: DbSession, container: ContainerDep) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    now = container.clock.now()
    principal = identity.resolve_session(session, token=token, now=now, touch=False) if token else None
    if principal is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return _stamp_now(session, principal, now)


ConsolePrincipal = Annotated[Principal, Depends(require_console_principal)]


def verify_csrf_form(principal: Principal, submitted: str | None) -> None:
    """Raise CsrfFailed (403) unless `submitted` equals the session's CSRF token."""
    if not _csrf_matches(principal.csrf_token, submitted):
        raise CsrfFailed()


async def _submitted_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)  # htmx sends it as a header (hx-headers on <body>)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FORM_FIELD)
        return value if isinstance(value, str) else None
    return None


def require_console_form_principal(principal: ConsolePrincipal,
                                   submitted: Annotated[str | None, Depends(_submitted_csrf)]) -> Principal:
    """Console POST: signed in, and the form field `csrf_token` (or X-CSRF-Token header) matches."""
    verify_csrf_form(principal, submitted)
    return principal


ConsoleFormPrincipal = Annotated[Principal, Depends(require_console_form_principal)]


async def submitted_form(request: Request) -> FormData:
    """The posted form, parsed on the event loop (Starlette caches it on the request, so the CSRF check reads the
    same), letting the route itself be a plain function that runs its database work in the threadpool."""
    return await request.form()


ConsoleForm = Annotated[FormData, Depends(submitted_form)]


def sign_in_console(container: Container, request: Request, *, email: str, password: str,
                    organization_slug: str | None = None) -> SignedIn:
    """Sign in within its own transaction, so a failed attempt is committed (and counts toward throttling)."""
    session = container.session_factory()
    try:
        signed = identity.sign_in(session, email=email, password=password, ip=client_ip(request),
                                  user_agent=request.headers.get("user-agent"),
                                  settings=container.settings.security, now=container.clock.now(),
                                  organization_slug=organization_slug)
        session.commit()
        return signed
    except identity.InvalidCredentials:
        session.commit()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def sign_out_console(container: Container, token: str | None) -> None:
    if token:
        with transaction(container.session_factory) as session:
            identity.sign_out(session, token=token)


def set_session_cookie(response: Response, signed: SignedIn, container: Container) -> None:
    security = container.settings.security
    response.set_cookie(SESSION_COOKIE, signed.session_token, max_age=security.session_days * 86400,
                        httponly=True, samesite="lax", secure=security.cookie_secure, path="/")


def clear_session_cookie(response: Response, container: Container) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=container.settings.security.cookie_secure)
