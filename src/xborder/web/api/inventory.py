"""Inventory API: warehouses, stock by SKU / warehouse / tier, ledger entries, transfers, order routing, and the
long work as jobs — sales-history import, stored forecast runs (per SKU x market with bands) and replenishment plans.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from xborder import inventory, jobs
from xborder.inventory import (
    ForecastChart,
    ForecastRunOut,
    ForecastSeriesOut,
    LedgerEntryIn,
    LedgerEntryOut,
    PlanRunOut,
    RoutingDecision,
    StockLevel,
    StockSummary,
    TransferLineIn,
    TransferOut,
    WarehouseIn,
    WarehouseOut,
)
from xborder.jobs import JobView
from xborder.kernel import DomainError, ErrorDetail, ValidationFailed
from xborder.web.api._common import PROBLEM_RESPONSES, CursorParam, LimitParam, PageOut
from xborder.web.deps import ApiPrincipal, ApiWriter, ContainerDep, DbSession, require_writer
from xborder.web.idempotency import Idempotency, Idempotent

router = APIRouter(prefix="/inventory", tags=["inventory"], responses=PROBLEM_RESPONSES)

Tier = Literal["domestic", "overseas", "forward"]
Market = Annotated[str, Field(min_length=2, max_length=2, pattern="^[A-Za-z]{2}$")]


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status_hint = 413


class TransferIn(BaseModel):
    number: str = Field(min_length=1, max_length=32)
    from_warehouse: str
    to_warehouse: str
    mode: Literal["sea", "rail", "air", "express", "road"]
    shipped_on: date
    eta_on: date
    lines: list[TransferLineIn] = Field(min_length=1)


class ReceiptIn(BaseModel):
    received_on: date | None = Field(None, description="default today")
    quantities: dict[str, int] | None = Field(None, description="per SKU; omitted: everything outstanding")


class RouteIn(BaseModel):
    sku: str
    quantity: int = Field(gt=0)
    destination_country: Market
    reserve: bool = Field(False, description="hold the stock at the chosen warehouse(s) in the same request")
    reference: str | None = Field(None, max_length=64)


class ForecastIn(BaseModel):
    horizon: int = Field(12, ge=1, le=104, description="periods ahead")
    freq: Literal["D", "W"] = "W"
    market: Market | None = Field(None, description="forecast only this market, with its calendar events")
    levels: list[int] = Field([80, 95], min_length=1, max_length=4)


class PlanIn(BaseModel):
    """Plan settings; FX rates not given are taken from the reference rates (their date and source are kept)."""

    currency: str = Field("EUR", min_length=3, max_length=3)
    backorder_cost_per_unit_week: Decimal = Field(ge=0, description="plan currency, per unit short per week")
    horizon_weeks: int = Field(12, ge=1, le=52)
    service_level: float = Field(0.95, ge=0.5, lt=1)
    budget: Decimal | None = Field(None, ge=0, description="freight budget")
    budget_currency: str | None = Field(None, min_length=3, max_length=3)
    moq: dict[str, int] = Field({}, description="minimum units per shipment line, per SKU")
    fx: dict[str, Decimal] = Field({}, description="one unit of each currency in the plan currency")
    today: date | None = Field(None, description="plan date (default today)")
    time_limit_s: float = Field(25.0, gt=0, le=300)


def _accepted(request: Request, background: BackgroundTasks, idem: Idempotency, job: JobView) -> Response:
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)
    return idem.respond(job, status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})


# --- warehouses and stock ------------------------------------------------------------------------------------------

@router.get("/warehouses", response_model=list[WarehouseOut], summary="Warehouses by tier")
def list_warehouses(principal: ApiPrincipal, session: DbSession) -> list[WarehouseOut]:
    return inventory.list_warehouses(session, organization_id=principal.organization_id)


@router.post("/warehouses", status_code=201, response_model=WarehouseOut, summary="Add a warehouse")
def create_warehouse(body: WarehouseIn, principal: ApiWriter, session: DbSession, idem: Idempotent) -> Response:
    view = inventory.create_warehouse(session, organization_id=principal.organization_id, data=body)
    return idem.respond(view, status_code=201, headers={"Location": f"/api/v1/inventory/warehouses/{view.code}"})


@router.get("/warehouses/{warehouse_code}", response_model=WarehouseOut, summary="One warehouse")
def get_warehouse(warehouse_code: str, principal: ApiPrincipal, session: DbSession) -> WarehouseOut:
    return inventory.get_warehouse(session, organization_id=principal.organization_id, code=warehouse_code)


@router.get("/stock", response_model=list[StockLevel],
            summary="Stock levels per warehouse x SKU (on hand, reserved, available, in transit)")
def stock(principal: ApiPrincipal, session: DbSession, sku: str | None = None, warehouse: str | None = None,
          tier: Tier | None = None) -> list[StockLevel]:
    """Derived from the ledger. Filter by SKU, warehouse code or tier."""
    levels = inventory.stock_levels(session, organization_id=principal.organization_id, sku=sku, warehouse=warehouse)
    return [lv for lv in levels if tier is None or lv.tier == tier]


@router.get("/stock/summary", response_model=StockSummary, summary="Stock totals by tier and by warehouse")
def stock_summary(principal: ApiPrincipal, session: DbSession, sku: str | None = None) -> StockSummary:
    return inventory.stock_summary(session, organization_id=principal.organization_id, sku=sku)


@router.get("/ledger", response_model=list[LedgerEntryOut], summary="Ledger entries of one SKU, oldest first")
def ledger(principal: ApiPrincipal, session: DbSession, sku: Annotated[str, Query(min_length=1)],
           limit: LimitParam = 200) -> list[LedgerEntryOut]:
    return inventory.list_ledger(session, organization_id=principal.organization_id, sku=sku, limit=limit)


@router.post("/ledger", status_code=201, response_model=LedgerEntryOut,
             summary="Record a receipt, reservation, release, shipment, adjustment or return")
def record_entry(body: LedgerEntryIn, principal: ApiWriter, session: DbSession, idem: Idempotent) -> Response:
    """Refused with 409 `inventory.insufficient_stock` (nothing written) when on-hand, reserved or available stock
    would go negative; the problem's detail names the warehouse, SKU and the arithmetic."""
    entry = inventory.record_stock_entry(session, organization_id=principal.organization_id, entry=body)
    return idem.respond(entry, status_code=201)


# --- transfers and routing -----------------------------------------------------------------------------------------

@router.get("/transfers", response_model=PageOut[TransferOut], summary="Transfer orders, newest first")
def list_transfers(principal: ApiPrincipal, session: DbSession, status: Literal["in_transit", "received"] | None = None,
                   cursor: CursorParam = None, limit: LimitParam = 50) -> PageOut[TransferOut]:
    page = inventory.list_transfers(session, organization_id=principal.organization_id, status=status, cursor=cursor,
                                    limit=limit)
    return PageOut[TransferOut](items=page.items, next_cursor=page.next_cursor)


@router.post("/transfers", status_code=201, response_model=TransferOut,
             summary="Dispatch stock between warehouses (all lines or none)")
def create_transfer(body: TransferIn, principal: ApiWriter, session: DbSession, idem: Idempotent) -> Response:
    view = inventory.create_transfer(session, organization_id=principal.organization_id, number=body.number,
                                     from_warehouse=body.from_warehouse, to_warehouse=body.to_warehouse,
                                     mode=body.mode, shipped_on=body.shipped_on, eta_on=body.eta_on, lines=body.lines)
    return idem.respond(view, status_code=201, headers={"Location": f"/api/v1/inventory/transfers/{view.number}"})


@router.get("/transfers/{transfer_number}", response_model=TransferOut, summary="One transfer order")
def get_transfer(transfer_number: str, principal: ApiPrincipal, session: DbSession) -> TransferOut:
    return inventory.get_transfer(session, organization_id=principal.organization_id, number=transfer_number)


@router.post("/transfers/{transfer_number}/receive", response_model=TransferOut,
             summary="Book arrivals (all outstanding units, or some per SKU)")
def receive_transfer(transfer_number: str, body: ReceiptIn, principal: ApiWriter, session: DbSession,
                     container: ContainerDep) -> TransferOut:
    return inventory.receive_transfer(session, organization_id=principal.organization_id, number=transfer_number,
                                      received_on=body.received_on or container.clock.today(),
                                      quantities=body.quantities)


@router.post("/routing", response_model=RoutingDecision, summary="Choose the warehouse(s) to ship an order line")
def route(body: RouteIn, principal: ApiPrincipal, session: DbSession) -> RoutingDecision:
    """In-country before cross-border, forward before overseas before domestic, then faster, then cheaper.
    `reserve: true` (operators) holds the stock; 409 `inventory.insufficient_stock` when the network is short."""
    if body.reserve:
        require_writer(principal)
    return inventory.route_order(session, organization_id=principal.organization_id, sku=body.sku,
                                 quantity=body.quantity, destination_country=body.destination_country,
                                 reserve=body.reserve, reference=body.reference)


# --- jobs: sales history, forecasts, plans -------------------------------------------------------------------------

async def _upload(request: Request, max_bytes: int) -> tuple[bytes, str]:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + 64 * 1024:
        raise PayloadTooLarge(f"the upload is larger than {max_bytes // (1024 * 1024)} MB")
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        upload = (await request.form()).get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed("no file in the upload", details=[
                ErrorDetail("send the order lines in the multipart field 'file'", field="file", code="required")])
        content, name = await upload.read(), upload.filename or "sales.csv"
    else:
        content = await request.body()
        name = "sales.xlsx" if "spreadsheetml" in content_type else "sales.csv"
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"the upload is larger than {max_bytes // (1024 * 1024)} MB")
    if not content.strip():
        raise ValidationFailed("the upload is empty", details=[
            ErrorDetail("empty file", field="file", code="inventory.empty_file")])
    return content, name


_SALES_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string", "description": "order_id, sku, quantity, ordered_at, market[, kind]"}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}}}}}


@router.post("/sales-history", status_code=202, response_model=JobView, openapi_extra=_SALES_BODY,
             summary="Import order lines (CSV/XLSX) as weekly or daily demand per SKU x market (a job)")
async def import_sales(request: Request, background: BackgroundTasks, principal: ApiWriter, idem: Idempotent,
                       container: ContainerDep, freq: Literal["D", "W"] = "W",
                       unknown_market: Literal["error", "skip"] = "error") -> Response:
    """Replaces the history at `freq`. Cancellations reduce demand in their period; returns are counted apart.
    Unknown markets fail the job naming the rows unless `unknown_market=skip`. Poll Location; the result is the
    import report (lines read, demand rows, SKUs, markets, SKUs not in the catalog)."""
    content, name = await _upload(request, container.settings.imports.max_upload_bytes)

    def enqueue() -> Response:
        job = jobs.enqueue(idem.session, organization_id=principal.organization_id, user_id=principal.user_id,
                           kind=inventory.InventoryJobKind.IMPORT_SALES, now=container.clock.now(), input=content,
                           input_filename=name,
                           payload={"filename": name, "freq": freq, "unknown_market": unknown_market})
        return _accepted(request, background, idem, job)

    return await run_in_threadpool(enqueue)


@router.post("/forecasts", status_code=202, response_model=JobView,
             summary="Forecast every SKU x market of the stored history (a job; result names the forecast)")
def create_forecast(body: ForecastIn, request: Request, background: BackgroundTasks, principal: ApiWriter,
                    idem: Idempotent, container: ContainerDep) -> Response:
    """Per series: rolling-origin model choice, conformal 80/95 % bands, the market's calendar events where they
    help. The job's result holds `forecast_id`: read it at GET /inventory/forecasts/{forecast_id}."""
    if any(not 0 < lv < 100 for lv in body.levels):
        raise ValidationFailed("levels must be between 1 and 99", details=[
            ErrorDetail(f"level {lv}", field="levels", code="forecast.bad_level") for lv in body.levels])
    job = jobs.enqueue(idem.session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=inventory.InventoryJobKind.FORECAST, now=container.clock.now(),
                       payload={"horizon": body.horizon, "freq": body.freq,
                                "market": body.market.upper() if body.market else None,
                                "levels": sorted(set(body.levels))})
    return _accepted(request, background, idem, job)


@router.get("/forecasts", response_model=PageOut[ForecastRunOut], summary="Stored forecast runs, newest first")
def list_forecasts(principal: ApiPrincipal, session: DbSession, cursor: CursorParam = None,
                   limit: LimitParam = 20) -> PageOut[ForecastRunOut]:
    page = inventory.list_forecast_runs(session, organization_id=principal.organization_id, cursor=cursor,
                                        limit=limit)
    return PageOut[ForecastRunOut](items=page.items, next_cursor=page.next_cursor)


@router.get("/forecasts/{forecast_id}", response_model=ForecastRunOut, summary="One forecast run")
def get_forecast(forecast_id: str, principal: ApiPrincipal, session: DbSession) -> ForecastRunOut:
    return inventory.get_forecast_run(session, organization_id=principal.organization_id, run_id=forecast_id)


@router.get("/forecasts/{forecast_id}/series", response_model=PageOut[ForecastSeriesOut],
            summary="The series of a run: chosen model, method, validation error, units over the horizon")
def list_series(forecast_id: str, principal: ApiPrincipal, session: DbSession, sku: str | None = None,
                market: str | None = None, cursor: CursorParam = None,
                limit: LimitParam = 50) -> PageOut[ForecastSeriesOut]:
    page = inventory.list_forecast_series(session, organization_id=principal.organization_id, run_id=forecast_id,
                                          sku=sku, market=market, cursor=cursor, limit=limit)
    return PageOut[ForecastSeriesOut](items=page.items, next_cursor=page.next_cursor)


@router.get("/forecasts/{forecast_id}/series/{series_id}", response_model=ForecastChart,
            summary="One SKU x market (`SKU@DE`): history, forecast and its bands")
def get_series(forecast_id: str, series_id: str, principal: ApiPrincipal, session: DbSession,
               history: Annotated[int, Query(ge=1, le=520, description="periods of history")] = 104) -> ForecastChart:
    return inventory.forecast_chart(session, organization_id=principal.organization_id, run_id=forecast_id,
                                    series_id=series_id, history_periods=history)


@router.post("/plans", status_code=202, response_model=JobView,
             summary="Plan replenishment from domestic to overseas and forward warehouses (a job)")
def create_plan(body: PlanIn, request: Request, background: BackgroundTasks, principal: ApiWriter,
                idem: Idempotent, container: ContainerDep) -> Response:
    """Forecasts weekly demand per SKU x destination and solves what to send, from where, by which mode and by when
    (MILP, HiGHS, with the optimality gap). The job's result holds `plan_id`: GET /inventory/plans/{plan_id}."""
    payload = body.model_dump(mode="json")
    payload["currency"] = body.currency.upper()
    payload["today"] = (body.today or container.clock.today()).isoformat()
    job = jobs.enqueue(idem.session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=inventory.InventoryJobKind.PLAN, now=container.clock.now(), payload=payload)
    return _accepted(request, background, idem, job)


@router.get("/plans", response_model=PageOut[PlanRunOut], summary="Stored replenishment plans, newest first")
def list_plans(principal: ApiPrincipal, session: DbSession, cursor: CursorParam = None,
               limit: LimitParam = 20) -> PageOut[PlanRunOut]:
    page = inventory.list_plan_runs(session, organization_id=principal.organization_id, cursor=cursor, limit=limit)
    return PageOut[PlanRunOut](items=page.items, next_cursor=page.next_cursor)


@router.get("/plans/{plan_id}", response_model=PlanRunOut,
            summary="One plan: shipments (mode, ship-by, cost), cost breakdown, service levels, gap and the why")
def get_plan(plan_id: str, principal: ApiPrincipal, session: DbSession) -> PlanRunOut:
    return inventory.get_plan_run(session, organization_id=principal.organization_id, plan_id=plan_id)
