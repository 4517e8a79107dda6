"""Tenancy seed for pricing: one saved quote per organization (its label carries the tenant's marker)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from xborder import pricing
from xborder.kernel import Money

PARAMS = {"quote_id": "saved_quote_id"}


def seed(session: Session, tenant: Any, container: Any) -> None:
    marker = f"{tenant.slug} secret quote"
    view = pricing.save_quote(session, organization_id=tenant.org_id, data=container.pricing_data, label=marker,
                              request=pricing.QuoteRequest(
                                  origin="CN", destination="DE", hs_code="610910", goods_value=Money.of("200", "EUR"),
                                  shipping=Money.of("20", "EUR"), on=date(2025, 3, 1), incoterm="DDP"))
    tenant.extra["saved_quote_id"] = view.id
    tenant.markers.append(marker)
