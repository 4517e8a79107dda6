"""Pure evaluator: product facts × market rules × date × evidence -> checklist and readiness verdict.

No session, no clock: `on` is an argument. `evaluate_batch` groups SKUs by the results of every comparison the
rules make (so 100,000 SKUs collapse to the few thousand attribute profiles that matter) and evaluates each group
once per market; evidence is resolved per distinct evidence set on top of the shared group result.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

from xborder.compliance.attributes import ProductFacts
from xborder.compliance.conditions import Leaf, Outcome, evaluate_condition
from xborder.compliance.schema import Kind, Rule, Severity
from xborder.kernel import Reference

__all__ = [
    "Assessment",
    "BatchResult",
    "Checklist",
    "Context",
    "Evidence",
    "RequirementResult",
    "Status",
    "Verdict",
    "evaluate_batch",
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
        return self.status.value


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


def _base(rules: Sequence[Rule], ctx: Context, outcome_of: Any) -> list[RequirementResult | _Pending]:
    out: list[RequirementResult | _Pending] = []
    for rule in rules:
        if rule.spec.markets is not None and ctx.market not in rule.spec.markets:
            continue
        if not rule.in_force(ctx.on):
            continue
        reason = _scope_reason(rule, ctx)
        if reason is not None:
            out.append(_item(rule, Status.NOT_APPLICABLE, reason=reason))
            continue
        outcome: Outcome = outcome_of(rule) if rule.condition is not None else Outcome(True, ("every product",))
        if outcome.value is None:
            out.append(_item(rule, Status.UNKNOWN, missing_attributes=outcome.missing))
        elif outcome.value is False:
            out.append(_item(rule, Status.NOT_APPLICABLE, reason=outcome.reason))
        elif rule.spec.kind is Kind.PROHIBITED:
            out.append(_item(rule, Status.PROHIBITED, triggered_by=outcome.triggered_by))
        else:
            out.append(_Pending(rule, outcome.triggered_by))
    return out


def _resolve(pending: _Pending, evidence: Sequence[Evidence], ctx: Context) -> RequirementResult:
    wanted = {(e.type, e.scheme) for e in pending.rule.spec.evidence}
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


@dataclass
class BatchResult:
    """Assessments per market aligned with `skus` (shared objects: equal profiles share one Assessment)."""

    on: date
    skus: list[str]
    assessments: dict[str, list[Assessment]]
    groups: int = 0
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def checklist(self, sku: str, market: str) -> Checklist:
        if not self._index:
            self._index = {s: i for i, s in enumerate(self.skus)}
        a = self.assessments[market][self._index[sku]]
        return Checklist(sku, market, a.on, a.verdict, a.items)

    def iter_checklists(self) -> Iterator[Checklist]:
        for market, column in self.assessments.items():
            for sku, a in zip(self.skus, column, strict=True):
                yield Checklist(sku, market, a.on, a.verdict, a.items)

    def verdict_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for market, column in self.assessments.items():
            tally = {v.value: 0 for v in Verdict}
            for a in column:
                tally[a.verdict.value] += 1
            counts[market] = tally
        return counts


def _profiles(products: Sequence[ProductFacts], leaves: Sequence[Leaf]) -> tuple[list[int], list[dict[Any, Any]]]:
    """Group products by the vector of leaf results; returns each product's group index and each group's leaf map."""
    by_attr: dict[str, list[Leaf]] = {}
    for leaf in leaves:
        by_attr.setdefault(leaf.attr, []).append(leaf)
    attrs = sorted(by_attr)
    memo: dict[str, dict[Any, tuple[bool | None, ...]]] = {a: {} for a in attrs}
    group_of: dict[tuple[Any, ...], int] = {}
    assignment: list[int] = []
    leaf_maps: list[dict[Any, Any]] = []
    for product in products:
        values = product.values
        parts = []
        for attr in attrs:
            value = values.get(attr)
            cache = memo[attr]
            vector = cache.get(value)
            if vector is None:
                vector = cache[value] = tuple(leaf.test({attr: value}) for leaf in by_attr[attr])
            parts.append(vector)
        key = tuple(parts)
        index = group_of.get(key)
        if index is None:
            index = group_of[key] = len(leaf_maps)
            leaf_maps.append({leaf.key: result for attr, vector in zip(attrs, parts, strict=True)
                              for leaf, result in zip(by_attr[attr], vector, strict=True)})
        assignment.append(index)
    return assignment, leaf_maps


def evaluate_batch(products: Sequence[ProductFacts], *, rules_by_market: Mapping[str, Sequence[Rule]], on: date,
                   evidence: Sequence[Evidence] = (), channel: str | None = None,
                   transport_mode: str | None = None, expiring_within_days: int = 60) -> BatchResult:
    """Evaluate every product in every market of `rules_by_market` on date `on`."""
    leaves: dict[Any, Leaf] = {}
    for rules in rules_by_market.values():
        for rule in rules:
            if rule.condition is not None:
                for leaf in rule.condition.leaves():
                    leaves.setdefault(leaf.key, leaf)
    assignment, leaf_maps = _profiles(products, list(leaves.values()))
    general = [e for e in evidence if e.skus is None]
    specific: dict[str, list[Evidence]] = {}
    for e in evidence:
        for sku in e.skus or ():
            specific.setdefault(sku, []).append(e)
    outcome_cache: dict[tuple[int, int], Outcome] = {}
    assessments: dict[str, list[Assessment]] = {}
    for market, rules in rules_by_market.items():
        ctx = Context(market, on, channel, transport_mode, expiring_within_days)
        bases: dict[int, list[RequirementResult | _Pending]] = {}
        cache: dict[tuple[int, tuple[str, ...]], Assessment] = {}
        column: list[Assessment] = []
        for product, group in zip(products, assignment, strict=True):
            own = specific.get(product.sku)
            signature = tuple(e.id for e in own) if own else ()
            found = cache.get((group, signature))
            if found is None:
                base = bases.get(group)
                if base is None:
                    leaf_map = leaf_maps[group]

                    def outcome_of(rule: Rule, g: int = group, lm: dict[Any, Any] = leaf_map) -> Outcome:
                        key = (g, id(rule))
                        hit = outcome_cache.get(key)
                        if hit is None:
                            assert rule.condition is not None
                            hit = outcome_cache[key] = evaluate_condition(rule.condition,
                                                                          lambda leaf: lm[leaf.key])
                        return hit

                    base = bases[group] = _base(rules, ctx, outcome_of)
                found = cache[(group, signature)] = _assess(base, general + (own or []), ctx)
            column.append(found)
        assessments[market] = column
    return BatchResult(on=on, skus=[p.sku for p in products], assessments=assessments, groups=len(leaf_maps))
