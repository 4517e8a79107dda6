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
    {"name": "pricing", "description": "Landed-cost quotes (every line sourced and dated), batches, saved quotes "
                                       "with replay and diff, the price matrix of SKUs x markets."},
    {"name": "compliance", "description": "Readiness per SKU × market from rules as data: checklists, the evidence "
                                          "vault, alerts and subscriptions, rule-pack updates (platform admins)."},
    {"name": "localization", "description": "Listings per product × market × language with workflow and QA, "
                                            "translation memory, glossary, exports, bulk translate/approve jobs."},
    {"name": "inventory", "description": "Warehouses by tier, the stock ledger, transfers, order routing; sales "
                                         "history, forecasts per SKU × market and replenishment plans as jobs."},
]


def api_routers() -> list[APIRouter]:
    from xborder.web.api import auth, catalog, compliance, hs, inventory, jobs, localization, markets, pricing

    return [auth.router, catalog.router, jobs.router, markets.router, hs.router, pricing.router,
            localization.router, compliance.router, inventory.router]
