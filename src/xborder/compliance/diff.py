"""Semantic diff between two rule-library versions and the SKUs a change can affect.

A change is indexed by the attributes and HS prefixes its old and new conditions read: only products for which
either version's condition is not known-false are re-evaluated (`affected_skus`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from xborder.compliance.attributes import ProductFacts
from xborder.compliance.conditions import Leaf, evaluate_condition
from xborder.compliance.packs import RuleLibrary
from xborder.compliance.schema import Rule

__all__ = ["RuleChange", "affected_skus", "diff_libraries"]

ChangeKind = Literal["added", "removed", "changed", "dates_moved"]
_DATE_FIELDS = frozenset({"valid_from", "valid_to"})
_COSMETIC = frozenset({"checked_on"})


@dataclass(frozen=True)
class RuleChange:
    """One rule that differs between versions, with the markets whose checklists it touches."""

    rule_id: str
    change: ChangeKind
    folder: str
    markets: tuple[str, ...]
    fields: tuple[str, ...]
    old: Rule | None
    new: Rule | None

    @property
    def market_scope(self) -> str:
        return self.folder.upper()

    @property
    def summary(self) -> str:
        if self.change == "added":
            assert self.new is not None
            return f"new rule: {self.new.spec.title.en} (from {self.new.spec.valid_from})"
        if self.change == "removed":
            assert self.old is not None
            return f"rule removed: {self.old.spec.title.en}"
        assert self.old is not None and self.new is not None
        if self.change == "dates_moved":
            return (f"effective dates moved: {self.old.spec.valid_from}..{self.old.spec.valid_to or 'open'} -> "
                    f"{self.new.spec.valid_from}..{self.new.spec.valid_to or 'open'}")
        return "changed: " + ", ".join(self.fields)

    def as_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "change": self.change, "pack": self.folder, "markets": list(self.markets),
                "fields": list(self.fields), "summary": self.summary}


def _markets_using(library: RuleLibrary, folder: str) -> set[str]:
    return {m for m in library.markets() if folder in library.chain(m)}


def diff_libraries(old: RuleLibrary, new: RuleLibrary) -> list[RuleChange]:
    """Rules added, removed or changed per pack; a change confined to valid_from/valid_to is `dates_moved`."""
    changes: list[RuleChange] = []
    for folder in sorted(set(old.rules) | set(new.rules)):
        before = {r.id: r for r in old.rules.get(folder, ())}
        after = {r.id: r for r in new.rules.get(folder, ())}
        markets = tuple(sorted((_markets_using(old, folder) if folder in old.packs else set())
                               | (_markets_using(new, folder) if folder in new.packs else set())))
        for rule_id in sorted(set(before) | set(after)):
            a, b = before.get(rule_id), after.get(rule_id)
            if a is None:
                changes.append(RuleChange(rule_id, "added", folder, markets, (), None, b))
            elif b is None:
                changes.append(RuleChange(rule_id, "removed", folder, markets, (), a, None))
            else:
                da, db = a.spec.model_dump(mode="json"), b.spec.model_dump(mode="json")
                fields = tuple(sorted(k for k in da.keys() | db.keys()
                                      if da.get(k) != db.get(k) and k not in _COSMETIC))
                if fields:
                    kind: ChangeKind = "dates_moved" if set(fields) <= _DATE_FIELDS else "changed"
                    changes.append(RuleChange(rule_id, kind, folder, markets, fields, a, b))
    return changes


def affected_skus(changes: Sequence[RuleChange], products: Sequence[ProductFacts]) -> dict[str, set[str]]:
    """Market -> SKUs whose checklist a change can alter: either version's condition is true or unknown for it.

    Products are grouped by the values of the attributes the changed conditions read, so each distinct profile is
    tested once per change.
    """
    result: dict[str, set[str]] = {}
    for change in changes:
        rules = [r for r in (change.old, change.new) if r is not None]
        if any(r.condition is None for r in rules):
            hit = {p.sku for p in products}
        else:
            attrs = sorted({a for r in rules for a in r.attributes()})
            memo: dict[tuple[Any, ...], bool] = {}
            hit = set()
            for product in products:
                key = tuple(product.values.get(a) for a in attrs)
                can = memo.get(key)
                if can is None:
                    values = dict(zip(attrs, key, strict=True))

                    def test(leaf: Leaf, values: dict[str, Any] = values) -> bool | None:
                        return leaf.test(values)

                    can = memo[key] = any(evaluate_condition(r.condition, test).value is not False
                                          for r in rules if r.condition is not None)
                if can:
                    hit.add(product.sku)
        for market in change.markets:
            result.setdefault(market, set()).update(hit)
    return result
