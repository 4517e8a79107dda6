"""Pure demand forecasting over long-format history (`unique_id, ds, y`): model choice, intervals, accuracy."""

from xborder.inventory.forecasting.accuracy import AccuracyReport, OverallAccuracy, evaluate_forecasts
from xborder.inventory.forecasting.calendar import EventUplift
from xborder.inventory.forecasting.engine import ForecastConfig, ForecastResult, forecast_demand
from xborder.inventory.forecasting.history import PreparedHistory, SeriesIssue, prepare_history

__all__ = [
    "AccuracyReport",
    "EventUplift",
    "ForecastConfig",
    "ForecastResult",
    "OverallAccuracy",
    "PreparedHistory",
    "SeriesIssue",
    "evaluate_forecasts",
    "forecast_demand",
    "prepare_history",
]
