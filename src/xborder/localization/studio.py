"""The studio's read models: the side-by-side editor of one listing (source, target, TM matches, glossary hits,
bilingual QA findings, history) and keyset pages of listings. Use `listings.py` to change listings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.kernel import ErrorDetail, Finding, Page, ValidationFailed, decode_cursor, encode_cursor
from xborder.localization.checks.base import BackTranslate
from xborder.localization.listings import (
    TRANSITIONS,
    ListingView,
    RevisionView,
    _view,
    get_listing,
    list_revisions,
    qa_listing,
)
from xborder.localization.models import LISTING_STATUSES, Listing
from xborder.localization.providers.base import MtProvider, ProviderError, TranslationRequest
from xborder.localization.service import TmMatch, get_glossary, lookup_tm
from xborder.localization.termbase import TermEntry, _contains_pattern
from xborder.localization.text import expected_scripts, normalize

__all__ = ["BilingualFinding", "EditorSegment", "EditorView", "GlossaryHit", "back_translator", "open_editor",
           "page_listings", "text_direction"]

MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class BilingualFinding:
    """A QA finding with its explanation in both console languages."""

    code: str
    severity: str
    field: str | None
    message_en: str
    message_zh: str
    reference_title: str | None = None
    reference_href: str | None = None


@dataclass(frozen=True, slots=True)
class EditorSegment:
    """One translatable field: the catalog's source text, the listing's target text and TM matches for it."""

    field: str
    source_text: str
    target_text: str
    tm_matches: tuple[TmMatch, ...]
    needs_translator: bool


@dataclass(frozen=True, slots=True)
class GlossaryHit:
    """A glossary entry that applies to this listing; `satisfied` is False when the target breaks it."""

    term: str
    kind: str
    translation: str | None
    note: str | None
    satisfied: bool


@dataclass(frozen=True, slots=True)
class EditorView:
    listing: ListingView
    product_ref: str
    source_language: str | None
    direction: str  # "rtl" for Arabic/Hebrew-script target languages, else "ltr"
    segments: tuple[EditorSegment, ...]
    glossary_hits: tuple[GlossaryHit, ...]
    findings: tuple[BilingualFinding, ...]
    blocking: bool
    transitions: tuple[str, ...]
    revisions: tuple[RevisionView, ...]  # newest first


def text_direction(language: str) -> str:
    """`rtl` when the language is written in Arabic or Hebrew script (CLDR likely script), else `ltr`."""
    return "rtl" if expected_scripts(language) & {"Arab", "Hebr"} else "ltr"


def back_translator(provider: MtProvider) -> BackTranslate:
    """A back-translation callable for the drift check; provider trouble means "no opinion" (None)."""

    def back(text: str, source_language: str, target_language: str) -> str | None:
        try:
            return provider.translate(TranslationRequest((text,), source_language, target_language)).texts[0]
        except ProviderError:
            return None

    return back


def _bilingual(english: tuple[Finding, ...], chinese: tuple[Finding, ...]) -> tuple[BilingualFinding, ...]:
    # Both runs see the same text and context, so they return the same findings in the same order.
    return tuple(BilingualFinding(code=en.code, severity=en.severity.value, field=en.field, message_en=en.message,
                                  message_zh=zh.message,
                                  reference_title=en.reference.title if en.reference else None,
                                  reference_href=en.reference.href if en.reference else None)
                 for en, zh in zip(english, chinese, strict=True))


def _hits(glossary_entries: tuple[TermEntry, ...], source: str, target: str, language: str) -> tuple[GlossaryHit, ...]:
    hits: list[GlossaryHit] = []
    base = language.split("-")[0].lower()
    for entry in glossary_entries:
        if entry.language and entry.language.split("-")[0].lower() != base and entry.kind != "do_not_translate":
            continue
        if entry.kind == "forbidden":
            pattern = _contains_pattern(entry.translation or entry.term)
            in_source = bool(entry.term and _contains_pattern(entry.term).search(source))
            if in_source or pattern.search(target):
                hits.append(GlossaryHit(entry.term, entry.kind, entry.translation, entry.note,
                                        satisfied=not pattern.search(target)))
        elif _contains_pattern(entry.term).search(source):
            wanted = entry.translation if entry.kind == "required" else entry.term
            ok = bool(wanted) and bool(_contains_pattern(wanted or "").search(target))
            hits.append(GlossaryHit(entry.term, entry.kind, entry.translation, entry.note, satisfied=ok))
    return tuple(hits)


def open_editor(session: Session, *, organization_id: str, listing_id: str, on: date, channel: str | None = None,
                provider: MtProvider | None = None, tm_limit: int = 3) -> EditorView:
    """Everything the side-by-side editor shows for one listing. With a provider, QA adds back-translation."""
    listing = get_listing(session, organization_id=organization_id, listing_id=listing_id)
    product = catalog.get_product(session, organization_id=organization_id, product_id=listing.product_id)
    source_language = product.source_language
    sources = {"title": product.title or "", "description": product.description or ""}
    segments = []
    for name, source_text in sources.items():
        matches: list[TmMatch] = []
        if source_language and source_text.strip():
            matches = lookup_tm(session, organization_id=organization_id, source_language=source_language,
                                target_language=listing.language, text=source_text, limit=tm_limit)
        segments.append(EditorSegment(name, source_text, getattr(listing, name), tuple(matches),
                                      name in listing.pending_segments))
    glossary = get_glossary(session, organization_id=organization_id, market=listing.market)
    target = normalize(" ".join([listing.title, listing.description, *listing.bullets, *listing.keywords]))
    hits = _hits(glossary.entries, normalize(" ".join(sources.values())), target, listing.language)
    back = back_translator(provider) if provider is not None else None
    runs = [qa_listing(session, organization_id=organization_id, listing_id=listing_id, on=on, channel=channel,
                       back_translate=back, locale=locale) for locale in ("en", "zh")]
    return EditorView(listing=listing, product_ref=product.product_ref, source_language=source_language,
                      direction=text_direction(listing.language), segments=tuple(segments), glossary_hits=hits,
                      findings=_bilingual(runs[0].findings, runs[1].findings), blocking=runs[0].blocking,
                      transitions=TRANSITIONS.get(listing.status, ()),
                      revisions=tuple(reversed(list_revisions(session, organization_id=organization_id,
                                                              listing_id=listing_id))))


def page_listings(session: Session, *, organization_id: str, product_id: str | None = None,
                  market: str | None = None, language: str | None = None, status: str | None = None,
                  cursor: str | None = None, limit: int = 50) -> Page[ListingView]:
    """Listings ordered by id (creation order), `limit` per page, filtered by product, market, language, status."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"limit must be between 1 and {MAX_PAGE}", details=[ErrorDetail("out of range",
                                                                                                field="limit")])
    if status and status not in LISTING_STATUSES:
        raise ValidationFailed(f"unknown status {status!r}; one of {', '.join(LISTING_STATUSES)}",
                               details=[ErrorDetail("unknown status", field="status")])
    query = select(Listing).where(Listing.organization_id == organization_id)
    if product_id:
        query = query.where(Listing.product_id == product_id)
    if market:
        query = query.where(Listing.market == market.strip().upper())
    if language:
        query = query.where(Listing.language == language.strip())
    if status:
        query = query.where(Listing.status == status)
    if cursor:
        key = decode_cursor(cursor)
        if len(key) != 1 or not isinstance(key[0], str):
            raise ValidationFailed("cursor: not a cursor returned by this API", code="invalid_cursor",
                                   details=[ErrorDetail("unknown cursor", field="cursor", code="invalid_cursor")])
        query = query.where(Listing.id > key[0])
    rows = list(session.scalars(query.order_by(Listing.id).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return Page(items=[_view(r) for r in rows[:limit]], next_cursor=next_cursor)
