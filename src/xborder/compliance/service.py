"""Compliance use cases over the database: the rules in force, evaluating an organization's catalog and storing
verdicts with history, the readiness matrix, and what a verdict was on a past date.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from xborder.catalog import Product, Variant
from xborder.compliance.attributes import ATTRIBUTES, ProductFacts
from xborder.compliance.batch import evaluate_batch
from xborder.compliance.evaluate import Assessment
from xborder.compliance.evidence import EvidenceOut, evidence_for_evaluation, upload_evidence
from xborder.compliance.models import ChecklistRecord, PackVersion, StoredVerdict, VerdictHistory
from xborder.compliance.packs import RuleLibrary, load_library, parse_library
from xborder.compliance.products import facts_from_variant
from xborder.kernel import Clock, ErrorDetail, NotFound, new_id

__all__ = ["EvaluationSummary", "EvidenceSubmitted", "MatrixCell", "ReadinessMatrix", "VerdictChange", "VerdictRecord",
           "active_library", "catalog_facts", "evaluate_catalog", "readiness_matrix", "reevaluate_after_evidence",
           "submit_evidence", "verdict_on"]

_VARIANT_COLUMNS = [c for c in ATTRIBUTES if c in Variant.__table__.columns] + ["voltage_min_v", "voltage_max_v"]
_library_cache: dict[str, RuleLibrary] = {}


@dataclass(frozen=True)
class VerdictChange:
    sku: str
    market: str
    before: str | None
    after: str


@dataclass
class EvaluationSummary:
    rules_version: str
    on: date
    evaluated: int
    changed: list[VerdictChange] = field(default_factory=list)


@dataclass(frozen=True)
class MatrixCell:
    verdict: str
    open_items: int


@dataclass(frozen=True)
class ReadinessMatrix:
    """Products × markets: `cells[sku][market]`; a missing cell means "not evaluated yet"."""

    markets: tuple[str, ...]
    skus: tuple[str, ...]
    cells: dict[str, dict[str, MatrixCell]]
    counts: dict[str, dict[str, int]]


@dataclass(frozen=True)
class VerdictRecord:
    sku: str
    market: str
    verdict: str
    items: list[dict[str, Any]]
    rules_version: str
    recorded_at: datetime
    cause: str


def active_library(session: Session) -> RuleLibrary:
    """The newest operator-loaded pack version, else the packs shipped with xborder."""
    row = session.execute(select(PackVersion.digest, PackVersion.documents)
                          .order_by(PackVersion.loaded_at.desc(), PackVersion.id.desc()).limit(1)).first()
    if row is None:
        return load_library()
    digest, documents = row
    if digest not in _library_cache:
        _library_cache[digest] = parse_library(documents)
    return _library_cache[digest]


def catalog_facts(session: Session, *, organization_id: str, skus: Iterable[str] | None = None,
                  attributes: Iterable[str] | None = None) -> list[ProductFacts]:
    """Every variant of the organization (or the given SKUs) as evaluator input.

    `attributes` limits the columns read (to find which SKUs a rule change can affect without loading whole rows);
    facts built that way are only valid for conditions over those attributes.
    """
    names = _VARIANT_COLUMNS
    if attributes is not None:
        wanted_attrs = {ATTRIBUTES[a].derived_from or a for a in attributes}
        # battery_chemistry = none is derived from battery_packing
        if "battery_chemistry" in wanted_attrs:
            wanted_attrs.add("battery_packing")
        names = [c for c in _VARIANT_COLUMNS if c in wanted_attrs]
    product_columns = [c for c in ("category", "brand") if attributes is None or c in set(attributes)]
    columns = [getattr(Variant, c) for c in dict.fromkeys(["sku", *names])]
    stmt = select(*columns, *(getattr(Product, c) for c in product_columns)).where(
        Variant.organization_id == organization_id).order_by(Variant.sku)
    if product_columns:
        stmt = stmt.join(Product, Product.id == Variant.product_id)
    wanted = sorted(set(skus)) if skus is not None else None
    facts: list[ProductFacts] = []
    chunks = [wanted[i:i + 500] for i in range(0, len(wanted), 500)] if wanted is not None else [None]
    for chunk in chunks:
        query = stmt if chunk is None else stmt.where(Variant.sku.in_(chunk))
        for row in session.execute(query).mappings():
            variant = dict(row)
            product = {c: variant.pop(c) for c in product_columns}
            facts.append(facts_from_variant(variant["sku"], variant, product))
    return facts


def _items_json(assessment: Assessment) -> list[dict[str, Any]]:
    return [{"id": i.rule_id, "kind": i.kind.value, "status": i.status.value, "severity": i.severity.value,
             "missing": list(i.missing_attributes), "evidence": list(i.evidence_ids),
             "expires_on": i.expires_on.isoformat() if i.expires_on else None}
            for i in assessment.items if i.status.value != "not_applicable"]


def _digest(verdict: str, items: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps([verdict, items], sort_keys=True).encode()).hexdigest()


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i:i + size] for i in range(0, len(values), size)]


def _store_checklists(session: Session, organization_id: str, contents: dict[str, tuple[str, Any, int]]) -> None:
    digests = sorted(contents)
    known: set[str] = set()
    for chunk in _chunks(digests):
        known.update(session.scalars(select(ChecklistRecord.digest).where(
            ChecklistRecord.organization_id == organization_id, ChecklistRecord.digest.in_(chunk))))
    rows = [{"id": new_id(), "organization_id": organization_id, "digest": d, "verdict": contents[d][0],
             "items": contents[d][1], "open_items": contents[d][2]} for d in digests if d not in known]
    if rows:
        session.execute(insert(ChecklistRecord), rows)


def evaluate_catalog(session: Session, *, organization_id: str, on: date, clock: Clock,
                     markets: Iterable[str] | None = None, skus: Iterable[str] | None = None,
                     cause: str = "evaluation", library: RuleLibrary | None = None) -> EvaluationSummary:
    """Evaluate (part of) a catalog and store the verdicts; history gets a row only when a checklist changed.

    Checklist contents are stored once per distinct content (equal profiles share them); rows are written with
    bulk statements so a whole catalog × 20 markets stays a handful of round trips per market.
    """
    library = library or active_library(session)
    wanted_markets = sorted({m.upper() for m in markets}) if markets is not None else list(library.markets())
    products = catalog_facts(session, organization_id=organization_id, skus=skus)
    summary = EvaluationSummary(rules_version=library.version, on=on, evaluated=len(products))
    if not products or not wanted_markets:
        return summary
    batch = evaluate_batch(products, rules_by_market=library.rules_by_market(wanted_markets), on=on,
                           evidence=evidence_for_evaluation(session, organization_id=organization_id))
    now = clock.now()
    product_skus = [p.sku for p in products]
    contents: dict[str, tuple[str, Any, int]] = {}
    by_assessment: dict[int, tuple[str, str, int]] = {}
    for market in wanted_markets:
        base = select(StoredVerdict.sku, StoredVerdict.id, StoredVerdict.digest, StoredVerdict.verdict).where(
            StoredVerdict.organization_id == organization_id, StoredVerdict.market == market)
        # the whole catalog in one query; a subset in chunks that stay under bind-parameter limits
        queries = [base] if skus is None else [base.where(StoredVerdict.sku.in_(c)) for c in _chunks(product_skus)]
        current = {row.sku: row for query in queries for row in session.execute(query)}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        for sku, assessment in zip(product_skus, batch.assessments[market], strict=True):
            described = by_assessment.get(id(assessment))
            if described is None:
                items = _items_json(assessment)
                verdict = assessment.verdict.value
                open_items = sum(1 for i in items if i["status"] != "satisfied")
                digest = _digest(verdict, items)
                contents.setdefault(digest, (verdict, items, open_items))
                described = by_assessment[id(assessment)] = (verdict, digest, open_items)
            verdict, digest, open_items = described
            existing = current.get(sku)
            if existing is not None and existing.digest == digest:
                continue
            values = {"verdict": verdict, "digest": digest, "open_items": open_items,
                      "rules_version": library.version, "evaluated_on": on, "evaluated_at": now}
            if existing is None:
                inserts.append({"id": new_id(), "organization_id": organization_id, "sku": sku, "market": market,
                                **values})
            else:
                updates.append({"id": existing.id, **values})
            history.append({"id": new_id(), "organization_id": organization_id, "sku": sku, "market": market,
                            "verdict": verdict, "digest": digest, "rules_version": library.version,
                            "cause": cause[:200], "recorded_at": now})
            summary.changed.append(VerdictChange(sku, market, existing.verdict if existing else None, verdict))
        if inserts:
            session.execute(insert(StoredVerdict), inserts)
        if updates:
            session.execute(update(StoredVerdict), updates)
        if history:
            session.execute(insert(VerdictHistory), history)
        touched = update(StoredVerdict).where(StoredVerdict.organization_id == organization_id,
                                              StoredVerdict.market == market)
        stamp = {"evaluated_on": on, "evaluated_at": now, "rules_version": library.version}
        for statement in ([touched] if skus is None else
                          [touched.where(StoredVerdict.sku.in_(c)) for c in _chunks(product_skus)]):
            session.execute(statement.values(**stamp).execution_options(synchronize_session=False))
    _store_checklists(session, organization_id, contents)
    session.flush()
    return summary


def readiness_matrix(session: Session, *, organization_id: str, markets: Iterable[str] | None = None,
                     skus: Iterable[str] | None = None) -> ReadinessMatrix:
    """Stored verdicts as products × markets, with verdict counts per market."""
    stmt = select(StoredVerdict.sku, StoredVerdict.market, StoredVerdict.verdict, StoredVerdict.open_items).where(
        StoredVerdict.organization_id == organization_id)
    if markets is not None:
        stmt = stmt.where(StoredVerdict.market.in_(sorted({m.upper() for m in markets})))
    if skus is not None:
        stmt = stmt.where(StoredVerdict.sku.in_(sorted(set(skus))))
    cells: dict[str, dict[str, MatrixCell]] = {}
    counts: dict[str, dict[str, int]] = {}
    for sku, market, verdict, open_items in session.execute(stmt.order_by(StoredVerdict.sku,
                                                                           StoredVerdict.market)):
        cells.setdefault(sku, {})[market] = MatrixCell(verdict, open_items)
        tally = counts.setdefault(market, {"ready": 0, "action_needed": 0, "blocked": 0})
        tally[verdict] += 1
    return ReadinessMatrix(markets=tuple(sorted(counts)), skus=tuple(cells), cells=cells, counts=counts)


def verdict_on(session: Session, *, organization_id: str, sku: str, market: str, on: date) -> VerdictRecord:
    """The checklist as xborder recorded it at the end of day `on` (UTC).

    Raises:
        NotFound: the SKU had not been evaluated in that market by then.
    """
    end = datetime.combine(on + timedelta(days=1), time.min, tzinfo=UTC)
    row = session.scalar(select(VerdictHistory).where(
        VerdictHistory.organization_id == organization_id, VerdictHistory.sku == sku,
        VerdictHistory.market == market.upper(), VerdictHistory.recorded_at < end)
        .order_by(VerdictHistory.recorded_at.desc(), VerdictHistory.id.desc()).limit(1))
    if row is None:
        raise NotFound(f"{sku} had not been evaluated for {market.upper()} by {on.isoformat()}",
                       details=[ErrorDetail("no verdict recorded", field="on", code="compliance.no_history")])
    items = session.scalar(select(ChecklistRecord.items).where(ChecklistRecord.organization_id == organization_id,
                                                               ChecklistRecord.digest == row.digest))
    return VerdictRecord(row.sku, row.market, row.verdict, items or [], row.rules_version, row.recorded_at,
                         row.cause)


def reevaluate_after_evidence(session: Session, *, organization_id: str, skus: Iterable[str] | None, clock: Clock
                              ) -> EvaluationSummary:
    """Re-check the SKUs a new document covers (all for an organization-wide one) in the markets already shown in
    the readiness matrix, so the matrix reflects the upload at once."""
    markets = session.scalars(select(StoredVerdict.market).where(StoredVerdict.organization_id == organization_id)
                              .distinct()).all()
    library = active_library(session)
    if not markets:
        return EvaluationSummary(rules_version=library.version, on=clock.today(), evaluated=0)
    return evaluate_catalog(session, organization_id=organization_id, on=clock.today(), clock=clock,
                            markets=sorted(markets), skus=skus, cause="evidence uploaded", library=library)


@dataclass(frozen=True)
class EvidenceSubmitted:
    evidence: EvidenceOut
    summary: EvaluationSummary


def submit_evidence(session: Session, *, organization_id: str, clock: Clock, filename: str, content: bytes,
                    evidence_type: str, scheme: str, issuer: str, issued_on: date, expires_on: date | None = None,
                    standard: str | None = None, reference: str | None = None, skus: list[str] | None = None,
                    markets: list[str] | None = None) -> EvidenceSubmitted:
    """Store a document (see `upload_evidence` for what is refused) and re-check the SKUs it covers at once."""
    out = upload_evidence(session, organization_id=organization_id, filename=filename, content=content,
                          evidence_type=evidence_type, scheme=scheme, issuer=issuer, issued_on=issued_on,
                          today=clock.today(), expires_on=expires_on, standard=standard, reference=reference,
                          skus=skus, markets=markets)
    summary = reevaluate_after_evidence(session, organization_id=organization_id,
                                        skus=list(out.skus) if out.skus is not None else None, clock=clock)
    return EvidenceSubmitted(out, summary)
