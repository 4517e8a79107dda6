"""Pure planning pieces: lanes data, safety stock, the MILP (exact and large-instance paths) and order routing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xborder.inventory.errors import InsufficientStock
from xborder.inventory.lanes import find_lane, load_lanes
from xborder.inventory.plan import DemandOutlook, PlanInput, Site, SkuSpec, optimize_replenishment
from xborder.inventory.routing import StockOption, choose_warehouses
from xborder.inventory.safety import demand_sd_from_band, reorder_point
from xborder.kernel import NotFound, ValidationFailed

FX = {"USD": Decimal("0.92"), "CNY": Decimal("0.128")}


def test_lanes_are_cited_and_ordered_by_speed() -> None:
    lanes = load_lanes()
    assert {lane.mode for lane in lanes} == {"sea", "rail", "air", "express"}
    assert all(lane.reference.href.startswith("https://") for lane in lanes)
    sea, rail, air = (find_lane("CN", "DE", m) for m in ("sea", "rail", "air"))
    assert sea.transit_mean_days > rail.transit_mean_days > air.transit_mean_days
    assert sea.lead_time_periods(7) == 5 and rail.lead_time_periods(7) == 3
    # a 1 kg, 0.01 m3 carton: sea by container share, air by chargeable (volumetric 1.67 kg) weight
    assert sea.freight_per_unit(weight_kg=Decimal(1), volume_m3=Decimal("0.01")) == Decimal(3000) / 58 * Decimal(
        "0.01")
    assert air.freight_per_unit(weight_kg=Decimal(1), volume_m3=Decimal("0.01")) == Decimal("7.25") * Decimal("1.67")
    with pytest.raises(NotFound):
        find_lane("CN", "JP", "rail")


def test_safety_stock_grows_with_lead_time_variability() -> None:
    fixed = reorder_point(demand_mean=100, demand_sd=30, lead_mean=5, lead_sd=0, service_level=0.95)
    variable = reorder_point(demand_mean=100, demand_sd=30, lead_mean=5, lead_sd=1, service_level=0.95)
    assert fixed.safety_stock == pytest.approx(1.6449 * 30 * 5**0.5, rel=1e-3)
    assert variable.safety_stock > fixed.safety_stock
    assert variable.reorder_point == pytest.approx(500 + variable.safety_stock)
    assert demand_sd_from_band(10, 10 + 1.2816, 80) == pytest.approx(1.0, rel=1e-3)
    with pytest.raises(ValidationFailed):
        reorder_point(demand_mean=1, demand_sd=1, lead_mean=1, lead_sd=0, service_level=1.2)


def _scenario(**overrides: object) -> PlanInput:
    sites = [Site("SZ", "domestic", "CN", None, Decimal("0.5"), Decimal("0.1")),
             Site("DE-3PL", "overseas", "DE", Decimal(100), Decimal("3"), Decimal("0.4")),
             Site("FR-FWD", "forward", "FR", Decimal(50), Decimal("5"), Decimal("0.5"))]
    skus = [SkuSpec("EAR", Decimal("0.3"), Decimal("0.002"), Decimal("4"), moq=50),
            SkuSpec("SPK", Decimal("1.2"), Decimal("0.01"), Decimal("6"))]
    demand = [DemandOutlook(sku, site, (40.0,) * 12, (8.0,) * 12) for sku in ("EAR", "SPK")
              for site in ("DE-3PL", "FR-FWD")]
    base = PlanInput(currency="EUR", today=date(2026, 6, 1), skus=skus, sites=sites,
                     position={("DE-3PL", "EAR"): 300, ("FR-FWD", "SPK"): 10},
                     source_available={("SZ", "EAR"): 5000, ("SZ", "SPK"): 800}, demand=demand, lanes=load_lanes(),
                     fx=FX)
    return replace(base, **overrides)


def test_plan_respects_stock_moq_and_reports_gap() -> None:
    plan = optimize_replenishment(_scenario())
    assert plan.method == "milp" and plan.status == "optimal" and plan.mip_gap is not None
    sent: dict[tuple[str, str], int] = {}
    for s in plan.shipments:
        assert s.from_site == "SZ" and s.mode in {"sea", "rail", "air", "express"}
        if s.sku == "EAR":
            assert s.quantity >= 50
        sent[(s.sku, s.to_site)] = sent.get((s.sku, s.to_site), 0) + s.quantity
        assert s.eta > s.ship_by >= date(2026, 6, 1)
    assert sum(q for (sku, _), q in sent.items() if sku == "SPK") <= 800
    assert plan.freight_cost.currency == "EUR" and plan.freight_cost.amount > 0
    line = next(ln for ln in plan.lines if ln.sku == "EAR" and ln.site == "FR-FWD")
    assert line.planned_in > 0 and 0 < line.expected_service_level <= 1


def test_large_instance_path_keeps_moq_and_measures_gap() -> None:
    exact = optimize_replenishment(_scenario())
    rounded = optimize_replenishment(_scenario(max_binaries=0))
    assert rounded.method == "lp_rounding" and rounded.mip_gap is not None and rounded.mip_gap >= -1e-9
    assert all(s.quantity >= 50 for s in rounded.shipments if s.sku == "EAR")
    assert rounded.objective >= exact.objective - 1e-6 * abs(exact.objective)


def test_budget_and_missing_fx_and_unknown_sites() -> None:
    tight = optimize_replenishment(_scenario(budget=Decimal(50)))
    assert tight.freight_cost.amount <= Decimal(50)
    with pytest.raises(ValidationFailed, match="exchange rate"):
        optimize_replenishment(_scenario(fx={}))
    with pytest.raises(ValidationFailed, match="unknown"):
        optimize_replenishment(_scenario(demand=[DemandOutlook("EAR", "MOON", (1.0,), (1.0,))]))


def test_routing_prefers_local_forward_then_splits() -> None:
    options = [StockOption("SZ", "domestic", "CN", 500, Decimal("0.1")),
               StockOption("DE-3PL", "overseas", "DE", 5, Decimal("0.4")),
               StockOption("DE-FWD", "forward", "DE", 3, Decimal("0.6"))]
    lanes = load_lanes()
    one = choose_warehouses(sku="EAR", quantity=2, destination_country="DE", options=options, lanes=lanes)
    assert [a.warehouse for a in one.allocations] == ["DE-FWD"]
    four = choose_warehouses(sku="EAR", quantity=4, destination_country="DE", options=options, lanes=lanes)
    assert [a.warehouse for a in four.allocations] == ["DE-3PL"]
    many = choose_warehouses(sku="EAR", quantity=100, destination_country="DE", options=options, lanes=lanes)
    assert [a.warehouse for a in many.allocations] == ["SZ"] and many.allocations[0].delivery_days is not None
    with pytest.raises(InsufficientStock):
        choose_warehouses(sku="EAR", quantity=9, destination_country="JP", options=options, lanes=lanes)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=2, max_size=2), st.integers(1, 60), st.sampled_from([0, 1]),
       st.integers(0, 200))
@example(avail=[9, 0], moq=9, which=0, budget=2)  # regression: a line re-opened below MOQ after rounding failed
def test_plans_never_exceed_stock_capacity_or_moq(avail: list[int], moq: int, which: int, budget: int) -> None:
    data = _scenario(source_available={("SZ", "EAR"): avail[0], ("SZ", "SPK"): avail[1]},
                     skus=[SkuSpec("EAR", Decimal("0.3"), Decimal("0.002"), Decimal("4"), moq=moq),
                           SkuSpec("SPK", Decimal("1.2"), Decimal("0.01"), Decimal("6"), moq=moq)],
                     budget=Decimal(budget), max_binaries=5000 if which else 0)
    plan = optimize_replenishment(data)
    sent = {"EAR": 0, "SPK": 0}
    volume = {"DE-3PL": 0.0, "FR-FWD": 0.0}
    for s in plan.shipments:
        assert s.quantity >= moq
        sent[s.sku] += s.quantity
        volume[s.to_site] += s.quantity * (0.002 if s.sku == "EAR" else 0.01)
    assert sent["EAR"] <= avail[0] and sent["SPK"] <= avail[1]
    assert volume["DE-3PL"] <= 100 - 300 * 0.002 + 1e-9 and volume["FR-FWD"] <= 50 - 10 * 0.01 + 1e-9
    assert plan.freight_cost.amount <= Decimal(budget) + Decimal("0.01")
