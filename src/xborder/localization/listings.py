"""Listings per product × market × language: create, edit (optimistic version), workflow draft → needs_review →
approved → published with revision history, generation from the catalog through TM + glossary + MT, and QA."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import catalog, markets
from xborder.kernel import Conflict, ErrorDetail, NotFound, ValidationFailed, country_code, language_tag
from xborder.localization import seo
from xborder.localization.checks.base import BackTranslate, ListingText, declared_terms
from xborder.localization.models import Listing, ListingRevision
from xborder.localization.providers.base import MtProvider
from xborder.localization.qa import QaResult, build_qa_context, run_qa
from xborder.localization.service import get_glossary, lookup_tm
from xborder.localization.translate import translate_segments

__all__ = ["TRANSITIONS", "ListingView", "RevisionView", "create_listing", "generate_listing", "get_listing",
           "list_listings", "list_revisions", "qa_listing", "transition_listing", "update_listing"]

TRANSITIONS = {"draft": ("needs_review",), "needs_review": ("approved", "draft"), "approved": ("published", "draft"),
               "published": ("draft",)}
TEXT_FIELDS = ("title", "description", "bullets", "keywords", "meta_title", "meta_description")


@dataclass(frozen=True, slots=True)
class ListingView:
    id: str
    product_id: str
    market: str
    language: str
    status: str
    title: str
    description: str
    bullets: tuple[str, ...]
    keywords: tuple[str, ...]
    meta_title: str
    meta_description: str
    pending_segments: tuple[str, ...]
    version: int
    updated_by: str | None


@dataclass(frozen=True, slots=True)
class RevisionView:
    version: int
    status: str
    changed_by: str | None
    changed_fields: tuple[str, ...]
    snapshot: dict[str, Any]
    note: str | None
    changed_at: datetime | None = None


def _view(row: Listing) -> ListingView:
    return ListingView(row.id, row.product_id, row.market, row.language, row.status, row.title, row.description,
                       tuple(row.bullets or ()), tuple(row.keywords or ()), row.meta_title, row.meta_description,
                       tuple(row.pending_segments or ()), row.version, row.updated_by)


def _snapshot(row: Listing) -> dict[str, Any]:
    return {"status": row.status, **{f: getattr(row, f) for f in TEXT_FIELDS},
            "pending_segments": list(row.pending_segments or [])}


def _record(session: Session, row: Listing, *, user_id: str | None, fields: list[str], note: str | None) -> None:
    session.add(ListingRevision(organization_id=row.organization_id, listing_id=row.id, version=row.version,
                                status=row.status, changed_by=user_id, changed_fields=fields,
                                snapshot=_snapshot(row), note=note))


def _row(session: Session, organization_id: str, listing_id: str) -> Listing:
    row = session.scalar(select(Listing).where(Listing.organization_id == organization_id, Listing.id == listing_id))
    if row is None:
        raise NotFound("listing not found", details=[ErrorDetail("unknown listing", field="listing_id",
                                                                 code="localization.listing_not_found")])
    return row


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(TEXT_FIELDS))
    if unknown:
        raise ValidationFailed(f"unknown listing fields: {', '.join(unknown)}", details=[
            ErrorDetail("not a listing field", field=f) for f in unknown])
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("bullets", "keywords"):
            cleaned[name] = [str(v).strip() for v in value or [] if str(v).strip()]
        else:
            cleaned[name] = str(value or "").strip()
    return cleaned


def create_listing(session: Session, *, organization_id: str, product_id: str, market: str, language: str,
                   user_id: str | None = None, **fields: Any) -> ListingView:
    catalog.get_product(session, organization_id=organization_id, product_id=product_id)  # tenancy + existence
    code = str(country_code(market, field="market"))
    markets.market(code)
    lang = str(language_tag(language, field="language"))
    if session.scalar(select(Listing.id).where(Listing.organization_id == organization_id,
                                               Listing.product_id == product_id, Listing.market == code,
                                               Listing.language == lang)):
        raise Conflict(f"a {code}/{lang} listing already exists for this product", details=[
            ErrorDetail("duplicate listing", field="language", code="localization.duplicate_listing")])
    row = Listing(organization_id=organization_id, product_id=product_id, market=code, language=lang,
                  status="draft", updated_by=user_id, version=1, pending_segments=[],
                  **{"title": "", "description": "", "meta_title": "", "meta_description": "", "bullets": [],
                     "keywords": []} | _clean(fields))
    session.add(row)
    session.flush()
    _record(session, row, user_id=user_id, fields=sorted(_clean(fields)), note="created")
    session.flush()
    return _view(row)


def update_listing(session: Session, *, organization_id: str, listing_id: str, expected_version: int,
                   changes: dict[str, Any], user_id: str | None = None, note: str | None = None) -> ListingView:
    """Edit texts. A stale `expected_version` is a Conflict; an edit of an approved or published listing sends it
    back to draft (it must be reviewed again)."""
    row = _row(session, organization_id, listing_id)
    if row.version != expected_version:
        raise Conflict(f"the listing changed since version {expected_version} (now {row.version}); reload it",
                       details=[ErrorDetail("stale version", field="expected_version",
                                            code="localization.stale_listing")])
    cleaned = _clean(changes)
    changed = sorted(k for k, v in cleaned.items() if getattr(row, k) != v)
    if not changed:
        return _view(row)
    for name in changed:
        setattr(row, name, cleaned[name])
    if "title" in changed or "description" in changed or "bullets" in changed:
        row.pending_segments = [s for s in row.pending_segments or [] if s.split("[")[0] not in changed]
    if row.status in ("approved", "published"):
        row.status = "draft"
    row.version += 1
    row.updated_by = user_id
    _record(session, row, user_id=user_id, fields=changed, note=note)
    session.flush()
    return _view(row)


def transition_listing(session: Session, *, organization_id: str, listing_id: str, to_status: str,
                       user_id: str | None = None, on: date | None = None, note: str | None = None) -> ListingView:
    """Move along the workflow. Approval needs no pending segments and no critical QA finding on `on`."""
    row = _row(session, organization_id, listing_id)
    if to_status not in TRANSITIONS.get(row.status, ()):
        raise ValidationFailed(f"cannot go from {row.status} to {to_status}; allowed: "
                               f"{', '.join(TRANSITIONS.get(row.status, ())) or 'none'}", details=[
                                   ErrorDetail("invalid transition", field="status",
                                               code="localization.invalid_transition")])
    if to_status in ("approved", "published"):
        if row.pending_segments:
            raise ValidationFailed("some fields still need a translator: " + ", ".join(row.pending_segments),
                                   details=[ErrorDetail("needs translation", field=f,
                                                        code="localization.needs_translator")
                                            for f in row.pending_segments])
        blocking = [f for f in qa_listing(session, organization_id=organization_id, listing_id=listing_id,
                                          on=on or date.today()).findings if f.severity.value == "critical"]
        if blocking:
            raise ValidationFailed(f"{len(blocking)} critical QA finding(s) block approval", details=[
                ErrorDetail(f.message, field=f.field, code=f.code) for f in blocking])
    row.status = to_status
    row.version += 1
    row.updated_by = user_id
    _record(session, row, user_id=user_id, fields=["status"], note=note)
    session.flush()
    return _view(row)


def get_listing(session: Session, *, organization_id: str, listing_id: str) -> ListingView:
    return _view(_row(session, organization_id, listing_id))


def list_listings(session: Session, *, organization_id: str, product_id: str | None = None,
                  market: str | None = None, status: str | None = None) -> list[ListingView]:
    query = select(Listing).where(Listing.organization_id == organization_id)
    if product_id:
        query = query.where(Listing.product_id == product_id)
    if market:
        query = query.where(Listing.market == market.upper())
    if status:
        query = query.where(Listing.status == status)
    return [_view(r) for r in session.scalars(query.order_by(Listing.market, Listing.language, Listing.id))]


def list_revisions(session: Session, *, organization_id: str, listing_id: str) -> list[RevisionView]:
    _row(session, organization_id, listing_id)
    rows = session.scalars(select(ListingRevision).where(ListingRevision.listing_id == listing_id)
                           .order_by(ListingRevision.version))
    return [RevisionView(r.version, r.status, r.changed_by, tuple(r.changed_fields or ()), dict(r.snapshot), r.note,
                         r.changed_at) for r in rows]


def _source(session: Session, organization_id: str, product_id: str) -> tuple[Any, str]:
    product = catalog.get_product(session, organization_id=organization_id, product_id=product_id)
    if not product.source_language:
        raise ValidationFailed("the product has no source_language; set it in the catalog first", details=[
            ErrorDetail("required to translate", field="source_language", code="localization.no_source_language")])
    return product, str(language_tag(product.source_language, field="source_language"))


def qa_listing(session: Session, *, organization_id: str, listing_id: str, on: date, channel: str | None = None,
               back_translate: BackTranslate | None = None, locale: str = "en") -> QaResult:
    row = _row(session, organization_id, listing_id)
    product = catalog.get_product(session, organization_id=organization_id, product_id=row.product_id)
    ctx = build_qa_context(market=row.market, on=on, channel=channel, locale=locale, back_translate=back_translate,
                           glossary=get_glossary(session, organization_id=organization_id, market=row.market))
    sku = product.variants[0].sku if product.variants else product.product_ref
    return run_qa(ListingText(sku=sku, language=row.language, title=row.title, description=row.description,
                              bullets=tuple(row.bullets or ()), keywords=tuple(row.keywords or ()),
                              source_language=product.source_language, source_title=product.title,
                              source_description=product.description,
                              protected_terms=declared_terms(brand=product.brand,
                                                             attributes=[v.attributes for v in product.variants])),
                  ctx)


def generate_listing(session: Session, *, organization_id: str, product_id: str, market: str, language: str,
                     provider: MtProvider | None = None, user_id: str | None = None) -> ListingView:
    """Create (or refill the empty fields of) a draft from the catalog: TM first, then the provider; fields nobody
    could translate stay empty and are listed in `pending_segments`. Existing text is never overwritten."""
    product, source_language = _source(session, organization_id, product_id)
    lang = str(language_tag(language, field="language"))
    glossary = get_glossary(session, organization_id=organization_id, market=market)

    def tm(text: str, src: str, tgt: str) -> list[tuple[str, float]]:
        return [(m.target_text, m.score) for m in lookup_tm(session, organization_id=organization_id,
                                                             source_language=src, target_language=tgt, text=text)]

    sources = {"title": product.title, "description": product.description or ""}
    results = translate_segments(list(sources.values()), source_language=source_language, target_language=lang,
                                 glossary=glossary, tm_lookup=tm, provider=provider)
    filled = {name: r.target for name, r in zip(sources, results, strict=True) if r.target}
    pending = [name for name, r in zip(sources, results, strict=True) if r.needs_translator]
    existing = session.scalar(select(Listing).where(Listing.organization_id == organization_id,
                                                    Listing.product_id == product_id,
                                                    Listing.market == market.upper(), Listing.language == lang))
    if existing is None:
        view = create_listing(session, organization_id=organization_id, product_id=product_id, market=market,
                              language=lang, user_id=user_id, **filled)
        row = _row(session, organization_id, view.id)
    else:
        row = existing
        blank = {k: v for k, v in filled.items() if not getattr(row, k)}
        if blank:
            update_listing(session, organization_id=organization_id, listing_id=row.id,
                           expected_version=row.version, changes=blank, user_id=user_id, note="generated")
    if not row.meta_title and row.title:
        row.meta_title = seo.meta_title(title=row.title, brand=product.brand)
    if not row.meta_description and (row.description or row.bullets):
        row.meta_description = seo.meta_description(description=row.description, bullets=list(row.bullets or []))
    row.pending_segments = sorted(set(pending) - {k for k in pending if getattr(row, k)})
    session.flush()
    return _view(row)
