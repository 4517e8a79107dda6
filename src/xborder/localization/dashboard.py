"""Per-market QA summary of an organization's listings: findings by severity and by code for each market, and
how many listings a critical finding blocks. One query for the texts; one QA context per market."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.kernel import Severity
from xborder.localization.checks.base import ListingText, declared_terms
from xborder.localization.models import Listing
from xborder.localization.qa import build_qa_context, run_qa
from xborder.localization.service import get_glossary

__all__ = ["CodeCount", "MarketQa", "QaDashboard", "qa_dashboard"]

_SEVERITY_RANK = {Severity.CRITICAL.value: 0, Severity.FUNCTIONAL.value: 1, Severity.COSMETIC.value: 2}


@dataclass(frozen=True, slots=True)
class CodeCount:
    code: str
    severity: str
    count: int


@dataclass(frozen=True, slots=True)
class MarketQa:
    market: str
    listings: int
    blocked_listings: int  # with at least one critical finding
    clean_listings: int  # with no finding at all
    critical: int
    functional: int
    cosmetic: int
    by_code: tuple[CodeCount, ...]  # most severe first, then most frequent

    @property
    def findings(self) -> int:
        return self.critical + self.functional + self.cosmetic

    def count(self, code: str) -> int:
        return next((c.count for c in self.by_code if c.code == code), 0)


@dataclass(frozen=True, slots=True)
class QaDashboard:
    on: date
    markets: tuple[MarketQa, ...]  # ordered by market code
    codes: tuple[CodeCount, ...]  # every code seen, totals over all markets, most severe first

    @property
    def listings(self) -> int:
        return sum(m.listings for m in self.markets)


def _order(counts: Counter[tuple[str, str]]) -> tuple[CodeCount, ...]:
    items = [CodeCount(code, severity, n) for (code, severity), n in counts.items()]
    return tuple(sorted(items, key=lambda c: (_SEVERITY_RANK[c.severity], -c.count, c.code)))


def _variant_attributes(session: Session, *, organization_id: str, product_ids: Any) -> dict[str, list[Any]]:
    """product id -> its variants' non-empty attribute dicts (model names live there), for the listed products."""
    found: dict[str, list[Any]] = {}
    rows = session.execute(select(catalog.Variant.product_id, catalog.Variant.attributes)
                           .where(catalog.Variant.organization_id == organization_id,
                                  catalog.Variant.product_id.in_(product_ids),
                                  catalog.Variant.attributes.is_not(None)))
    for product_id, attrs in rows:
        if attrs:
            found.setdefault(product_id, []).append(attrs)
    return found


def qa_dashboard(session: Session, *, organization_id: str, on: date, market: str | None = None,
                 status: str | None = None, channel: str | None = None) -> QaDashboard:
    """QA every listing of the organization (optionally one market or status) as of `on` and count findings."""
    query = (select(Listing, catalog.Product.product_ref, catalog.Product.title, catalog.Product.description,
                    catalog.Product.source_language, catalog.Product.brand)
             .join(catalog.Product, catalog.Product.id == Listing.product_id)
             .where(Listing.organization_id == organization_id))
    if market:
        query = query.where(Listing.market == market.strip().upper())
    if status:
        query = query.where(Listing.status == status)
    rows = session.execute(query.order_by(Listing.market, Listing.id)).all()
    attributes = _variant_attributes(session, organization_id=organization_id,
                                     product_ids=query.with_only_columns(Listing.product_id))
    glossary = get_glossary(session, organization_id=organization_id)
    per_market: dict[str, list[Any]] = {}
    for row in rows:
        per_market.setdefault(row[0].market, []).append(row)
    totals: Counter[tuple[str, str]] = Counter()
    summaries = []
    for code in sorted(per_market):
        ctx = build_qa_context(market=code, on=on, channel=channel, glossary=glossary)
        counts: Counter[tuple[str, str]] = Counter()
        blocked = clean = 0
        for listing, product_ref, title, description, source_language, brand in per_market[code]:
            protected = declared_terms(brand=brand, attributes=attributes.get(listing.product_id, ()))
            result = run_qa(ListingText(sku=product_ref, language=listing.language, title=listing.title,
                                        description=listing.description, bullets=tuple(listing.bullets or ()),
                                        keywords=tuple(listing.keywords or ()), source_language=source_language,
                                        source_title=title, source_description=description,
                                        protected_terms=protected), ctx)
            blocked += result.blocking
            clean += not result.findings
            counts.update((f.code, f.severity.value) for f in result.findings)
        totals.update(counts)
        by_severity: Counter[str] = Counter()
        for (_, sev), n in counts.items():
            by_severity[sev] += n
        summaries.append(MarketQa(market=code, listings=len(per_market[code]), blocked_listings=blocked,
                                  clean_listings=clean, critical=by_severity["critical"],
                                  functional=by_severity["functional"], cosmetic=by_severity["cosmetic"],
                                  by_code=_order(counts)))
    return QaDashboard(on=on, markets=tuple(summaries), codes=_order(totals))
