"""Contract over every shipped schedule: each version and hand-sourced line cited, rates parse, certainty marked;
unsourced headings are refused (never 0 %); Brazil's regime and sub-national ICMS; rate differences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xborder.kernel import Money
from xborder.pricing import (
    EcbReferenceRates,
    NoTariffData,
    PricingData,
    PricingInputInvalid,
    QuoteRequest,
    quote_figures,
)
from xborder.pricing import quote_landed_cost as quote
from xborder.pricing.importers.common import read_lines
from xborder.pricing.rates import Negated, Sum, evaluate_rate, format_rate, parse_rate
from xborder.pricing.schedules import load_schedule, shipped_schedule_dir

KEYS = sorted(p.parent.name for p in shipped_schedule_dir().glob("*/schedule.yaml"))
CERTAINTIES = {"confirmed", "uncertain", "disputed", "unknown"}


@pytest.fixture(scope="module")
def data() -> PricingData:
    return PricingData(fx=EcbReferenceRates())


@pytest.mark.parametrize("key", KEYS)
def test_every_version_and_line_is_cited_and_parses(key: str) -> None:
    schedule = load_schedule(key)
    assert schedule.versions, key
    for version in schedule.versions:
        assert version.reference.href.startswith("https://")
        for line in read_lines(version.file):
            parse_rate(line.rate)
            if version.file.suffix == ".csv":  # hand-sourced: every line names its publication and certainty
                assert line.source and line.source.startswith(("https://", "http://")), (key, line.code)
                assert line.certainty in CERTAINTIES, (key, line.code)
                assert line.certainty == "confirmed" or line.note, (key, line.code)
                assert line.code.isdigit() and len(line.code) in (2, 4, 6), (key, line.code)


@pytest.mark.parametrize(("dest", "hs"), [("JP", "610910"), ("KR", "950300"), ("SG", "220300"), ("AE", "901819"),
                                          ("BR", "610910"), ("AU", "330499"), ("ZA", "610910")])
def test_unsourced_heading_is_an_explicit_error_never_zero(data: PricingData, dest: str, hs: str) -> None:
    request = QuoteRequest(origin="CN", destination=dest, hs_code=hs, goods_value=Money.of("5000", "USD"),
                           on=date(2025, 7, 24), buyer="B2B", channel="freight")
    with pytest.raises(NoTariffData):
        quote(data, request=request)


@pytest.mark.parametrize("dest", ["SA"])
def test_markets_without_sourced_headings_say_so(data: PricingData, dest: str) -> None:
    request = QuoteRequest(origin="CN", destination=dest, hs_code="610910", goods_value=Money.of("100", "USD"),
                           on=date(2025, 7, 24))
    with pytest.raises(NoTariffData, match="no tariff schedule"):
        quote(data, request=request)


def test_heading_line_carries_its_own_source_and_certainty(data: PricingData) -> None:
    result = quote(data, request=QuoteRequest(origin="CN", destination="JP", hs_code="950300",
                                              goods_value=Money.of("200000", "JPY"), on=date(2025, 7, 24)))
    duty = result.lines[0]
    assert duty.amount.amount == 0 and duty.source.startswith("https://www.customs.go.jp/")
    assert duty.certainty == "confirmed"
    kr = quote(data, request=QuoteRequest(origin="CN", destination="KR", hs_code="610910",
                                          goods_value=Money.of("1000", "USD"), on=date(2025, 7, 24)))
    assert kr.lines[0].rate == "13%" and kr.lines[0].certainty == "uncertain"


def test_brazil_formal_import_has_no_tariff_data(data: PricingData) -> None:
    request = QuoteRequest(origin="CN", destination="BR", hs_code="610910", goods_value=Money.of("3500", "USD"),
                           on=date(2025, 7, 24))
    with pytest.raises(NoTariffData, match="br-rts-only"):
        quote(data, request=request)


def test_brazil_state_changes_icms_and_unknown_state_is_named(data: PricingData) -> None:
    def icms(state: str | None) -> Decimal:
        result = quote(data, request=QuoteRequest(
            origin="CN", destination="BR", hs_code="610910", goods_value=Money.of("100", "USD"), on=date(2025, 7, 24),
            registrations=frozenset({"remessa_conforme"}), subdivision=state))
        return next(line for line in result.lines if line.kind == "tax").amount.amount
    assert icms("SP") == icms(None) < icms("MG")
    with pytest.raises(PricingInputInvalid, match="subdivision"):
        icms("XX")
    with pytest.raises(PricingInputInvalid, match="subdivision"):
        quote(data, request=QuoteRequest(origin="CN", destination="DE", hs_code="610910", subdivision="BY",
                                         goods_value=Money.of("100", "EUR"), on=date(2025, 7, 24)))


def test_rate_difference_parses_formats_and_evaluates() -> None:
    rate = parse_rate("60% - 20 USD/entry")
    assert isinstance(rate, Sum) and isinstance(rate.terms[1], Negated)
    assert format_rate(rate) == "60% - 20 USD/entry"
    amount = evaluate_rate(rate, value=Decimal("100"), quantities={"entry": Decimal(1)},
                           convert=lambda a, c: a)
    assert amount == Decimal("40")


def test_a_gap_about_a_low_value_regime_does_not_touch_consignments_above_its_band(data: PricingData) -> None:
    """South Africa's small-parcel flat rate is unknown from 2024-11-01 (za/measures.yaml): a ZAR 400 parcel is
    incomplete, a ZAR 5,000 one is not, and the batch path says the same."""
    def request(value: str) -> QuoteRequest:
        return QuoteRequest(origin="CN", destination="ZA", hs_code="630221", goods_value=Money.of(value, "ZAR"),
                            on=date(2025, 3, 1), channel="courier")
    small, large = quote(data, request=request("400")), quote(data, request=request("5000"))
    assert [gap.rule for gap in small.gaps] == ["za.low_value_flat_rate"] and not small.complete
    assert large.gaps == () and large.complete and large.duty.amount > 0
    figures = list(quote_figures(data, [request("400"), request("5000")]))
    assert [f.complete for f in figures] == [False, True]  # type: ignore[union-attr]


def test_nigeria_surcharge_on_duty_ciss_on_fob_and_vat_on_everything(tmp_path) -> None:
    """Broker worked formula (ng/measures.yaml): duty on CIF, surcharge 7 % of the duty, ETLS 0.5 % of CIF, CISS 1 %
    of FOB, VAT 7.5 % on CIF + all of them. NGN has no ECB rate: the test records one as an operator would."""
    from xborder.pricing.fx.published import record_published_rate

    rates = tmp_path / "published-rates.csv"
    record_published_rate(rates, currency_code="NGN", per_usd="1500", on="2026-03-02",
                          source="https://www.cbn.gov.ng/rates/ExchRateByCurrency.html")
    result = quote(PricingData(fx=EcbReferenceRates(published_file=rates)), request=QuoteRequest(
        origin="CN", destination="NG", hs_code="851671", goods_value=Money.of("1000", "USD"),
        shipping=Money.of("100", "USD"), on=date(2026, 3, 3)))
    amounts = {line.rule: line.amount.amount for line in result.lines}
    # CIF 1,650,000; duty 20 % = 330,000; surcharge 23,100; ETLS 8,250; CISS 1 % x 1,500,000 = 15,000
    assert result.customs_value.amount == Decimal("1650000.00")
    assert amounts["ng.surcharge"] == Decimal("23100.00") and amounts["ng.etls"] == Decimal("8250.00")
    assert amounts["ng.ciss"] == Decimal("15000.00")
    # VAT 7.5 % x (1,650,000 + 353,100 + 23,250) = 151,976.25
    assert result.import_vat.amount == Decimal("151976.25")
    assert [line.rule for line in result.lines][-2:] == ["ng.surcharge", "ng.tax.standard_rate"]
