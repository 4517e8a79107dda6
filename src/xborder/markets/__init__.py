"""Market profiles as cited, effective-dated data: `market("DE").on(date)`, fact histories, calendars, de minimis.

The data lives in `jurisdictions/<cc>/facts.yaml` (format: docs/market-data.md); no rate is written in Python.
"""

from xborder.markets.de_minimis import DeMinimisDecision, de_minimis_applies
from xborder.markets.errors import FactNotFound, MarketNotFound
from xborder.markets.loader import clear_cache
from xborder.markets.schema import DeMinimisThreshold, LocalizedText, Marketplace, ReducedRate
from xborder.markets.service import (
    EventOccurrence,
    FactHistory,
    FactVersionView,
    Market,
    MarketSnapshot,
    MarketSummary,
    list_markets,
    market,
)

__all__ = [
    "DeMinimisDecision",
    "DeMinimisThreshold",
    "EventOccurrence",
    "FactHistory",
    "FactNotFound",
    "FactVersionView",
    "LocalizedText",
    "Market",
    "MarketNotFound",
    "MarketSnapshot",
    "MarketSummary",
    "Marketplace",
    "ReducedRate",
    "clear_cache",
    "de_minimis_applies",
    "list_markets",
    "market",
]
