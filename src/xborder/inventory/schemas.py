"""Typed inputs and outputs of the inventory services (pydantic), shared by the web, the CLI and the console."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["LedgerEntryOut", "StockLevel", "TransferLineIn", "TransferOut", "WarehouseIn", "WarehouseOut"]

Tier = Literal["domestic", "overseas", "forward"]
Operator = Literal["own", "3pl", "marketplace"]
Mode = Literal["sea", "rail", "air", "express", "road"]


class WarehouseIn(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    tier: Tier
    operator: Operator = "own"
    marketplace: str | None = None
    country: str = Field(min_length=2, max_length=2)
    city: str | None = None
    capacity_m3: Decimal | None = Field(default=None, ge=0)
    currency: str = Field(min_length=3, max_length=3)
    storage_cost_per_m3_month: Decimal = Field(ge=0)
    handling_cost_per_unit: Decimal = Field(ge=0)


class WarehouseOut(WarehouseIn):
    model_config = ConfigDict(from_attributes=True)

    id: str


class StockLevel(BaseModel):
    """Derived from the ledger: available = on_hand - reserved; in_transit is inbound stock not yet received."""

    warehouse_code: str
    tier: Tier
    sku: str
    on_hand: int
    reserved: int
    available: int
    in_transit: int


class LedgerEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    warehouse_id: str
    sku: str
    kind: str
    d_on_hand: int
    d_reserved: int
    d_in_transit: int
    reference: str | None
    reason: str | None
    created_at: datetime


class TransferLineIn(BaseModel):
    sku: str
    quantity: int = Field(gt=0)


class TransferOut(BaseModel):
    id: str
    number: str
    from_warehouse: str
    to_warehouse: str
    mode: Mode
    status: str
    shipped_on: date
    eta_on: date
    received_on: date | None
    lines: list[tuple[str, int, int]]  # sku, quantity, received
