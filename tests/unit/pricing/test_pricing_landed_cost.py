"""The pure landed-cost core on hand-built contexts (no files, no DB): rules, payers, de minimis, properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xborder.kernel import Money
from xborder.markets import DeMinimisThreshold
from xborder.pricing import FactRef, FxQuote, MarketFacts, PricingInputInvalid, QuoteContext, QuoteRequest
from xborder.pricing.landed_cost import compute_landed_cost
from xborder.pricing.rates import parse_rate
from xborder.pricing.schedules import SourceRef, TariffLine

ON = date(2025, 3, 1)
SRC = "https://example.gov/rule"


def _dm(**kw: object) -> DeMinimisThreshold:
    return DeMinimisThreshold.model_validate(kw)


def _facts(*, duty_dm: tuple = (), tax_dm: tuple = (), basis: str = "CIF", tax_base: str = "cif_plus_duty",
           vat_rate: str | None = "20") -> MarketFacts:
    def ref(value: object) -> FactRef:
        return FactRef(value=value, source=SRC, effective_from=date(2020, 1, 1))
    return MarketFacts(code="XX", currency="EUR", tax_name="VAT",
                       standard_rate=ref(Decimal(vat_rate) if vat_rate is not None else None),
                       valuation_basis=ref(basis), import_tax_base=ref(tax_base),
                       de_minimis_duty=ref(duty_dm), de_minimis_tax=ref(tax_dm))


def _ctx(rate: str = "10%", **kw: object) -> QuoteContext:
    line = TariffLine(code="61091000", rate=parse_rate(rate), text=rate, version_id="test-1",
                      valid_from=date(2020, 1, 1), reference=SourceRef("t", SRC), certainty="confirmed", note=None)
    fx = (FxQuote("USD", "EUR", Decimal("0.9"), ON, "test"), FxQuote("EUR", "USD", Decimal("1.1"), ON, "test"),
          FxQuote("EUR", "CNY", Decimal("7.5"), ON, "test"))
    return QuoteContext(facts=_facts(**kw), base=line, measures=(), gaps=(), fx=fx)  # type: ignore[arg-type]


def _req(value: str = "100", currency: str = "EUR", **kw: object) -> QuoteRequest:
    base = QuoteRequest(origin="CN", destination="XX", hs_code="610910", goods_value=Money.of(value, currency),
                        shipping=Money.of("10", currency), on=ON, weight_kg=Decimal("1"))
    return replace(base, **kw)  # type: ignore[arg-type]


def test_cif_duty_and_vat_on_value_plus_duty() -> None:
    result = compute_landed_cost(_req(), _ctx())
    assert result.customs_value == Money.of("110.00", "EUR")
    assert result.duty == Money.of("11.00", "EUR")
    assert result.import_vat == Money.of("24.20", "EUR")  # 20 % x (110 + 11)
    assert result.landed_cost == Money.of("145.20", "EUR")
    assert all(line.source.startswith("https://") for line in result.lines)


def test_fob_valuation_excludes_transport() -> None:
    result = compute_landed_cost(_req(), _ctx(basis="FOB", tax_base="fob_plus_duty"))
    assert result.customs_value.amount == Decimal("100.00")
    assert result.duty.amount == Decimal("10.00")
    assert result.import_vat.amount == Decimal("22.00")


def test_dap_buyer_pays_ddp_seller_pays() -> None:
    dap = compute_landed_cost(_req(incoterm="DAP"), _ctx())
    ddp = compute_landed_cost(_req(incoterm="DDP"), _ctx())
    assert dap.payable_by_buyer == dap.total_taxes_and_duties and dap.payable_by_seller.amount == 0
    assert ddp.payable_by_seller == ddp.total_taxes_and_duties and ddp.payable_by_buyer.amount == 0


def test_duty_de_minimis_on_intrinsic_value_excludes_transport() -> None:
    dm = (_dm(amount="150", currency="EUR", basis="intrinsic_value"),)
    # goods 145 + 10 shipping = 155 > 150, but the intrinsic value (goods only) is within the threshold
    result = compute_landed_cost(_req("145"), _ctx(duty_dm=dm))
    assert result.duty.amount == 0 and result.de_minimis_applied
    assert result.de_minimis[0].threshold is not None and result.de_minimis[0].threshold.amount == 150
    over = compute_landed_cost(_req("151"), _ctx(duty_dm=dm))
    assert over.duty.amount > 0


def test_point_of_sale_collection_needs_the_registration() -> None:
    dm = (_dm(amount="150", currency="EUR", basis="intrinsic_value", collection="point_of_sale",
               requires=("ioss",)),)
    with_ioss = compute_landed_cost(_req(registrations=frozenset({"ioss"})), _ctx(tax_dm=dm))
    tax = next(line for line in with_ioss.lines if line.kind == "tax")
    assert tax.collected_at == "point_of_sale" and tax.base.amount == Decimal("110.00")
    without = compute_landed_cost(_req(), _ctx(tax_dm=dm))
    assert next(line for line in without.lines if line.kind == "tax").collected_at == "border"


def test_threshold_in_other_currency_is_converted() -> None:
    dm = (_dm(amount="800", currency="USD", basis="customs_value"),)
    # 700 EUR -> 770 USD (x1.1) + shipping 10 EUR -> 121 ... customs value 710 EUR = 781 USD <= 800
    result = compute_landed_cost(_req("700"), _ctx(duty_dm=dm))
    assert result.de_minimis_applied and result.de_minimis[0].compared_value == Money(Decimal("781.0000"), "USD")


def test_goods_in_other_currency_and_seller_currency() -> None:
    result = compute_landed_cost(_req("100", "USD", seller_currency="CNY"), _ctx())
    assert result.customs_value.amount == Decimal("99.00")  # (100 + 10) x 0.9
    assert result.landed_cost_seller_currency is not None
    assert result.landed_cost_seller_currency.currency == "CNY"


def test_no_vat_market() -> None:
    result = compute_landed_cost(_req(), _ctx(vat_rate=None, tax_base="none"))
    assert result.import_vat.amount == 0 and all(line.kind != "tax" for line in result.lines)


@pytest.mark.parametrize("change", [{"incoterm": "FOB"}, {"channel": "pigeon"}, {"quantity": 0},
                                    {"goods_value": Money.of("-1", "EUR")}])
def test_bad_input_is_named(change: dict) -> None:
    with pytest.raises(PricingInputInvalid):
        compute_landed_cost(_req(**change), _ctx())


values = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2, allow_nan=False,
                     allow_infinity=False)
rates = st.sampled_from(["0%", "12%", "0.375 EUR/kg + 5%", "max(4.5%; 0.3 EUR/item)", "min(max(0.3464%; 27 EUR/"
                         "entry); 528 EUR/entry)", "25%"])


@settings(max_examples=150, deadline=None)
@given(value=values, rate=rates)
def test_property_duty_never_negative_and_money_is_decimal(value: Decimal, rate: str) -> None:
    result = compute_landed_cost(_req(str(value)), _ctx(rate))
    assert result.duty.amount >= 0
    for line in result.lines:
        assert isinstance(line.amount.amount, Decimal) and line.amount.amount >= 0
    for money in (result.customs_value, result.duty, result.import_vat, result.landed_cost):
        assert isinstance(money.amount, Decimal)


@settings(max_examples=150, deadline=None)
@given(value=values, threshold=st.integers(min_value=1, max_value=5000), rate=rates)
def test_property_below_duty_de_minimis_duty_is_zero(value: Decimal, threshold: int, rate: str) -> None:
    dm = (_dm(amount=str(threshold), currency="EUR", basis="intrinsic_value"),)
    result = compute_landed_cost(_req(str(value)), _ctx(rate, duty_dm=dm))
    if value <= threshold:
        assert result.duty.amount == 0
    else:
        assert not result.de_minimis[0].applies


@settings(max_examples=150, deadline=None)
@given(a=values, b=values, rate=rates)
def test_property_total_monotonic_in_value(a: Decimal, b: Decimal, rate: str) -> None:
    low, high = sorted((a, b))
    ctx = _ctx(rate)
    assert (compute_landed_cost(_req(str(low)), ctx).landed_cost.amount
            <= compute_landed_cost(_req(str(high)), ctx).landed_cost.amount)
