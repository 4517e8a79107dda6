"""Shared pieces of the browser tests: a migrated workspace with the Shengyue seller, a Chromium page that records
console errors, page errors and HTTP errors, and the console sign-in (the server and Chromium come from conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from xborder import identity
from xborder.db import transaction
from xborder.db.migrate import upgrade
from xborder.settings import SecuritySettings, Settings

__all__ = ["EMAIL", "PASSWORD", "SellerApp", "chromium_page", "seller_app", "sign_in"]

EMAIL, PASSWORD = "lin@shengyue.example.com", "e2e-password-123"
FAST_SECURITY = SecuritySettings(argon2_time_cost=1, argon2_memory_kib=8192)


@dataclass(frozen=True)
class SellerApp:
    app: Any
    settings: Settings
    session_factory: sessionmaker[Session]
    organization_id: str
    user_id: str


def seller_app(data_dir: Path, *, locale: str = "zh-CN", platform_admin: bool = False) -> SellerApp:
    """The real app (embedded job runner) on a migrated SQLite workspace with 深圳声悦电子 and its owner 林女士."""
    from xborder.web.app import create_app

    settings = Settings(data_dir=data_dir, security=FAST_SECURITY, job_runner="inprocess")
    app = create_app(settings)
    container = app.state.container
    upgrade(container.engine)
    with transaction(container.session_factory) as session:
        org = identity.create_organization(session, name="深圳声悦电子", slug="shengyue")
        user = identity.create_user(session, email=EMAIL, password=PASSWORD, display_name="林女士",
                                    settings=FAST_SECURITY, locale=locale, is_platform_admin=platform_admin)
        identity.add_member(session, organization_id=org.id, user_id=user.id, role="owner")
    return SellerApp(app, settings, container.session_factory, org.id, user.id)


@contextmanager
def chromium_page(pw: Any, chromium_path: str, chromium_args: list[str], problems: list[str], *, width: int = 1440,
                  timeout_ms: int = 20_000, expected_failures: tuple[str, ...] = ()) -> Iterator[Any]:
    """A zh-CN page whose console errors, page errors and HTTP responses >= 400 land in `problems`, except
    responses whose URL contains one of `expected_failures` (a refusal the test provokes, logged by Chromium as
    "status of 422" too)."""
    browser = pw.chromium.launch(executable_path=chromium_path, args=chromium_args)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
            and not (expected_failures and "status of 422" in msg.text) else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            and not any(part in r.url for part in expected_failures) else None)
    try:
        yield page
    finally:
        context.close()
        browser.close()


def sign_in(page: Any, base_url: str, next_path: str) -> None:
    """The console sign-in form (in 中文), then on to `next_path`."""
    page.goto(f"{base_url}/login?next={next_path}")
    page.get_by_label("邮箱").fill(EMAIL)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
