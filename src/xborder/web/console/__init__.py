"""Server-rendered console (Jinja2 + htmx) in Chinese and English: sign-in, dashboard, catalog, import, markets, HS.

`create_app` includes `router`, mounts `static_dir` at /static and uses `render_error` for HTML error pages.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from xborder.web.console import (
    auth,
    catalog,
    compliance,
    dashboard,
    hs,
    imports,
    inventory,
    localization,
    markets,
    pricing,
)
from xborder.web.console.errors import render_error
from xborder.web.console.i18n import compile_catalogs
from xborder.web.console.rendering import STATIC_DIR

__all__ = ["render_error", "router", "static_dir"]

# Compiled catalogs are not committed: build any missing or stale .mo when the app is assembled.
compile_catalogs()

static_dir: Path = STATIC_DIR
router = APIRouter(include_in_schema=False)
for _module in (auth, dashboard, catalog, imports, markets, hs, localization, pricing, compliance, inventory):
    router.include_router(_module.router)
