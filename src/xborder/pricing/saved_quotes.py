"""Saved quotes: save a quote with a snapshot of every value it used, replay it to the same figures later, and diff
it against a re-quote on today's data. Service functions take the session and the organization; rows of another
organization are not found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from xborder.kernel import (
    DomainError,
    ErrorDetail,
    Money,
    NotFound,
    Page,
    ValidationFailed,
    decode_cursor,
    encode_cursor,
)
from xborder.pricing.landed_cost import compute_landed_cost
from xborder.pricing.model import LandedCost, QuoteRequest
from xborder.pricing.models import SavedQuote, SavedQuoteLine
from xborder.pricing.serialize import landed_cost_to_dict
from xborder.pricing.service import PricingData, normalize_request
from xborder.pricing.snapshot import context_from_json, context_to_json, request_from_json, request_to_json

__all__ = ["LineChange", "QuoteDiff", "SavedQuoteNotFound", "SavedQuoteSummary", "SavedQuoteView", "diff_saved_quote",
           "get_saved_quote", "list_saved_quote_page", "list_saved_quotes", "replay_saved_quote", "save_quote"]

_FIGURES = ("customs_value", "duty", "import_vat", "other_taxes_and_fees", "total_taxes_and_duties", "landed_cost")


class SavedQuoteNotFound(NotFound):
    code = "pricing.saved_quote_not_found"


@dataclass(frozen=True, slots=True)
class SavedQuoteView:
    id: str
    label: str | None
    created_at: datetime
    request: QuoteRequest
    result: LandedCost  # replayed from the snapshot: the figures as saved
    versions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SavedQuoteSummary:
    """A saved quote's headline as stored (no replay): for lists."""

    id: str
    label: str | None
    created_at: datetime
    origin: str
    destination: str
    hs_code: str
    quoted_on: date
    currency: str
    landed_cost: Decimal
    total_taxes_and_duties: Decimal


@dataclass(frozen=True, slots=True)
class LineChange:
    rule: str
    name: str
    saved: Money | None  # None: the line is new today
    today: Money | None  # None: the line no longer applies
    saved_rate: str | None
    today_rate: str | None


@dataclass(frozen=True, slots=True)
class QuoteDiff:
    """What a re-quote on today's data changes; `error` is set when today's data cannot quote it at all."""

    quote_id: str
    requoted_on: date
    figures: tuple[tuple[str, Money, Money], ...]  # (figure, saved, today) for figures that differ
    lines: tuple[LineChange, ...]
    versions_added: tuple[str, ...]
    versions_removed: tuple[str, ...]
    today: LandedCost | None
    error: DomainError | None = None

    @property
    def changed(self) -> bool:
        return bool(self.figures or self.lines or self.error)


def _load(session: Session, organization_id: str, quote_id: str) -> SavedQuote:
    row = session.scalar(select(SavedQuote).where(SavedQuote.id == quote_id,
                                                  SavedQuote.organization_id == organization_id))
    if row is None:
        raise SavedQuoteNotFound(f"no saved quote {quote_id}",
                                 details=[ErrorDetail("unknown quote", field="quote_id", code=SavedQuoteNotFound.code)])
    return row


def _replay(row: SavedQuote) -> LandedCost:
    return compute_landed_cost(request_from_json(row.request), context_from_json(row.context))


def save_quote(session: Session, *, organization_id: str, data: PricingData, request: QuoteRequest,
               label: str | None = None) -> SavedQuoteView:
    """Quote `request` on the current data and store it with its snapshot and lines (the caller commits)."""
    req = normalize_request(request)
    ctx = data.context(req)
    result = compute_landed_cost(req, ctx)
    row = SavedQuote(organization_id=organization_id, label=label, origin=req.origin, destination=req.destination,
                     hs_code=req.hs_code, quoted_on=req.on, currency=result.currency,
                     landed_cost=result.landed_cost.amount, total_taxes_and_duties=result.total_taxes_and_duties.amount,
                     request=request_to_json(req), context=context_to_json(ctx), versions=list(result.versions),
                     result=landed_cost_to_dict(result))
    row.lines = [SavedQuoteLine(organization_id=organization_id, position=index, kind=line.kind, rule=line.rule,
                                name=line.name, base=line.base.amount, rate=line.rate, amount=line.amount.amount,
                                source=line.source, effective_from=line.effective_from)
                 for index, line in enumerate(result.lines)]
    session.add(row)
    session.flush()
    return SavedQuoteView(row.id, label, row.created_at, req, _replay(row), result.versions)


def get_saved_quote(session: Session, *, organization_id: str, quote_id: str) -> SavedQuoteView:
    row = _load(session, organization_id, quote_id)
    return SavedQuoteView(row.id, row.label, row.created_at, request_from_json(row.request), _replay(row),
                          tuple(row.versions))


def list_saved_quotes(session: Session, *, organization_id: str, limit: int = 100) -> list[SavedQuoteView]:
    rows = session.scalars(select(SavedQuote).where(SavedQuote.organization_id == organization_id)
                           .order_by(SavedQuote.created_at.desc(), SavedQuote.id).limit(limit))
    return [SavedQuoteView(r.id, r.label, r.created_at, request_from_json(r.request), _replay(r), tuple(r.versions))
            for r in rows]


def list_saved_quote_page(session: Session, *, organization_id: str, cursor: str | None = None,
                          limit: int = 50) -> Page[SavedQuoteSummary]:
    """Saved quotes, newest first, keyset-paginated on (created_at desc, id); nothing is replayed."""
    query = select(SavedQuote).where(SavedQuote.organization_id == organization_id)
    if cursor:
        key = decode_cursor(cursor)
        try:
            after_at, after_id = datetime.fromisoformat(str(key[0])), str(key[1])
        except (IndexError, ValueError):
            raise ValidationFailed("cursor: not a cursor returned by this API", code="invalid_cursor") from None
        query = query.where(or_(SavedQuote.created_at < after_at,
                                and_(SavedQuote.created_at == after_at, SavedQuote.id > after_id)))
    rows = list(session.scalars(query.order_by(SavedQuote.created_at.desc(), SavedQuote.id).limit(limit + 1)))
    items = [SavedQuoteSummary(r.id, r.label, r.created_at, r.origin, r.destination, r.hs_code, r.quoted_on,
                               r.currency, r.landed_cost, r.total_taxes_and_duties) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items, encode_cursor(items[-1].created_at.isoformat(), items[-1].id) if more else None)


def replay_saved_quote(session: Session, *, organization_id: str, quote_id: str) -> LandedCost:
    """Recompute the saved quote from its snapshot: the same figures, whatever the data says today."""
    return _replay(_load(session, organization_id, quote_id))


def diff_saved_quote(session: Session, *, organization_id: str, quote_id: str, data: PricingData,
                     on: date | None = None) -> QuoteDiff:
    """Re-quote the saved request on today's data (and on `on` if given, else the saved date); list what changes."""
    row = _load(session, organization_id, quote_id)
    saved = _replay(row)
    request = request_from_json(row.request)
    if on is not None:
        request = replace(request, on=on)
    try:
        req = normalize_request(request)
        today = compute_landed_cost(req, data.context(req))
    except DomainError as exc:
        return QuoteDiff(quote_id, request.on, (), (), (), tuple(saved.versions), None, exc)
    figures = tuple((name, getattr(saved, name), getattr(today, name)) for name in _FIGURES
                    if getattr(saved, name) != getattr(today, name))
    before = {line.rule: line for line in saved.lines}
    after = {line.rule: line for line in today.lines}
    changes = []
    for rule in [*before, *(r for r in after if r not in before)]:
        old, new = before.get(rule), after.get(rule)
        if old is not None and new is not None and old.amount == new.amount and old.rate == new.rate:
            continue
        changes.append(LineChange(rule, (new or old).name, old.amount if old else None,  # type: ignore[union-attr]
                                  new.amount if new else None, old.rate if old else None, new.rate if new else None))
    return QuoteDiff(quote_id, request.on, figures, tuple(changes),
                     tuple(v for v in today.versions if v not in saved.versions),
                     tuple(v for v in saved.versions if v not in today.versions), today)
