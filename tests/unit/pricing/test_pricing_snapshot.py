"""Quote snapshots (what a saved quote replays from) keep the VAT-base uplift and gap value bands, and snapshots
written before those existed still load."""

from __future__ import annotations

from datetime import date

from xborder.kernel import Money
from xborder.pricing import EcbReferenceRates, PricingData, QuoteRequest, quote_landed_cost
from xborder.pricing.landed_cost import compute_landed_cost
from xborder.pricing.snapshot import context_from_json, context_to_json


def _request(value: str) -> QuoteRequest:
    return QuoteRequest(origin="CN", destination="ZA", hs_code="630221", goods_value=Money.of(value, "ZAR"),
                        on=date(2025, 3, 1), channel="courier")


def test_round_trip_keeps_uplift_and_gap_bands() -> None:
    data = PricingData(fx=EcbReferenceRates())
    ctx = data.context(_request("2000"))
    assert ctx.facts.import_tax_uplift is not None and ctx.gaps and ctx.gaps[0].value_at_most is not None
    restored = context_from_json(context_to_json(ctx))
    assert restored == ctx
    for value in ("400", "2000"):
        assert compute_landed_cost(_request(value), restored) == quote_landed_cost(data, request=_request(value))


def test_snapshot_from_before_uplift_and_bands_loads_without_them() -> None:
    data = PricingData(fx=EcbReferenceRates())
    raw = context_to_json(data.context(_request("2000")))
    del raw["facts"]["import_tax_uplift"]
    raw["gaps"] = [gap[:6] for gap in raw["gaps"]]
    old = context_from_json(raw)
    assert old.facts.import_tax_uplift is None and old.gaps[0].value_at_most is None
    assert compute_landed_cost(_request("2000"), old).import_vat.amount < quote_landed_cost(
        data, request=_request("2000")).import_vat.amount
