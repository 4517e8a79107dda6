"""Inventory: demand forecasts, multi-tier warehouses and stock ledger, replenishment plans.

Public API for other domains, the web and the CLI; the pure forecasting core lives in `inventory.forecasting`.
"""

from xborder.inventory.forecasting import (
    AccuracyReport,
    EventUplift,
    ForecastConfig,
    ForecastResult,
    OverallAccuracy,
    SeriesIssue,
    evaluate_forecasts,
    forecast_demand,
    prepare_history,
)

__all__ = [
    "AccuracyReport",
    "EventUplift",
    "ForecastConfig",
    "ForecastResult",
    "OverallAccuracy",
    "SeriesIssue",
    "evaluate_forecasts",
    "forecast_demand",
    "prepare_history",
]
