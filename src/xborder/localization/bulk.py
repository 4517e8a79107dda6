"""Bulk studio work run as jobs: translate many products into one market/language, approve many listings.

Each call handles one batch in the caller's transaction and reports per item; a job runs batches in turn (see
bootstrap), and re-running is safe: generation never overwrites text and approved listings are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import catalog, markets
from xborder.kernel import DomainError, ErrorDetail, ValidationFailed, country_code, language_tag
from xborder.localization.listings import generate_listing, get_listing, qa_listing, transition_listing
from xborder.localization.models import Listing
from xborder.localization.providers.base import MtProvider

__all__ = ["BulkFailure", "BulkResult", "approve_listings", "bulk_targets", "translate_products"]

Progress = Callable[[int], None]  # items done so far in this batch
MAX_BULK = 20_000


@dataclass(frozen=True, slots=True)
class BulkFailure:
    item_id: str  # product id (translate) or listing id (approve)
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class BulkResult:
    """Counts per outcome; `pending_fields` counts fields left for a human translator."""

    total: int = 0
    succeeded: int = 0
    skipped: int = 0
    pending_fields: int = 0
    listing_ids: tuple[str, ...] = ()
    failures: tuple[BulkFailure, ...] = field(default=())

    def merge(self, other: BulkResult) -> BulkResult:
        return replace(self, total=self.total + other.total, succeeded=self.succeeded + other.succeeded,
                       skipped=self.skipped + other.skipped, pending_fields=self.pending_fields + other.pending_fields,
                       listing_ids=self.listing_ids + other.listing_ids, failures=self.failures + other.failures)


def _failure(item_id: str, error: DomainError) -> BulkFailure:
    codes = [d.code for d in error.details if d.code]
    reasons = "; ".join(d.message for d in error.details[:5] if d.message and d.message != error.message)
    return BulkFailure(item_id, codes[0] if codes else error.code,
                       f"{error.message}{' — ' + reasons if reasons else ''}"[:1000])


def bulk_targets(session: Session, *, organization_id: str, action: str, market: str | None = None,
                 ids: list[str] | None = None, status: str | None = None) -> list[str]:
    """The ids a bulk job will work through, in a stable order.

    `translate`: product ids (the given ones that belong to the organization, else every product);
    `approve`: listing ids (the given ones, else the market's listings in `status`, default needs_review).
    """
    if action not in ("translate", "approve"):
        raise ValidationFailed(f"unknown bulk action {action!r}", details=[ErrorDetail("translate or approve",
                                                                                       field="action")])
    if ids is not None and len(ids) > MAX_BULK:
        raise ValidationFailed(f"at most {MAX_BULK} items per job", details=[ErrorDetail("too many", field="ids")])
    if action == "translate":
        query = select(catalog.Product.id).where(catalog.Product.organization_id == organization_id)
        if ids is not None:
            query = query.where(catalog.Product.id.in_(ids))
        return list(session.scalars(query.order_by(catalog.Product.product_ref, catalog.Product.id)))
    query = select(Listing.id).where(Listing.organization_id == organization_id)
    if ids is not None:
        query = query.where(Listing.id.in_(ids))
    else:
        query = query.where(Listing.status == (status or "needs_review"))
    if market:
        query = query.where(Listing.market == market.strip().upper())
    return list(session.scalars(query.order_by(Listing.id)))


def translate_products(session: Session, *, organization_id: str, product_ids: list[str], market: str,
                       language: str, provider: MtProvider | None, user_id: str | None = None,
                       progress: Progress | None = None) -> BulkResult:
    """Generate (or fill the empty fields of) each product's listing for `market`/`language`.

    A product that cannot be translated (no source language, unknown id) is a failure of that item only.
    """
    code = str(country_code(market, field="market"))
    markets.market(code)  # unknown market: the whole batch is refused before any write
    lang = str(language_tag(language, field="language"))
    result = BulkResult()
    for done, product_id in enumerate(product_ids, start=1):
        try:
            view = generate_listing(session, organization_id=organization_id, product_id=product_id, market=code,
                                    language=lang, provider=provider, user_id=user_id)
        except DomainError as error:  # raised before the product's listing is written
            result = result.merge(BulkResult(total=1, failures=(_failure(product_id, error),)))
        else:
            result = result.merge(BulkResult(total=1, succeeded=1, pending_fields=len(view.pending_segments),
                                             listing_ids=(view.id,)))
        if progress is not None:
            progress(done)
    return result


def approve_listings(session: Session, *, organization_id: str, listing_ids: list[str], on: date,
                     user_id: str | None = None, progress: Progress | None = None) -> BulkResult:
    """Approve each listing (a draft goes through review first). Listings already approved or published are
    skipped; one with pending translations or a critical QA finding stays as it was and is reported."""
    result = BulkResult()
    for done, listing_id in enumerate(listing_ids, start=1):
        try:
            view = get_listing(session, organization_id=organization_id, listing_id=listing_id)
            if view.status in ("approved", "published"):
                result = result.merge(BulkResult(total=1, skipped=1))
            else:
                if view.status == "draft":
                    # Approval checks run before the draft moves, so a refused listing stays a draft.
                    _check_approvable(session, organization_id, listing_id, on)
                    transition_listing(session, organization_id=organization_id, listing_id=listing_id,
                                       to_status="needs_review", user_id=user_id, note="bulk approval")
                transition_listing(session, organization_id=organization_id, listing_id=listing_id,
                                   to_status="approved", user_id=user_id, on=on, note="bulk approval")
                result = result.merge(BulkResult(total=1, succeeded=1, listing_ids=(listing_id,)))
        except DomainError as error:
            result = result.merge(BulkResult(total=1, failures=(_failure(listing_id, error),)))
        if progress is not None:
            progress(done)
    return result


def _check_approvable(session: Session, organization_id: str, listing_id: str, on: date) -> None:
    view = get_listing(session, organization_id=organization_id, listing_id=listing_id)
    if view.pending_segments:
        raise ValidationFailed("some fields still need a translator: " + ", ".join(view.pending_segments),
                               details=[ErrorDetail("needs translation", field=f, code="localization.needs_translator")
                                        for f in view.pending_segments])
    blocking = [f for f in qa_listing(session, organization_id=organization_id, listing_id=listing_id,
                                      on=on).findings if f.severity.value == "critical"]
    if blocking:
        raise ValidationFailed(f"{len(blocking)} critical QA finding(s) block approval", details=[
            ErrorDetail(f.message, field=f.field, code=f.code) for f in blocking])
