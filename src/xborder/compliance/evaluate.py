"""Pure evaluator: product facts × market rules × date × evidence -> checklist and readiness verdict.

No session, no clock: `on` is an argument. This module evaluates one SKU and defines the result types;
`batch.py` evaluates a whole catalog with the same building blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from xborder.compliance.attributes import ProductFacts
from xborder.compliance.conditions import Outcome, evaluate_condition
from xborder.compliance.schema import Kind, Rule, Severity
from xborder.kernel import Reference

__all__ = [
    "Assessment",
    "Checklist",
    "Context",
    "Evidence",
    "RequirementResult",
    "Status",
    "Verdict",
    "evaluate_product",
]


class Status(str, Enum):
    SATISFIED = "satisfied"
    MISSING = "missing"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"
    PROHIBITED = "prohibited"


class Verdict(str, Enum):
    READY = "ready"
    ACTION_NEEDED = "action_needed"
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A document that can satisfy requirements. `skus`/`markets` None = every SKU / every market of the owner."""

    id: str
    type: str
    scheme: str
    issued_on: date
    expires_on: date | None = None
    skus: frozenset[str] | None = None
    markets: frozenset[str] | None = None
    standard: str | None = None
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """Where and when: destination market, date, optional sales channel and transport mode.

    An unspecified channel or mode means "any": rules scoped to a channel/mode then apply (conservative).
    """

    market: str
    on: date
    channel: str | None = None
    transport_mode: str | None = None
    expiring_within_days: int = 60


@dataclass(frozen=True, slots=True)
class RequirementResult:
    rule_id: str
    kind: Kind
    severity: Severity
    status: Status
    title_en: str
    title_zh: str
    source: Reference
    triggered_by: tuple[str, ...] = ()
    reason: str | None = None
    missing_attributes: tuple[str, ...] = ()
    evidence_ids: tuple[str, ...] = ()
    expires_on: date | None = None
    certainty: str = "confirmed"
    note: str | None = None

    @property
    def message(self) -> str:
        if self.status is Status.UNKNOWN:
            return "unknown — please fill in: " + ", ".join(self.missing_attributes)
        if self.status is Status.NOT_APPLICABLE:
            return f"not applicable: {self.reason}"
        return str(self.status.value)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The checklist of one attribute profile (+ evidence set) in one market; shared by every SKU that has it."""

    market: str
    on: date
    verdict: Verdict
    items: tuple[RequirementResult, ...]

    def open_items(self) -> tuple[RequirementResult, ...]:
        return tuple(i for i in self.items if i.status not in (Status.SATISFIED, Status.NOT_APPLICABLE))


@dataclass(frozen=True, slots=True)
class Checklist:
    sku: str
    market: str
    on: date
    verdict: Verdict
    items: tuple[RequirementResult, ...]


_OPEN = (Status.MISSING, Status.EXPIRED)


def _verdict(items: Sequence[RequirementResult]) -> Verdict:
    verdict = Verdict.READY
    for item in items:
        if item.status is Status.PROHIBITED or (item.status in _OPEN and item.severity is Severity.BLOCKING):
            return Verdict.BLOCKED
        if item.status in (*_OPEN, Status.EXPIRING, Status.UNKNOWN) and item.severity is not Severity.ADVISORY:
            verdict = Verdict.ACTION_NEEDED
    return verdict


def _item(rule: Rule, status: Status, **extra: Any) -> RequirementResult:
    s = rule.spec
    return RequirementResult(rule_id=s.id, kind=s.kind, severity=s.severity, status=status, title_en=s.title.en,
                             title_zh=s.title.zh, source=Reference(s.source.title, s.source.href),
                             certainty=s.certainty, note=s.note, **extra)


def _scope_reason(rule: Rule, ctx: Context) -> str | None:
    s = rule.spec
    if ctx.channel is not None and s.channels is not None and ctx.channel not in s.channels:
        return f"applies to sales channel {', '.join(s.channels)}, not {ctx.channel}"
    if ctx.transport_mode is not None and s.transport_modes is not None and ctx.transport_mode not in s.transport_modes:
        return f"applies to transport by {', '.join(s.transport_modes)}, not {ctx.transport_mode}"
    return None


@dataclass(frozen=True, slots=True)
class _Pending:
    """An applicable rule whose status depends on evidence."""

    rule: Rule
    triggered_by: tuple[str, ...]


def _active(rules: Sequence[Rule], ctx: Context) -> list[Rule]:
    """Rules of this market in force on the date (scope by destination and effective dates)."""
    return [r for r in rules if (r.spec.markets is None or ctx.market in r.spec.markets) and r.in_force(ctx.on)]


def _element(rule: Rule, ctx: Context, outcome: Outcome | None) -> RequirementResult | _Pending:
    """A rule's item before evidence: decided (not applicable, unknown, prohibited) or pending evidence."""
    reason = _scope_reason(rule, ctx)
    if reason is not None:
        return _item(rule, Status.NOT_APPLICABLE, reason=reason)
    if outcome is None:
        outcome = Outcome(True, ("every product",))
    if outcome.value is None:
        return _item(rule, Status.UNKNOWN, missing_attributes=outcome.missing)
    if outcome.value is False:
        return _item(rule, Status.NOT_APPLICABLE, reason=outcome.reason)
    if rule.spec.kind is Kind.PROHIBITED:
        return _item(rule, Status.PROHIBITED, triggered_by=outcome.triggered_by)
    return _Pending(rule, outcome.triggered_by)


def _base(rules: Sequence[Rule], ctx: Context, outcome_of: Any) -> list[RequirementResult | _Pending]:
    return [_element(rule, ctx, outcome_of(rule) if rule.condition is not None else None)
            for rule in _active(rules, ctx)]


def _resolve(pending: _Pending, evidence: Sequence[Evidence], ctx: Context) -> RequirementResult:
    wanted = pending.rule.wanted
    matching = [e for e in evidence if (e.type, e.scheme) in wanted and e.issued_on <= ctx.on
                and (e.markets is None or ctx.market in e.markets)]
    horizon = ctx.on + timedelta(days=ctx.expiring_within_days)
    valid = [e for e in matching if e.expires_on is None or e.expires_on >= ctx.on]
    lasting = [e for e in valid if e.expires_on is None or e.expires_on > horizon]
    if lasting:
        best = max(lasting, key=lambda e: e.expires_on or date.max)
        return _item(pending.rule, Status.SATISFIED, triggered_by=pending.triggered_by,
                     evidence_ids=tuple(sorted(e.id for e in lasting)), expires_on=best.expires_on)
    if valid:
        best = max(valid, key=lambda e: e.expires_on or date.max)
        return _item(pending.rule, Status.EXPIRING, triggered_by=pending.triggered_by,
                     evidence_ids=tuple(sorted(e.id for e in valid)), expires_on=best.expires_on)
    if matching:
        last = max(matching, key=lambda e: e.expires_on or date.max)
        return _item(pending.rule, Status.EXPIRED, triggered_by=pending.triggered_by,
                     evidence_ids=tuple(sorted(e.id for e in matching)), expires_on=last.expires_on)
    return _item(pending.rule, Status.MISSING, triggered_by=pending.triggered_by)


def _assess(base: list[RequirementResult | _Pending], evidence: Sequence[Evidence], ctx: Context) -> Assessment:
    items = tuple(_resolve(x, evidence, ctx) if isinstance(x, _Pending) else x for x in base)
    return Assessment(ctx.market, ctx.on, _verdict(items), items)


def evaluate_product(facts: ProductFacts, *, rules: Sequence[Rule], context: Context,
                     evidence: Sequence[Evidence] = ()) -> Checklist:
    """Checklist of one SKU in one market. `evidence` may include other SKUs' documents: scope is applied here."""
    values = facts.values

    def outcome_of(rule: Rule) -> Outcome:
        assert rule.condition is not None
        return evaluate_condition(rule.condition, lambda leaf: leaf.test(values))

    mine = [e for e in evidence if e.skus is None or facts.sku in e.skus]
    assessment = _assess(_base(rules, context, outcome_of), mine, context)
    return Checklist(facts.sku, context.market, context.on, assessment.verdict, assessment.items)
