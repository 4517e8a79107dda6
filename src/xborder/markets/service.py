"""Typed, date-aware lookups over market data: `market("DE").on(date)`, fact histories, events, summaries.

Reads packaged YAML through `loader.py` (cached); operator overrides stored in the database will layer on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xborder.kernel import ErrorDetail, Reference
from xborder.markets import loader
from xborder.markets.calendar import expand_rule
from xborder.markets.errors import FactNotFound, MarketNotFound
from xborder.markets.schema import (
    DeMinimisThreshold,
    EventRule,
    FactDefinition,
    LocalizedText,
    Marketplace,
    ReducedRate,
)

__all__ = ["EventOccurrence", "FactHistory", "FactVersionView", "Market", "MarketSnapshot", "MarketSummary",
           "list_markets", "market"]

_SHARED_FOLDERS = frozenset({"eu"})


@dataclass(frozen=True, slots=True)
class FactVersionView:
    """One version of a fact with its source; `valid_until` is inclusive, None while open-ended."""

    valid_from: date
    valid_until: date | None
    value: Any
    reference: Reference
    checked_on: date
    certainty: str
    note: str | None


@dataclass(frozen=True, slots=True)
class FactHistory:
    """All versions of one fact key; `defined_in` is the folder the key comes from (e.g. "eu")."""

    key: str
    description: str
    unit: str
    defined_in: str
    versions: tuple[FactVersionView, ...]

    def on(self, on: date) -> FactVersionView:
        """The version in force on `on`; raises FactNotFound before the first version."""
        for version in reversed(self.versions):
            if version.valid_from <= on:
                return version
        raise FactNotFound(f"{self.key}: no version in force on {on.isoformat()} (data starts "
                           f"{self.versions[0].valid_from.isoformat()})",
                           details=[ErrorDetail(message="date before the first version", field="date",
                                                code="markets.fact_not_found")])


@dataclass(frozen=True, slots=True)
class MarketSnapshot:
    """The facts of one market in force on one date, typed. `standard_rate` is None where no national VAT/GST."""

    code: str
    on: date
    currency: str
    languages: tuple[str, ...]
    marketplace_languages: tuple[str, ...]
    writing_direction: str
    tax_name: str
    standard_rate: Decimal | None
    reduced_rates: tuple[ReducedRate, ...]
    valuation_basis: str
    import_tax_base: str
    de_minimis_duty: tuple[DeMinimisThreshold, ...]
    de_minimis_tax: tuple[DeMinimisThreshold, ...]
    prices_tax_inclusive: bool
    measurement_system: str
    clothing_size_system: str
    shoe_size_system: str
    marketplaces: tuple[Marketplace, ...]


@dataclass(frozen=True, slots=True)
class EventOccurrence:
    """A dated event: public holiday, religious period or shopping event (inclusive start and end)."""

    id: str
    name: LocalizedText
    kind: str
    starts_on: date
    ends_on: date
    label: str | None
    reference: Reference | None
    promotion_note: LocalizedText | None


@dataclass(frozen=True, slots=True)
class MarketSummary:
    code: str
    name_en: str
    name_zh: str
    currency: str
    languages: tuple[str, ...]
    writing_direction: str


def _history(key: str, definition: FactDefinition, defined_in: str) -> FactHistory:
    versions = []
    for index, version in enumerate(definition.versions):
        following = definition.versions[index + 1].valid_from if index + 1 < len(definition.versions) else None
        versions.append(FactVersionView(
            valid_from=version.valid_from,
            valid_until=following - timedelta(days=1) if following else None,
            value=version.value,
            reference=Reference(title=version.reference.title, href=version.reference.href),
            checked_on=version.checked_on,
            certainty=version.certainty,
            note=version.note,
        ))
    return FactHistory(key=key, description=definition.description, unit=definition.unit, defined_in=defined_in,
                       versions=tuple(versions))


class Market:
    """One market's facts with `extends` applied. Obtain it with `market("DE")`."""

    def __init__(self, loaded: loader.LoadedJurisdiction) -> None:
        self._loaded = loaded
        self.code: str = loaded.code
        self.name: LocalizedText = loaded.name
        self.extends: str | None = loaded.extends

    def __repr__(self) -> str:
        return f"Market({self.code!r})"

    def fact_keys(self) -> list[str]:
        """Every fact key of this market, sorted."""
        return list(self._loaded.facts)

    def fact(self, key: str) -> FactHistory:
        """The full history of `key`, each version with reference, checked_on and certainty."""
        definition = self._loaded.facts.get(key)
        if definition is None:
            raise FactNotFound(f"{self.code} has no fact {key!r}",
                               details=[ErrorDetail(message="unknown fact key", field="key",
                                                    code="markets.fact_not_found")])
        return _history(key, definition, self._loaded.origin[key])

    def fact_on(self, key: str, on: date) -> FactVersionView:
        return self.fact(key).on(on)

    def _required(self, key: str, on: date) -> Any:
        version = self.fact_on(key, on)
        if version.value is None:
            raise FactNotFound(f"{self.code}: {key} is not in force on {on.isoformat()} ({version.note})",
                               details=[ErrorDetail(message="fact not in force", field=key,
                                                    code="markets.fact_not_found")])
        return version.value

    def on(self, on: date) -> MarketSnapshot:
        """Typed facts in force on `on`. Raises FactNotFound if a required fact has no value that day."""
        rate = self.fact_on("tax.standard_rate", on).value
        return MarketSnapshot(
            code=self.code,
            on=on,
            currency=self._required("currency", on),
            languages=tuple(self._required("languages.official", on)),
            marketplace_languages=tuple(self._required("languages.marketplace", on)),
            writing_direction=self._required("writing_direction", on),
            tax_name=self._required("tax.name", on),
            standard_rate=Decimal(rate) if rate is not None else None,
            reduced_rates=tuple(ReducedRate.model_validate(row) for row in self._required("tax.reduced_rates", on)),
            valuation_basis=self._required("customs.valuation_basis", on),
            import_tax_base=self._required("import_tax.base", on),
            de_minimis_duty=tuple(DeMinimisThreshold.model_validate(e) for e in self._required("de_minimis.duty", on)),
            de_minimis_tax=tuple(DeMinimisThreshold.model_validate(e) for e in self._required("de_minimis.tax", on)),
            prices_tax_inclusive=self._required("prices.tax_inclusive", on),
            measurement_system=self._required("measurement.system", on),
            clothing_size_system=self._required("size_system.clothing", on),
            shoe_size_system=self._required("size_system.shoes", on),
            marketplaces=tuple(Marketplace.model_validate(m) for m in self._required("marketplaces", on)),
        )

    def events(self, year_from: int, year_to: int) -> list[EventOccurrence]:
        """Event occurrences starting in `year_from`..`year_to`, by date; each year uses the rules in force on
        1 January of that year (or the earliest rules for years before the data starts)."""
        history = self.fact("calendar.events")
        found: list[EventOccurrence] = []
        for year in range(year_from, year_to + 1):
            first = history.versions[0]
            version = first if date(year, 1, 1) < first.valid_from else history.on(date(year, 1, 1))
            for raw in version.value or []:
                rule = EventRule.model_validate(raw)
                reference = Reference(rule.reference.title, rule.reference.href) if rule.reference else None
                found.extend(
                    EventOccurrence(id=rule.id, name=rule.name, kind=rule.kind, starts_on=occ.starts_on,
                                    ends_on=occ.ends_on, label=occ.label, reference=reference,
                                    promotion_note=rule.promotion_note)
                    for occ in expand_rule(rule.rule, year, year)
                )
        return sorted(found, key=lambda e: (e.starts_on, e.id, e.label or ""))


def market(code: str) -> Market:
    """The market for an ISO 3166-1 alpha-2 code ("de" or "DE").

    Raises:
        MarketNotFound: no data folder for `code` (shared folders such as EU are not markets).
    """
    folder = (code or "").strip().lower()
    if folder in _SHARED_FOLDERS or folder not in loader.jurisdiction_codes():
        raise MarketNotFound(f"no market data for {code!r}; known: {', '.join(m.code for m in list_markets())}",
                             details=[ErrorDetail(message="unknown market", field="market",
                                                  code="markets.market_not_found")])
    return Market(loader.load_jurisdiction(folder))


def list_markets(*, on: date | None = None) -> list[MarketSummary]:
    """All markets, sorted by code, with values in force on `on` (the latest versions when None)."""
    summaries = []
    for folder in loader.jurisdiction_codes():
        if folder in _SHARED_FOLDERS:
            continue
        item = Market(loader.load_jurisdiction(folder))

        def latest(key: str, item: Market = item) -> Any:
            history = item.fact(key)
            return (history.on(on) if on is not None else history.versions[-1]).value

        summaries.append(MarketSummary(code=item.code, name_en=item.name.en, name_zh=item.name.zh,
                                       currency=latest("currency"), languages=tuple(latest("languages.marketplace")),
                                       writing_direction=latest("writing_direction")))
    return summaries
