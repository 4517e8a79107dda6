"""Pricing errors: each names what is missing (market, HS code, rate, FX pair, date) with a stable code."""

from __future__ import annotations

from xborder.kernel import NotFound, ValidationFailed

__all__ = [
    "DateOutsideData",
    "FxRateMissing",
    "MarketFactMissing",
    "MissingQuantity",
    "NoTariffData",
    "PricingInputInvalid",
    "UnsupportedRate",
]


class NoTariffData(NotFound):
    """No schedule line covers the HS code (or the market has no schedule): never read as 0 %."""

    code = "pricing.no_tariff_data"


class DateOutsideData(NotFound):
    """The quote date is before the first version of a schedule, rate table or fact."""

    code = "pricing.date_outside_data"


class UnsupportedRate(ValidationFailed):
    """A rate text the engine cannot compute automatically (e.g. 'the duty provided in the applicable subheading')."""

    code = "pricing.unsupported_rate"


class MissingQuantity(ValidationFailed):
    """A specific duty needs a quantity (kg, items, litres...) the quote input does not give."""

    code = "pricing.missing_quantity"


class FxRateMissing(NotFound):
    """No reference rate for a currency pair on (or, by option, before) the date."""

    code = "pricing.fx_rate_missing"


class MarketFactMissing(NotFound):
    """A market fact the computation needs (VAT rate, valuation basis...) is absent or not in force."""

    code = "pricing.market_fact_missing"


class PricingInputInvalid(ValidationFailed):
    """Quote input rejected (unknown incoterm, channel, negative value...)."""

    code = "pricing.invalid_input"
