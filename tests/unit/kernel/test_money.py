"""Money: exact decimals, never floats, rounding by each currency's ISO 4217 minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xborder.kernel import Money, UnknownCurrency, ValidationFailed, currency_exponent, known_currencies

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False,
                      places=6)
currencies = st.sampled_from(sorted(known_currencies()))


@pytest.mark.parametrize(("currency", "places"), [("JPY", 0), ("KRW", 0), ("EUR", 2), ("CNY", 2), ("KWD", 3),
                                                  ("BHD", 3), ("USD", 2), ("VND", 0)])
def test_minor_units_follow_iso_4217(currency: str, places: int) -> None:
    assert currency_exponent(currency) == places


def test_rounding_is_half_up_at_the_minor_unit() -> None:
    assert Money.of("1.005", "EUR").rounded().amount == Decimal("1.01")
    assert Money.of("1234.5", "JPY").rounded().amount == Decimal("1235")
    assert Money.of("0.0005", "KWD").rounded().amount == Decimal("0.001")


def test_floats_are_refused_everywhere() -> None:
    with pytest.raises(ValidationFailed):
        Money.of(0.1, "EUR")
    with pytest.raises(ValidationFailed):
        Money(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of("1", "EUR") * 1.5  # type: ignore[operator]


def test_unknown_currency_and_mismatch_are_errors() -> None:
    with pytest.raises(UnknownCurrency):
        Money.of("1", "EUX")
    with pytest.raises(ValidationFailed):
        Money.of("1", "EUR") + Money.of("1", "USD")


@given(amounts, currencies)
def test_rounded_amount_has_exactly_the_minor_unit_places(amount: Decimal, currency: str) -> None:
    rounded = Money(amount, currency).rounded()
    assert rounded.amount.as_tuple().exponent == -currency_exponent(currency)
    assert abs(rounded.amount - amount) <= Decimal(1).scaleb(-currency_exponent(currency)) / 2


@given(amounts, amounts, currencies)
def test_addition_is_exact_and_commutative(a: Decimal, b: Decimal, currency: str) -> None:
    x, y = Money(a, currency), Money(b, currency)
    assert (x + y).amount == a + b
    assert x + y == y + x
    assert (x + y) - y == x


@given(amounts, currencies)
def test_rounding_is_idempotent(amount: Decimal, currency: str) -> None:
    once = Money(amount, currency).rounded()
    assert once.rounded() == once
