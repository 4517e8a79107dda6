"""Identity values returned by the services and shown by the API (never a password hash or a token hash)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from xborder.identity.principal import Principal

__all__ = [
    "ApiTokenCreate",
    "ApiTokenView",
    "IssuedToken",
    "MembershipView",
    "OrganizationView",
    "SignedIn",
    "UserView",
]


class _View(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class OrganizationView(_View):
    id: str
    name: str
    slug: str
    kind: Literal["seller", "platform"]
    default_locale: str
    created_at: datetime


class UserView(_View):
    id: str
    email: str
    display_name: str
    locale: str | None
    is_platform_admin: bool
    disabled: bool


class MembershipView(_View):
    organization_id: str
    user_id: str
    role: Literal["owner", "operator", "viewer"]


class ApiTokenCreate(BaseModel):
    """Body of POST /auth/tokens."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    role: Literal["owner", "operator", "viewer"] | None = Field(
        default=None, description="defaults to the caller's role; can never exceed it")


class ApiTokenView(_View):
    id: str
    name: str
    prefix: str
    role: Literal["owner", "operator", "viewer"]
    user_id: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class IssuedToken(BaseModel):
    """The plain token, returned exactly once."""

    token: str
    token_id: str
    prefix: str
    name: str
    role: Literal["owner", "operator", "viewer"]


class SignedIn(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    session_token: str
    csrf_token: str
    principal: Principal
