"""Duty rate expressions: ad valorem, specific per unit, compound (sum or difference), greater-of / lesser-of.

Schedules store rates in one canonical text form (`6.5%`, `0.024 USD/kg`, `max(4.5%; 0.30 EUR/item)`), parsed here
once at load; the official wording is kept beside it for the explanation. Evaluation is pure Decimal arithmetic.
A difference (`60% - 20 USD/entry`, Brazil's simplified regime) is a sum with a negated term.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from xborder.pricing.errors import MissingQuantity, UnsupportedRate

__all__ = [
    "AdValorem",
    "Greatest",
    "Least",
    "Negated",
    "Rate",
    "Specific",
    "Sum",
    "Unsupported",
    "evaluate_rate",
    "format_rate",
    "parse_rate",
]


@dataclass(frozen=True, slots=True)
class AdValorem:
    percent: Decimal


@dataclass(frozen=True, slots=True)
class Specific:
    """`amount` of `currency` per `per` units of `unit` (41.20 EUR per 100 kg: amount 41.20, per 100, unit kg)."""

    amount: Decimal
    currency: str
    unit: str
    per: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Sum:
    terms: tuple[Rate, ...]


@dataclass(frozen=True, slots=True)
class Greatest:
    terms: tuple[Rate, ...]


@dataclass(frozen=True, slots=True)
class Least:
    terms: tuple[Rate, ...]


@dataclass(frozen=True, slots=True)
class Negated:
    """A term subtracted from a sum (e.g. the USD 20 deduction of Brazil's Remessa Conforme above USD 50)."""

    term: Rate


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A rate the engine refuses to guess; `reason` says why (quoting raises UnsupportedRate)."""

    reason: str


Rate = AdValorem | Specific | Sum | Greatest | Least | Negated | Unsupported

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<sym>[%+\-/();]))")


def parse_rate(text: str) -> Rate:
    """Parse the canonical rate text; `unsupported:<reason>` yields `Unsupported`."""
    stripped = text.strip()
    if stripped.startswith("unsupported:"):
        return Unsupported(stripped.removeprefix("unsupported:").strip())
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"rate {text!r}: unexpected text at {stripped[pos:]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    parser = _Parser(tokens, text)
    result = parser.expr()
    if parser.index != len(tokens):
        raise ValueError(f"rate {text!r}: trailing text")
    return result


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens = tokens
        self.index = 0
        self.text = text

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise ValueError(f"rate {self.text!r}: unexpected end")
        self.index += 1
        return token

    def _expect(self, value: str) -> None:
        _kind, got = self._take()
        if got != value:
            raise ValueError(f"rate {self.text!r}: expected {value!r}, got {got!r}")

    def expr(self) -> Rate:
        terms = [self.term()]
        while self._peek() in (("sym", "+"), ("sym", "-")):
            _kind, op = self._take()
            terms.append(self.term() if op == "+" else Negated(self.term()))
        return terms[0] if len(terms) == 1 else Sum(tuple(terms))

    def term(self) -> Rate:
        kind, value = self._take()
        if kind == "word" and value in ("max", "min"):
            self._expect("(")
            items = [self.expr()]
            while self._peek() == ("sym", ";"):
                self._take()
                items.append(self.expr())
            self._expect(")")
            return Greatest(tuple(items)) if value == "max" else Least(tuple(items))
        if kind == "word" and value == "free":
            return AdValorem(Decimal(0))
        if kind != "num":
            raise ValueError(f"rate {self.text!r}: expected a number, got {value!r}")
        number = Decimal(value)
        nxt = self._take()
        if nxt == ("sym", "%"):
            return AdValorem(number)
        currency = nxt[1]
        if nxt[0] != "word" or not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValueError(f"rate {self.text!r}: expected % or a currency after {value}")
        self._expect("/")
        per = Decimal(1)
        following = self._peek()
        if following is not None and following[0] == "num":
            per = Decimal(self._take()[1])
        unit_kind, unit = self._take()
        if unit_kind != "word":
            raise ValueError(f"rate {self.text!r}: expected a unit after '/'")
        return Specific(number, currency, unit, per)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def format_rate(rate: Rate) -> str:
    """Canonical text of a rate (inverse of `parse_rate`)."""
    if isinstance(rate, AdValorem):
        return f"{_fmt(rate.percent)}%"
    if isinstance(rate, Specific):
        per = "" if rate.per == 1 else _fmt(rate.per)
        return f"{_fmt(rate.amount)} {rate.currency}/{per}{rate.unit}"
    if isinstance(rate, Sum):
        text = format_rate(rate.terms[0])
        for term in rate.terms[1:]:
            text += f" - {format_rate(term.term)}" if isinstance(term, Negated) else f" + {format_rate(term)}"
        return text
    if isinstance(rate, Negated):
        return f"0% - {format_rate(rate.term)}"
    if isinstance(rate, Greatest | Least):
        name = "max" if isinstance(rate, Greatest) else "min"
        return f"{name}(" + "; ".join(format_rate(t) for t in rate.terms) + ")"
    return f"unsupported: {rate.reason}"


Converter = Callable[[Decimal, str], Decimal]


def evaluate_rate(rate: Rate, *, value: Decimal, quantities: Mapping[str, Decimal], convert: Converter,
                  where: str = "rate") -> Decimal:
    """Duty amount (unrounded, in the value's currency) of `rate` on `value` and `quantities`.

    `convert(amount, currency)` turns a specific duty's currency into the value's currency.

    Raises:
        UnsupportedRate: for `Unsupported` rates.
        MissingQuantity: when a specific term needs a quantity absent from `quantities`.
    """
    if isinstance(rate, AdValorem):
        return value * rate.percent / 100
    if isinstance(rate, Specific):
        quantity = quantities.get(rate.unit)
        if quantity is None:
            raise MissingQuantity(f"{where}: the rate {format_rate(rate)} needs the quantity in {rate.unit!r}; "
                                  f"give it in the quote input (quantities[{rate.unit!r}])")
        return convert(rate.amount, rate.currency) * quantity / rate.per
    if isinstance(rate, Sum):
        return sum((evaluate_rate(t, value=value, quantities=quantities, convert=convert, where=where)
                    for t in rate.terms), Decimal(0))
    if isinstance(rate, Negated):
        return -evaluate_rate(rate.term, value=value, quantities=quantities, convert=convert, where=where)
    if isinstance(rate, Greatest):
        return max(evaluate_rate(t, value=value, quantities=quantities, convert=convert, where=where)
                   for t in rate.terms)
    if isinstance(rate, Least):
        return min(evaluate_rate(t, value=value, quantities=quantities, convert=convert, where=where)
                   for t in rate.terms)
    raise UnsupportedRate(f"{where}: rate cannot be computed automatically: {rate.reason}")

