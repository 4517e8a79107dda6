"""Errors of the markets domain, with stable codes the API and CLI map to statuses and exit codes."""

from __future__ import annotations

from xborder.kernel import NotFound

__all__ = ["FactNotFound", "MarketNotFound"]


class MarketNotFound(NotFound):
    """No market data folder for the requested country code."""

    code = "markets.market_not_found"


class FactNotFound(NotFound):
    """The market has no such fact key, or no version of it is in force on the requested date."""

    code = "markets.fact_not_found"
