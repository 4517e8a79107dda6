"""Demo story 5 (inventory): the warehouse network with opening stock and a sea transfer in transit, two years of
synthetic weekly sales, one stored forecast run and one stored replenishment plan.

The sales import, the forecast and the plan run as jobs through the handlers the console and the API use (so the
plan's FX rates are resolved, dated and sourced the same way, and the runs show in the job history).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from xborder import inventory, jobs
from xborder.db import transaction
from xborder.demo._common import data_yaml
from xborder.demo.synthetic_sales import synthetic_order_lines
from xborder.kernel import Clock

__all__ = ["SALES_FILENAME", "seed_inventory_network", "seed_inventory_runs"]

SALES_FILENAME = "synthetic-demo-sales-shengyue.csv"
_WORKER = "xborder-demo-seed"


def seed_inventory_network(session: Session, *, organization_id: str, today: date) -> bool:
    """Warehouses, opening stock and the transfer in transit (skipped, False, when the warehouses exist)."""
    spec = data_yaml("inventory.yaml")
    existing = {w.code for w in inventory.list_warehouses(session, organization_id=organization_id)}
    if all(w["code"] in existing for w in spec["warehouses"]):
        return False
    for raw in spec["warehouses"]:
        if raw["code"] not in existing:
            inventory.create_warehouse(session, organization_id=organization_id,
                                       data=inventory.WarehouseIn.model_validate(raw))
    for warehouse, lines in spec["opening_stock"].items():
        for sku, quantity in lines.items():
            inventory.receive_stock(session, organization_id=organization_id, warehouse=warehouse, sku=sku,
                                    quantity=int(quantity), reference="opening balance (demo)")
    lanes = {lane.id: lane for lane in inventory.load_lanes()}
    for transfer in spec["transfers"]:
        shipped = today - timedelta(days=int(transfer["shipped_days_ago"]))
        eta = shipped + timedelta(days=round(lanes[transfer["lane"]].transit_mean_days))
        inventory.create_transfer(session, organization_id=organization_id, number=transfer["number"],
                                  from_warehouse=transfer["from"], to_warehouse=transfer["to"],
                                  mode=transfer["mode"], shipped_on=shipped, eta_on=eta,
                                  lines=[inventory.TransferLineIn(sku=s, quantity=int(q))
                                         for s, q in transfer["lines"].items()])
    return True


def _run_job(factory: sessionmaker[Session], registry: jobs.HandlerRegistry, clock: Clock, *, organization_id: str,
             user_id: str | None, kind: str, payload: dict[str, Any], content: bytes | None = None,
             filename: str | None = None) -> dict[str, Any]:
    """Queue one job and run it here, now, with the registered handler; its result, or an error naming the job."""
    with transaction(factory) as session:
        job = jobs.enqueue(session, organization_id=organization_id, user_id=user_id, kind=kind, now=clock.now(),
                           payload=payload, input=content, input_filename=filename, max_attempts=1)
    only = jobs.HandlerRegistry()
    only.register(kind, registry.get(kind))
    for _ in range(100):  # older queued jobs of the same kind (if any) run first, as they would in a worker
        with transaction(factory) as session:
            view = jobs.get_job(session, organization_id=organization_id, job_id=job.id)
        if view.status in ("succeeded", "failed"):
            break
        jobs.run_one(factory, registry=only, clock=clock, worker_id=_WORKER)
    if view.status != "succeeded":
        raise RuntimeError(f"demo seed: job {kind} ({job.id}) ended {view.status}: {view.error}")
    return view.result or {}


def seed_inventory_runs(factory: sessionmaker[Session], registry: jobs.HandlerRegistry, clock: Clock, *,
                        organization_id: str, user_id: str | None) -> list[str]:
    """Import the synthetic sales, store a forecast run and a plan, each only if missing; the steps done."""
    spec = data_yaml("inventory.yaml")
    today = clock.today()
    done: list[str] = []
    with transaction(factory) as session:
        has_history = not inventory.demand_history(session, organization_id=organization_id).empty
        has_forecast = bool(inventory.list_forecast_runs(session, organization_id=organization_id, limit=1).items)
        has_plan = bool(inventory.list_plan_runs(session, organization_id=organization_id, limit=1).items)
    if not has_history:
        this_monday = today - timedelta(days=today.weekday())
        content = synthetic_order_lines(data_yaml("sales_profile.yaml"), last_week=this_monday - timedelta(weeks=1))
        _run_job(factory, registry, clock, organization_id=organization_id, user_id=user_id,
                 kind=inventory.InventoryJobKind.IMPORT_SALES, content=content, filename=SALES_FILENAME,
                 payload={"filename": SALES_FILENAME, "freq": "W", "unknown_market": "error"})
        done.append("sales")
    if not has_forecast:
        forecast = spec["forecast"]
        _run_job(factory, registry, clock, organization_id=organization_id, user_id=user_id,
                 kind=inventory.InventoryJobKind.FORECAST,
                 payload={"horizon": int(forecast["horizon_weeks"]), "freq": "W", "market": None,
                          "levels": [int(v) for v in forecast["levels"]]})
        done.append("forecast")
    if not has_plan:
        plan = spec["plan"]
        _run_job(factory, registry, clock, organization_id=organization_id, user_id=user_id,
                 kind=inventory.InventoryJobKind.PLAN,
                 payload={"currency": plan["currency"], "today": today.isoformat(),
                          "backorder_cost_per_unit_week": str(Decimal(str(plan["backorder_cost_per_unit_week"]))),
                          "horizon_weeks": int(plan["horizon_weeks"]), "service_level": float(plan["service_level"])})
        done.append("plan")
    return done
