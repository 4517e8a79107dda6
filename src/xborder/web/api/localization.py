"""Localization studio API: listings (CRUD, workflow, revisions, QA), generation from the catalog, TM and glossary,
listing exports/imports per market, bulk translate/approve as jobs, and the per-market QA summary."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from xborder import jobs, localization
from xborder.jobs import JobView
from xborder.kernel import DomainError, ErrorDetail, ValidationFailed
from xborder.localization import (
    EditorView,
    GlossaryImport,
    ListingView,
    QaDashboard,
    RevisionView,
    TermEntry,
    TmImport,
    TmMatch,
)
from xborder.localization.schemas import (
    BulkApproveIn,
    BulkTranslateIn,
    GenerateIn,
    ListingCreate,
    ListingPatch,
    QaOut,
    SegmentIn,
    TmLookupIn,
    TransitionIn,
)
from xborder.web.api._common import PROBLEM_RESPONSES, CursorParam, LimitParam, PageOut
from xborder.web.deps import ApiPrincipal, ApiWriter, ContainerDep, DbSession
from xborder.web.idempotency import Idempotent

__all__ = ["BULK_APPROVE_KIND", "BULK_TRANSLATE_KIND", "router"]

router = APIRouter(tags=["localization"], responses=PROBLEM_RESPONSES)

BULK_TRANSLATE_KIND = "localization.bulk_translate"
BULK_APPROVE_KIND = "localization.bulk_approve"
_EXPORT_MEDIA = {"shopify": "text/csv; charset=utf-8", "flat": "text/csv; charset=utf-8",
                 "json": "application/json"}
_EXPORT_SUFFIX = {"shopify": "shopify.csv", "flat": "flat.csv", "json": "json"}
_FILE_BODY = {"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status_hint = 413


async def _file(request: Request, max_bytes: int) -> bytes:
    """An uploaded file: multipart field `file`, or the raw request body."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + 64 * 1024:
        raise PayloadTooLarge(f"the upload is larger than {max_bytes // (1024 * 1024)} MB")
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        upload = (await request.form()).get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed("no file in the upload", details=[
                ErrorDetail("send the file in the multipart field 'file'", field="file", code="required")])
        content = await upload.read()
    else:
        content = await request.body()
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"the upload is larger than {max_bytes // (1024 * 1024)} MB")
    if not content.strip():
        raise ValidationFailed("the upload is empty", details=[ErrorDetail("empty file", field="file",
                                                                           code="localization.empty_file")])
    return content


def _required(session: DbSession, organization_id: str, listing_id: str, field: str, value: object) -> None:
    """Required body fields of routes on one listing are checked after the listing is found: another
    organization's listing is a 404 whatever the body says."""
    if value is None:
        localization.get_listing(session, organization_id=organization_id, listing_id=listing_id)
        raise ValidationFailed(f"{field} is required", details=[ErrorDetail("required", field=field,
                                                                            code="required")])


def _if_match(request: Request) -> int | None:
    raw = request.headers.get("if-match", "").strip().removeprefix("W/").strip('"')
    return int(raw) if raw.isdigit() else None


# -- listings ---------------------------------------------------------------------------------------------------

@router.get("/listings", response_model=PageOut[ListingView], summary="List listings, oldest first")
def list_listings(principal: ApiPrincipal, session: DbSession, cursor: CursorParam = None, limit: LimitParam = 50,
                  product_id: Annotated[str | None, Query(max_length=26)] = None,
                  market: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
                  language: Annotated[str | None, Query(max_length=35)] = None,
                  status: Literal["draft", "needs_review", "approved", "published"] | None = None,
                  ) -> PageOut[ListingView]:
    page = localization.page_listings(session, organization_id=principal.organization_id, product_id=product_id,
                                      market=market, language=language, status=status, cursor=cursor, limit=limit)
    return PageOut[ListingView](items=page.items, next_cursor=page.next_cursor)


@router.post("/listings", status_code=201, response_model=ListingView,
             summary="Create a listing for a product, market and language (a draft)")
def create_listing(body: ListingCreate, principal: ApiWriter, session: DbSession, idem: Idempotent) -> Response:
    view = localization.create_listing(session, organization_id=principal.organization_id,
                                       product_id=body.product_id, market=body.market, language=body.language,
                                       user_id=principal.user_id, **body.changes())
    return idem.respond(view, status_code=201, headers={"Location": f"/api/v1/listings/{view.id}"})


@router.post("/listings/generate", response_model=ListingView,
             summary="Generate a draft from the catalog: TM first, then the configured MT provider")
def generate_listing(body: GenerateIn, principal: ApiWriter, session: DbSession,
                     container: ContainerDep) -> ListingView:
    """Existing text is never overwritten. Fields nobody could translate (no MT configured, provider failure)
    stay empty and are listed in `pending_segments` for a human translator."""
    return localization.generate_listing(session, organization_id=principal.organization_id,
                                         product_id=body.product_id, market=body.market, language=body.language,
                                         provider=container.mt_provider, user_id=principal.user_id)


def _enqueue(request: Request, background: BackgroundTasks, principal: ApiWriter, idem: Idempotent,
             container: ContainerDep, kind: str, payload: dict[str, object]) -> Response:
    job = jobs.enqueue(idem.session, organization_id=principal.organization_id, user_id=principal.user_id, kind=kind,
                       now=container.clock.now(), payload=payload)
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)
    return idem.respond(job, status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})


@router.post("/listings/bulk-translate", status_code=202, response_model=JobView,
             summary="Generate listings for many products as a job (poll GET /jobs/{id})")
async def bulk_translate(body: BulkTranslateIn, request: Request, background: BackgroundTasks,
                         principal: ApiWriter, idem: Idempotent, container: ContainerDep) -> Response:
    payload: dict[str, object] = {"market": body.market.upper(), "language": body.language, "ids": body.product_ids}
    return await run_in_threadpool(_enqueue, request, background, principal, idem, container,
                                   BULK_TRANSLATE_KIND, payload)


@router.post("/listings/bulk-approve", status_code=202, response_model=JobView,
             summary="Approve many listings as a job; blocked ones are reported, not changed")
async def bulk_approve(body: BulkApproveIn, request: Request, background: BackgroundTasks,
                       principal: ApiWriter, idem: Idempotent, container: ContainerDep) -> Response:
    payload: dict[str, object] = {"market": body.market.upper() if body.market else None, "ids": body.listing_ids,
               "status": body.status, "on": body.on.isoformat() if body.on else None}
    return await run_in_threadpool(_enqueue, request, background, principal, idem, container,
                                   BULK_APPROVE_KIND, payload)


@router.get("/listings/qa-summary", response_model=QaDashboard,
            summary="QA findings by market, severity and code over the organization's listings")
def qa_summary(principal: ApiPrincipal, session: DbSession, container: ContainerDep, on: date | None = None,
               market: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
               status: Literal["draft", "needs_review", "approved", "published"] | None = None,
               channel: Annotated[str | None, Query(max_length=40)] = None) -> QaDashboard:
    return localization.qa_dashboard(session, organization_id=principal.organization_id,
                                     on=on or container.clock.today(), market=market, status=status, channel=channel)


@router.get("/listings/{listing_id}", response_model=ListingView, summary="One listing")
def get_listing(listing_id: str, principal: ApiPrincipal, session: DbSession) -> ListingView:
    return localization.get_listing(session, organization_id=principal.organization_id, listing_id=listing_id)


@router.patch("/listings/{listing_id}", response_model=ListingView,
              summary="Edit texts (send the version you edited; an approved listing returns to draft)")
def update_listing(listing_id: str, body: ListingPatch, request: Request, principal: ApiWriter,
                   session: DbSession) -> ListingView:
    version = body.version if body.version is not None else _if_match(request)
    _required(session, principal.organization_id, listing_id, "version", version)
    assert version is not None
    return localization.update_listing(session, organization_id=principal.organization_id, listing_id=listing_id,
                                       expected_version=version, changes=body.changes(),
                                       user_id=principal.user_id, note=body.note)


@router.post("/listings/{listing_id}/transitions", response_model=ListingView,
             summary="Move along draft → needs_review → approved → published (approval runs the QA gate)")
def transition_listing(listing_id: str, body: TransitionIn, principal: ApiWriter, session: DbSession,
                       container: ContainerDep) -> ListingView:
    _required(session, principal.organization_id, listing_id, "to_status", body.to_status)
    assert body.to_status is not None
    return localization.transition_listing(session, organization_id=principal.organization_id,
                                           listing_id=listing_id, to_status=body.to_status,
                                           user_id=principal.user_id, on=body.on or container.clock.today(),
                                           note=body.note)


@router.get("/listings/{listing_id}/revisions", response_model=list[RevisionView],
            summary="Revision history: who changed which fields, and the listing after each change")
def list_revisions(listing_id: str, principal: ApiPrincipal, session: DbSession) -> list[RevisionView]:
    return localization.list_revisions(session, organization_id=principal.organization_id, listing_id=listing_id)


@router.get("/listings/{listing_id}/qa", response_model=QaOut, summary="QA findings of one listing")
def qa_listing(listing_id: str, principal: ApiPrincipal, session: DbSession, container: ContainerDep,
               on: date | None = None, channel: Annotated[str | None, Query(max_length=40)] = None,
               locale: Literal["en", "zh"] = "en") -> QaOut:
    """With an MT provider configured, the back-translation drift check runs too."""
    day = on or container.clock.today()
    back = localization.back_translator(container.mt_provider) if container.mt_provider else None
    result = localization.qa_listing(session, organization_id=principal.organization_id, listing_id=listing_id,
                                     on=day, channel=channel, back_translate=back, locale=locale)
    return QaOut.of(result, listing_id=listing_id, on=day)


@router.get("/listings/{listing_id}/workspace", response_model=EditorView,
            summary="The editor's view: source and target per field, TM matches, glossary hits, bilingual findings")
def listing_workspace(listing_id: str, principal: ApiPrincipal, session: DbSession, container: ContainerDep,
                      on: date | None = None, channel: Annotated[str | None, Query(max_length=40)] = None,
                      ) -> EditorView:
    return localization.open_editor(session, organization_id=principal.organization_id, listing_id=listing_id,
                                    on=on or container.clock.today(), channel=channel,
                                    provider=container.mt_provider)


# -- exports per market -----------------------------------------------------------------------------------------

@router.get("/markets/{cc}/listings/export", response_class=Response,
            summary="Download a market's listings: Shopify product CSV, marketplace flat file or JSON",
            responses={200: {"content": {"text/csv": {}, "application/json": {}}}})
def export_listings(cc: str, principal: ApiPrincipal, session: DbSession,
                    format: Literal["shopify", "flat", "json"] = "shopify",
                    language: Annotated[str | None, Query(max_length=35)] = None) -> Response:
    content = localization.export_listings(session, organization_id=principal.organization_id, market=cc,
                                           file_format=format, language=language)
    name = f"listings-{cc.upper()}-{_EXPORT_SUFFIX[format]}"
    return Response(content, media_type=_EXPORT_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/markets/{cc}/listings/import", summary="Apply an edited export back (every row or none)",
             openapi_extra=_FILE_BODY)
async def import_listings(cc: str, request: Request, principal: ApiWriter, session: DbSession,
                          container: ContainerDep, format: Literal["shopify", "flat", "json"] = "json",
                          language: Annotated[str | None, Query(max_length=35)] = None) -> dict[str, int]:
    content = await _file(request, container.settings.imports.max_upload_bytes)
    updated = await run_in_threadpool(
        localization.import_listings, session, organization_id=principal.organization_id, market=cc,
        file_format=format, content=content, language=language, user_id=principal.user_id)
    return {"updated": updated}


# -- translation memory and glossary ----------------------------------------------------------------------------

@router.post("/tm/lookup", response_model=list[TmMatch], summary="Exact and fuzzy TM matches with their score")
def tm_lookup(body: TmLookupIn, principal: ApiPrincipal, session: DbSession) -> list[TmMatch]:
    return localization.lookup_tm(session, organization_id=principal.organization_id,
                                  source_language=body.source_language, target_language=body.target_language,
                                  text=body.text, limit=body.limit, min_score=body.min_score)


@router.post("/tm/segments", status_code=204, summary="Store (or replace) one segment's translation")
def tm_add_segment(body: SegmentIn, principal: ApiWriter, session: DbSession) -> Response:
    localization.add_segment(session, organization_id=principal.organization_id,
                             source_language=body.source_language, target_language=body.target_language,
                             source_text=body.source_text, target_text=body.target_text, origin="human",
                             created_by=principal.user_id)
    return Response(status_code=204)


@router.post("/tm/imports", response_model=TmImport, summary="Import a TMX 1.4b file (all or nothing)",
             openapi_extra=_FILE_BODY)
async def tm_import(request: Request, principal: ApiWriter, session: DbSession,
                    container: ContainerDep) -> TmImport:
    content = await _file(request, container.settings.imports.max_upload_bytes)
    return await run_in_threadpool(localization.import_tmx, session, organization_id=principal.organization_id,
                                   content=content, created_by=principal.user_id)


@router.get("/tm/exports", response_class=Response, summary="Download the TM as TMX 1.4b",
            responses={200: {"content": {"application/x-tmx+xml": {}}}})
def tm_export(principal: ApiPrincipal, session: DbSession,
              source_language: Annotated[str, Query(max_length=35)] = "zh-CN",
              target_language: Annotated[str | None, Query(max_length=35)] = None) -> Response:
    content = localization.export_tmx(session, organization_id=principal.organization_id,
                                      source_language=source_language, target_language=target_language)
    return Response(content, media_type="application/x-tmx+xml",
                    headers={"Content-Disposition": f'attachment; filename="tm-{source_language}.tmx"'})


@router.get("/glossary", response_model=list[TermEntry], summary="The organization's glossary (one market's view)")
def glossary(principal: ApiPrincipal, session: DbSession,
             market: Annotated[str | None, Query(min_length=2, max_length=2)] = None) -> list[TermEntry]:
    return list(localization.get_glossary(session, organization_id=principal.organization_id,
                                          market=market).entries)


@router.post("/glossary/imports", response_model=GlossaryImport,
             summary="Import a glossary CSV or TBX file (all or nothing; `replace` drops the old terms)",
             openapi_extra=_FILE_BODY)
async def glossary_import(request: Request, principal: ApiWriter, session: DbSession, container: ContainerDep,
                          format: Literal["csv", "tbx"] = "csv",
                          source_language: Annotated[str | None, Query(max_length=35)] = None,
                          replace: bool = False) -> GlossaryImport:
    content = await _file(request, container.settings.imports.max_upload_bytes)
    return await run_in_threadpool(localization.import_glossary, session, organization_id=principal.organization_id,
                                   content=content, file_format=format, source_language=source_language,
                                   replace=replace)
