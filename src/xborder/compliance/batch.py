"""Catalog-scale evaluation: every SKU × every market on one date, fast enough for 100,000 SKUs × 20 markets.

SKUs are grouped by the results of the comparisons the rules make (a "profile"); each market projects profiles
onto the comparisons its own rules read, each rule's outcome is cached by the results of its own comparisons, and
evidence is resolved once per (market profile, evidence set). Results equal `evaluate_product` (property-tested).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xborder.compliance.attributes import ProductFacts
from xborder.compliance.conditions import Leaf, Outcome, evaluate_condition
from xborder.compliance.evaluate import (
    Assessment,
    Checklist,
    Context,
    Evidence,
    RequirementResult,
    Verdict,
    _active,
    _element,
    _Pending,
    _resolve,
    _verdict,
)
from xborder.compliance.schema import Rule

__all__ = ["BatchResult", "evaluate_batch"]


@dataclass
class BatchResult:
    """Assessments per market aligned with `skus` (equal profiles share one Assessment object)."""

    on: date
    skus: list[str]
    assessments: dict[str, list[Assessment]]
    groups: int = 0
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def assessment(self, sku: str, market: str) -> Assessment:
        if not self._index:
            self._index = {s: i for i, s in enumerate(self.skus)}
        return self.assessments[market][self._index[sku]]

    def checklist(self, sku: str, market: str) -> Checklist:
        a = self.assessment(sku, market)
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


def _profiles(products: Sequence[ProductFacts], leaves: list[Leaf]) -> tuple[list[int], list[tuple[Any, ...]]]:
    """Each product's profile index, and each profile's leaf results in `leaves` order."""
    by_attr: dict[str, list[int]] = {}
    for position, leaf in enumerate(leaves):
        by_attr.setdefault(leaf.attr, []).append(position)
    attrs = sorted(by_attr)
    memo: dict[str, dict[Any, tuple[Any, ...]]] = {a: {} for a in attrs}
    group_of: dict[tuple[Any, ...], int] = {}
    assignment: list[int] = []
    vectors: list[tuple[Any, ...]] = []
    for product in products:
        values = product.values
        parts = []
        for attr in attrs:
            value = values.get(attr)
            cache = memo[attr]
            vector = cache.get(value)
            if vector is None:
                single = {attr: value}
                vector = cache[value] = tuple(leaves[p].test(single) for p in by_attr[attr])
            parts.append(vector)
        key = tuple(parts)
        index = group_of.get(key)
        if index is None:
            index = group_of[key] = len(vectors)
            flat: list[Any] = [None] * len(leaves)
            for attr, vector in zip(attrs, parts, strict=True):
                for p, result in zip(by_attr[attr], vector, strict=True):
                    flat[p] = result
            vectors.append(tuple(flat))
        assignment.append(index)
    return assignment, vectors


def evaluate_batch(products: Sequence[ProductFacts], *, rules_by_market: Mapping[str, Sequence[Rule]], on: date,
                   evidence: Sequence[Evidence] = (), channel: str | None = None,
                   transport_mode: str | None = None, expiring_within_days: int = 60) -> BatchResult:
    """Evaluate every product in every market of `rules_by_market` on date `on`."""
    position: dict[Any, int] = {}
    leaves: list[Leaf] = []
    rule_leaves: dict[int, tuple[int, ...]] = {}
    for rules in rules_by_market.values():
        for rule in rules:
            if rule.condition is not None and id(rule) not in rule_leaves:
                indices = []
                for leaf in rule.condition.leaves():
                    if leaf.key not in position:
                        position[leaf.key] = len(leaves)
                        leaves.append(leaf)
                    indices.append(position[leaf.key])
                rule_leaves[id(rule)] = tuple(sorted(set(indices)))
    assignment, vectors = _profiles(products, leaves)
    general = [e for e in evidence if e.skus is None]
    specific: dict[str, list[Evidence]] = {}
    for e in evidence:
        for sku in e.skus or ():
            specific.setdefault(sku, []).append(e)
    signatures = [tuple(e.id for e in specific[p.sku]) if p.sku in specific else () for p in products]
    # caches shared by all markets: a rule's element by its own comparison results; a resolved item by the
    # element, the SKU-specific evidence set and the market (evidence can be market-scoped)
    elements: dict[tuple[int, tuple[Any, ...]], RequirementResult | _Pending] = {}
    resolved: dict[tuple[int, tuple[str, ...], str], RequirementResult] = {}
    assessments: dict[str, list[Assessment]] = {}
    for market, rules in rules_by_market.items():
        ctx = Context(market, on, channel, transport_mode, expiring_within_days)
        active = _active(rules, ctx)
        plan = [(rule, rule_leaves.get(id(rule), ())) for rule in active]
        used = sorted({i for _, own in plan for i in own})
        market_group: dict[tuple[Any, ...], int] = {}
        projected = []
        for vector in vectors:
            key = tuple(vector[i] for i in used)
            projected.append(market_group.setdefault(key, len(market_group)))
        bases: dict[int, list[RequirementResult | _Pending]] = {}
        cache: dict[tuple[int, tuple[str, ...]], Assessment] = {}
        column: list[Assessment] = []
        for index, group in enumerate(assignment):
            mgroup = projected[group]
            signature = signatures[index]
            found = cache.get((mgroup, signature))
            if found is None:
                base = bases.get(mgroup)
                if base is None:
                    base = bases[mgroup] = _market_base(plan, vectors[group], position, elements, ctx)
                own_evidence = specific.get(products[index].sku)
                pool = general + own_evidence if own_evidence else general
                items = []
                for element in base:
                    if isinstance(element, _Pending):
                        rkey = (id(element), signature, market)
                        item = resolved.get(rkey)
                        if item is None:
                            item = resolved[rkey] = _resolve(element, pool, ctx)
                        items.append(item)
                    else:
                        items.append(element)
                frozen = tuple(items)
                found = cache[(mgroup, signature)] = Assessment(market, on, _verdict(frozen), frozen)
            column.append(found)
        assessments[market] = column
    return BatchResult(on=on, skus=[p.sku for p in products], assessments=assessments, groups=len(vectors))


def _market_base(plan: list[tuple[Rule, tuple[int, ...]]], vector: tuple[Any, ...], position: dict[Any, int],
                 elements: dict[tuple[int, tuple[Any, ...]], RequirementResult | _Pending],
                 ctx: Context) -> list[RequirementResult | _Pending]:
    base: list[RequirementResult | _Pending] = []
    for rule, own in plan:
        key = (id(rule), tuple(vector[i] for i in own))
        element = elements.get(key)
        if element is None:
            outcome: Outcome | None = None
            if rule.condition is not None:
                outcome = evaluate_condition(rule.condition, lambda leaf: vector[position[leaf.key]])
            element = elements[key] = _element(rule, ctx, outcome)
        base.append(element)
    return base
