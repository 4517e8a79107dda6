"""Seed the demo workspace (idempotent): organizations, users with random passwords, the demo catalog, then the
journey's stories — compliance, pricing, localization, inventory — each added only where it is missing.

Passwords are generated per workspace and kept in `<data_dir>/demo-credentials.json` (mode 0600), so a demo
started on a shared machine never ships a known password.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xborder import catalog, identity
from xborder.bootstrap import Container
from xborder.db import transaction
from xborder.demo.compliance_story import seed_compliance
from xborder.demo.inventory_story import seed_inventory_network, seed_inventory_runs
from xborder.demo.localization_story import seed_localization
from xborder.demo.pricing_story import seed_pricing
from xborder.demo.tour import tour_lines
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
    """Sign-in details (kept in the data dir) and, after seeding, the bilingual tour of what to look at."""

    users: list[DemoUser]
    tour: tuple[str, ...] = field(default=())
    seeded: tuple[str, ...] = field(default=())  # stories added by this run (empty when nothing was missing)

    def lines(self) -> list[str]:
        sign_in = [f"sign in:   {u.email} / {u.password}   ({u.organization}, {u.role})" for u in self.users]
        return sign_in + (["", *self.tour] if self.tour else [])


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


def _create_workspace(container: Container, path: Path) -> tuple[DemoCredentials, str]:
    """Organizations, users and the catalog in one transaction; the credentials file is written last."""
    security = container.settings.security
    with transaction(container.session_factory) as session:
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
    return credentials, seller.id


def _seed_stories(container: Container, organization_id: str) -> list[str]:
    """Each story in its own transaction, each skipped when its objects exist: a re-run adds only what is missing
    (e.g. after an interrupted first run) and otherwise changes nothing."""
    clock, factory = container.clock, container.session_factory
    today = clock.today()
    seeded: list[str] = []
    with transaction(factory) as session:
        if seed_compliance(session, organization_id=organization_id, clock=clock,
                           expiry_warning_days=container.settings.alerts.expiry_warning_days):
            seeded.append("compliance")
    with transaction(factory) as session:
        if seed_pricing(session, organization_id=organization_id, data=container.pricing_data, today=today):
            seeded.append("pricing")
    with transaction(factory) as session:
        if seed_localization(session, organization_id=organization_id, user_id=None,
                             provider=container.mt_provider):
            seeded.append("localization")
    with transaction(factory) as session:
        if seed_inventory_network(session, organization_id=organization_id, today=today):
            seeded.append("inventory")
    seeded += seed_inventory_runs(factory, container.job_handlers, clock, organization_id=organization_id,
                                  user_id=None)
    return seeded


def seed_demo_workspace(container: Container) -> DemoCredentials:
    """Create the demo organizations, users, catalog and stories unless they exist; return the sign-in details
    and the tour."""
    path = _credentials_path(container)
    with transaction(container.session_factory) as session:
        try:
            seller_id = identity.get_organization_by_slug(session, slug=SELLER_SLUG).id
        except NotFound:
            seller_id = None
    if seller_id is None:
        credentials, seller_id = _create_workspace(container, path)
    else:
        existing = _load(path)
        if existing is None:
            raise RuntimeError(f"the demo workspace exists but {path} is missing; delete the data dir to reseed")
        credentials = existing
    seeded = _seed_stories(container, seller_id)
    with transaction(container.session_factory) as session:
        tour = tour_lines(session, organization_id=seller_id)
    return DemoCredentials(users=credentials.users, tour=tuple(tour), seeded=tuple(seeded))
