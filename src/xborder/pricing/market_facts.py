"""Adapter from `xborder.markets` (fact histories with sources) to the `MarketFacts` the pure core reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder import markets
from xborder.markets import DeMinimisThreshold
from xborder.pricing.model import FactRef, MarketFacts

__all__ = ["UPLIFT_KEY", "load_market_facts"]

UPLIFT_KEY = "import_tax.base_uplift"  # optional fact: percent of the customs value added to the import-tax base


def _ref(mkt: markets.Market, key: str, on: date, value: object) -> FactRef:
    version = mkt.fact_on(key, on)
    return FactRef(value=value, source=version.reference.href or "", effective_from=version.valid_from,
                   certainty=version.certainty, note=version.note)  # type: ignore[arg-type]


def load_market_facts(code: str, on: date) -> MarketFacts:
    """Facts of market `code` in force on `on` (raises markets.MarketNotFound / FactNotFound when absent)."""
    mkt = markets.market(code)
    snap = mkt.on(on)
    rate: Decimal | None = snap.standard_rate
    uplift = None
    if UPLIFT_KEY in mkt.fact_keys():
        version = mkt.fact_on(UPLIFT_KEY, on)
        if version.value is not None:
            uplift = _ref(mkt, UPLIFT_KEY, on, Decimal(str(version.value)))
    return MarketFacts(
        code=snap.code, currency=snap.currency, tax_name=snap.tax_name,
        standard_rate=_ref(mkt, "tax.standard_rate", on, rate),
        valuation_basis=_ref(mkt, "customs.valuation_basis", on, snap.valuation_basis),
        import_tax_base=_ref(mkt, "import_tax.base", on, snap.import_tax_base),
        de_minimis_duty=_ref(mkt, "de_minimis.duty", on, tuple(snap.de_minimis_duty)),
        de_minimis_tax=_ref(mkt, "de_minimis.tax", on, tuple(snap.de_minimis_tax)),
        import_tax_uplift=uplift,
    )


def thresholds_of(facts: MarketFacts) -> tuple[DeMinimisThreshold, ...]:
    duty: tuple[DeMinimisThreshold, ...] = facts.de_minimis_duty.value  # type: ignore[assignment]
    tax: tuple[DeMinimisThreshold, ...] = facts.de_minimis_tax.value  # type: ignore[assignment]
    return duty + tax
