"""Inventory tables: warehouses by tier, the append-only stock ledger with its guarded balance projection, transfer
orders, and imported demand history per SKU x market x period.

The balance row exists so that a refusal ("would go negative") is one conditional UPDATE — atomic on SQLite and
PostgreSQL alike — with CHECK constraints as the last line of defence (docs/adr/0007).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, MoneyAmount, Quantity, TimestampMixin, UtcDateTime, id_column, org_column
from xborder.kernel import utcnow

__all__ = ["DemandPoint", "ForecastRun", "ForecastSeries", "PlanRun", "StockBalance", "StockEntry", "TransferLine",
           "TransferOrder", "Warehouse"]


class Warehouse(TimestampMixin, Base):
    __tablename__ = "inventory_warehouse"
    __table_args__ = (
        UniqueConstraint("organization_id", "code"),
        CheckConstraint("tier IN ('domestic', 'overseas', 'forward')", name="tier"),
        CheckConstraint("operator IN ('own', '3pl', 'marketplace')", name="operator"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    operator: Mapped[str] = mapped_column(String(16))
    marketplace: Mapped[str | None] = mapped_column(String(64), nullable=True)  # e.g. amazon_fba
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(120), nullable=True)
    capacity_m3: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    storage_cost_per_m3_month: Mapped[Decimal] = mapped_column(MoneyAmount())
    handling_cost_per_unit: Mapped[Decimal] = mapped_column(MoneyAmount())


class StockBalance(Base):
    """Projection of the ledger per warehouse x SKU; only the ledger service writes it, in the same transaction."""

    __tablename__ = "inventory_stock_balance"
    __table_args__ = (
        UniqueConstraint("organization_id", "warehouse_id", "sku"),
        CheckConstraint("on_hand >= 0", name="on_hand_nonnegative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        CheckConstraint("in_transit >= 0", name="in_transit_nonnegative"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    warehouse_id: Mapped[str] = mapped_column(String(26), ForeignKey("inventory_warehouse.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    in_transit: Mapped[int] = mapped_column(Integer, default=0)


class StockEntry(Base):
    """One immutable ledger line: the deltas it applied to on-hand, reserved and inbound in-transit stock."""

    __tablename__ = "inventory_stock_entry"
    __table_args__ = (
        Index("ix_inventory_stock_entry_org_wh_sku", "organization_id", "warehouse_id", "sku"),
        CheckConstraint("kind IN ('receipt', 'reservation', 'release', 'shipment', 'adjustment', 'return', "
                        "'transfer_out', 'transfer_in_transit', 'transfer_in')", name="kind"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    warehouse_id: Mapped[str] = mapped_column(String(26), ForeignKey("inventory_warehouse.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    d_on_hand: Mapped[int] = mapped_column(Integer, default=0)
    d_reserved: Mapped[int] = mapped_column(Integer, default=0)
    d_in_transit: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str | None] = mapped_column(String(64), nullable=True)  # order, transfer or receipt number
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


@event.listens_for(StockEntry, "before_update")
@event.listens_for(StockEntry, "before_delete")
def _ledger_is_append_only(mapper: object, connection: object, target: StockEntry) -> None:
    raise PermissionError("the stock ledger is append-only: record a correcting entry instead")


class TransferOrder(TimestampMixin, Base):
    __tablename__ = "inventory_transfer_order"
    __table_args__ = (
        UniqueConstraint("organization_id", "number"),
        CheckConstraint("status IN ('in_transit', 'received')", name="status"),
        CheckConstraint("mode IN ('sea', 'rail', 'air', 'express', 'road')", name="mode"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    number: Mapped[str] = mapped_column(String(32))
    from_warehouse_id: Mapped[str] = mapped_column(String(26), ForeignKey("inventory_warehouse.id"))
    to_warehouse_id: Mapped[str] = mapped_column(String(26), ForeignKey("inventory_warehouse.id"))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="in_transit")
    shipped_on: Mapped[date] = mapped_column(Date)
    eta_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    lines: Mapped[list[TransferLine]] = relationship(cascade="all, delete-orphan", order_by="TransferLine.sku")


class TransferLine(Base):
    __tablename__ = "inventory_transfer_line"
    __table_args__ = (
        UniqueConstraint("transfer_id", "sku"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("received >= 0 AND received <= quantity", name="received_within_quantity"),
    )

    id: Mapped[str] = id_column()
    transfer_id: Mapped[str] = mapped_column(String(26), ForeignKey("inventory_transfer_order.id",
                                                                    ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, default=0)


class DemandPoint(Base):
    """Imported demand of one SKU in one market and period (`freq` D or W; period_start is the Monday for W)."""

    __tablename__ = "inventory_demand_point"
    __table_args__ = (UniqueConstraint("organization_id", "freq", "sku", "market", "period_start"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    freq: Mapped[str] = mapped_column(String(1))
    sku: Mapped[str] = mapped_column(String(64))
    market: Mapped[str] = mapped_column(String(2))
    period_start: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)  # net of cancellations, never below 0
    returned: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)


class ForecastRun(Base):
    """One stored forecast of the workspace's demand history (run as a job); its series are in ForecastSeries."""

    __tablename__ = "inventory_forecast_run"
    __table_args__ = (Index("ix_inventory_forecast_run_org_created", "organization_id", "created_at"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    freq: Mapped[str] = mapped_column(String(1))
    horizon: Mapped[int] = mapped_column(Integer)
    market: Mapped[str | None] = mapped_column(String(2), nullable=True)  # calendar market, None = all markets
    levels: Mapped[list[int]] = mapped_column(JSON)
    history_from: Mapped[date] = mapped_column(Date)
    history_until: Mapped[date] = mapped_column(Date)
    series: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)  # models chosen, methods, uplifts, repaired issues


class ForecastSeries(Base):
    """One SKU x market of a run: the chosen model and the forecast with its bands, as arrays over `ds`."""

    __tablename__ = "inventory_forecast_series"
    __table_args__ = (UniqueConstraint("run_id", "sku", "market"),)

    id: Mapped[str] = id_column()
    run_id: Mapped[str] = mapped_column(String(26), ForeignKey("inventory_forecast_run.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64))
    market: Mapped[str] = mapped_column(String(2))
    model: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(20))
    demand_class: Mapped[str | None] = mapped_column(String(16), nullable=True)
    cv_mae: Mapped[float | None] = mapped_column(Numeric(18, 6, asdecimal=False), nullable=True)
    n_obs: Mapped[int] = mapped_column(Integer)
    first_ds: Mapped[date] = mapped_column(Date)
    total: Mapped[float] = mapped_column(Numeric(18, 4, asdecimal=False))  # forecast summed over the horizon
    values: Mapped[dict[str, list[float]]] = mapped_column(JSON)  # forecast, lo_80, hi_80, ... per period


class PlanRun(Base):
    """One stored replenishment plan (run as a job): its settings, the FX rates used and the plan itself."""

    __tablename__ = "inventory_plan_run"
    __table_args__ = (Index("ix_inventory_plan_run_org_created", "organization_id", "created_at"),)

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    planned_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(40))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
