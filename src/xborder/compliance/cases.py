"""YAML test cases beside each rule pack (`jurisdictions/<cc>/cases.yaml`): product in -> requirements out.

A case is `{name, on, input: {market, product, evidence?, channel?, transport_mode?}, expected: {verdict?,
requirements: {rule_id: status}}}`. `run_case` returns the mismatches (empty list = pass); pytest collects the
files through tests/rules/conftest.py and `xborder rules test` runs them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from xborder.compliance.attributes import facts_from_mapping
from xborder.compliance.evaluate import Checklist, Context, Evidence, evaluate_product
from xborder.compliance.packs import RuleLibrary
from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["RuleCase", "evidence_from_mapping", "read_cases", "run_case"]


@dataclass(frozen=True)
class RuleCase:
    name: str
    on: date
    market: str
    product: dict[str, Any]
    evidence: tuple[Evidence, ...]
    channel: str | None
    transport_mode: str | None
    expected_verdict: str | None
    expected: dict[str, str]
    source: str


def _date(value: Any, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(f"{field}: {value!r} is not a date (YYYY-MM-DD)",
                               details=[ErrorDetail("not a date", field=field)]) from None


def evidence_from_mapping(raw: dict[str, Any], *, index: int = 0) -> Evidence:
    """Evidence written in a case or a CLI evidence file: {type, scheme, issued_on, expires_on?, skus?, markets?}."""
    where = f"evidence[{index}]"
    if not isinstance(raw, dict) or "type" not in raw or "scheme" not in raw:
        raise ValidationFailed(f"{where}: needs type and scheme", details=[ErrorDetail("missing type/scheme",
                                                                                       field=where)])
    skus = raw.get("skus")
    markets = raw.get("markets")
    return Evidence(
        id=str(raw.get("id", f"{raw['type']}:{raw['scheme']}:{index}")),
        type=str(raw["type"]), scheme=str(raw["scheme"]),
        issued_on=_date(raw.get("issued_on", "2000-01-01"), f"{where}.issued_on"),
        expires_on=_date(raw["expires_on"], f"{where}.expires_on") if raw.get("expires_on") else None,
        skus=frozenset(map(str, skus)) if skus else None,
        markets=frozenset(str(m).upper() for m in markets) if markets else None,
        standard=raw.get("standard"), reference=raw.get("reference"))


def read_cases(path: Path) -> list[RuleCase]:
    """Parse one cases.yaml; a malformed case raises ValidationFailed naming the case and field."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValidationFailed(f"{path}: a cases file is a list of cases", details=[ErrorDetail("not a list")])
    cases: list[RuleCase] = []
    for index, raw in enumerate(data):
        name = str(raw.get("name") or f"case[{index}]") if isinstance(raw, dict) else f"case[{index}]"
        try:
            # YAML 1.1 reads a bare `on:` key as the boolean True
            on = raw["on"] if "on" in raw else raw[True]
            inp, expected = raw["input"], raw["expected"]
            product = dict(inp["product"])
            cases.append(RuleCase(
                name=name, on=_date(on, f"{name}.on"), market=str(inp["market"]).upper(), product=product,
                evidence=tuple(evidence_from_mapping(e, index=i) for i, e in enumerate(inp.get("evidence") or [])),
                channel=inp.get("channel"), transport_mode=inp.get("transport_mode"),
                expected_verdict=expected.get("verdict"),
                expected={str(k): str(v) for k, v in (expected.get("requirements") or {}).items()},
                source=str(path)))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValidationFailed(f"{path}: case {name!r} lacks {exc}",
                                   details=[ErrorDetail(f"missing {exc}", field=name)]) from None
    return cases


def evaluate_case(case: RuleCase, library: RuleLibrary) -> Checklist:
    facts = facts_from_mapping(str(case.product.get("sku", case.name)), case.product)
    context = Context(case.market, case.on, case.channel, case.transport_mode)
    return evaluate_product(facts, rules=library.rules_for(case.market), context=context, evidence=case.evidence)


def run_case(case: RuleCase, library: RuleLibrary) -> list[str]:
    """Mismatches between the expected and the computed checklist (rule ids absent from the checklist count as
    `absent`)."""
    checklist = evaluate_case(case, library)
    statuses = {item.rule_id: item.status.value for item in checklist.items}
    problems = []
    if case.expected_verdict is not None and checklist.verdict.value != case.expected_verdict:
        problems.append(f"verdict: expected {case.expected_verdict}, got {checklist.verdict.value}")
    for rule_id, want in case.expected.items():
        got = statuses.get(rule_id, "absent")
        if got != want:
            problems.append(f"{rule_id}: expected {want}, got {got}")
    return problems
