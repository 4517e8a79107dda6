"""Helpers shared by the demo stories: reading their data files and calendar arithmetic."""

from __future__ import annotations

import calendar
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.orm import Session

from xborder import catalog

__all__ = ["add_months", "all_variants", "data_bytes", "data_yaml"]


def data_bytes(name: str) -> bytes:
    return resources.files("xborder.demo").joinpath("data", name).read_bytes()


@cache
def data_yaml(name: str) -> Any:
    return yaml.safe_load(data_bytes(name).decode("utf-8"))


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def all_variants(session: Session, organization_id: str) -> list[catalog.VariantSummary]:
    """Every variant of the organization, by SKU (the catalog pages through them 200 at a time)."""
    found: list[catalog.VariantSummary] = []
    cursor: str | None = None
    while True:
        page = catalog.list_variants(session, organization_id=organization_id, cursor=cursor, limit=200)
        found += page.items
        cursor = page.next_cursor
        if cursor is None:
            return found
