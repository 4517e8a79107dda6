"""Auth API: API tokens (created, listed, revoked), cookie sessions for browser clients, and /me."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from xborder import identity
from xborder.identity import ApiTokenCreate, ApiTokenView, IssuedToken
from xborder.web.api._common import PROBLEM_RESPONSES
from xborder.web.deps import (
    SESSION_COOKIE,
    ApiPrincipal,
    ContainerDep,
    DbSession,
    clear_session_cookie,
    set_session_cookie,
    sign_in_console,
)
from xborder.web.idempotency import Idempotent

router = APIRouter(tags=["auth"], responses=PROBLEM_RESPONSES)

class MeOut(BaseModel):
    user_id: str
    email: str
    display_name: str
    locale: str
    organization_id: str
    organization_name: str
    organization_kind: str
    role: str
    can_write: bool
    is_platform_admin: bool
    auth: str = Field(description="'token' or 'session'")

class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)
    organization: str | None = Field(default=None, description="organization slug; default: the first one")

class SessionOut(BaseModel):
    csrf_token: str = Field(description="send as X-CSRF-Token on unsafe requests made with the session cookie")
    me: MeOut

def _me(principal: identity.Principal) -> MeOut:
    return MeOut(user_id=principal.user_id, email=principal.email, display_name=principal.display_name,
                 locale=principal.locale, organization_id=principal.organization_id,
                 organization_name=principal.organization_name, organization_kind=principal.organization_kind,
                 role=principal.role, can_write=principal.can_write, is_platform_admin=principal.is_platform_admin,
                 auth="session" if principal.via_session else "token")

@router.get("/me", response_model=MeOut, summary="The calling user and organization")
def get_me(principal: ApiPrincipal) -> MeOut:
    return _me(principal)

@router.post("/auth/tokens", status_code=201, response_model=IssuedToken,
             summary="Create an API token (the token is in this response only)")
def create_token(body: ApiTokenCreate, principal: ApiPrincipal, session: DbSession, container: ContainerDep,
                 idem: Idempotent) -> Response:
    issued = identity.issue_api_token(session, principal=principal, name=body.name, role=body.role,
                                      now=container.clock.now())
    return idem.respond(issued, status_code=201, headers={"Cache-Control": "no-store"})

@router.get("/auth/tokens", response_model=list[ApiTokenView], summary="API tokens (owners see the organization's)")
def list_tokens(principal: ApiPrincipal, session: DbSession) -> list[ApiTokenView]:
    return identity.list_api_tokens(session, principal=principal)

@router.delete("/auth/tokens/{token_id}", response_model=ApiTokenView, summary="Revoke an API token")
def revoke_token(token_id: str, principal: ApiPrincipal, session: DbSession,
                 container: ContainerDep) -> ApiTokenView:
    return identity.revoke_api_token(session, principal=principal, token_id=token_id, now=container.clock.now())

@router.post("/auth/session", response_model=SessionOut, summary="Sign in with a password; sets the session cookie",
             responses={429: PROBLEM_RESPONSES[429]})
def create_session(body: SessionCreate, request: Request, response: Response,
                   container: ContainerDep) -> SessionOut:
    signed = sign_in_console(container, request, email=body.email, password=body.password,
                             organization_slug=body.organization)
    set_session_cookie(response, signed, container)
    return SessionOut(csrf_token=signed.csrf_token, me=_me(signed.principal))

@router.delete("/auth/session", status_code=204, summary="Sign out (ends the cookie session)")
def delete_session(request: Request, principal: ApiPrincipal, session: DbSession,
                   container: ContainerDep) -> Response:
    response = Response(status_code=204)
    token = request.cookies.get(SESSION_COOKIE)
    if principal.via_session and token:
        identity.sign_out(session, token=token)
        clear_session_cookie(response, container)
    return response
