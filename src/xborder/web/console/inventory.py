"""Inventory pages: stock by tier and warehouse (chart from its table), the ledger of a SKU with entry recording,
sales-history import and forecast runs as jobs with polled progress, the forecast chart per SKU x market (history,
forecast, 80/95 % bands) and the replenishment plan (what, from where, by which mode, by when, costs, service, why).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from xborder import inventory, jobs
from xborder.inventory import InventoryJobKind, LedgerEntryIn
from xborder.kernel import DomainError
from xborder.web.console.context import SignedInUi, Ui
from xborder.web.deps import ConsoleForm, ConsoleFormPrincipal, DbSession, commit_in_route, require_writer

__all__ = ["router"]

router = APIRouter()
ENTRY_KINDS = ("receipt", "reservation", "release", "shipment", "adjustment", "return")
PAGE_SIZE = 50
# Short explanations of the domain's refusals, shown above its own message (which names the warehouse and SKU).
REASONS = {
    "inventory.insufficient_stock": "Refused: stock would go negative. Nothing was written.",
    "inventory.unknown_sku": "The SKU is not in the catalog.",
    "inventory.warehouse_not_found": "No such warehouse.",
    "inventory.no_history": "No sales history yet: import order lines first.",
    "inventory.missing_fx": "An exchange rate is missing: give it in the form.",
    "inventory.no_network": "A plan needs a domestic and an overseas or forward warehouse.",
    "inventory.missing_dimensions": "Some SKUs lack weight or dimensions, which freight needs.",
}


def _org(ui: Ui) -> str:
    assert ui.principal is not None
    return ui.principal.organization_id


def _problem(ui: Ui, error: DomainError) -> dict[str, Any]:
    codes = [error.code, *[d.code for d in error.details if d.code]]
    reason = next((REASONS[c] for c in codes if c in REASONS), None)
    return {"code": error.code, "message": error.message, "reason": ui._(reason) if reason else None,
            "details": [d.message for d in error.details[:8] if d.message != error.message]}


def _wake(request: Request, background: BackgroundTasks) -> None:
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)


# --- stock -----------------------------------------------------------------------------------------------------------

@router.get("/inventory")
def stock_page(ui: SignedInUi, session: DbSession, sku: str | None = None, animation: int = 1) -> Response:
    summary = inventory.stock_summary(session, organization_id=_org(ui), sku=(sku or "").strip() or None)
    return ui.render("inventory/stock.html", fragment="inventory/_stock_fragment.html", nav="inventory",
                     title=ui._("Stock"), summary=summary, sku=sku or "", animation=bool(animation),
                     needs_chart=True)


def _ledger(ui: Ui, session: Session, sku: str, *, values: dict[str, str] | None = None,
            problem: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
            status_code: int = 200) -> Response:
    org = _org(ui)
    entries = inventory.list_ledger(session, organization_id=org, sku=sku, limit=500) if sku else []
    levels = inventory.stock_levels(session, organization_id=org, sku=sku) if sku else []
    houses = {w.id: w for w in inventory.list_warehouses(session, organization_id=org)}
    return ui.render("inventory/ledger.html", fragment="inventory/_ledger_fragment.html", nav="inventory",
                     title=ui._("Ledger") + (f" · {sku}" if sku else ""), sku=sku, entries=entries, levels=levels,
                     houses=houses, kinds=ENTRY_KINDS, values=values or {"kind": "receipt"}, problem=problem,
                     errors=errors or {}, status_code=status_code)


@router.get("/inventory/ledger")
def ledger_page(ui: SignedInUi, session: DbSession, sku: str | None = None) -> Response:
    return _ledger(ui, session, (sku or "").strip())


@router.post("/inventory/ledger")
def record_entry(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal,
                 session: DbSession) -> Response:
    require_writer(principal)
    values = {k: str(form.get(k) or "").strip() for k in ("kind", "warehouse", "sku", "quantity", "reference",
                                                           "reason")}
    try:
        entry = LedgerEntryIn.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as exc:
        errors = {str(e["loc"][0]) if e.get("loc") else "form": str(e["msg"]) for e in exc.errors()}
        return _ledger(ui, session, values["sku"], values=values, errors=errors, status_code=422)
    try:
        inventory.record_stock_entry(session, organization_id=principal.organization_id, entry=entry)
    except DomainError as exc:
        session.rollback()
        return _ledger(ui, session, values["sku"], values=values, problem=_problem(ui, exc),
                       status_code=422)  # htmx swaps 422 only: the refusal shows in place
    commit_in_route(session)
    return ui.redirect(f"/inventory/ledger?sku={entry.sku}")


# --- jobs ------------------------------------------------------------------------------------------------------------

def _enqueue(ui: Ui, session: Session, principal: Any, kind: InventoryJobKind, payload: dict[str, Any],
             content: bytes | None = None, filename: str | None = None) -> str:
    job = jobs.enqueue(session, organization_id=principal.organization_id, user_id=principal.user_id, kind=kind,
                       now=ui.container.clock.now(), payload=payload, input=content, input_filename=filename)
    commit_in_route(session)
    return job.id


@router.post("/inventory/sales-history")
def import_sales(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal,
                 session: DbSession, background: BackgroundTasks) -> Response:
    require_writer(principal)
    upload = form.get("file")
    limit = ui.container.settings.imports.max_upload_bytes
    content = upload.file.read() if isinstance(upload, UploadFile) and upload.filename else b""
    if not content.strip() or len(content) > limit:
        return _forecasts(ui, session, status_code=422, error=ui._(
            "Choose a CSV or XLSX file of order lines (at most %(mb)s MB).", mb=limit // (1024 * 1024)))
    assert isinstance(upload, UploadFile)
    freq = "D" if form.get("freq") == "D" else "W"
    skip = str(form.get("skip_unknown_markets") or "") in ("1", "on", "true")
    job_id = _enqueue(ui, session, principal, InventoryJobKind.IMPORT_SALES,
                      {"filename": upload.filename, "freq": freq, "unknown_market": "skip" if skip else "error"},
                      content, upload.filename)
    _wake(request, background)
    return ui.redirect(f"/inventory/jobs/{job_id}")


@router.post("/inventory/forecasts")
def start_forecast(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal,
                   session: DbSession, background: BackgroundTasks) -> Response:
    require_writer(principal)
    horizon = str(form.get("horizon") or "12")
    market = str(form.get("market") or "").strip().upper()
    if not horizon.isdigit() or not 1 <= int(horizon) <= 104 or (market and not (len(market) == 2
                                                                                  and market.isalpha())):
        return _forecasts(ui, session, status_code=422,
                          error=ui._("The horizon is 1 to 104 periods; the market a two-letter country code."))
    job_id = _enqueue(ui, session, principal, InventoryJobKind.FORECAST,
                      {"horizon": int(horizon), "freq": "D" if form.get("freq") == "D" else "W",
                       "market": market or None, "levels": [80, 95]})
    _wake(request, background)
    return ui.redirect(f"/inventory/jobs/{job_id}")


@router.get("/inventory/jobs/{job_id}")
def job_page(ui: SignedInUi, session: DbSession, job_id: str) -> Response:
    job = jobs.get_job(session, organization_id=_org(ui), job_id=job_id)
    if job.kind not in {k.value for k in InventoryJobKind}:
        raise jobs.JobNotFound(f"job {job_id} is not an inventory job")
    done = job.status in ("succeeded", "failed")
    percent = 100 if done else (min(99, job.progress_done * 100 // job.progress_total) if job.progress_total else 0)
    error = job.error or {}
    reason = next((REASONS[c] for c in [error.get("code"), *[d.get("code") for d in error.get("details") or []]]
                   if c in REASONS), None)
    result = dict(job.result or {})
    if result.get("total_cost") is not None:
        result["total_cost"] = Decimal(str(result["total_cost"]))
    return ui.render("inventory/job.html", fragment="inventory/_job_fragment.html", nav="inventory",
                     title=ui._("Inventory job"), job=job, done=done, percent=percent, result=result,
                     reason=ui._(reason) if reason else None)


# --- forecasts -------------------------------------------------------------------------------------------------------

def _forecasts(ui: Ui, session: Session, *, error: str | None = None, status_code: int = 200) -> Response:
    runs = inventory.list_forecast_runs(session, organization_id=_org(ui), limit=20).items
    return ui.render("inventory/forecasts.html", nav="inventory", title=ui._("Demand forecasts"), runs=runs,
                     error=error, status_code=status_code)


@router.get("/inventory/forecasts")
def forecasts_page(ui: SignedInUi, session: DbSession) -> Response:
    return _forecasts(ui, session)


@router.get("/inventory/forecasts/{forecast_id}")
def forecast_run_page(ui: SignedInUi, session: DbSession, forecast_id: str, sku: str | None = None,
                      market: str | None = None, cursor: str | None = None) -> Response:
    org = _org(ui)
    run = inventory.get_forecast_run(session, organization_id=org, run_id=forecast_id)
    page = inventory.list_forecast_series(session, organization_id=org, run_id=forecast_id, sku=sku or None,
                                          market=market or None, cursor=cursor or None, limit=PAGE_SIZE)
    return ui.render("inventory/forecast_run.html", fragment="inventory/_series_fragment.html", nav="inventory",
                     title=ui._("Forecast"), run=run, page=page, sku=sku or "", market=market or "")


@router.get("/inventory/forecasts/{forecast_id}/series/{series_id}")
def forecast_chart_page(ui: SignedInUi, session: DbSession, forecast_id: str, series_id: str,
                        history: int = 52, animation: int = 1) -> Response:
    chart = inventory.forecast_chart(session, organization_id=_org(ui), run_id=forecast_id, series_id=series_id,
                                     history_periods=max(1, min(history, 520)))
    return ui.render("inventory/chart.html", nav="inventory", title=f"{chart.series.sku} · {chart.series.market}",
                     chart=chart, levels=sorted(chart.run.levels), animation=bool(animation), needs_chart=True)


# --- plans -----------------------------------------------------------------------------------------------------------

_PLAN_DEFAULTS = {"currency": "EUR", "backorder_cost_per_unit_week": "4", "horizon_weeks": "12",
                  "service_level": "95", "budget": "", "fx": ""}


def _plans(ui: Ui, session: Session, *, values: dict[str, str] | None = None, error: str | None = None,
           status_code: int = 200) -> Response:
    runs = inventory.list_plan_runs(session, organization_id=_org(ui), limit=20).items
    return ui.render("inventory/plans.html", nav="inventory", title=ui._("Replenishment plans"), runs=runs,
                     values=values or _PLAN_DEFAULTS, error=error, status_code=status_code)


@router.get("/inventory/plans")
def plans_page(ui: SignedInUi, session: DbSession) -> Response:
    return _plans(ui, session)


def _plan_payload(ui: Ui, values: dict[str, str]) -> dict[str, Any]:
    """The form as the plan job's payload; raises ValueError naming the field in the page language."""
    try:
        backorder = Decimal(values["backorder_cost_per_unit_week"])
        service = Decimal(values["service_level"]) / 100
        budget = Decimal(values["budget"]) if values["budget"] else None
        fx = {}
        for pair in values["fx"].replace(";", ",").split(","):
            if pair.strip():
                cur, _, rate = pair.partition("=")
                fx[cur.strip().upper()] = str(Decimal(rate.strip()))
    except (InvalidOperation, ValueError):
        raise ValueError(ui._("Costs, service level, budget and exchange rates must be numbers "
                              "(rates as USD=0.92, CNY=0.13).")) from None
    horizon = values["horizon_weeks"]
    currency = values["currency"].upper()
    if (backorder < 0 or not Decimal("0.5") <= service < 1 or not horizon.isdigit() or not 1 <= int(horizon) <= 52
            or len(currency) != 3 or not currency.isalpha() or (budget is not None and budget < 0)):
        raise ValueError(ui._("Service level is 50 to 99.9 %, the horizon 1 to 52 weeks, costs not negative."))
    return {"currency": currency, "backorder_cost_per_unit_week": str(backorder), "horizon_weeks": int(horizon),
            "service_level": float(service), "budget": str(budget) if budget is not None else None,
            "fx": fx, "today": ui.today().isoformat()}


@router.post("/inventory/plans")
def start_plan(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal, session: DbSession,
               background: BackgroundTasks) -> Response:
    require_writer(principal)
    values = {k: str(form.get(k) or default).strip() for k, default in _PLAN_DEFAULTS.items()}
    values["budget"], values["fx"] = str(form.get("budget") or "").strip(), str(form.get("fx") or "").strip()
    try:
        payload = _plan_payload(ui, values)
    except ValueError as exc:
        return _plans(ui, session, values=values, error=str(exc), status_code=422)
    job_id = _enqueue(ui, session, principal, InventoryJobKind.PLAN, payload)
    _wake(request, background)
    return ui.redirect(f"/inventory/jobs/{job_id}")


@router.get("/inventory/plans/{plan_id}")
def plan_page(ui: SignedInUi, session: DbSession, plan_id: str) -> Response:
    plan = inventory.get_plan_run(session, organization_id=_org(ui), plan_id=plan_id)
    houses = {w.code: w for w in inventory.list_warehouses(session, organization_id=_org(ui))}
    by_mode: dict[str, int] = {}
    for s in plan.shipments:
        by_mode[s.mode] = by_mode.get(s.mode, 0) + s.quantity
    return ui.render("inventory/plan.html", nav="inventory", title=ui._("Replenishment plan"), plan=plan,
                     houses=houses, by_mode=by_mode)
