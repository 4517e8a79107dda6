"""Catalog API: products and variants (CRUD, list/search with cursor pagination), imports as jobs, exports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from xborder import catalog, jobs
from xborder.catalog import (
    ProductIn,
    ProductOut,
    ProductPatch,
    ProductSummary,
    VariantIn,
    VariantOut,
    VariantPatch,
    VariantSummary,
)
from xborder.identity import Principal
from xborder.jobs import JobView
from xborder.kernel import DomainError, ErrorDetail, ValidationFailed
from xborder.web.api._common import PROBLEM_RESPONSES, CursorParam, LimitParam, PageOut
from xborder.web.deps import ApiCaller, ApiPrincipal, ApiWriter, ContainerDep, DbSession
from xborder.web.idempotency import Idempotent

router = APIRouter(tags=["catalog"], responses=PROBLEM_RESPONSES)

IMPORT_JOB_KIND = "catalog.import"
_PRODUCT_Q = ("words in the products' SKUs, variant names, title, brand or HS code "
              "(under 3 characters: SKU or brand prefix)")
_EXPORT_MEDIA = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class VariantCreate(VariantIn):
    """A new SKU under an existing product."""

    model_config = ConfigDict(extra="forbid")

    product_id: str = Field(min_length=1, max_length=26)


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status_hint = 413


def _json(page: BaseModel) -> Response:
    """Serialize a page once, in pydantic-core, instead of FastAPI validating it again against response_model (the
    list routes are the hot path; response_model still documents them)."""
    return Response(page.model_dump_json(), media_type="application/json")


# -- products ---------------------------------------------------------------------------------------------------

@router.post("/products", status_code=201, response_model=ProductOut, summary="Create a product with its variants")
def create_product(body: ProductIn, principal: ApiWriter, session: DbSession, idem: Idempotent) -> Response:
    product = catalog.create_product(session, organization_id=principal.organization_id, data=body)
    return idem.respond(product, status_code=201, headers={"Location": f"/api/v1/products/{product.id}"})


@router.get("/products", response_model=PageOut[ProductSummary], summary="List or search products, by product_ref")
async def list_products(
    call: ApiCaller,
    q: Annotated[str | None, Query(max_length=200, description=_PRODUCT_Q)] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
) -> Response:
    def page(session: Session, principal: Principal) -> Response:
        found = catalog.list_products(session, organization_id=principal.organization_id, query=q, cursor=cursor,
                                      limit=limit)
        return _json(PageOut[ProductSummary](items=found.items, next_cursor=found.next_cursor))
    return await call.run(page, offload=not catalog.page_found_by_index(query=q))


@router.get("/products/{product_id}", response_model=ProductOut, summary="One product with its variants")
def get_product(product_id: str, principal: ApiPrincipal, session: DbSession) -> ProductOut:
    return catalog.get_product(session, organization_id=principal.organization_id, product_id=product_id)


@router.patch("/products/{product_id}", response_model=ProductOut, summary="Change product fields")
def update_product(product_id: str, body: ProductPatch, principal: ApiWriter, session: DbSession) -> ProductOut:
    return catalog.update_product(session, organization_id=principal.organization_id, product_id=product_id,
                                  patch=body)


@router.delete("/products/{product_id}", status_code=204, summary="Delete a product and its variants")
def delete_product(product_id: str, principal: ApiWriter, session: DbSession) -> Response:
    catalog.delete_product(session, organization_id=principal.organization_id, product_id=product_id)
    return Response(status_code=204)


# -- variants ---------------------------------------------------------------------------------------------------

@router.get("/variants", response_model=PageOut[VariantSummary], summary="List or search SKUs, ordered by SKU")
async def list_variants(
    call: ApiCaller,
    q: Annotated[str | None, Query(max_length=200, description="words in SKU, name, title, brand or HS code")] = None,
    cursor: CursorParam = None,
    limit: LimitParam = 50,
    hs_prefix: Annotated[str | None, Query(max_length=12)] = None,
    brand: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    origin_country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    has_battery: bool | None = None,
    has_wireless: bool | None = None,
    product_id: Annotated[str | None, Query(max_length=26)] = None,
) -> Response:
    def page(session: Session, principal: Principal) -> Response:
        found = catalog.list_variants(session, organization_id=principal.organization_id, query=q, cursor=cursor,
                                      limit=limit, hs_prefix=hs_prefix, brand=brand, category=category,
                                      origin_country=origin_country, has_battery=has_battery,
                                      has_wireless=has_wireless, product_id=product_id)
        return _json(PageOut[VariantSummary](items=found.items, next_cursor=found.next_cursor))
    # the hot path: an indexed page is read in turn on the event loop; a filter walk goes to the threadpool
    return await call.run(page, offload=not catalog.page_found_by_index(
        query=q, filters=(hs_prefix, brand, category, origin_country, has_battery, has_wireless)))


@router.post("/variants", status_code=201, response_model=VariantOut, summary="Add a SKU to a product")
def create_variant(body: VariantCreate, principal: ApiWriter, session: DbSession, idem: Idempotent) -> Response:
    data = VariantIn.model_validate(body.model_dump(exclude={"product_id"}, exclude_unset=True))
    variant = catalog.create_variant(session, organization_id=principal.organization_id,
                                     product_id=body.product_id, data=data)
    return idem.respond(variant, status_code=201, headers={"Location": f"/api/v1/variants/{variant.id}"})


@router.get("/variants/{variant_id}", response_model=VariantOut, summary="One SKU with all its attributes")
def get_variant(variant_id: str, principal: ApiPrincipal, session: DbSession) -> VariantOut:
    return catalog.get_variant(session, organization_id=principal.organization_id, variant_id=variant_id)


@router.patch("/variants/{variant_id}", response_model=VariantOut, summary="Change SKU attributes")
def update_variant(variant_id: str, body: VariantPatch, principal: ApiWriter, session: DbSession) -> VariantOut:
    return catalog.update_variant(session, organization_id=principal.organization_id, variant_id=variant_id,
                                  patch=body)


@router.delete("/variants/{variant_id}", status_code=204, summary="Delete a SKU")
def delete_variant(variant_id: str, principal: ApiWriter, session: DbSession) -> Response:
    catalog.delete_variant(session, organization_id=principal.organization_id, variant_id=variant_id)
    return Response(status_code=204)


# -- bulk -------------------------------------------------------------------------------------------------------

async def _upload(request: Request, max_bytes: int) -> tuple[str, bytes, bool | None]:
    """The uploaded file from multipart (`file`, optional `dry_run`) or a raw body (`?filename=`)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + 64 * 1024:
        raise PayloadTooLarge(f"the upload is larger than {max_bytes // (1024 * 1024)} MB")
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed("no file in the upload", details=[
                ErrorDetail("send the spreadsheet in the multipart field 'file'", field="file", code="required")])
        content = await upload.read()
        flag = form.get("dry_run")
        dry = str(flag).lower() in ("1", "true", "yes", "on") if isinstance(flag, str) else None
        return upload.filename or "upload", content, dry
    return request.query_params.get("filename") or "upload.csv", await request.body(), None


@router.post("/imports", status_code=202, response_model=JobView, summary="Import a CSV/XLSX catalog as a job",
             openapi_extra={"requestBody": {"content": {
                 "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                     "file": {"type": "string", "format": "binary"}, "dry_run": {"type": "boolean"}}}},
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def create_import(request: Request, principal: ApiWriter, container: ContainerDep, idem: Idempotent,
                        background: BackgroundTasks, dry_run: bool = False,
                        filename: Annotated[str | None, Query(max_length=255)] = None) -> Response:
    """All-or-nothing: the job validates every row and writes nothing if any row is wrong (its error lists them).

    Poll `GET /jobs/{id}` for progress; `dry_run` validates only.
    """
    limits = container.settings.imports
    name, content, form_dry = await _upload(request, limits.max_upload_bytes)
    if len(content) > limits.max_upload_bytes:
        raise PayloadTooLarge(f"the upload is larger than {limits.max_upload_bytes // (1024 * 1024)} MB")
    if not content:
        raise ValidationFailed("the upload is empty", details=[ErrorDetail("empty file", field="file",
                                                                           code="catalog.empty_file")])
    dry = form_dry if form_dry is not None else dry_run

    def enqueue() -> Response:  # database work off the event loop
        job = jobs.enqueue(idem.session, organization_id=principal.organization_id, user_id=principal.user_id,
                           kind=IMPORT_JOB_KIND, now=container.clock.now(),
                           payload={"filename": name, "dry_run": dry}, input=content, input_filename=name)
        return idem.respond(job, status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})

    response = await run_in_threadpool(enqueue)
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)  # after the commit, so the runner sees the job at once
    return response


@router.get("/exports/products", summary="Download the catalog as CSV or XLSX (import template layout)",
            response_class=Response,
            responses={200: {"content": {media: {} for media in _EXPORT_MEDIA.values()}}})
def export_products(principal: ApiPrincipal, session: DbSession,
                    format: Literal["csv", "xlsx"] = "csv", lang: Literal["en", "zh"] = "en") -> Response:
    content = catalog.export_products(session, organization_id=principal.organization_id, fmt=format, language=lang)
    return Response(content, media_type=_EXPORT_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="catalog-{lang}.{format}"'})
