"""Rate expressions and the HTS / UK / EU rate-text parsers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xborder.pricing import MissingQuantity, UnsupportedRate
from xborder.pricing.importers import parse_eu_uk_rate, parse_hts_rate
from xborder.pricing.rates import evaluate_rate, format_rate, parse_rate


def _same(amount: Decimal, currency: str) -> Decimal:
    assert currency in ("USD", "EUR")
    return amount


@pytest.mark.parametrize(("text", "canonical"), [
    ("Free", "0%"),
    ("6.5%", "6.5%"),
    ("2.4¢/kg", "0.024 USD/kg"),
    ("37.5¢/kg + 5%", "0.375 USD/kg + 5%"),
    ("$1.01/kg + 6%", "1.01 USD/kg + 6%"),
    ("4.4¢ each + 3.9%", "0.044 USD/item + 3.9%"),
    ("16.5%<u></u>", "16.5%"),
    ("5¢/gross", "0.05 USD/144item"),
])
def test_hts_rates_parse(text: str, canonical: str) -> None:
    assert parse_hts_rate(text) == canonical
    assert format_rate(parse_rate(canonical)) == canonical


@pytest.mark.parametrize("text", ["The duty provided in the applicable subheading", "1.6¢/kg on drained weight",
                                  "5¢ each + 10% on the case"])
def test_hts_rates_not_understood_are_unsupported(text: str) -> None:
    assert parse_hts_rate(text).startswith("unsupported: ")


@pytest.mark.parametrize(("text", "canonical"), [
    ("12.0%", "12%"),
    ("41.20 EUR / 100 kg", "41.2 EUR/100kg"),
    ("10.20% + 93.10 EUR / 100 kg", "10.2% + 93.1 EUR/100kg"),
    ("4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item", "min(max(4.5%; 0.3 EUR/item); 0.8 EUR/item)"),
    ("32.00 EUR / hl", "32 EUR/100liter"),
    ("34.00 GBP/100kg", "34 GBP/100kg"),
    ("52.00 EUR / 1,000 items", "52 EUR/1000item"),
])
def test_eu_uk_rates_parse(text: str, canonical: str) -> None:
    assert parse_eu_uk_rate(text) == canonical


@pytest.mark.parametrize("text", ["9.00% +  EA MAX 18.70%  + ADSZ", "Entry Price", "1.75 EUR / % vol / hl",
                                  "15.00% (01 JAN-14 FEB, 16 JUN-31 DEC), 0.00% (15 FEB-15 JUN)"])
def test_eu_uk_agricultural_and_seasonal_are_unsupported(text: str) -> None:
    assert parse_eu_uk_rate(text).startswith("unsupported: ")


def test_compound_rate_evaluates_exactly() -> None:
    rate = parse_rate("0.375 USD/kg + 5%")
    amount = evaluate_rate(rate, value=Decimal("100"), quantities={"kg": Decimal("2")}, convert=_same)
    assert amount == Decimal("5.750")


def test_min_max_clamp() -> None:
    rate = parse_rate("min(max(4.5%; 0.3 EUR/item); 0.8 EUR/item)")
    q = {"item": Decimal(1)}
    assert evaluate_rate(rate, value=Decimal("2"), quantities=q, convert=_same) == Decimal("0.3")
    assert evaluate_rate(rate, value=Decimal("10"), quantities=q, convert=_same) == Decimal("0.450")
    assert evaluate_rate(rate, value=Decimal("100"), quantities=q, convert=_same) == Decimal("0.8")


def test_specific_rate_without_quantity_names_the_unit() -> None:
    with pytest.raises(MissingQuantity, match="'kg'"):
        evaluate_rate(parse_rate("0.024 USD/kg"), value=Decimal(10), quantities={}, convert=_same)


def test_unsupported_rate_raises_never_zero() -> None:
    with pytest.raises(UnsupportedRate, match="applicable subheading"):
        evaluate_rate(parse_rate("unsupported: The duty provided in the applicable subheading"),
                      value=Decimal(10), quantities={}, convert=_same)


def test_malformed_canonical_rate_is_rejected() -> None:
    with pytest.raises(ValueError, match="rate"):
        parse_rate("12 % %")
