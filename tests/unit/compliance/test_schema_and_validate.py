"""Pack schema errors name the rule and field; lint finds unreachable and shadowed rules."""

from __future__ import annotations

from typing import Any

import pytest

from xborder.compliance import parse_library
from xborder.compliance.validate import lint_library
from xborder.kernel import ValidationFailed


def _rule(**overrides: Any) -> dict[str, Any]:
    rule = {
        "id": "xx.test.rule", "title": {"en": "Test rule", "zh": "测试规则"}, "kind": "document",
        "severity": "required", "evidence": [{"type": "document", "scheme": "test-doc"}],
        "source": {"title": "Test source", "href": "https://example.org/law"},
        "valid_from": "2024-01-01", "checked_on": "2026-11-22",
    }
    rule.update(overrides)
    return rule


def _pack(*rules: dict[str, Any], code: str = "XX", extends: str | None = None) -> dict[str, Any]:
    pack: dict[str, Any] = {"jurisdiction": code, "version": "1", "published_on": "2026-11-22",
                            "rules": list(rules)}
    if extends:
        pack["extends"] = extends
    return pack


def _details(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [f"{d.field}: {d.message}" for d in exc.value.details]


def test_valid_pack_parses() -> None:
    library = parse_library({"xx": _pack(_rule())})
    assert [r.id for r in library.rules_for("XX")] == ["xx.test.rule"]
    assert lint_library(library) == []


@pytest.mark.parametrize(("overrides", "fragment"), [
    ({"source": {"title": "No https", "href": "http://example.org"}}, "xx.test.rule.source.href"),
    ({"title": {"en": "English only", "zh": "no chinese"}}, "xx.test.rule.title.zh"),
    ({"valid_to": "2023-01-01"}, "xx.test.rule"),
    ({"evidence": []}, "xx.test.rule"),
    ({"certainty": "uncertain"}, "xx.test.rule"),
    ({"kind": "prohibited"}, "xx.test.rule"),
    ({"when": {"attr": "nope", "eq": "x"}}, "xx.test.rule.when.attr"),
    ({"severity": "critical"}, "xx.test.rule.severity"),
])
def test_schema_errors_name_rule_and_field(overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_library({"xx": _pack(_rule(**overrides))})
    assert any(fragment in line for line in _details(exc)), _details(exc)


def test_missing_source_and_dates_are_reported() -> None:
    rule = _rule()
    del rule["source"], rule["valid_from"]
    with pytest.raises(ValidationFailed) as exc:
        parse_library({"xx": _pack(rule)})
    lines = _details(exc)
    assert any("xx.test.rule.source" in line for line in lines)
    assert any("xx.test.rule.valid_from" in line for line in lines)


def test_duplicate_ids_and_unknown_parent() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_library({"xx": _pack(_rule(), _rule(), extends="zz")})
    lines = " | ".join(_details(exc))
    assert "appears twice" in lines
    assert "extends 'zz'" in lines


@pytest.mark.parametrize("when", [
    {"all": [{"attr": "battery_wh", "gt": 100}, {"attr": "battery_wh", "lt": 50}]},
    {"all": [{"attr": "age_group", "eq": "child"}, {"attr": "age_group", "eq": "adult"}]},
    {"all": [{"hs": ["85"]}, {"hs": ["61"]}]},
    {"all": [{"hs": ["8518"]}, {"not": {"hs": ["85"]}}]},
    {"all": [{"attr": "radio_technologies", "contains_any": ["wifi"]},
             {"attr": "radio_technologies", "contains_none": ["wifi", "bluetooth"]}]},
    {"all": [{"attr": "battery_wh", "known": False}, {"attr": "battery_wh", "gt": 1}]},
])
def test_unreachable_conditions_are_reported(when: dict[str, Any]) -> None:
    library = parse_library({"xx": _pack(_rule(when=when))})
    problems = lint_library(library)
    assert [p.code for p in problems] == ["compliance.unreachable_rule"]
    assert "xx.test.rule.when" in (problems[0].field or "")


@pytest.mark.parametrize("when", [
    {"all": [{"attr": "battery_wh", "gt": 100}, {"attr": "battery_wh", "le": 160}]},
    {"any": [{"all": [{"hs": ["85"]}, {"hs": ["61"]}]}, {"hs": ["95"]}]},
    {"all": [{"hs": ["85"]}, {"not": {"hs": ["8518"]}}]},
])
def test_reachable_conditions_pass(when: dict[str, Any]) -> None:
    assert lint_library(parse_library({"xx": _pack(_rule(when=when))})) == []


def test_shadowed_duplicate_under_another_id() -> None:
    library = parse_library({"xx": _pack(_rule(), _rule(id="xx.test.copy"))})
    assert [p.code for p in lint_library(library)] == ["compliance.shadowed_rule"]


def test_override_by_id_replaces_inherited_rule() -> None:
    library = parse_library({
        "eu": _pack(_rule(id="eu.shared.rule"), code="EU"),
        "de": _pack(_rule(id="eu.shared.rule", severity="blocking"), code="DE", extends="eu"),
    })
    (rule,) = library.rules_for("DE")
    assert rule.spec.severity.value == "blocking"
    assert library.markets() == ("DE",)
