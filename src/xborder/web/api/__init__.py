"""JSON API under /api/v1: one router per domain; schemas come from the domain packages."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["API_PREFIX", "OPENAPI_TAGS", "api_routers"]

API_PREFIX = "/api/v1"
OPENAPI_TAGS = [
    {"name": "auth", "description": "API tokens (shown once, stored hashed), console sessions, the current user."},
    {"name": "catalog", "description": "Products and variants (SKUs), bulk import and export."},
    {"name": "jobs", "description": "Long-running work (imports) with progress and results."},
    {"name": "markets", "description": "Market profiles: currency, tax, de minimis, calendars — dated and cited."},
    {"name": "hs", "description": "Harmonized System 2022 nomenclature: search and lookup."},
]


def api_routers() -> list[APIRouter]:
    from xborder.web.api import auth, catalog, hs, jobs, markets

    return [auth.router, catalog.router, jobs.router, markets.router, hs.router]
