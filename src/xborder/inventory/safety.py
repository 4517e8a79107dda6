"""Safety stock and reorder points for a target cycle service level, from the forecast's spread and the lane's
transit-time variability.

References: Silver, Pyke & Thomas (2017), "Inventory and Production Management in Supply Chains", 4th ed., §6.10
(safety stock with random lead time: z * sqrt(L * sigma_d^2 + d^2 * sigma_L^2)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["ReorderPoint", "demand_sd_from_band", "reorder_point", "service_z"]


@dataclass(frozen=True)
class ReorderPoint:
    safety_stock: float
    reorder_point: float
    lead_time_demand: float


def service_z(service_level: float) -> float:
    if not 0.5 <= service_level < 1:
        raise ValidationFailed("service level must be in [0.5, 1)", details=[
            ErrorDetail(f"service level {service_level}", field="service_level", code="inventory.bad_service_level")])
    return NormalDist().inv_cdf(service_level)


def demand_sd_from_band(forecast: float, hi: float, level: int) -> float:
    """Per-period standard deviation implied by a central `level` % interval's upper bound."""
    z = NormalDist().inv_cdf(0.5 + level / 200)
    return max(hi - forecast, 0.0) / z


def reorder_point(*, demand_mean: float, demand_sd: float, lead_mean: float, lead_sd: float,
                  service_level: float) -> ReorderPoint:
    """Demand and lead time per planning period (e.g. weeks); returns units."""
    z = service_z(service_level)
    safety = z * math.sqrt(max(lead_mean, 0.0) * demand_sd**2 + demand_mean**2 * lead_sd**2)
    lead_demand = demand_mean * lead_mean
    return ReorderPoint(safety_stock=safety, reorder_point=lead_demand + safety, lead_time_demand=lead_demand)
