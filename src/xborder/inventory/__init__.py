"""Inventory: demand forecasts, multi-tier warehouses and the stock ledger, replenishment plans and order routing.

Public API for other domains, the web, the console and the CLI. Pure cores: `forecasting` (statistical forecasts),
`plan` (MILP), `safety` (reorder points), `routing`; services take a session and never commit.
"""

from xborder.inventory.demand import (
    SalesImportReport,
    demand_history,
    forecast_workspace,
    import_sales_history,
    series_id,
)
from xborder.inventory.errors import InsufficientStock, TransferNotFound, UnknownSku, WarehouseNotFound
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
from xborder.inventory.lanes import Lane, find_lane, load_lanes
from xborder.inventory.ledger import (
    adjust_stock,
    list_ledger,
    receive_stock,
    release_reservation,
    reserve_stock,
    return_stock,
    ship_stock,
    stock_levels,
)
from xborder.inventory.plan import (
    DemandOutlook,
    PlanInput,
    PlanLine,
    PlannedShipment,
    ReplenishmentPlan,
    Site,
    SkuSpec,
    optimize_replenishment,
)
from xborder.inventory.replenishment import PlanSettings, plan_replenishment, route_order
from xborder.inventory.routing import Allocation, RoutingDecision, StockOption, choose_warehouses
from xborder.inventory.safety import ReorderPoint, demand_sd_from_band, reorder_point
from xborder.inventory.schemas import LedgerEntryOut, StockLevel, TransferLineIn, TransferOut, WarehouseIn, WarehouseOut
from xborder.inventory.service import (
    create_transfer,
    create_warehouse,
    get_transfer,
    list_warehouses,
    receive_transfer,
)

__all__ = [
    "AccuracyReport",
    "Allocation",
    "DemandOutlook",
    "EventUplift",
    "ForecastConfig",
    "ForecastResult",
    "InsufficientStock",
    "Lane",
    "LedgerEntryOut",
    "OverallAccuracy",
    "PlanInput",
    "PlanLine",
    "PlanSettings",
    "PlannedShipment",
    "ReorderPoint",
    "ReplenishmentPlan",
    "RoutingDecision",
    "SalesImportReport",
    "SeriesIssue",
    "Site",
    "SkuSpec",
    "StockLevel",
    "StockOption",
    "TransferLineIn",
    "TransferNotFound",
    "TransferOut",
    "UnknownSku",
    "WarehouseIn",
    "WarehouseNotFound",
    "WarehouseOut",
    "adjust_stock",
    "choose_warehouses",
    "create_transfer",
    "create_warehouse",
    "demand_history",
    "demand_sd_from_band",
    "evaluate_forecasts",
    "find_lane",
    "forecast_demand",
    "forecast_workspace",
    "get_transfer",
    "import_sales_history",
    "list_ledger",
    "list_warehouses",
    "load_lanes",
    "optimize_replenishment",
    "plan_replenishment",
    "prepare_history",
    "receive_stock",
    "receive_transfer",
    "release_reservation",
    "reorder_point",
    "reserve_stock",
    "return_stock",
    "route_order",
    "series_id",
    "ship_stock",
    "stock_levels",
]
