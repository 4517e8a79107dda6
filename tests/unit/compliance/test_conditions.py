"""Condition parsing, three-valued evaluation and explanations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xborder.compliance.attributes import facts_from_mapping, radio_technologies
from xborder.compliance.conditions import evaluate_condition, parse_condition
from xborder.kernel import ErrorDetail


def _parse(raw: object):
    errors: list[ErrorDetail] = []
    cond = parse_condition(raw, "r.when", errors)
    assert errors == []
    return cond


def _eval(raw: object, **attrs: object):
    facts = facts_from_mapping("SKU", attrs)
    return evaluate_condition(_parse(raw), lambda leaf: leaf.test(facts.values))


def test_unknown_attribute_is_unknown_not_false() -> None:
    outcome = _eval({"attr": "battery_wh", "gt": 100})
    assert outcome.value is None
    assert outcome.missing == ("battery_wh",)


def test_known_false_conjunct_decides_despite_unknowns() -> None:
    outcome = _eval({"all": [{"hs": ["85"]}, {"attr": "battery_wh", "gt": 100}]}, hs_code="610910")
    assert outcome.value is False
    assert "hs_code in 85*" in (outcome.reason or "")


def test_any_true_despite_unknowns_and_triggers_are_named() -> None:
    outcome = _eval({"any": [{"attr": "age_group", "in": ["child"]}, {"hs": ["9503"]}]}, hs_code="95030090")
    assert outcome.value is True
    assert outcome.triggered_by == ("hs_code in 9503*",)


def test_not_flips_and_keeps_unknown() -> None:
    assert _eval({"not": {"hs": ["85"]}}, hs_code="851830").value is False
    assert _eval({"not": {"hs": ["85"]}}).value is None


def test_numbers_compare_exactly_at_the_threshold() -> None:
    assert _eval({"attr": "battery_wh", "gt": 100}, battery_wh="100").value is False
    assert _eval({"attr": "battery_wh", "gt": 100}, battery_wh="100.01").value is True
    assert _eval({"attr": "battery_wh", "ge": "99.5"}, battery_wh=Decimal("99.5")).value is True


def test_hs_range_and_voltage_range() -> None:
    assert _eval({"hs_range": ["3303", "3307"]}, hs_code="3304.10").value is True
    assert _eval({"hs_range": ["3303", "3307"]}, hs_code="3401").value is False
    facts = facts_from_mapping("K", {"voltage_v": "100-240V"})
    assert facts.values["voltage_min_v"] == Decimal(100)
    assert facts.values["voltage_max_v"] == Decimal(240)


def test_known_operator_never_unknown() -> None:
    assert _eval({"attr": "brand", "known": True}).value is False
    assert _eval({"attr": "brand", "known": True}, brand="Acme").value is True


def test_none_means_known_empty_list() -> None:
    outcome = _eval({"attr": "radio_technologies", "contains_any": ["bluetooth"]}, wireless_bands="none")
    assert outcome.value is False


@pytest.mark.parametrize(("bands", "expected"), [
    ("Bluetooth 5.3", ("bluetooth",)),
    ("蓝牙; 2.4GHz", ("bluetooth", "other_radio")),
    ("Wi-Fi 802.11ac|LTE", ("cellular", "wifi")),
    ("433MHz", ("sub_ghz",)),
])
def test_radio_technologies_from_free_text(bands: str, expected: tuple[str, ...]) -> None:
    facts = facts_from_mapping("S", {"wireless_bands": bands})
    assert facts.values["radio_technologies"] == expected
    assert radio_technologies(facts.values["wireless_bands"]) == expected


@pytest.mark.parametrize(("raw", "field_fragment"), [
    ({"attr": "colour", "eq": "red"}, "r.when.attr"),
    ({"attr": "battery_wh", "eq": "5"}, "r.when.eq"),
    ({"attr": "age_group", "in": ["teen"]}, "r.when.in"),
    ({"attr": "battery_wh", "gt": 1, "lt": 5}, "r.when"),
    ({"hs": ["8a"]}, "r.when.hs"),
    ({"all": []}, "r.when.all"),
    ({"hs_range": ["3307", "3303"]}, "r.when.hs_range"),
    ({"maybe": 1}, "r.when"),
])
def test_parse_errors_name_the_field(raw: object, field_fragment: str) -> None:
    errors: list[ErrorDetail] = []
    parse_condition(raw, "r.when", errors)
    assert errors, raw
    assert any((e.field or "").startswith(field_fragment) for e in errors), errors
