"""FX reference rates for pricing: provider Protocol, offline ECB/FRED/peg rates, ECB update."""

from xborder.pricing.fx.base import FxProvider, FxQuote
from xborder.pricing.fx.ecb import FxUpdateFailed, FxUpdateResult, parse_ecb_xml, update_ecb_rates
from xborder.pricing.fx.reference import EcbReferenceRates, FredMonthlyRates, load_pegs

__all__ = [
    "EcbReferenceRates",
    "FredMonthlyRates",
    "FxProvider",
    "FxQuote",
    "FxUpdateFailed",
    "FxUpdateResult",
    "load_pegs",
    "parse_ecb_xml",
    "update_ecb_rates",
]
