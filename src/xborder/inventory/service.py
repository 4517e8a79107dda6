"""Warehouse and transfer-order use cases; transfers move stock through the ledger (out at the source, in transit
at the destination, on hand at the destination when received). Functions flush, the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xborder.inventory.errors import TransferNotFound
from xborder.inventory.ledger import _check_sku, _Delta, apply_entry, warehouse_by_code
from xborder.inventory.models import TransferLine, TransferOrder, Warehouse
from xborder.inventory.schemas import Mode, TransferLineIn, TransferOut, WarehouseIn, WarehouseOut
from xborder.kernel import Conflict, ErrorDetail, ValidationFailed, country_code, currency_exponent

__all__ = ["create_transfer", "create_warehouse", "get_transfer", "list_warehouses", "receive_transfer"]


def create_warehouse(session: Session, *, organization_id: str, data: WarehouseIn) -> WarehouseOut:
    try:
        country_code(data.country)
        currency_exponent(data.currency)
    except (ValueError, LookupError) as exc:
        raise ValidationFailed(str(exc), details=[ErrorDetail(str(exc), field="country/currency",
                                                              code="inventory.bad_warehouse")]) from exc
    if data.operator == "marketplace" and not data.marketplace:
        raise ValidationFailed("a marketplace-operated warehouse names its marketplace (e.g. amazon_fba)", details=[
            ErrorDetail("marketplace missing", field="marketplace", code="inventory.bad_warehouse")])
    row = Warehouse(organization_id=organization_id, **data.model_dump())
    row.country = data.country.upper()
    row.currency = data.currency.upper()
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        raise Conflict(f"warehouse {data.code!r} already exists", details=[
            ErrorDetail("duplicate code", field="code", code="inventory.duplicate_warehouse")]) from exc
    return WarehouseOut.model_validate(row)


def list_warehouses(session: Session, *, organization_id: str) -> list[WarehouseOut]:
    rows = session.scalars(select(Warehouse).where(Warehouse.organization_id == organization_id)
                           .order_by(Warehouse.tier, Warehouse.code))
    return [WarehouseOut.model_validate(r) for r in rows]


def _out(session: Session, order: TransferOrder) -> TransferOut:
    codes = dict(session.execute(select(Warehouse.id, Warehouse.code).where(
        Warehouse.id.in_([order.from_warehouse_id, order.to_warehouse_id]))).all())
    return TransferOut(id=order.id, number=order.number, from_warehouse=codes[order.from_warehouse_id],
                       to_warehouse=codes[order.to_warehouse_id], mode=order.mode, status=order.status,
                       shipped_on=order.shipped_on, eta_on=order.eta_on, received_on=order.received_on,
                       lines=[(ln.sku, ln.quantity, ln.received) for ln in order.lines])


def create_transfer(session: Session, *, organization_id: str, number: str, from_warehouse: str, to_warehouse: str,
                    mode: Mode, shipped_on: date, eta_on: date, lines: Sequence[TransferLineIn]) -> TransferOut:
    """Dispatch stock between warehouses: all lines leave the source or none do (stock short -> refused)."""
    problems = []
    if from_warehouse == to_warehouse:
        problems.append(ErrorDetail("source and destination are the same", field="to_warehouse",
                                    code="inventory.bad_transfer"))
    if eta_on < shipped_on:
        problems.append(ErrorDetail("ETA is before the ship date", field="eta_on", code="inventory.bad_transfer"))
    if not lines or len({ln.sku for ln in lines}) != len(lines):
        problems.append(ErrorDetail("lines must be non-empty with each SKU once", field="lines",
                                    code="inventory.bad_transfer"))
    if problems:
        raise ValidationFailed("invalid transfer order", details=problems)
    source = warehouse_by_code(session, organization_id=organization_id, code=from_warehouse)
    target = warehouse_by_code(session, organization_id=organization_id, code=to_warehouse)
    for line in lines:
        _check_sku(session, organization_id, line.sku)
    order = TransferOrder(organization_id=organization_id, number=number, from_warehouse_id=source.id,
                          to_warehouse_id=target.id, mode=mode, shipped_on=shipped_on, eta_on=eta_on,
                          status="in_transit", lines=[TransferLine(sku=ln.sku, quantity=ln.quantity, received=0)
                                                      for ln in lines])
    try:
        with session.begin_nested():
            session.add(order)
            for line in lines:
                apply_entry(session, warehouse=source, sku=line.sku, kind="transfer_out",
                            delta=_Delta(on_hand=-line.quantity), reference=number)
                apply_entry(session, warehouse=target, sku=line.sku, kind="transfer_in_transit",
                            delta=_Delta(in_transit=line.quantity), reference=number)
    except IntegrityError as exc:
        raise Conflict(f"transfer {number!r} already exists", details=[
            ErrorDetail("duplicate number", field="number", code="inventory.duplicate_transfer")]) from exc
    return _out(session, order)


def get_transfer(session: Session, *, organization_id: str, number: str) -> TransferOut:
    return _out(session, _load(session, organization_id, number))


def _load(session: Session, organization_id: str, number: str) -> TransferOrder:
    order = session.scalar(select(TransferOrder).where(TransferOrder.organization_id == organization_id,
                                                       TransferOrder.number == number))
    if order is None:
        raise TransferNotFound(f"no transfer {number!r}", details=[
            ErrorDetail("unknown transfer", field="number", code=TransferNotFound.code)])
    return order


def receive_transfer(session: Session, *, organization_id: str, number: str, received_on: date,
                     quantities: dict[str, int] | None = None) -> TransferOut:
    """Book arrivals: all outstanding units, or `quantities` per SKU (partial receipts leave the rest in transit)."""
    order = _load(session, organization_id, number)
    if order.status == "received":
        raise Conflict(f"transfer {number!r} was already received", details=[
            ErrorDetail("already received", field="number", code="inventory.transfer_received")])
    target = session.get(Warehouse, order.to_warehouse_id)
    assert target is not None  # FK
    by_sku = {ln.sku: ln for ln in order.lines}
    wanted = quantities if quantities is not None else {s: ln.quantity - ln.received for s, ln in by_sku.items()}
    problems = [ErrorDetail(f"SKU {s!r} is not on transfer {number}", field="quantities",
                            code="inventory.bad_receipt") for s in wanted if s not in by_sku]
    problems += [ErrorDetail(f"{s}: {q} exceeds the {by_sku[s].quantity - by_sku[s].received} outstanding",
                             field="quantities", code="inventory.bad_receipt")
                 for s, q in wanted.items() if s in by_sku and not 0 <= q <= by_sku[s].quantity - by_sku[s].received]
    if problems:
        raise ValidationFailed("invalid receipt", details=problems)
    for sku, qty in wanted.items():
        if qty:
            apply_entry(session, warehouse=target, sku=sku, kind="transfer_in",
                        delta=_Delta(on_hand=qty, in_transit=-qty), reference=number)
            by_sku[sku].received += qty
    if all(ln.received == ln.quantity for ln in order.lines):
        order.status = "received"
        order.received_on = received_on
    session.flush()
    return _out(session, order)
