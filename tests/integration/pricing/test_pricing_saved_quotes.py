"""Saved quotes on SQLite/PostgreSQL: replay gives the saved figures after the data changes; diff shows the change;
other organizations cannot see a quote."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from xborder.identity.models import Organization
from xborder.kernel import Money
from xborder.pricing import EcbReferenceRates, FxQuote, PricingData, QuoteRequest
from xborder.pricing.saved_quotes import (
    SavedQuoteNotFound,
    diff_saved_quote,
    get_saved_quote,
    list_saved_quotes,
    replay_saved_quote,
    save_quote,
)


class _MovedFx:
    """Today's data: the ECB rates, but EUR->GBP 10 % higher (as if the rate table had been updated)."""

    name = "moved"

    def __init__(self) -> None:
        self._ecb = EcbReferenceRates()

    def quote(self, base: str, quote: str, on: date, *, allow_latest: bool = False) -> FxQuote:
        found = self._ecb.quote(base, quote, on, allow_latest=allow_latest)
        if (base, quote) == ("EUR", "GBP"):
            return FxQuote(base, quote, found.rate * Decimal("1.1"), found.rate_date, "moved test rates")
        return found


def _org(session: Session, slug: str) -> str:
    org = Organization(name=slug.title(), slug=slug, kind="seller")
    session.add(org)
    session.commit()
    return org.id


REQUEST = QuoteRequest(origin="CN", destination="GB", hs_code="6109100010", goods_value=Money.of("200", "EUR"),
                       shipping=Money.of("20", "EUR"), on=date(2025, 3, 3), incoterm="DDP")


def test_save_replay_and_diff_after_the_data_changes(session: Session) -> None:
    org = _org(session, "acme")
    saved = save_quote(session, organization_id=org, data=PricingData(fx=EcbReferenceRates()), request=REQUEST,
                       label="tee to GB")
    session.commit()
    assert saved.result.duty.amount > 0 and any(v.startswith("fx:EURGBP@") for v in saved.versions)

    replayed = replay_saved_quote(session, organization_id=org, quote_id=saved.id)
    assert replayed == saved.result
    diff = diff_saved_quote(session, organization_id=org, quote_id=saved.id, data=PricingData(fx=_MovedFx()))
    assert diff.changed and {name for name, _, _ in diff.figures} >= {"customs_value", "duty", "landed_cost"}
    assert {change.rule for change in diff.lines} >= {"ukgt-2021:61091000", "gb.tax.standard_rate"}
    # the saved quote still replays to the saved figures
    assert replay_saved_quote(session, organization_id=org, quote_id=saved.id) == saved.result
    same = diff_saved_quote(session, organization_id=org, quote_id=saved.id, data=PricingData(fx=EcbReferenceRates()))
    assert not same.changed
    assert [q.id for q in list_saved_quotes(session, organization_id=org)] == [saved.id]


def test_diff_on_a_date_the_data_cannot_quote_reports_the_error(session: Session) -> None:
    org = _org(session, "acme")
    saved = save_quote(session, organization_id=org, data=PricingData(fx=EcbReferenceRates()),
                       request=QuoteRequest(origin="CN", destination="US", hs_code="610910", on=date(2025, 6, 5),
                                            goods_value=Money.of("200", "USD")))
    diff = diff_saved_quote(session, organization_id=org, quote_id=saved.id, data=PricingData(fx=EcbReferenceRates()),
                            on=date(2023, 1, 1))
    assert diff.error is not None and diff.error.code == "pricing.date_outside_data" and diff.today is None


def test_another_organization_cannot_see_the_quote(session: Session) -> None:
    org, other = _org(session, "acme"), _org(session, "rival")
    saved = save_quote(session, organization_id=org, data=PricingData(fx=EcbReferenceRates()), request=REQUEST)
    session.commit()
    with pytest.raises(SavedQuoteNotFound):
        get_saved_quote(session, organization_id=other, quote_id=saved.id)
    assert list_saved_quotes(session, organization_id=other) == []
