"""Rule conditions: parse the structured YAML form, evaluate it in three-valued logic, explain the outcome.

A condition is `{all: [...]}`, `{any: [...]}`, `{not: ...}`, `{hs: [prefixes]}`, `{hs_range: [from, to]}` or a
comparison `{attr: NAME, <op>: VALUE}`. An attribute the product lacks makes a comparison *unknown* (None), never
false; `all`/`any`/`not` follow Kleene logic, so a known false conjunct still decides the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from xborder.compliance.attributes import ATTRIBUTES
from xborder.kernel import ErrorDetail

__all__ = [
    "OPERATORS",
    "Condition",
    "Leaf",
    "Outcome",
    "evaluate_condition",
    "parse_condition",
]

Tri = bool | None
OPERATORS = ("eq", "ne", "in", "not_in", "gt", "ge", "lt", "le", "contains_any", "contains_none", "not_empty",
             "known", "mentions_any")
_NUMERIC_OPS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}


@dataclass(frozen=True, slots=True)
class Leaf:
    """One comparison. `key` identifies equal leaves across rules so their results are computed once per group."""

    attr: str
    op: str
    value: Any

    @property
    def key(self) -> tuple[str, str, Any]:
        return (self.attr, self.op, self.value)

    def describe(self) -> str:
        v = self.value
        if self.op == "hs":
            shown = ", ".join(f"{p}*" for p in v[:4])
            return f"hs_code in {shown}" + (f" (+{len(v) - 4} more)" if len(v) > 4 else "")
        if self.op == "hs_range":
            return f"hs_code in {v[0]}–{v[1]}"
        if self.op in _NUMERIC_OPS:
            return f"{self.attr} {_NUMERIC_OPS[self.op]} {v}"
        if self.op in ("in", "not_in", "contains_any", "contains_none", "mentions_any"):
            words = {"in": "is", "not_in": "is not", "contains_any": "includes",
                     "contains_none": "includes none of", "mentions_any": "mentions"}
            return f"{self.attr} {words[self.op]} {' or '.join(v)}"
        if self.op == "eq":
            return f"{self.attr} is {v}"
        if self.op == "ne":
            return f"{self.attr} is not {v}"
        if self.op == "not_empty":
            return f"{self.attr} is {'not empty' if v else 'empty'}"
        return f"{self.attr} is {'known' if v else 'unknown'}"

    def test(self, values: Mapping[str, Any]) -> Tri:
        actual = values.get(self.attr)
        if self.op == "known":
            return bool((actual is not None) == self.value)
        if actual is None:
            return None
        op, v = self.op, self.value
        if op == "hs":
            return bool(actual.startswith(v))
        if op == "hs_range":
            width = len(v[0])
            return bool(v[0] <= actual[:width] <= v[1])
        if op == "eq":
            return bool(actual == v)
        if op == "ne":
            return bool(actual != v)
        if op == "in":
            return actual in v
        if op == "not_in":
            return actual not in v
        if op == "gt":
            return bool(actual > v)
        if op == "ge":
            return bool(actual >= v)
        if op == "lt":
            return bool(actual < v)
        if op == "le":
            return bool(actual <= v)
        if op == "contains_any":
            return any(item in v for item in actual)
        if op == "contains_none":
            return not any(item in v for item in actual)
        if op == "not_empty":
            return bool((len(actual) > 0) == v)
        if op == "mentions_any":
            text = " ".join(actual) if isinstance(actual, tuple) else str(actual)
            return any(word in text for word in v)
        raise AssertionError(op)  # parse_condition admits only the operators above


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition tree: `op` is all | any | not | leaf."""

    op: str
    children: tuple[Condition, ...] = ()
    leaf: Leaf | None = None

    def leaves(self) -> list[Leaf]:
        if self.leaf is not None:
            return [self.leaf]
        return [leaf for child in self.children for leaf in child.leaves()]

    def attributes(self) -> frozenset[str]:
        return frozenset(leaf.attr for leaf in self.leaves())


@dataclass(frozen=True, slots=True)
class Outcome:
    """Three-valued result with its explanation: what triggered it, why not, or which attributes are missing."""

    value: Tri
    triggered_by: tuple[str, ...] = ()
    reason: str | None = None
    missing: tuple[str, ...] = ()


def evaluate_condition(cond: Condition, test: Callable[[Leaf], Tri]) -> Outcome:
    """Evaluate `cond`; `test` returns a leaf's value (so callers can cache leaf results per attribute group).

    Explanations name the comparison, not the product's value, so SKUs grouped by profile share them.
    """
    if cond.leaf is not None:
        leaf = cond.leaf
        result = test(leaf)
        if result is True:
            return Outcome(True, triggered_by=(leaf.describe(),))
        if result is False:
            return Outcome(False, reason=f"does not match: {leaf.describe()}")
        return Outcome(None, missing=(leaf.attr,))
    if cond.op == "not":
        inner = evaluate_condition(cond.children[0], test)
        if inner.value is None:
            return inner
        if inner.value:
            return Outcome(False, reason="not applicable because " + "; ".join(inner.triggered_by))
        return Outcome(True, triggered_by=(f"not ({inner.reason})",))
    outcomes = []
    for child in cond.children:
        outcome = evaluate_condition(child, test)
        if cond.op == "all" and outcome.value is False:
            return outcome
        if cond.op == "any" and outcome.value is True:
            return outcome
        outcomes.append(outcome)
    missing = tuple(sorted({a for o in outcomes if o.value is None for a in o.missing}))
    if missing:
        return Outcome(None, missing=missing)
    if cond.op == "all":
        return Outcome(True, triggered_by=tuple(t for o in outcomes for t in o.triggered_by))
    return Outcome(False, reason="none of: " + " | ".join(o.reason or "" for o in outcomes))


# ---- parsing ---------------------------------------------------------------------------------------------------

def _fold(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def _leaf_value(attr: str, op: str, raw: Any, where: str, errors: list[ErrorDetail]) -> Any:
    spec = ATTRIBUTES[attr]
    if op in ("known", "not_empty"):
        if not isinstance(raw, bool):
            errors.append(ErrorDetail(f"{op} takes true or false", field=where))
        elif op == "not_empty" and spec.type != "list":
            errors.append(ErrorDetail(f"not_empty applies to list attributes, {attr} is {spec.type}", field=where))
        return raw
    if op in _NUMERIC_OPS:
        if spec.type != "number":
            errors.append(ErrorDetail(f"{op} needs a number attribute, {attr} is {spec.type}", field=where))
            return raw
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            errors.append(ErrorDetail(f"{op} takes an integer or a quoted decimal, not {raw!r}", field=where))
            return raw
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            errors.append(ErrorDetail(f"{raw!r} is not a number", field=where))
            return raw
    if op in ("in", "not_in", "contains_any", "contains_none", "mentions_any"):
        if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
            errors.append(ErrorDetail(f"{op} takes a non-empty list of strings", field=where))
            return ()
        items = tuple(sorted({_fold(x) if spec.type != "country" else x.upper() for x in raw}))
        if op.startswith("contains") and spec.type != "list":
            errors.append(ErrorDetail(f"{op} applies to list attributes, {attr} is {spec.type}", field=where))
        if spec.values and op != "mentions_any":
            unknown = [x for x in items if x not in spec.values]
            if unknown:
                errors.append(ErrorDetail(f"{', '.join(unknown)} can never match {attr} "
                                          f"(known values: {', '.join(spec.values)})", field=where))
        return items
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        errors.append(ErrorDetail(f"{op} takes a string", field=where))
        return raw
    value = _fold(str(raw)) if spec.type != "country" else str(raw).upper()
    if spec.values and value not in spec.values:
        errors.append(ErrorDetail(f"{value!r} can never match {attr} (known values: {', '.join(spec.values)})",
                                  field=where))
    if spec.type == "number":
        errors.append(ErrorDetail(f"use gt/ge/lt/le for the number attribute {attr}", field=where))
    return value


def _hs_codes(raw: Any, where: str, errors: list[ErrorDetail]) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    codes: list[str] = []
    for item in items:
        code = str(item).replace(".", "").replace(" ", "")
        if not code.isdigit() or not 2 <= len(code) <= 10 or isinstance(item, bool):
            errors.append(ErrorDetail(f"{item!r} is not an HS code prefix (2 to 10 digits, quote it)", field=where))
        else:
            codes.append(code)
    return tuple(codes)


def parse_condition(raw: Any, where: str, errors: list[ErrorDetail]) -> Condition:
    """Parse YAML into a Condition; problems are appended to `errors` with `field` set to the path (`where`)."""
    if not isinstance(raw, dict) or not raw:
        errors.append(ErrorDetail("a condition is a mapping: all/any/not/hs/hs_range or attr + operator",
                                  field=where))
        return Condition("all")
    if "attr" in raw:
        attr = raw["attr"]
        ops = [k for k in raw if k != "attr"]
        if attr not in ATTRIBUTES:
            errors.append(ErrorDetail(f"{attr!r} is not a catalog attribute (known: {', '.join(sorted(ATTRIBUTES))})",
                                      field=f"{where}.attr", code="compliance.unknown_attribute"))
            return Condition("all")
        if len(ops) != 1 or ops[0] not in OPERATORS:
            errors.append(ErrorDetail(f"give exactly one operator out of {', '.join(OPERATORS)} (got {ops})",
                                      field=where))
            return Condition("all")
        op = ops[0]
        return Condition("leaf", leaf=Leaf(attr, op, _leaf_value(attr, op, raw[op], f"{where}.{op}", errors)))
    if len(raw) != 1:
        errors.append(ErrorDetail(f"one key per condition, got {sorted(raw)}", field=where))
        return Condition("all")
    (key, body), = raw.items()
    if key in ("all", "any"):
        if not isinstance(body, list) or not body:
            errors.append(ErrorDetail(f"{key} takes a non-empty list", field=f"{where}.{key}"))
            return Condition(key)
        return Condition(key, tuple(parse_condition(c, f"{where}.{key}[{i}]", errors) for i, c in enumerate(body)))
    if key == "not":
        return Condition("not", (parse_condition(body, f"{where}.not", errors),))
    if key == "hs":
        return Condition("leaf", leaf=Leaf("hs_code", "hs", _hs_codes(body, f"{where}.hs", errors)))
    if key == "hs_range":
        codes = _hs_codes(body, f"{where}.hs_range", errors)
        if len(codes) != 2 or len(codes[0]) != len(codes[1]) or codes[0] > codes[1]:
            errors.append(ErrorDetail("hs_range takes [from, to] of equal length with from <= to",
                                      field=f"{where}.hs_range"))
            codes = ("00", "00")
        return Condition("leaf", leaf=Leaf("hs_code", "hs_range", codes))
    errors.append(ErrorDetail(f"unknown condition key {key!r}", field=where))
    return Condition("all")
