"""As-of-date lookups through the public API over the shipped data (US, EU, DE, GB, CA, BR)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import xborder.markets as markets
from xborder.kernel import Money, NotFound, ValidationFailed
from xborder.markets import de_minimis_applies, list_markets, market


def _duty(cc: str, on: date, value: str, currency: str, origin: str, channel: str | None = "courier",
          schemes: frozenset[str] = frozenset()) -> markets.DeMinimisDecision:
    snapshot = market(cc).on(on)
    return de_minimis_applies(snapshot.de_minimis_duty, value=Money.of(value, currency), origin=origin,
                              channel=channel, schemes=schemes)


def test_public_api_all_is_sorted_and_complete() -> None:
    assert markets.__all__ == sorted(markets.__all__)
    for name in markets.__all__:
        assert hasattr(markets, name), name


def test_de_vat_was_16_percent_in_september_2020() -> None:
    de = market("de")
    assert de.on(date(2020, 9, 1)).standard_rate == Decimal("16")
    assert de.on(date(2021, 1, 1)).standard_rate == Decimal("19")
    assert [r.rate for r in de.on(date(2020, 9, 1)).reduced_rates] == [Decimal("5")]
    version = de.fact_on("tax.standard_rate", date(2020, 9, 1))
    assert version.valid_until == date(2020, 12, 31)
    assert version.reference.href.startswith("https://")


def test_us_de_minimis_for_china_before_and_after_2_may_2025() -> None:
    assert _duty("US", date(2025, 4, 1), "100", "USD", "CN").applies
    after = _duty("US", date(2025, 5, 10), "100", "USD", "CN")
    assert not after.applies and after.threshold is None
    german = _duty("US", date(2025, 5, 10), "100", "USD", "DE")
    assert german.applies and german.threshold is not None and german.threshold.amount == Decimal("800")
    assert not _duty("US", date(2025, 9, 1), "100", "USD", "DE").applies
    history = market("US").fact("de_minimis.duty")
    assert history.on(date(2025, 9, 1)).value == [] and history.on(date(2025, 9, 1)).note


def test_eu_duty_relief_before_and_after_1_july_2026() -> None:
    before = _duty("FR", date(2026, 6, 30), "149.99", "EUR", "CN")
    assert before.applies and before.threshold is not None and before.threshold.basis == "intrinsic_value"
    after = market("FR").fact_on("de_minimis.duty", date(2026, 7, 1))
    assert after.value == [] and after.certainty == "uncertain"
    assert market("FR").fact("de_minimis.duty").defined_in == "eu"
    flat = market("DE").fact_on("duty.low_value_flat_rate", date(2026, 7, 1)).value
    assert flat[0]["amount"] == "3" and flat[0]["per"] == "distinct_tariff_subheading"


def test_eu_vat_22_euro_exemption_ended_and_ioss_needs_registration() -> None:
    de = market("DE")
    old = de_minimis_applies(de.on(date(2021, 6, 30)).de_minimis_tax, value=Money.of("20", "EUR"), origin="CN")
    assert old.applies and old.collection == "border"
    taxes = de.on(date(2021, 7, 1)).de_minimis_tax
    assert not de_minimis_applies(taxes, value=Money.of("20", "EUR"), origin="CN").applies
    ioss = de_minimis_applies(taxes, value=Money.of("20", "EUR"), origin="CN", schemes={"ioss"})
    assert ioss.applies and ioss.collection == "point_of_sale"


def test_canada_thresholds_by_channel_and_origin() -> None:
    on = date(2024, 1, 1)
    assert _duty("CA", on, "120", "CAD", "US").applies
    assert not _duty("CA", on, "120", "CAD", "CN").applies
    assert not _duty("CA", on, "120", "CAD", "US", channel="postal").applies
    assert not _duty("CA", on, "120", "CAD", "US", channel=None).applies  # unknown channel: conservative
    assert _duty("CA", date(2020, 6, 30), "20", "CAD", "US", channel=None).applies


def test_brazil_has_no_duty_de_minimis_after_august_2024() -> None:
    assert _duty("BR", date(2024, 7, 31), "40", "USD", "CN", schemes=frozenset({"remessa_conforme"})).applies
    assert not _duty("BR", date(2024, 8, 1), "40", "USD", "CN", schemes=frozenset({"remessa_conforme"})).applies


def test_gb_vat_at_point_of_sale_and_uncertain_2029_abolition() -> None:
    gb = market("GB").on(date(2026, 1, 1))
    decision = de_minimis_applies(gb.de_minimis_tax, value=Money.of("100", "GBP"), origin="CN")
    assert decision.collection == "point_of_sale"
    assert market("GB").fact_on("de_minimis.duty", date(2029, 6, 1)).certainty == "uncertain"
    assert gb.measurement_system == "imperial_mixed"


def test_us_snapshot_has_no_standard_rate_and_is_tax_exclusive() -> None:
    us = market("US").on(date(2026, 1, 1))
    assert us.standard_rate is None
    assert us.prices_tax_inclusive is False and us.valuation_basis == "FOB"
    assert us.marketplace_languages == ("en", "es")
    assert market("US").fact_on("tax.standard_rate", date(2026, 1, 1)).note


def test_threshold_currency_mismatch_is_an_error() -> None:
    with pytest.raises(ValidationFailed, match="convert first"):
        _duty("US", date(2025, 1, 1), "100", "EUR", "DE")


def test_events_include_black_friday_ramadan_and_cny() -> None:
    events = market("DE").events(2026, 2026)
    by_id = {(e.id, e.starts_on) for e in events}
    assert ("black_friday", date(2026, 11, 27)) in by_id
    assert ("ramadan", date(2026, 2, 18)) in by_id
    assert ("chinese_new_year", date(2026, 2, 17)) in by_id
    assert events == sorted(events, key=lambda e: (e.starts_on, e.id, e.label or ""))


def test_unknown_market_and_key_raise_not_found() -> None:
    with pytest.raises(NotFound):
        market("XX")
    with pytest.raises(NotFound):
        market("EU")  # shared data, not a market
    with pytest.raises(NotFound):
        market("DE").fact("tax.nope")
    with pytest.raises(NotFound):
        market("DE").fact_on("currency", date(2019, 1, 1))


def test_list_markets_summaries() -> None:
    summaries = {s.code: s for s in list_markets()}
    assert {"DE", "US", "GB", "BR"} <= set(summaries)
    assert summaries["DE"].name_zh == "德国" and summaries["DE"].currency == "EUR"
    assert "EU" not in summaries
    assert list(summaries) == sorted(summaries)
