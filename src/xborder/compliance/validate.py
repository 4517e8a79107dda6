"""Authoring checks beyond the schema (`xborder rules validate`): unreachable conditions, shadowed duplicates,
overrides that change nothing. Each problem names the pack, rule id and field.

Reachability is decided on the condition in disjunctive normal form: a conjunction is impossible when its
comparisons on one attribute contradict (an empty number interval, disjoint value sets, HS prefixes that cannot
both match, an attribute required both known and unknown).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xborder.compliance.conditions import Condition, Leaf
from xborder.compliance.packs import RuleLibrary
from xborder.compliance.schema import Rule
from xborder.kernel import ErrorDetail

__all__ = ["is_satisfiable", "lint_library"]

_MAX_TERMS = 512
_NEGATE = {"eq": "ne", "ne": "eq", "in": "not_in", "not_in": "in", "gt": "le", "le": "gt", "ge": "lt", "lt": "ge",
           "contains_any": "contains_none", "contains_none": "contains_any"}
Literal_ = tuple[Leaf, bool]  # (leaf, positive)


def _dnf(cond: Condition, positive: bool = True) -> list[list[Literal_]] | None:
    """Terms of the DNF (None when it would exceed _MAX_TERMS: then reachability is assumed)."""
    if cond.leaf is not None:
        return [[(cond.leaf, positive)]]
    if cond.op == "not":
        return _dnf(cond.children[0], not positive)
    conjunctive = (cond.op == "all") == positive
    parts = [_dnf(child, positive) for child in cond.children]
    if any(p is None for p in parts):
        return None
    if not conjunctive:
        return [term for p in parts for term in p or []]
    terms: list[list[Literal_]] = [[]]
    for p in parts:
        terms = [t + u for t in terms for u in p or []]
        if len(terms) > _MAX_TERMS:
            return None
    return terms


def _normalize(leaf: Leaf, positive: bool) -> tuple[str, Any] | None:
    if positive:
        return leaf.op, leaf.value
    if leaf.op in _NEGATE:
        return _NEGATE[leaf.op], leaf.value
    if leaf.op in ("known", "not_empty"):
        return leaf.op, not leaf.value
    if leaf.op == "hs":
        return "not_hs", leaf.value
    return None  # negated mentions_any / hs_range: not analysed


def _term_possible(term: list[Literal_]) -> bool:
    by_attr: dict[str, list[tuple[str, Any]]] = {}
    for leaf, positive in term:
        norm = _normalize(leaf, positive)
        if norm is not None:
            by_attr.setdefault(leaf.attr, []).append(norm)
    return all(_attr_possible(items) for items in by_attr.values())


def _attr_possible(items: list[tuple[str, Any]]) -> bool:
    low, low_incl, high, high_incl = Decimal("-Infinity"), False, Decimal("Infinity"), False
    allowed: set[Any] | None = None
    excluded: set[Any] = set()
    must_have: list[set[str]] = []
    must_not: set[str] = set()
    include_prefixes: list[tuple[str, ...]] = []
    exclude_prefixes: list[str] = []
    for op, value in items:
        if op == "known" and value is False:
            return len(items) == 1 or all(o == "known" and v is False for o, v in items)
        if op in ("gt", "ge") and (value > low or (value == low and op == "gt")):
            low, low_incl = value, op == "ge"
        elif op in ("lt", "le") and (value < high or (value == high and op == "lt")):
            high, high_incl = value, op == "le"
        elif op in ("eq", "in"):
            values = {value} if op == "eq" else set(value)
            allowed = values if allowed is None else allowed & values
        elif op in ("ne", "not_in"):
            excluded |= {value} if op == "ne" else set(value)
        elif op == "contains_any":
            must_have.append(set(value))
        elif op == "contains_none":
            must_not |= set(value)
        elif op == "not_empty" and value is False and must_have:
            return False
        elif op == "hs":
            include_prefixes.append(value)
        elif op == "not_hs":
            exclude_prefixes.extend(value)
    if low > high or (low == high and not (low_incl and high_incl)):
        return False
    if allowed is not None and not (allowed - excluded):
        return False
    if any(group <= must_not for group in must_have):
        return False
    candidates: list[str] = [""]
    for prefixes in include_prefixes:
        candidates = [max(c, p, key=len) for c in candidates for p in prefixes if c.startswith(p) or p.startswith(c)]
        if not candidates:
            return False
    return not (include_prefixes and all(any(c.startswith(x) for x in exclude_prefixes) for c in candidates))


def is_satisfiable(cond: Condition) -> bool:
    """False only when no product can make the condition true."""
    terms = _dnf(cond)
    return terms is None or any(_term_possible(term) for term in terms)


def _fingerprint(rule: Rule) -> str:
    spec = rule.spec.model_dump(mode="json", exclude={"id", "title", "source", "note", "checked_on", "certainty"})
    return repr(sorted(spec.items()))


def lint_library(library: RuleLibrary) -> list[ErrorDetail]:
    """Problems a schema cannot see; an empty list means the library is clean."""
    problems: list[ErrorDetail] = []
    for folder, rules in sorted(library.rules.items()):
        source = f"{folder}/rules.yaml"
        for rule in rules:
            if rule.condition is not None and not is_satisfiable(rule.condition):
                problems.append(ErrorDetail(f"rule {rule.id}: its condition can never be true (unreachable rule)",
                                            field=f"{source}: {rule.id}.when", code="compliance.unreachable_rule"))
        seen: dict[str, str] = {}
        for rule in rules:
            key = _fingerprint(rule)
            if key in seen:
                problems.append(ErrorDetail(f"rule {rule.id} duplicates {seen[key]} (same kind, condition, scope, "
                                            "evidence and dates): one shadows the other",
                                            field=f"{source}: {rule.id}", code="compliance.shadowed_rule"))
            seen.setdefault(key, rule.id)
        parent = library.packs[folder].extends
        if parent is not None and parent in library.packs:
            inherited = {r.id: r for r in library.rules_for(parent)}
            for rule in rules:
                base = inherited.get(rule.id)
                if base is not None and base.spec.model_dump(exclude={"checked_on"}) == \
                        rule.spec.model_dump(exclude={"checked_on"}):
                    problems.append(ErrorDetail(f"rule {rule.id} restates the inherited rule unchanged",
                                                field=f"{source}: {rule.id}", code="compliance.shadowed_rule"))
    return problems
