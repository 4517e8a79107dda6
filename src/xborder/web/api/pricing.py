"""Pricing API: landed-cost quotes (single, batch inline or as a job), saved quotes with replay and diff, and the
price matrix of the catalog x markets. Bodies use the `xborder quote` contract's field names.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from xborder import jobs, pricing
from xborder.bootstrap import Container
from xborder.identity import Principal
from xborder.jobs import JobView
from xborder.kernel import ErrorDetail, Money, ValidationFailed
from xborder.pricing import (
    MarketCoverageOut,
    PriceMatrixOut,
    QuoteDiffOut,
    QuoteIn,
    QuoteOut,
    SavedQuoteOut,
    SavedQuoteSummaryOut,
)
from xborder.web.api._common import PROBLEM_RESPONSES, CursorParam, LimitParam, PageOut
from xborder.web.deps import ApiCaller, ApiPrincipal, ContainerDep, DbSession, require_writer
from xborder.web.idempotency import IDEMPOTENCY_HEADER, Idempotent, request_fingerprint, reserve_key

router = APIRouter(tags=["pricing"], responses=PROBLEM_RESPONSES)

INLINE_MAX_ROWS = 1000  # larger batches run as a job (figures only, result CSV)
JOB_MAX_ROWS = 1_000_000
DEFAULT_MARKETS = "DE,FR,GB,JP,SA,BR"


class QuoteCreate(QuoteIn):
    """A quote; `save: true` stores it with a snapshot of every value used (replayable later)."""

    save: bool = False
    label: str | None = Field(None, max_length=200)


def _data(container: Container, fx_latest: bool) -> pricing.PricingData:
    return container.pricing_data.with_latest_fx() if fx_latest else container.pricing_data


FxLatest = Annotated[bool, Query(description="beyond the FX data, use the latest rate (its date is in the quote)")]


def _json(payload: Any, *, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    # The payload is already plain JSON (decimal strings): skip response-model validation on the hot path.
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)


@router.post("/quotes", response_model=QuoteOut, summary="Quote the landed cost of one product line",
             responses={201: {"model": QuoteOut, "description": "saved (`save: true`); Location names the quote"}})
async def create_quote(body: QuoteCreate, http: Request, call: ApiCaller, container: ContainerDep) -> Response:
    """Duties (one line per measure), import VAT/GST, fees, de minimis decisions, who pays what and the landed
    cost; each line names its rule, base, rate, amount, source and effective date. Same JSON as
    `xborder quote --json`. A quote the data cannot give (unknown HS code, market, FX pair, date) is an error
    naming what is missing, never 0. `save: true` stores it (an `Idempotency-Key` makes a retry safe)."""
    request = body.to_request(today=container.clock.today())
    data = _data(container, body.fx_latest)
    if not body.save:
        # the hot path: once the market's schedule, facts and FX for such a quote are loaded, a pure computation of
        # ~0.1 ms, done in turn on the event loop (ADR 0008); the first such quote loads them in the threadpool
        return await call.run(lambda _session, _principal: _json(
            pricing.landed_cost_to_dict(pricing.quote_landed_cost(data, request=request))),
            offload=not data.is_prepared(request))
    key = http.headers.get(IDEMPOTENCY_HEADER)
    fingerprint = await request_fingerprint(http)

    def save(session: Session, principal: Principal) -> Response:
        require_writer(principal)
        idem = reserve_key(session, principal, key, fingerprint)
        view = pricing.save_quote(session, organization_id=principal.organization_id, data=data, request=request,
                                  label=body.label)
        payload = {**pricing.landed_cost_to_dict(view.result), "quote_id": view.id}
        return idem.respond(payload, status_code=201, headers={"Location": f"/api/v1/quotes/{view.id}"})
    return await call.write(save)


async def _batch_input(request: Request, max_bytes: int) -> pricing.BatchInput:
    content_type = request.headers.get("content-type", "")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + 64 * 1024:
        raise ValidationFailed(f"the batch is larger than {max_bytes // (1024 * 1024)} MB", code="payload_too_large")
    if content_type.startswith("multipart/form-data"):
        upload = (await request.form()).get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed("no file in the upload", details=[
                ErrorDetail("send the CSV in the multipart field 'file'", field="file", code="required")])
        content, fmt = await upload.read(), "csv"
    else:
        content = await request.body()
        fmt = "json" if "json" in content_type else "csv"
    if len(content) > max_bytes:
        raise ValidationFailed(f"the batch is larger than {max_bytes // (1024 * 1024)} MB", code="payload_too_large")
    return await run_in_threadpool(pricing.read_batch_input, content, fmt=fmt)  # type: ignore[arg-type]


_BATCH_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/QuoteIn"}}},
    "text/csv": {"schema": {"type": "string", "description": "columns: " + ",".join(pricing.BATCH_COLUMNS)}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}}}}}


@router.post("/quotes/batch", summary="Quote many rows: inline up to 1,000, else as a job",
             responses={200: {"description": "`{rows, results: [{row, result | figures | error}]}`"},
                        202: {"model": JobView, "description": "queued as a job; poll Location"}},
             openapi_extra=_BATCH_BODY)
async def quote_batch(request: Request, principal: ApiPrincipal, container: ContainerDep, idem: Idempotent,
                      background: BackgroundTasks, explain: bool = True, fx_latest: FxLatest = False,
                      job: Annotated[bool, Query(description="run as a job even when small")] = False) -> Response:
    """A JSON list of quote objects (fields of POST /quotes) or a CSV (`xborder quote --file` columns). Each row
    gets the same result as the single-quote path, or its own error; a bad row never stops the others. Inline
    results are explained (`explain=false`: figures only). Larger batches (or `job=true`) run as a job whose
    figures come from the batch path (equal to the single path) and whose CSV is at
    `GET /quotes/batch/{job_id}/results`."""
    batch = await _batch_input(request, container.settings.imports.max_upload_bytes)
    today = container.clock.today()
    if batch.rows > JOB_MAX_ROWS:
        raise ValidationFailed(f"{batch.rows} rows: at most {JOB_MAX_ROWS} per batch", code="pricing.batch_too_large")
    if not job and batch.rows <= INLINE_MAX_ROWS:
        rows = await run_in_threadpool(pricing.parse_batch, batch, today=today)
        results = await run_in_threadpool(pricing.quote_rows, _data(container, fx_latest), rows, explain=explain)
        return _json({"rows": len(results), "results": results})
    require_writer(principal)

    def enqueue() -> Response:
        view = jobs.enqueue(idem.session, organization_id=principal.organization_id, user_id=principal.user_id,
                            kind=pricing.BATCH_JOB_KIND, now=container.clock.now(), input=batch.content,
                            input_filename=f"quotes.{batch.fmt}",
                            payload={"format": batch.fmt, "rows": batch.rows, "today": today.isoformat(),
                                     "fx_latest": fx_latest})
        return idem.respond(view, status_code=202, headers={"Location": f"/api/v1/jobs/{view.id}"})

    response = await run_in_threadpool(enqueue)
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)
    return response


@router.get("/quotes/batch/{job_id}/results", summary="The result CSV of a batch job", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def batch_results(job_id: str, principal: ApiPrincipal, session: DbSession) -> Response:
    """The CSV is stored with the job in the database (any app host serves it); `jobs.no_output` (409) while the
    job is queued or running, or when it failed."""
    view = jobs.get_job(session, organization_id=principal.organization_id, job_id=job_id)
    if view.kind != pricing.BATCH_JOB_KIND:
        raise jobs.JobNotFound(f"job {job_id} is not a quote batch",
                               details=[ErrorDetail("not a quote batch job", field="job_id")])
    output = jobs.get_job_output(session, organization_id=principal.organization_id, job_id=view.id)
    return Response(output.content, media_type=output.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{output.filename}"'})


@router.get("/quotes", response_model=PageOut[SavedQuoteSummaryOut], summary="Saved quotes, newest first")
def list_quotes(principal: ApiPrincipal, session: DbSession, cursor: CursorParam = None,
                limit: LimitParam = 50) -> PageOut[SavedQuoteSummaryOut]:
    page = pricing.list_saved_quote_page(session, organization_id=principal.organization_id, cursor=cursor,
                                         limit=limit)
    return PageOut[SavedQuoteSummaryOut](items=[SavedQuoteSummaryOut.of(i) for i in page.items],
                                         next_cursor=page.next_cursor)


@router.get("/quotes/{quote_id}", response_model=SavedQuoteOut, summary="One saved quote (as saved)")
def get_quote(quote_id: str, principal: ApiPrincipal, session: DbSession) -> SavedQuoteOut:
    return SavedQuoteOut.of(pricing.get_saved_quote(session, organization_id=principal.organization_id,
                                                    quote_id=quote_id))


@router.post("/quotes/{quote_id}/replay", response_model=QuoteOut,
             summary="Recompute a saved quote from its snapshot: the same figures, whatever today's data says")
def replay_quote(quote_id: str, principal: ApiPrincipal, session: DbSession) -> Response:
    result = pricing.replay_saved_quote(session, organization_id=principal.organization_id, quote_id=quote_id)
    return _json({**pricing.landed_cost_to_dict(result), "quote_id": quote_id})


@router.get("/quotes/{quote_id}/diff", response_model=QuoteDiffOut,
            summary="What a re-quote on today's data would change")
def diff_quote(quote_id: str, principal: ApiPrincipal, session: DbSession, container: ContainerDep,
               on: Annotated[date | None, Query(description="re-quote for this import date (default: the saved "
                                                            "quote's date)")] = None,
               fx_latest: FxLatest = False) -> QuoteDiffOut:
    return QuoteDiffOut.of(pricing.diff_saved_quote(session, organization_id=principal.organization_id,
                                                    quote_id=quote_id, data=_data(container, fx_latest), on=on))


Percent = Annotated[Decimal, Query(ge=0, lt=100)]


@router.get("/price-matrix", response_model=PriceMatrixOut,
            summary="Landed cost, proposed local price and margin for every SKU x market")
def price_matrix(
    principal: ApiPrincipal, session: DbSession, container: ContainerDep,
    markets: Annotated[str, Query(max_length=200, description="comma-separated market codes")] = DEFAULT_MARKETS,
    on: Annotated[date | None, Query(description="quote date (default today)")] = None,
    target_margin: Percent = Decimal(30), floor_margin: Percent = Decimal(15),
    marketplace_fee: Percent = Decimal(15), payment_fee: Percent = Decimal(3),
    shipping: Annotated[Decimal | None, Query(ge=0, description="transport per unit, in shipping_currency")] = None,
    shipping_currency: Annotated[str, Query(min_length=3, max_length=3)] = "USD",
    channel: Literal["postal", "courier", "freight"] = "courier",
    fx_latest: FxLatest = False,
) -> Response:
    """Each cell has figures (status ok / amber / red when landed extras eat the margin) or says why it has none
    (no HS code, origin or cost on the SKU; no tariff data for the market). The seller bears transport, duties
    and border fees (DDP) in the proposed price; the customs value is the SKU's cost."""
    codes = [code.strip().upper() for code in markets.split(",") if code.strip()]
    freight = Money.of(shipping, shipping_currency) if shipping is not None else None
    matrix = pricing.price_matrix(session, organization_id=principal.organization_id, markets=codes,
                                  on=on or container.clock.today(), data=_data(container, fx_latest), shipping=freight,
                                  channel=channel, target_margin=target_margin, floor_margin=floor_margin,
                                  marketplace_fee=marketplace_fee, payment_fee=payment_fee)
    return _json(PriceMatrixOut.of(matrix, target_margin=target_margin).model_dump(mode="json"))


@router.get("/tariff-coverage", response_model=list[MarketCoverageOut],
            summary="Which consumer-goods headings each market's duty data covers on a date")
def tariff_coverage(
    principal: ApiPrincipal, container: ContainerDep,
    on: Annotated[date | None, Query(description="date (default today)")] = None,
) -> Response:
    """Per market profile: the schedule version in force, HS 2022 headings of the consumer-goods chapters covered
    (every subheading has a sourced rate) or partly covered, lines by certainty, and the regimes that replace the
    base rate for some consignments. A market without data says why (`problem`); a gap is never 0 %."""
    report = pricing.tariff_coverage(on or container.clock.today(),
                                     overlay_dir=container.pricing_data.overlay_dir)
    return _json([MarketCoverageOut.of(m).model_dump(mode="json") for m in report])
