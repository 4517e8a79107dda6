"""Imports every domain's models so Alembic and create_all see the whole schema. Add new model modules here."""

from __future__ import annotations

import importlib

from xborder.db.base import Base

MODEL_MODULES = (
    "xborder.identity.models",
    "xborder.jobs.models",
    "xborder.catalog.models",
    "xborder.compliance.models",
    "xborder.pricing.models",
    "xborder.localization.models",
    "xborder.inventory.models",
)

for _module in MODEL_MODULES:
    importlib.import_module(_module)

metadata = Base.metadata
