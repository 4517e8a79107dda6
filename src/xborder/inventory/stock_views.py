"""Read models and one entry point for the delivery layers: stock by tier and warehouse, one warehouse, transfer
lists, and `record_stock_entry` (one ledger entry of any kind, as the API and the console post it).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.inventory.ledger import (
    adjust_stock,
    receive_stock,
    release_reservation,
    reserve_stock,
    return_stock,
    ship_stock,
    stock_levels,
    warehouse_by_code,
)
from xborder.inventory.models import TransferOrder, Warehouse
from xborder.inventory.schemas import LedgerEntryOut, StockLevel, Tier, TransferOut, WarehouseOut
from xborder.inventory.service import _out as _transfer_out
from xborder.kernel import ErrorDetail, Page, ValidationFailed, decode_cursor, encode_cursor

__all__ = ["EntryKind", "LedgerEntryIn", "StockSummary", "TierStock", "WarehouseStock", "get_warehouse",
           "list_transfers", "record_stock_entry", "stock_summary"]

EntryKind = Literal["receipt", "reservation", "release", "shipment", "adjustment", "return"]
TIERS: tuple[Tier, ...] = ("domestic", "overseas", "forward")


class LedgerEntryIn(BaseModel):
    """One ledger entry. `quantity` is positive except for adjustments (signed, with a reason)."""

    kind: EntryKind
    warehouse: str = Field(min_length=1, max_length=32)
    sku: str = Field(min_length=1, max_length=64)
    quantity: int
    reference: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, max_length=200)
    from_reservation: bool = True  # shipments: consume the order's reservation


class _Totals(BaseModel):
    on_hand: int = 0
    reserved: int = 0
    available: int = 0
    in_transit: int = 0

    def add(self, level: StockLevel) -> None:
        self.on_hand += level.on_hand
        self.reserved += level.reserved
        self.available += level.available
        self.in_transit += level.in_transit


class WarehouseStock(_Totals):
    code: str
    name: str
    tier: Tier
    country: str
    operator: str
    marketplace: str | None
    skus: int = 0


class TierStock(_Totals):
    tier: Tier
    warehouses: int = 0


class StockSummary(BaseModel):
    """Totals per tier (domestic, overseas, forward — always all three) and per warehouse, optionally for one SKU."""

    sku: str | None
    tiers: list[TierStock]
    warehouses: list[WarehouseStock]
    levels: list[StockLevel]


def stock_summary(session: Session, *, organization_id: str, sku: str | None = None) -> StockSummary:
    houses = list(session.scalars(select(Warehouse).where(Warehouse.organization_id == organization_id)
                                  .order_by(Warehouse.tier, Warehouse.code)))
    by_code = {w.code: WarehouseStock(code=w.code, name=w.name, tier=w.tier, country=w.country,
                                      operator=w.operator, marketplace=w.marketplace) for w in houses}
    tiers = {t: TierStock(tier=t) for t in TIERS}
    for w in houses:
        tiers[w.tier].warehouses += 1  # type: ignore[index]
    levels = stock_levels(session, organization_id=organization_id, sku=sku)
    for level in levels:
        by_code[level.warehouse_code].add(level)
        by_code[level.warehouse_code].skus += 1 if level.on_hand or level.in_transit else 0
        tiers[level.tier].add(level)
    order = {t: i for i, t in enumerate(TIERS)}
    warehouses = sorted(by_code.values(), key=lambda w: (order[w.tier], w.code))
    return StockSummary(sku=sku, tiers=list(tiers.values()), warehouses=warehouses, levels=levels)


def get_warehouse(session: Session, *, organization_id: str, code: str) -> WarehouseOut:
    return WarehouseOut.model_validate(warehouse_by_code(session, organization_id=organization_id, code=code))


def record_stock_entry(session: Session, *, organization_id: str, entry: LedgerEntryIn) -> LedgerEntryOut:
    """Append one entry of `entry.kind`; refused with `inventory.insufficient_stock` if stock would go negative."""
    common = {"organization_id": organization_id, "warehouse": entry.warehouse, "sku": entry.sku,
              "quantity": entry.quantity}
    if entry.kind == "adjustment":
        return adjust_stock(session, reason=entry.reason or "", **common)  # type: ignore[arg-type]
    if entry.reason:
        raise ValidationFailed("only adjustments carry a reason; use reference for order or receipt numbers",
                               details=[ErrorDetail("reason given", field="reason", code="inventory.bad_entry")])
    if entry.kind == "shipment":
        return ship_stock(session, from_reservation=entry.from_reservation, reference=entry.reference,
                          **common)  # type: ignore[arg-type]
    action = {"receipt": receive_stock, "reservation": reserve_stock, "release": release_reservation,
              "return": return_stock}[entry.kind]
    return action(session, reference=entry.reference, **common)  # type: ignore[arg-type]


def list_transfers(session: Session, *, organization_id: str, status: str | None = None,
                   cursor: str | None = None, limit: int = 50) -> Page[TransferOut]:
    """Newest first."""
    query = select(TransferOrder).where(TransferOrder.organization_id == organization_id)
    if status:
        query = query.where(TransferOrder.status == status)
    if cursor:
        query = query.where(TransferOrder.id < str(decode_cursor(cursor)[0]))
    rows = list(session.scalars(query.order_by(TransferOrder.id.desc()).limit(limit + 1)))
    items = [_transfer_out(session, r) for r in rows[:limit]]
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)
