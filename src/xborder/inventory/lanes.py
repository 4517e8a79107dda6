"""Transport lanes and modes (sea, rail, air, express) as cited data: cost per kg or per container volume and a
transit-time distribution; used by the replenishment planner until a logistics package owns carriers and rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from functools import cache
from pathlib import Path
from statistics import NormalDist
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from xborder.kernel import ErrorDetail, NotFound, Reference, ValidationFailed

__all__ = ["Lane", "find_lane", "load_lanes"]

_DATA = Path(__file__).with_name("data") / "lanes.yaml"
_P90 = NormalDist().inv_cdf(0.9)
Mode = Literal["sea", "rail", "air", "express", "road"]


class _Cost(BaseModel):
    amount: Decimal = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)
    per: Literal["kg", "m3", "feu"]


class _Range(BaseModel):
    low: int = Field(ge=0)
    high: int = Field(ge=0)


class _RefIn(BaseModel):
    title: str
    href: str


class _LaneIn(BaseModel):
    id: str
    origin: list[str]
    destination: list[str]
    mode: Mode
    transit_days: _Range
    cost: _Cost
    feu_usable_m3: Decimal | None = None
    reference: _RefIn


class _File(BaseModel):
    version: int
    checked_on: date
    lanes: list[_LaneIn]


@dataclass(frozen=True)
class Lane:
    """One mode between an origin and destination countries. Transit days ~ Normal(mean, sd), read from the cited
    range as its 10th..90th percentiles."""

    id: str
    origins: frozenset[str]
    destinations: frozenset[str]
    mode: Mode
    transit_low_days: int
    transit_high_days: int
    cost_amount: Decimal
    cost_currency: str
    cost_per: Literal["kg", "m3", "feu"]
    feu_usable_m3: Decimal | None
    reference: Reference

    @property
    def transit_mean_days(self) -> float:
        return (self.transit_low_days + self.transit_high_days) / 2

    @property
    def transit_sd_days(self) -> float:
        return (self.transit_high_days - self.transit_low_days) / (2 * _P90)

    def freight_per_unit(self, *, weight_kg: Decimal, volume_m3: Decimal) -> Decimal:
        """Freight for one unit in `cost_currency`: by chargeable weight (kg) or by share of a container (m3)."""
        if self.cost_per == "kg":
            # air and express charge the larger of actual and volumetric weight (1 m3 = 167 kg, IATA 6000 cm3/kg)
            chargeable = max(weight_kg, volume_m3 * Decimal(167))
            return self.cost_amount * chargeable
        if self.cost_per == "m3":
            return self.cost_amount * volume_m3
        assert self.feu_usable_m3 is not None  # checked at load
        return self.cost_amount * volume_m3 / self.feu_usable_m3

    def lead_time_periods(self, period_days: int) -> int:
        """Whole planning periods until arrival (the mean transit, rounded up)."""
        return int((Decimal(str(self.transit_mean_days)) / period_days).to_integral_value(ROUND_CEILING))


@cache
def load_lanes(path: Path = _DATA) -> tuple[Lane, ...]:
    """All lanes of the data file, validated (an FEU-priced lane must state its usable volume)."""
    raw = _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    lanes = []
    for item in raw.lanes:
        if item.transit_days.high < item.transit_days.low or (item.cost.per == "feu" and not item.feu_usable_m3):
            raise ValidationFailed(f"lane {item.id}: bad transit range or missing feu_usable_m3", details=[
                ErrorDetail(f"lane {item.id}", field="lanes", code="inventory.bad_lane")])
        lanes.append(Lane(id=item.id, origins=frozenset(item.origin), destinations=frozenset(item.destination),
                          mode=item.mode, transit_low_days=item.transit_days.low,
                          transit_high_days=item.transit_days.high, cost_amount=item.cost.amount,
                          cost_currency=item.cost.currency, cost_per=item.cost.per,
                          feu_usable_m3=item.feu_usable_m3,
                          reference=Reference(item.reference.title, item.reference.href)))
    return tuple(lanes)


def find_lane(origin: str, destination: str, mode: str, lanes: tuple[Lane, ...] | None = None) -> Lane:
    for lane in lanes if lanes is not None else load_lanes():
        if lane.mode == mode and origin in lane.origins and destination in lane.destinations:
            return lane
    raise NotFound(f"no {mode} lane from {origin} to {destination}", details=[
        ErrorDetail(f"no {mode} lane {origin}->{destination}", field="mode", code="inventory.no_lane")])
