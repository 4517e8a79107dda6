"""Landed cost and pricing: dated duty schedules, origin measures, FX reference rates, the pure landed-cost core.

Cross-domain callers use only these names: build a `PricingData` once, then `quote_landed_cost(data, request=...)`.
"""

from xborder.pricing.batch import (
    BATCH_COLUMNS,
    BatchResult,
    QuoteFigures,
    figures_of,
    parse_quote_row,
    quote_batch,
    quote_figures,
)
from xborder.pricing.errors import (
    DateOutsideData,
    FxRateMissing,
    MarketFactMissing,
    MissingQuantity,
    NoTariffData,
    PricingInputInvalid,
    UnsupportedRate,
)
from xborder.pricing.fx import (
    EcbReferenceRates,
    FredMonthlyRates,
    FxProvider,
    FxQuote,
    FxUpdateFailed,
    update_ecb_rates,
)
from xborder.pricing.landed_cost import compute_landed_cost
from xborder.pricing.localized_price import (
    LocalizedPrice,
    PriceEnding,
    PriceInputs,
    RepriceProposal,
    TierPrice,
    localize_price,
    preview_repricing,
    price_ending_for,
    quantity_tier_prices,
)
from xborder.pricing.matrix import MatrixCell, PriceMatrix, price_matrix
from xborder.pricing.model import (
    DeMinimisOutcome,
    FactRef,
    Gap,
    LandedCost,
    MarketFacts,
    QuoteContext,
    QuoteLine,
    QuoteRequest,
)
from xborder.pricing.saved_quotes import (
    LineChange,
    QuoteDiff,
    SavedQuoteNotFound,
    SavedQuoteView,
    diff_saved_quote,
    get_saved_quote,
    list_saved_quotes,
    replay_saved_quote,
    save_quote,
)
from xborder.pricing.serialize import landed_cost_to_dict
from xborder.pricing.service import PricingData, quote_landed_cost
from xborder.pricing.tariffs import import_schedule_version, list_schedule_versions

__all__ = [
    "BATCH_COLUMNS",
    "BatchResult",
    "DateOutsideData",
    "DeMinimisOutcome",
    "EcbReferenceRates",
    "FactRef",
    "FredMonthlyRates",
    "FxProvider",
    "FxQuote",
    "FxRateMissing",
    "FxUpdateFailed",
    "Gap",
    "LandedCost",
    "LineChange",
    "LocalizedPrice",
    "MarketFactMissing",
    "MarketFacts",
    "MatrixCell",
    "MissingQuantity",
    "NoTariffData",
    "PriceEnding",
    "PriceInputs",
    "PriceMatrix",
    "PricingData",
    "PricingInputInvalid",
    "QuoteContext",
    "QuoteDiff",
    "QuoteFigures",
    "QuoteLine",
    "QuoteRequest",
    "RepriceProposal",
    "SavedQuoteNotFound",
    "SavedQuoteView",
    "TierPrice",
    "UnsupportedRate",
    "compute_landed_cost",
    "diff_saved_quote",
    "figures_of",
    "get_saved_quote",
    "import_schedule_version",
    "landed_cost_to_dict",
    "list_saved_quotes",
    "list_schedule_versions",
    "localize_price",
    "parse_quote_row",
    "preview_repricing",
    "price_ending_for",
    "price_matrix",
    "quantity_tier_prices",
    "quote_batch",
    "quote_figures",
    "quote_landed_cost",
    "replay_saved_quote",
    "save_quote",
    "update_ecb_rates",
]
