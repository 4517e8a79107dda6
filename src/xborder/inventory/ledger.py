"""Stock ledger use cases: receipts, reservations, releases, shipments, adjustments, returns and stock levels.

Each entry is appended together with one guarded UPDATE of the balance projection; if the guard fails nothing is
written and `InsufficientStock` names the warehouse, SKU and shortfall. Functions flush, the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xborder.catalog import Variant
from xborder.inventory.errors import InsufficientStock, UnknownSku, WarehouseNotFound
from xborder.inventory.models import StockBalance, StockEntry, Warehouse
from xborder.inventory.schemas import LedgerEntryOut, StockLevel
from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = [
    "adjust_stock",
    "list_ledger",
    "receive_stock",
    "release_reservation",
    "reserve_stock",
    "return_stock",
    "ship_stock",
    "stock_levels",
]


@dataclass(frozen=True)
class _Delta:
    on_hand: int = 0
    reserved: int = 0
    in_transit: int = 0


def warehouse_by_code(session: Session, *, organization_id: str, code: str) -> Warehouse:
    found = session.scalar(select(Warehouse).where(Warehouse.organization_id == organization_id,
                                                   Warehouse.code == code))
    if found is None:
        raise WarehouseNotFound(f"no warehouse {code!r}", details=[
            ErrorDetail(f"unknown warehouse {code!r}", field="warehouse", code=WarehouseNotFound.code)])
    return found


def _check_sku(session: Session, organization_id: str, sku: str) -> None:
    if session.scalar(select(Variant.id).where(Variant.organization_id == organization_id, Variant.sku == sku)) is None:
        raise UnknownSku(f"SKU {sku!r} is not in the catalog", details=[
            ErrorDetail(f"unknown SKU {sku!r}", field="sku", code=UnknownSku.code)])


def _positive(quantity: int) -> None:
    if quantity <= 0:
        raise ValidationFailed("quantity must be a positive whole number", details=[
            ErrorDetail(f"quantity {quantity} is not positive", field="quantity", code="inventory.bad_quantity")])


def _guarded_update(session: Session, org: str, warehouse_id: str, sku: str, d: _Delta) -> int:
    b = StockBalance
    stmt = (
        update(b)
        .where(b.organization_id == org, b.warehouse_id == warehouse_id, b.sku == sku,
               b.on_hand + d.on_hand >= 0, b.reserved + d.reserved >= 0,
               b.reserved + d.reserved <= b.on_hand + d.on_hand, b.in_transit + d.in_transit >= 0)
        .values(on_hand=b.on_hand + d.on_hand, reserved=b.reserved + d.reserved,
                in_transit=b.in_transit + d.in_transit)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(stmt)
    assert isinstance(result, CursorResult)  # an UPDATE's result; Session.execute is typed for any statement
    return int(result.rowcount or 0)


def _ensure_balance(session: Session, org: str, warehouse_id: str, sku: str) -> None:
    try:
        with session.begin_nested():
            session.add(StockBalance(organization_id=org, warehouse_id=warehouse_id, sku=sku,
                                     on_hand=0, reserved=0, in_transit=0))
    except IntegrityError:
        pass  # a concurrent first entry created it; the guarded update below serialises on it


def apply_entry(session: Session, *, warehouse: Warehouse, sku: str, kind: str, delta: _Delta,
                reference: str | None = None, reason: str | None = None) -> StockEntry:
    """Append one entry if the balance stays non-negative (reserved within on-hand), else refuse."""
    org = warehouse.organization_id
    # The write comes first so SQLite takes its write lock before any read of the balance.
    if _guarded_update(session, org, warehouse.id, sku, delta) != 1:
        current = session.scalar(select(StockBalance).where(
            StockBalance.organization_id == org, StockBalance.warehouse_id == warehouse.id, StockBalance.sku == sku))
        if current is None:
            _ensure_balance(session, org, warehouse.id, sku)
            if _guarded_update(session, org, warehouse.id, sku, delta) == 1:
                return _append(session, warehouse, sku, kind, delta, reference, reason)
            current = session.scalar(select(StockBalance).where(
                StockBalance.organization_id == org, StockBalance.warehouse_id == warehouse.id,
                StockBalance.sku == sku))
        session.refresh(current) if current is not None else None
        on_hand = current.on_hand if current else 0
        reserved = current.reserved if current else 0
        in_transit = current.in_transit if current else 0
        raise InsufficientStock(
            f"{kind} of {sku} at {warehouse.code} refused: stock would go negative",
            details=[ErrorDetail(
                f"{warehouse.code}/{sku}: on_hand {on_hand}{delta.on_hand:+d}, reserved {reserved}{delta.reserved:+d}, "
                f"in_transit {in_transit}{delta.in_transit:+d}", field="quantity", code=InsufficientStock.code)])
    return _append(session, warehouse, sku, kind, delta, reference, reason)


def _append(session: Session, warehouse: Warehouse, sku: str, kind: str, d: _Delta, reference: str | None,
            reason: str | None) -> StockEntry:
    entry = StockEntry(organization_id=warehouse.organization_id, warehouse_id=warehouse.id, sku=sku, kind=kind,
                       d_on_hand=d.on_hand, d_reserved=d.reserved, d_in_transit=d.in_transit, reference=reference,
                       reason=reason)
    session.add(entry)
    session.flush()
    return entry


def _record(session: Session, organization_id: str, warehouse: str, sku: str, kind: str, delta: _Delta,
            reference: str | None, reason: str | None) -> LedgerEntryOut:
    wh = warehouse_by_code(session, organization_id=organization_id, code=warehouse)
    _check_sku(session, organization_id, sku)
    entry = apply_entry(session, warehouse=wh, sku=sku, kind=kind, delta=delta, reference=reference, reason=reason)
    return LedgerEntryOut.model_validate(entry)


def receive_stock(session: Session, *, organization_id: str, warehouse: str, sku: str, quantity: int,
                  reference: str | None = None) -> LedgerEntryOut:
    _positive(quantity)
    return _record(session, organization_id, warehouse, sku, "receipt", _Delta(on_hand=quantity), reference, None)


def reserve_stock(session: Session, *, organization_id: str, warehouse: str, sku: str, quantity: int,
                  reference: str | None = None) -> LedgerEntryOut:
    """Hold `quantity` of available stock for an order; refused if available stock is short."""
    _positive(quantity)
    return _record(session, organization_id, warehouse, sku, "reservation", _Delta(reserved=quantity), reference,
                   None)


def release_reservation(session: Session, *, organization_id: str, warehouse: str, sku: str, quantity: int,
                        reference: str | None = None) -> LedgerEntryOut:
    _positive(quantity)
    return _record(session, organization_id, warehouse, sku, "release", _Delta(reserved=-quantity), reference, None)


def ship_stock(session: Session, *, organization_id: str, warehouse: str, sku: str, quantity: int,
               from_reservation: bool = True, reference: str | None = None) -> LedgerEntryOut:
    """Stock leaves for a customer; by default it consumes the order's reservation."""
    _positive(quantity)
    delta = _Delta(on_hand=-quantity, reserved=-quantity if from_reservation else 0)
    return _record(session, organization_id, warehouse, sku, "shipment", delta, reference, None)


def adjust_stock(session: Session, *, organization_id: str, warehouse: str, sku: str, quantity: int,
                 reason: str) -> LedgerEntryOut:
    """Count corrections, damage, shrinkage: signed `quantity`, a reason is required."""
    if quantity == 0 or not reason.strip():
        raise ValidationFailed("an adjustment needs a non-zero quantity and a reason", details=[
            ErrorDetail("quantity 0 or empty reason", field="reason", code="inventory.bad_adjustment")])
    return _record(session, organization_id, warehouse, sku, "adjustment", _Delta(on_hand=quantity), None, reason)


def return_stock(session: Session, *, organization_id: str, warehouse: str, sku: str, quantity: int,
                 reference: str | None = None) -> LedgerEntryOut:
    """A customer return put back into sellable stock."""
    _positive(quantity)
    return _record(session, organization_id, warehouse, sku, "return", _Delta(on_hand=quantity), reference, None)


def stock_levels(session: Session, *, organization_id: str, sku: str | None = None,
                 warehouse: str | None = None) -> list[StockLevel]:
    """Stock by warehouse and SKU, derived by summing the ledger (the balance projection is not trusted here)."""
    from sqlalchemy import func

    e = StockEntry
    query = (
        select(Warehouse.code, Warehouse.tier, e.sku, func.sum(e.d_on_hand), func.sum(e.d_reserved),
               func.sum(e.d_in_transit))
        .join(Warehouse, Warehouse.id == e.warehouse_id)
        .where(e.organization_id == organization_id)
        .group_by(Warehouse.code, Warehouse.tier, e.sku)
        .order_by(Warehouse.code, e.sku)
    )
    if sku is not None:
        query = query.where(e.sku == sku)
    if warehouse is not None:
        query = query.where(Warehouse.code == warehouse)
    return [StockLevel(warehouse_code=code, tier=tier, sku=s, on_hand=int(oh), reserved=int(rs),
                       available=int(oh) - int(rs), in_transit=int(tr))
            for code, tier, s, oh, rs, tr in session.execute(query)]


def list_ledger(session: Session, *, organization_id: str, sku: str, limit: int = 200) -> list[LedgerEntryOut]:
    rows = session.scalars(select(StockEntry).where(StockEntry.organization_id == organization_id,
                                                    StockEntry.sku == sku)
                           .order_by(StockEntry.created_at, StockEntry.id).limit(limit))
    return [LedgerEntryOut.model_validate(r) for r in rows]
