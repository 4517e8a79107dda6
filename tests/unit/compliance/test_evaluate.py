"""Evaluator: statuses, verdicts, evidence scope and expiry; batch evaluation equals per-product evaluation."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from xborder.compliance import (
    Context,
    Evidence,
    Status,
    Verdict,
    evaluate_batch,
    evaluate_product,
    facts_from_mapping,
    load_library,
)

LIBRARY = load_library()
ON = date(2026, 11, 22)
SPEAKER = {"hs_code": "851822", "wireless_bands": "Bluetooth", "battery_chemistry": "li_ion", "battery_wh": "7.4",
           "battery_packing": "contained_in_equipment", "voltage_v": "5"}


def _statuses(checklist) -> dict[str, str]:
    return {i.rule_id: i.status.value for i in checklist.items}


def test_expiry_window_and_scope() -> None:
    facts = facts_from_mapping("SPK-1", SPEAKER)
    evidence = [Evidence("e1", "certificate", "giteki", date(2025, 1, 1), date(2027, 4, 1), skus=frozenset({"SPK-1"})),
                Evidence("e2", "test_report", "un38-3", date(2025, 1, 1), skus=frozenset({"OTHER"}))]
    checklist = evaluate_product(facts, rules=LIBRARY.rules_for("JP"), context=Context("JP", ON),
                                 evidence=evidence)
    statuses = _statuses(checklist)
    assert statuses["jp.radio.giteki"] == "satisfied"
    assert statuses["intl.lithium.un38_3_test_summary"] == "missing"  # other SKU's report does not count
    near = evaluate_product(facts, rules=LIBRARY.rules_for("JP"), context=Context("JP", date(2027, 3, 1)),
                            evidence=evidence)
    assert _statuses(near)["jp.radio.giteki"] == "expiring"
    after = evaluate_product(facts, rules=LIBRARY.rules_for("JP"), context=Context("JP", date(2027, 4, 2)),
                             evidence=evidence)
    assert _statuses(after)["jp.radio.giteki"] == "expired"
    assert after.verdict is Verdict.BLOCKED


def test_future_evidence_does_not_count_yet() -> None:
    facts = facts_from_mapping("SPK-1", SPEAKER)
    evidence = [Evidence("e1", "certificate", "giteki", date(2027, 1, 1))]
    checklist = evaluate_product(facts, rules=LIBRARY.rules_for("JP"), context=Context("JP", ON), evidence=evidence)
    assert _statuses(checklist)["jp.radio.giteki"] == "missing"


def test_unknown_message_asks_to_fill_in() -> None:
    facts = facts_from_mapping("X", {"voltage_v": "230"})
    checklist = evaluate_product(facts, rules=LIBRARY.rules_for("DE"), context=Context("DE", ON))
    item = next(i for i in checklist.items if i.rule_id == "eu.ce.lvd")
    assert item.status is Status.UNKNOWN
    assert item.message.startswith("unknown — please fill in: ")
    assert "hs_code" in item.missing_attributes


_VALUES = {
    "hs_code": st.sampled_from([None, "851830", "851822", "610910", "950300", "330410", "851679", "850760"]),
    "battery_chemistry": st.sampled_from([None, "none", "li_ion", "li_metal", "nimh"]),
    "battery_wh": st.sampled_from([None, "0.5", "99", "100", "150", "161"]),
    "battery_packing": st.sampled_from([None, "none", "contained_in_equipment", "standalone"]),
    "wireless_bands": st.sampled_from([None, "none", "Bluetooth", "Wi-Fi; LTE"]),
    "voltage_v": st.sampled_from([None, "5", "100-240", "230"]),
    "age_group": st.sampled_from([None, "adult", "child"]),
    "origin_country": st.sampled_from([None, "CN", "RU", "IR"]),
}


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries(_VALUES), min_size=1, max_size=12),
       markets=st.lists(st.sampled_from(["DE", "FR", "GB", "US", "JP", "SA"]), min_size=1, max_size=3, unique=True),
       mode=st.sampled_from([None, "air", "postal"]))
def test_batch_equals_single_product_evaluation(rows, markets, mode) -> None:
    products = [facts_from_mapping(f"S{i}", row) for i, row in enumerate(rows)]
    evidence = [Evidence("g", "representative", "eu-responsible-person", date(2024, 1, 1)),
                Evidence("s0", "test_report", "un38-3", date(2024, 1, 1), date(2026, 12, 1), skus=frozenset({"S0"}))]
    batch = evaluate_batch(products, rules_by_market=LIBRARY.rules_by_market(markets), on=ON, evidence=evidence,
                           transport_mode=mode)
    for product in products:
        for market in markets:
            single = evaluate_product(product, rules=LIBRARY.rules_for(market),
                                      context=Context(market, ON, transport_mode=mode), evidence=evidence)
            grouped = batch.checklist(product.sku, market)
            assert grouped.verdict == single.verdict
            assert grouped.items == single.items


def test_unknown_never_reads_as_ready() -> None:
    facts = facts_from_mapping("X", {})
    for market in LIBRARY.markets():
        checklist = evaluate_product(facts, rules=LIBRARY.rules_for(market), context=Context(market, ON))
        assert checklist.verdict is not Verdict.READY, market
