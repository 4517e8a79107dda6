"""Stock ledger on SQLite and PostgreSQL: derived levels, refusals, transfers and concurrent reservations."""

from __future__ import annotations

import contextlib
import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from xborder.inventory import errors
from xborder.inventory.ledger import (
    adjust_stock,
    receive_stock,
    release_reservation,
    reserve_stock,
    return_stock,
    ship_stock,
    stock_levels,
)
from xborder.inventory.models import StockBalance, StockEntry
from xborder.inventory.schemas import TransferLineIn
from xborder.inventory.service import create_transfer, get_transfer, list_warehouses, receive_transfer


def _level(session: Session, org: str, wh: str, sku: str = "EAR-01"):
    return next(lv for lv in stock_levels(session, organization_id=org, sku=sku) if lv.warehouse_code == wh)


def test_entries_derive_levels_and_refuse_negative(session: Session, org: str, network: dict[str, str]) -> None:
    receive_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=10)
    reserve_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=4, reference="O-1")
    ship_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=3, reference="O-1")
    release_reservation(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=1)
    return_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=1)
    adjust_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=-2, reason="damaged")
    session.commit()
    level = _level(session, org, "DE-3PL")
    assert (level.on_hand, level.reserved, level.available, level.in_transit) == (6, 0, 6, 0)
    with pytest.raises(errors.InsufficientStock) as err:
        reserve_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=7)
    assert "DE-3PL/EAR-01" in err.value.details[0].message
    with pytest.raises(errors.InsufficientStock):
        adjust_stock(session, organization_id=org, warehouse="DE-3PL", sku="EAR-01", quantity=-7, reason="count")
    with pytest.raises(errors.InsufficientStock):
        ship_stock(session, organization_id=org, warehouse="SZ", sku="EAR-01", quantity=1, from_reservation=False)
    session.rollback()
    assert _level(session, org, "DE-3PL").on_hand == 6
    with pytest.raises(errors.UnknownSku):
        receive_stock(session, organization_id=org, warehouse="DE-3PL", sku="NOPE", quantity=1)
    with pytest.raises(errors.WarehouseNotFound):
        receive_stock(session, organization_id=org, warehouse="MOON", sku="EAR-01", quantity=1)


def test_ledger_is_append_only(session: Session, org: str, network: dict[str, str]) -> None:
    receive_stock(session, organization_id=org, warehouse="SZ", sku="EAR-01", quantity=5)
    session.commit()
    entry = session.scalars(select(StockEntry)).one()
    entry.d_on_hand = 500
    with pytest.raises(PermissionError):
        session.flush()


def test_transfer_moves_stock_through_in_transit(session: Session, org: str, network: dict[str, str]) -> None:
    receive_stock(session, organization_id=org, warehouse="SZ", sku="EAR-01", quantity=100)
    receive_stock(session, organization_id=org, warehouse="SZ", sku="SPK-02", quantity=5)
    with pytest.raises(errors.InsufficientStock):
        create_transfer(session, organization_id=org, number="T-0", from_warehouse="SZ", to_warehouse="DE-3PL",
                        mode="sea", shipped_on=date(2026, 6, 1), eta_on=date(2026, 7, 10),
                        lines=[TransferLineIn(sku="EAR-01", quantity=60), TransferLineIn(sku="SPK-02", quantity=6)])
    assert _level(session, org, "SZ").on_hand == 100  # all lines or none
    out = create_transfer(session, organization_id=org, number="T-1", from_warehouse="SZ", to_warehouse="DE-3PL",
                          mode="rail", shipped_on=date(2026, 6, 1), eta_on=date(2026, 6, 20),
                          lines=[TransferLineIn(sku="EAR-01", quantity=60)])
    session.commit()
    assert out.status == "in_transit" and out.mode == "rail"
    assert _level(session, org, "SZ").on_hand == 40
    assert _level(session, org, "DE-3PL").in_transit == 60
    receive_transfer(session, organization_id=org, number="T-1", received_on=date(2026, 6, 19),
                     quantities={"EAR-01": 50})
    assert get_transfer(session, organization_id=org, number="T-1").status == "in_transit"
    done = receive_transfer(session, organization_id=org, number="T-1", received_on=date(2026, 6, 21))
    session.commit()
    assert done.status == "received" and done.lines == [("EAR-01", 60, 60)]
    level = _level(session, org, "DE-3PL")
    assert (level.on_hand, level.in_transit) == (60, 0)
    assert next(w.code for w in list_warehouses(session, organization_id=org)) == "SZ"


def test_concurrent_reservations_never_oversell(session_factory: sessionmaker[Session], session: Session, org: str,
                                                network: dict[str, str]) -> None:
    receive_stock(session, organization_id=org, warehouse="DE-FBA", sku="SPK-02", quantity=5)
    session.commit()
    wins, losses = [], []

    def worker() -> None:
        with session_factory() as s:
            try:
                reserve_stock(s, organization_id=org, warehouse="DE-FBA", sku="SPK-02", quantity=1)
                s.commit()
                wins.append(1)
            except errors.InsufficientStock:
                s.rollback()
                losses.append(1)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 5 and len(losses) == 7
    assert _level(session, org, "DE-FBA", "SPK-02").available == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["receive", "reserve", "release", "ship", "adjust"]),
                          st.integers(min_value=1, max_value=8), st.booleans()), max_size=25))
def test_balance_projection_equals_ledger_and_stays_nonnegative(session: Session, org: str, network: dict[str, str],
                                                                ops: list[tuple[str, int, bool]]) -> None:
    sku = "KTL-03"
    for kind, qty, flag in ops:
        call = {"receive": lambda q: receive_stock(session, organization_id=org, warehouse="FRA-FWD", sku=sku,
                                                   quantity=q),
                "reserve": lambda q: reserve_stock(session, organization_id=org, warehouse="FRA-FWD", sku=sku,
                                                   quantity=q),
                "release": lambda q: release_reservation(session, organization_id=org, warehouse="FRA-FWD",
                                                         sku=sku, quantity=q),
                "ship": lambda q: ship_stock(session, organization_id=org, warehouse="FRA-FWD", sku=sku, quantity=q,
                                             from_reservation=flag),  # noqa: B023
                "adjust": lambda q: adjust_stock(session, organization_id=org, warehouse="FRA-FWD", sku=sku,
                                                 quantity=q if flag else -q, reason="count")}[kind]  # noqa: B023
        with contextlib.suppress(errors.InsufficientStock):
            call(qty)
        session.commit()
    levels = [lv for lv in stock_levels(session, organization_id=org, sku=sku)]
    balance = session.scalar(select(StockBalance).where(StockBalance.sku == sku))
    if levels:
        level = levels[0]
        assert level.on_hand >= 0 and level.reserved >= 0 and level.available >= 0
        assert balance is not None
        assert (balance.on_hand, balance.reserved) == (level.on_hand, level.reserved)
