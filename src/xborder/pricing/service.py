"""Pricing use cases: resolve schedules, market facts and FX into a QuoteContext, then call the pure core.

`PricingData` caches what quotes share (schedules, facts per market and date, contexts per plan key), so the
single-quote and batch paths run the same code; batch just reuses the cache across rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from xborder.kernel import DomainError, ErrorDetail, country_code, hs_code
from xborder.pricing.errors import NoTariffData, PricingInputInvalid
from xborder.pricing.fx.base import FxProvider, FxQuote
from xborder.pricing.fx.published import PublishedRate, record_published_rate
from xborder.pricing.fx.reference import EcbReferenceRates
from xborder.pricing.landed_cost import compute_landed_cost
from xborder.pricing.market_facts import load_market_facts, thresholds_of
from xborder.pricing.measures import resolve_measures
from xborder.pricing.model import FactRef, LandedCost, MarketFacts, QuoteContext, QuoteRequest
from xborder.pricing.rates import Greatest, Least, Negated, Rate, Specific, Sum
from xborder.pricing.schedules import Schedule, TariffLine, load_schedule, schedule_key_for, shipped_schedule_dir
from xborder.pricing.subdivisions import load_subdivision_table

__all__ = ["PlanKey", "PricingData", "fx_files", "pricing_data_for", "quote_landed_cost", "record_fx_rate",
           "workspace_fx", "workspace_schedules"]

STALE_TARIFF_DAYS = 365
MAX_CACHED_CONTEXTS = 50_000  # a long-running server must not grow without bound on distinct requests


@dataclass(frozen=True, slots=True)
class PlanKey:
    """What two quotes must share to share a QuoteContext."""

    destination: str
    origin: str
    hs_code: str
    channel: str
    on: date
    currencies: tuple[str, ...]
    seller_currency: str | None
    buyer: str = "B2C"
    registrations: frozenset[str] = frozenset()
    subdivision: str | None = None


def _specific_currencies(rate: Rate) -> set[str]:
    if isinstance(rate, Specific):
        return {rate.currency}
    if isinstance(rate, Sum | Greatest | Least):
        return set().union(*(_specific_currencies(t) for t in rate.terms))
    if isinstance(rate, Negated):
        return _specific_currencies(rate.term)
    return set()


class PricingData:
    """Loaded reference data for quoting: schedules (+ imported overlay), market facts, one FX provider."""

    def __init__(self, *, fx: FxProvider, overlay_dir: Path | None = None, allow_latest_fx: bool = False) -> None:
        self.fx = fx
        self.overlay_dir = overlay_dir
        self.allow_latest_fx = allow_latest_fx
        self._schedules: dict[str, Schedule] = {}
        self._facts: dict[tuple[str, date], MarketFacts] = {}
        self._contexts: dict[PlanKey, QuoteContext | DomainError] = {}
        self._latest: PricingData | None = None

    def with_latest_fx(self) -> PricingData:
        """The same data, but beyond the FX history the latest rate is used (its date is shown in the quote, like
        `--fx-latest`); loaded schedules and facts are shared, contexts are not (they differ in FX)."""
        if self.allow_latest_fx:
            return self
        if self._latest is None:
            latest = PricingData(fx=self.fx, overlay_dir=self.overlay_dir, allow_latest_fx=True)
            latest._schedules, latest._facts = self._schedules, self._facts
            self._latest = latest
        return self._latest

    def fx_data_until(self) -> date | None:
        """The last day the FX provider has rates for, when it can tell."""
        last = getattr(self.fx, "last_date", None)
        return last() if callable(last) else None

    def schedule(self, key: str) -> Schedule:
        found = self._schedules.get(key)
        if found is None:
            found = self._schedules[key] = load_schedule(key, overlay_dir=self.overlay_dir)
        return found

    def facts(self, market: str, on: date) -> MarketFacts:
        found = self._facts.get((market, on))
        if found is None:
            found = self._facts[(market, on)] = load_market_facts(market, on)
        return found

    def _fx(self, base: str, quote: str, on: date) -> FxQuote:
        return self.fx.quote(base, quote, on, allow_latest=self.allow_latest_fx)

    @staticmethod
    def _key(req: QuoteRequest) -> tuple[PlanKey, set[str]]:
        currencies = {req.goods_value.currency}
        for money in (req.shipping, req.insurance):
            if money is not None:
                currencies.add(money.currency)
        return PlanKey(req.destination, req.origin, req.hs_code, req.channel, req.on, tuple(sorted(currencies)),
                       req.seller_currency, req.buyer, req.registrations, req.subdivision), currencies

    def is_prepared(self, request: QuoteRequest) -> bool:
        """Whether a quote like `request` needs no loading (schedules, facts, FX): a pure computation from here."""
        return self._key(normalize_request(request))[0] in self._contexts

    def context(self, req: QuoteRequest) -> QuoteContext:
        key, currencies = self._key(req)
        found = self._contexts.get(key)
        if found is None:
            try:
                found = self._build(req, currencies)
            except DomainError as exc:
                found = exc  # a plan that fails (unknown HS, no FX...) fails the same way for every row sharing it
            if len(self._contexts) >= MAX_CACHED_CONTEXTS:
                self._contexts.clear()
            self._contexts[key] = found
        if isinstance(found, DomainError):
            raise found.with_traceback(None)
        return found

    def _build(self, req: QuoteRequest, currencies: set[str]) -> QuoteContext:
        facts = self.facts(req.destination, req.on)
        key = schedule_key_for(req.destination)
        schedule = self.schedule(key)
        version = schedule.version_on(req.on)
        base: TariffLine | None = None
        base_missing: tuple[str, tuple[ErrorDetail, ...]] | None = None
        try:
            base = schedule.line(req.hs_code, req.on)
        except NoTariffData as exc:
            if not schedule.measures:
                raise
            # raised by the core unless a measure (e.g. Brazil's RTS) replaces the base
            base_missing = (exc.message, tuple(exc.details))
        measures, gaps = resolve_measures(schedule.measures, origin=req.origin, channel=req.channel,
                                          hs=req.hs_code, on=req.on, buyer=req.buyer,
                                          registrations=req.registrations)
        warnings: list[str] = []
        facts = self._subdivision_facts(facts, key, req, warnings)
        dest = facts.currency
        pairs = {(c, dest) for c in currencies}
        if base is not None:
            pairs |= {(c, dest) for c in _specific_currencies(base.rate)}
        for rm in measures:
            pairs |= {(c, dest) for c in _specific_currencies(rm.rate)}
            for cond in (rm.measure.value_above, rm.measure.value_at_most):
                if cond is not None:
                    pairs.add((dest, cond.currency))
        for gap in gaps:
            for cond in (gap.value_above, gap.value_at_most):
                if cond is not None:
                    pairs.add((dest, cond.currency))
        pairs |= {(dest, t.currency) for t in thresholds_of(facts)}
        if req.seller_currency is not None:
            pairs.add((dest, req.seller_currency))
        fx = tuple(self._fx(b, q, req.on) for b, q in sorted(pairs) if b != q)
        if req.on - version.data_as_of > timedelta(days=STALE_TARIFF_DAYS):
            warnings.append(f"tariff data {version.id} is as of {version.data_as_of}; rates may have changed by "
                            f"{req.on} (refresh with `xborder tariffs import`)")
        versions = (f"schedule:{version.id}", *(f"measure:{rm.measure.id}@{rm.version.valid_from}" for rm in measures),
                    *(f"fx:{q.base}{q.quote}@{q.rate_date}" for q in fx))
        if req.subdivision is not None:
            versions = (*versions, f"subdivision:{req.subdivision}@{facts.standard_rate.effective_from}")
        return QuoteContext(facts=facts, base=base, measures=measures, gaps=gaps, fx=fx, warnings=tuple(warnings),
                            versions=versions, base_missing=base_missing)

    def _subdivision_facts(self, facts: MarketFacts, key: str, req: QuoteRequest, warnings: list[str]) -> MarketFacts:
        table = load_subdivision_table(shipped_schedule_dir() / key)
        if table is None:
            if req.subdivision is not None:
                raise PricingInputInvalid(f"{req.destination} does not tax by subdivision; leave subdivision empty",
                                          details=[ErrorDetail("not used here", field="subdivision")])
            return facts
        if req.subdivision is None:
            warnings.append(table.default_note)
            return facts
        found = table.rate(req.subdivision, req.on)
        ref = FactRef(value=found.rate, source=found.source, effective_from=found.valid_from,
                      certainty=found.certainty, note=found.note)  # type: ignore[arg-type]
        return replace(facts, standard_rate=ref, tax_name=f"{table.tax_name} ({found.subdivision})")


def normalize_request(req: QuoteRequest) -> QuoteRequest:
    """Check and normalize codes so that errors name the field."""
    try:
        origin = country_code(req.origin, field="origin")
        destination = country_code(req.destination, field="destination")
        code = hs_code(req.hs_code)
    except Exception as exc:
        raise PricingInputInvalid(str(exc), details=[ErrorDetail(str(exc), code=PricingInputInvalid.code)]) from None
    if len(code) < 6:
        raise PricingInputInvalid(f"hs_code: {req.hs_code!r} is a chapter or heading; give at least 6 digits",
                                  details=[ErrorDetail("need 6+ digits", field="hs_code")])
    subdivision = req.subdivision.strip().upper() or None if req.subdivision is not None else None
    return replace(req, origin=origin, destination=destination, hs_code=code, subdivision=subdivision)


def quote_landed_cost(data: PricingData, *, request: QuoteRequest) -> LandedCost:
    """Quote one product line: duties, taxes, fees, de minimis and totals, each line sourced and dated."""
    req = normalize_request(request)
    return compute_landed_cost(req, data.context(req))


def workspace_schedules(data_dir: Path) -> Path:
    """Where `xborder tariffs import` writes a workspace's imported schedule versions (layered over the shipped)."""
    return data_dir / "pricing" / "schedules"


def fx_files(data_dir: Path) -> tuple[Path, Path]:
    """The workspace's FX files: ECB days added by `xborder fx update`, central-bank rates from `xborder fx set`."""
    root = data_dir / "pricing" / "fx"
    return root / "ecb-updates.csv", root / "published-rates.csv"


def workspace_fx(data_dir: Path) -> EcbReferenceRates:
    updates, published = fx_files(data_dir)
    return EcbReferenceRates(updates_file=updates, published_file=published)


def record_fx_rate(data_dir: Path, *, currency: str, per_usd: str, on: str, source: str) -> PublishedRate:
    """Record a central bank's published rate (units per USD on a day, with the publication's URL) for a currency
    the ECB does not publish; refused for currencies the ECB or a peg already covers."""
    updates, published = fx_files(data_dir)
    covered = EcbReferenceRates(updates_file=updates).covered_elsewhere()
    return record_published_rate(published, currency_code=currency, per_usd=per_usd, on=on, source=source,
                                 refused=covered)


def pricing_data_for(data_dir: Path, *, allow_latest_fx: bool = False) -> PricingData:
    """The workspace's pricing data: shipped schedules + imported versions under `<data_dir>/pricing/schedules`, ECB
    reference rates + the workspace's FX files (`fx_files`), the paths the CLI writes."""
    return PricingData(fx=workspace_fx(data_dir), overlay_dir=workspace_schedules(data_dir),
                       allow_latest_fx=allow_latest_fx)
