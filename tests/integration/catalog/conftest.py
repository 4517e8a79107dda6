"""Catalog integration fixtures: organizations (tenants) created through the identity models."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from xborder.identity.models import Organization
from xborder.settings import ImportLimits


@pytest.fixture
def make_org(session: Session) -> Callable[[str], str]:
    def make(slug: str) -> str:
        org = Organization(name=slug.title(), slug=slug, kind="seller")
        session.add(org)
        session.commit()
        return org.id

    return make


@pytest.fixture
def org_a(make_org: Callable[[str], str]) -> str:
    return make_org("shengyue")


@pytest.fixture
def org_b(make_org: Callable[[str], str]) -> str:
    return make_org("rival")


@pytest.fixture
def limits() -> ImportLimits:
    return ImportLimits()
