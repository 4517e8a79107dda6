"""Who is calling: the frozen Principal every service receives its organization_id from, and role ordering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ROLE_RANK", "Principal", "Role", "weaker_role"]

Role = Literal["owner", "operator", "viewer"]
ROLE_RANK: dict[str, int] = {"viewer": 0, "operator": 1, "owner": 2}


def weaker_role(a: str, b: str) -> Role:
    """The less powerful of two roles (a token never grants more than its user's membership)."""
    return a if ROLE_RANK[a] <= ROLE_RANK[b] else b  # type: ignore[return-value]


@dataclass(frozen=True)
class Principal:
    user_id: str
    organization_id: str
    organization_name: str
    organization_kind: str
    role: Role
    email: str
    display_name: str
    locale: str
    is_platform_admin: bool = False
    session_id: str | None = None
    csrf_token: str | None = None
    api_token_id: str | None = None
    # set by a resolve_* call made with touch=False when last-seen/last-used is older than the touch interval: the
    # caller writes it later with `touch_credential` (the hot read routes do, off the event loop)
    touch_due: bool = False

    @property
    def can_write(self) -> bool:
        """Owners and operators change business data; viewers only read."""
        return ROLE_RANK[self.role] >= ROLE_RANK["operator"]

    @property
    def can_admin(self) -> bool:
        """Owners manage members and organization settings."""
        return self.role == "owner"

    @property
    def via_session(self) -> bool:
        return self.session_id is not None
