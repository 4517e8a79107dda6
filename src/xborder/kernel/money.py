"""Money: a Decimal amount in an ISO 4217 currency, quantized to that currency's minor unit. Never a float."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from importlib import resources

from xborder.kernel.errors import ValidationFailed

__all__ = ["Money", "UnknownCurrency", "currency_exponent", "known_currencies", "parse_decimal"]


class UnknownCurrency(ValidationFailed):
    code = "unknown_currency"


@cache
def _minor_units() -> dict[str, int]:
    text = resources.files("xborder.kernel").joinpath("data/iso4217.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: int(row["minor_units"]) for row in rows}


def known_currencies() -> frozenset[str]:
    """All ISO 4217 codes with a defined minor unit."""
    return frozenset(_minor_units())


def currency_exponent(currency: str) -> int:
    """Number of decimal places of `currency`'s minor unit (JPY 0, EUR 2, KWD 3)."""
    try:
        return _minor_units()[currency]
    except KeyError:
        raise UnknownCurrency(f"unknown currency code {currency!r} (expected ISO 4217, e.g. EUR)") from None


def parse_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Parse a user-supplied number into a Decimal; floats are refused because they are not exact."""
    if isinstance(value, bool | float):
        raise ValidationFailed(f"{field}: floats are not accepted for money, pass a string or Decimal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        cleaned = value.strip().replace(",", "") if value.count(",") and "." in value else value.strip()
        try:
            result = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationFailed(f"{field}: {value!r} is not a number") from None
    else:
        raise ValidationFailed(f"{field}: {type(value).__name__} is not a number")
    if not result.is_finite():
        raise ValidationFailed(f"{field}: {value!r} is not a finite number")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of one currency. Arithmetic keeps full precision; `rounded()` applies the minor unit.

    Construct with `Money.of("19.99", "EUR")`; the constructor refuses floats and unknown currencies.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise ValidationFailed(f"Money amount must be Decimal, got {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise ValidationFailed("Money amount must be finite")
        currency_exponent(self.currency)

    @classmethod
    def of(cls, amount: object, currency: str) -> Money:
        return cls(parse_decimal(amount), currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @property
    def exponent(self) -> int:
        return currency_exponent(self.currency)

    def rounded(self, rounding: str = ROUND_HALF_UP) -> Money:
        """Quantize to the currency's minor unit (half-up unless the law says otherwise)."""
        quantum = Decimal(1).scaleb(-self.exponent)
        return Money(self.amount.quantize(quantum, rounding=rounding), self.currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValidationFailed(f"currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise TypeError("Money can only be multiplied by Decimal or int")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def is_negative(self) -> bool:
        return self.amount < 0

    def __str__(self) -> str:
        return f"{self.rounded().amount} {self.currency}"
