"""Seed the demo workspace once (idempotent): organizations, users with random passwords, the demo catalog.

Passwords are generated per workspace and kept in `<data_dir>/demo-credentials.json` (mode 0600), so a demo
started on a shared machine never ships a known password.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from xborder import catalog, identity
from xborder.bootstrap import Container
from xborder.db import transaction
from xborder.kernel import NotFound

__all__ = ["DemoCredentials", "DemoUser", "seed_demo_workspace"]

SELLER_SLUG = "shengyue"
PLATFORM_SLUG = "platform-ops"


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    role: str
    organization: str


@dataclass(frozen=True)
class DemoCredentials:
    users: list[DemoUser]

    def lines(self) -> list[str]:
        return [f"sign in:   {u.email} / {u.password}   ({u.organization}, {u.role})" for u in self.users]


def _credentials_path(container: Container) -> Path:
    return container.settings.data_dir / "demo-credentials.json"


def _load(path: Path) -> DemoCredentials | None:
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return DemoCredentials(users=[DemoUser(**u) for u in raw["users"]])


def _save(path: Path, credentials: DemoCredentials) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"users": [asdict(u) for u in credentials.users]}, handle, ensure_ascii=False, indent=2)


def _password() -> str:
    return "demo-" + secrets.token_urlsafe(9)


def seed_demo_workspace(container: Container) -> DemoCredentials:
    """Create the demo organizations, users and catalog unless they exist; return the sign-in details."""
    path = _credentials_path(container)
    security = container.settings.security
    with transaction(container.session_factory) as session:
        try:
            identity.get_organization_by_slug(session, slug=SELLER_SLUG)
            existing = _load(path)
            if existing is not None:
                return existing
            raise RuntimeError(f"the demo workspace exists but {path} is missing; delete the data dir to reseed")
        except NotFound:
            pass
        seller = identity.create_organization(session, name="深圳声悦电子 Shenzhen Shengyue Electronics",
                                              slug=SELLER_SLUG, kind="seller", default_locale="zh-CN")
        platform = identity.create_organization(session, name="Marketplace Trust & Safety", slug=PLATFORM_SLUG,
                                                kind="platform", default_locale="en")
        users = [
            DemoUser("lin@shengyue.example", _password(), "owner", SELLER_SLUG),
            DemoUser("zhou@shengyue.example", _password(), "viewer", SELLER_SLUG),
            DemoUser("ops@marketplace.example", _password(), "owner", PLATFORM_SLUG),
        ]
        names = {"lin@shengyue.example": ("林敏 Lin Min", "zh-CN"), "zhou@shengyue.example": ("周杰 Zhou Jie", "zh-CN"),
                 "ops@marketplace.example": ("Sam Okafor", "en")}
        org_ids = {SELLER_SLUG: seller.id, PLATFORM_SLUG: platform.id}
        for demo_user in users:
            display_name, locale = names[demo_user.email]
            user = identity.create_user(session, email=demo_user.email, password=demo_user.password,
                                        display_name=display_name, settings=security, locale=locale)
            identity.add_member(session, organization_id=org_ids[demo_user.organization], user_id=user.id,
                                role=demo_user.role)  # type: ignore[arg-type]
        catalog.import_products(session, organization_id=seller.id, filename="shengyue_catalog_zh.csv",
                                content=catalog.demo_catalog_csv(), limits=container.settings.imports)
        credentials = DemoCredentials(users=users)
        _save(path, credentials)
    return credentials
