"""Read models for the console and the API: one checklist with every rule's details, the readiness matrix with
requirement counts per cell, evidence with the days left, alerts, pack previews and subscriptions.

Use these to show compliance to people; the engine's own types (`Checklist`, `ReadinessMatrix`) stay lean.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.catalog import Product, Variant
from xborder.compliance.evaluate import Context, RequirementResult, Status, evaluate_product
from xborder.compliance.evidence import EvidenceOut, evidence_for_evaluation
from xborder.compliance.models import ChecklistRecord, StoredVerdict
from xborder.compliance.monitoring import AlertOut, PackPreview, SubscriptionOut
from xborder.compliance.schema import Rule
from xborder.compliance.service import active_library, catalog_facts
from xborder.kernel import ErrorDetail, ValidationFailed, decode_cursor, encode_cursor

__all__ = ["AlertView", "CellView", "ChecklistView", "EvidenceSpecView", "EvidenceView", "MatrixRowView",
           "PackChangeView", "PackPreviewView", "ReadinessView", "RequirementView", "SourceView", "SubscriptionView",
           "checklist_for_variant", "evidence_view", "readiness_overview"]

VerdictName = Literal["ready", "action_needed", "blocked"]
_VERDICTS: tuple[str, ...] = ("ready", "action_needed", "blocked")
MAX_MATRIX_ROWS = 2000


class SourceView(BaseModel):
    title: str
    href: str


class EvidenceSpecView(BaseModel):
    type: str
    scheme: str
    standard: str | None = None


class RequirementView(BaseModel):
    """One requirement of a checklist: what, why it applies, what satisfies it, where the law says so, when."""

    id: str
    kind: str
    severity: str
    status: str
    message: str
    title_en: str
    title_zh: str
    triggered_by: list[str]
    reason: str | None
    missing_attributes: list[str]
    satisfied_by: list[EvidenceSpecView]
    evidence_ids: list[str]
    expires_on: date | None
    days_left: int | None
    source: SourceView
    valid_from: date
    valid_to: date | None
    checked_on: date
    certainty: str
    note: str | None


class ChecklistView(BaseModel):
    variant_id: str
    product_id: str
    sku: str
    product_title: str
    variant_name: str | None
    market: str
    on: date
    verdict: VerdictName
    rules_version: str
    requirements: list[RequirementView]
    not_applicable: int


class CellView(BaseModel):
    verdict: VerdictName
    open_items: int
    satisfied: int
    total: int
    evaluated_on: date


class MatrixRowView(BaseModel):
    sku: str
    variant_id: str | None
    product_title: str | None
    cells: dict[str, CellView]


class ReadinessView(BaseModel):
    """SKUs × markets from the stored verdicts; `counts[market][verdict]` cover every SKU, not only this page."""

    markets: list[str]
    counts: dict[str, dict[str, int]]
    rows: list[MatrixRowView]
    next_cursor: str | None
    rules_version: str


class EvidenceView(BaseModel):
    id: str
    evidence_type: str
    scheme: str
    standard: str | None
    issuer: str
    reference: str | None
    issued_on: date
    expires_on: date | None
    days_left: int | None
    state: Literal["valid", "expiring", "expired", "no_expiry"]
    skus: list[str] | None
    markets: list[str] | None
    filename: str
    content_type: str
    size_bytes: int
    sha256: str


class AlertView(BaseModel):
    id: str
    kind: str
    title: str
    body: dict[str, Any]
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, alert: AlertOut) -> AlertView:
        return cls(id=alert.id, kind=alert.kind, title=alert.title, body=alert.body, created_at=alert.created_at,
                   read_at=alert.read_at)


class PackChangeView(BaseModel):
    rule_id: str
    change: str
    pack: str
    markets: list[str]
    fields: list[str]
    summary: str
    title_en: str
    title_zh: str
    valid_from: date | None
    valid_to: date | None


class PackPreviewView(BaseModel):
    version: str
    previous_version: str
    changes: list[PackChangeView]
    affected_skus: dict[str, int]

    @classmethod
    def of(cls, preview: PackPreview) -> PackPreviewView:
        changes = []
        for c in preview.changes:
            rule = c.new or c.old
            assert rule is not None
            changes.append(PackChangeView(rule_id=c.rule_id, change=c.change, pack=c.folder, markets=list(c.markets),
                                          fields=list(c.fields), summary=c.summary, title_en=rule.spec.title.en,
                                          title_zh=rule.spec.title.zh, valid_from=rule.spec.valid_from,
                                          valid_to=rule.spec.valid_to))
        return cls(version=preview.version, previous_version=preview.previous_version, changes=changes,
                   affected_skus=dict(sorted(preview.affected_skus.items())))


class SubscriptionView(BaseModel):
    id: str
    channel: str
    target: str
    pending: int
    failed: int

    @classmethod
    def of(cls, sub: SubscriptionOut) -> SubscriptionView:
        return cls(id=sub.id, channel=sub.channel, target=sub.target, pending=sub.pending, failed=sub.failed)


def _bad(message: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, details=[ErrorDetail(message, field=field, code="compliance.invalid_query")])


def _markets(session: Session, markets: list[str] | None, field: str = "markets") -> list[str] | None:
    if markets is None:
        return None
    known = set(active_library(session).markets())
    codes = list(dict.fromkeys(m.strip().upper() for m in markets if m.strip()))  # in the order asked
    unknown = [m for m in codes if m not in known]
    if unknown:
        raise _bad(f"no compliance rules for market(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}",
                   field)
    return codes


def _requirement(item: RequirementResult, rule: Rule | None, on: date) -> RequirementView:
    spec = rule.spec if rule is not None else None
    return RequirementView(
        id=item.rule_id, kind=item.kind.value, severity=item.severity.value, status=item.status.value,
        message=item.message, title_en=item.title_en, title_zh=item.title_zh, triggered_by=list(item.triggered_by),
        reason=item.reason, missing_attributes=list(item.missing_attributes),
        satisfied_by=[EvidenceSpecView(type=e.type, scheme=e.scheme, standard=e.standard)
                      for e in (spec.evidence if spec else ())],
        evidence_ids=list(item.evidence_ids), expires_on=item.expires_on,
        days_left=(item.expires_on - on).days if item.expires_on else None,
        source=SourceView(title=item.source.title, href=item.source.href),
        valid_from=spec.valid_from if spec else on, valid_to=spec.valid_to if spec else None,
        checked_on=spec.checked_on if spec else on, certainty=item.certainty, note=item.note)


_ORDER = {Status.PROHIBITED: 0, Status.MISSING: 1, Status.EXPIRED: 2, Status.UNKNOWN: 3, Status.EXPIRING: 4,
          Status.SATISFIED: 5, Status.NOT_APPLICABLE: 6}


def checklist_for_variant(session: Session, *, organization_id: str, variant_id: str, market: str | None,
                          on: date, include_not_applicable: bool = False) -> ChecklistView:
    """Evaluate one SKU in one market on a date with the rules in force and the organization's evidence.

    Raises:
        NotFound: the variant is not in this organization's catalog (checked before anything else).
        ValidationFailed: no market given, or a market without compliance rules.
    """
    variant = catalog.get_variant(session, organization_id=organization_id, variant_id=variant_id)
    if not market:
        raise _bad("market is required (an ISO code such as DE)", "market")
    code = (_markets(session, [market], "market") or [""])[0]
    library = active_library(session)
    rules = library.rules_for(code)
    facts = catalog_facts(session, organization_id=organization_id, skus=[variant.sku])[0]
    checklist = evaluate_product(facts, rules=rules, context=Context(market=code, on=on),
                                 evidence=evidence_for_evaluation(session, organization_id=organization_id))
    by_id = {r.id: r for r in rules}
    items = sorted(checklist.items, key=lambda i: (_ORDER[i.status], i.rule_id))
    shown = [i for i in items if include_not_applicable or i.status is not Status.NOT_APPLICABLE]
    product = catalog.get_product(session, organization_id=organization_id, product_id=variant.product_id)
    return ChecklistView(
        variant_id=variant.id, product_id=variant.product_id, sku=variant.sku, product_title=product.title,
        variant_name=variant.variant_name, market=code, on=on, verdict=checklist.verdict.value,
        rules_version=library.version, requirements=[_requirement(i, by_id.get(i.rule_id), on) for i in shown],
        not_applicable=sum(1 for i in items if i.status is Status.NOT_APPLICABLE))


def _cursor_sku(cursor: str | None) -> str | None:
    if not cursor:
        return None
    key = decode_cursor(cursor)
    if len(key) != 1 or not isinstance(key[0], str):
        raise ValidationFailed("cursor: not a cursor returned by this API", code="invalid_cursor",
                               details=[ErrorDetail("unknown cursor", field="cursor", code="invalid_cursor")])
    return key[0]


def readiness_overview(session: Session, *, organization_id: str, markets: list[str] | None = None,
                       verdict: str | None = None, cursor: str | None = None, limit: int = 500) -> ReadinessView:
    """A page of the readiness matrix (SKUs in order), with satisfied/total requirement counts per cell.

    `verdict` keeps the SKUs with that verdict in at least one of the markets shown.
    """
    if verdict is not None and verdict not in _VERDICTS:
        raise _bad(f"verdict must be one of {', '.join(_VERDICTS)}", "verdict")
    limit = max(1, min(limit, MAX_MATRIX_ROWS))
    codes = _markets(session, markets)
    own = StoredVerdict.organization_id == organization_id
    scope = [own] if codes is None else [own, StoredVerdict.market.in_(codes)]
    counts: dict[str, dict[str, int]] = {}
    for market, name, count in session.execute(select(StoredVerdict.market, StoredVerdict.verdict, func.count())
                                               .where(*scope).group_by(StoredVerdict.market, StoredVerdict.verdict)):
        counts.setdefault(market, dict.fromkeys(_VERDICTS, 0))[name] = int(count)
    shown = codes if codes is not None else sorted(counts)
    sku_query = select(StoredVerdict.sku).where(*scope).distinct().order_by(StoredVerdict.sku)
    if verdict is not None:
        sku_query = sku_query.where(StoredVerdict.verdict == verdict)
    after = _cursor_sku(cursor)
    if after is not None:
        sku_query = sku_query.where(StoredVerdict.sku > after)
    skus = list(session.scalars(sku_query.limit(limit + 1)))
    next_cursor = encode_cursor(skus[limit - 1]) if len(skus) > limit else None
    skus = skus[:limit]
    rows: dict[str, MatrixRowView] = {sku: MatrixRowView(sku=sku, variant_id=None, product_title=None, cells={})
                                      for sku in skus}
    cells: list[Any] = []
    for start in range(0, len(skus), 500):
        chunk = skus[start:start + 500]
        cells.extend(session.execute(select(StoredVerdict.sku, StoredVerdict.market, StoredVerdict.verdict,
                                            StoredVerdict.open_items, StoredVerdict.digest,
                                            StoredVerdict.evaluated_on).where(*scope, StoredVerdict.sku.in_(chunk))))
        for sku, variant_id, title in session.execute(
                select(Variant.sku, Variant.id, Product.title).join(Product, Product.id == Variant.product_id)
                .where(Variant.organization_id == organization_id, Variant.sku.in_(chunk))):
            rows[sku].variant_id, rows[sku].product_title = variant_id, title
    tallies = _tallies(session, organization_id, {c.digest for c in cells})
    for c in cells:
        satisfied, total = tallies.get(c.digest, (0, c.open_items))
        rows[c.sku].cells[c.market] = CellView(verdict=c.verdict, open_items=c.open_items, satisfied=satisfied,
                                               total=total, evaluated_on=c.evaluated_on)
    return ReadinessView(markets=shown, counts={m: counts.get(m, dict.fromkeys(_VERDICTS, 0)) for m in shown},
                         rows=list(rows.values()), next_cursor=next_cursor,
                         rules_version=active_library(session).version)


def _tallies(session: Session, organization_id: str, digests: set[str]) -> dict[str, tuple[int, int]]:
    """(satisfied, total) requirements per stored checklist content (shared by every cell that has it)."""
    result: dict[str, tuple[int, int]] = {}
    ordered = sorted(digests)
    for start in range(0, len(ordered), 500):
        for digest, items in session.execute(select(ChecklistRecord.digest, ChecklistRecord.items).where(
                ChecklistRecord.organization_id == organization_id,
                ChecklistRecord.digest.in_(ordered[start:start + 500]))):
            result[digest] = (sum(1 for i in items if i.get("status") == "satisfied"), len(items))
    return result


def evidence_view(doc: EvidenceOut, *, today: date, expiring_within_days: int = 60) -> EvidenceView:
    """A document with the days left until it expires and its state on `today`."""
    days = (doc.expires_on - today).days if doc.expires_on else None
    state: Literal["valid", "expiring", "expired", "no_expiry"]
    if days is None:
        state = "no_expiry"
    elif days < 0:
        state = "expired"
    elif days <= expiring_within_days:
        state = "expiring"
    else:
        state = "valid"
    return EvidenceView(id=doc.id, evidence_type=doc.evidence_type, scheme=doc.scheme, standard=doc.standard,
                        issuer=doc.issuer, reference=doc.reference, issued_on=doc.issued_on,
                        expires_on=doc.expires_on, days_left=days, state=state,
                        skus=list(doc.skus) if doc.skus is not None else None,
                        markets=list(doc.markets) if doc.markets else None, filename=doc.filename,
                        content_type=doc.content_type, size_bytes=doc.size_bytes, sha256=doc.sha256)
