"""Localization studio pages: listings, the side-by-side editor (TM, glossary, inline QA findings, workflow,
history), bulk translate/approve jobs with progress, the per-market QA dashboard and exports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from xborder import catalog, jobs, localization, markets
from xborder.kernel import Conflict, ValidationFailed
from xborder.web.console.context import SignedInUi, Ui
from xborder.web.deps import ConsoleForm, ConsoleFormPrincipal, DbSession, commit_in_route, require_writer

__all__ = ["BULK_KINDS", "router"]

router = APIRouter()
BULK_KINDS = {"translate": "localization.bulk_translate", "approve": "localization.bulk_approve"}
STATUSES = ("draft", "needs_review", "approved", "published")
EXPORT_FORMATS = {"shopify": ("text/csv; charset=utf-8", "shopify.csv"),
                  "flat": ("text/csv; charset=utf-8", "flat.csv"), "json": ("application/json", "json")}
TEXT_FIELDS = ("title", "description", "bullets", "keywords", "meta_title", "meta_description")
PAGE_SIZE = 50


def _explain(ui: Ui, error: ValidationFailed) -> str:
    """The page-language sentence for the studio's refusals; the domain message (English) for anything else."""
    codes = {d.code for d in error.details}
    if "localization.needs_translator" in codes:
        return ui._("Some fields still need a translator: fill them before approval.")
    if "localization.invalid_transition" in codes:
        return ui._("This workflow step is not allowed from the listing's current status.")
    if "localization.no_source_language" in codes:
        return ui._("The product has no source language: set it in the catalog first.")
    if error.details and all(d.code and "." not in d.code for d in error.details):
        return ui._("Critical QA findings block approval: fix them (see the findings below) and try again.")
    return error.message


def _org(ui: Ui) -> str:
    assert ui.principal is not None
    return ui.principal.organization_id


def _index(ui: Ui, session: Session, *, market: str | None, status: str | None, cursor: str | None,
           error: str | None = None, status_code: int = 200) -> Response:
    page = localization.page_listings(session, organization_id=_org(ui), market=market or None,
                                      status=status or None, cursor=cursor or None, limit=PAGE_SIZE)
    products = catalog.list_products(session, organization_id=_org(ui), limit=200).items
    refs = {p.id: p for p in products}
    known = [m for m in markets.list_markets(on=ui.today())]
    return ui.render("localization/index.html", fragment="localization/_index_fragment.html", nav="localization",
                     title=ui._("Localization studio"), page=page, products=products, refs=refs, markets=known,
                     market=market or "", status=status or "", statuses=STATUSES, error=error,
                     mt_configured=ui.container.mt_provider is not None, status_code=status_code)


@router.get("/localization")
def listing_index(ui: SignedInUi, session: DbSession, market: str | None = None, status: str | None = None,
                  cursor: str | None = None) -> Response:
    return _index(ui, session, market=market, status=status if status in STATUSES else None, cursor=cursor)


@router.post("/localization/generate")
def generate(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal,
             session: DbSession) -> Response:
    require_writer(principal)
    try:
        view = localization.generate_listing(
            session, organization_id=principal.organization_id, product_id=str(form.get("product_id") or ""),
            market=str(form.get("market") or ""), language=str(form.get("language") or ""),
            provider=ui.container.mt_provider, user_id=principal.user_id)
    except ValidationFailed as error:
        return _index(ui, session, market=None, status=None, cursor=None, error=_explain(ui, error),
                      status_code=422)
    commit_in_route(session)
    return ui.redirect(f"/localization/listings/{view.id}")


@router.post("/localization/bulk")
def bulk(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal, session: DbSession,
         background: BackgroundTasks) -> Response:
    require_writer(principal)
    action = str(form.get("action") or "")
    market = str(form.get("market") or "").strip().upper() or None
    ids = [str(v) for v in form.getlist("listing_ids") if str(v)] or None
    if action not in BULK_KINDS or (action == "translate" and not (market and form.get("language"))):
        return _index(ui, session, market=None, status=None, cursor=None, status_code=422,
                      error=ui._("Choose a market and a language to translate into."))
    if form.get("selection") and not ids:  # "approve selected" with nothing selected must not mean "all"
        return _index(ui, session, market=None, status=None, cursor=None, status_code=422,
                      error=ui._("Select at least one listing."))
    payload: dict[str, Any] = {"market": market, "ids": ids if action == "approve" else None}
    if action == "translate":
        payload["language"] = str(form.get("language"))
    else:
        payload.update(status=str(form.get("status") or "needs_review"), on=ui.today().isoformat())
    job = jobs.enqueue(session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=BULK_KINDS[action], now=ui.container.clock.now(), payload=payload)
    commit_in_route(session)
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)
    return ui.redirect(f"/localization/jobs/{job.id}")


@router.get("/localization/jobs/{job_id}")
def bulk_job(ui: SignedInUi, session: DbSession, job_id: str) -> Response:
    job = jobs.get_job(session, organization_id=_org(ui), job_id=job_id)
    done = job.status in ("succeeded", "failed")
    percent = 100 if done else (min(99, job.progress_done * 100 // job.progress_total) if job.progress_total else 0)
    return ui.render("localization/job.html", fragment="localization/_job_fragment.html", nav="localization",
                     title=ui._("Bulk job"), job=job, done=done, percent=percent, result=job.result or {})


@router.get("/localization/qa")
def qa_dashboard(ui: SignedInUi, session: DbSession, market: str | None = None, animation: int = 1) -> Response:
    board = localization.qa_dashboard(session, organization_id=_org(ui), on=ui.today(), market=market or None)
    return ui.render("localization/qa.html", fragment="localization/_qa_fragment.html", nav="localization",
                     title=ui._("QA by market"), board=board, market=market or "", animation=bool(animation),
                     needs_chart=True)


@router.get("/localization/export")
def export(ui: SignedInUi, session: DbSession, market: str | None = None, format: str = "shopify") -> Response:
    if not market or format not in EXPORT_FORMATS:
        return ui.redirect("/localization")
    content = localization.export_listings(session, organization_id=_org(ui), market=market, file_format=format)
    media, suffix = EXPORT_FORMATS[format]
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="listings-{market.upper()}-{suffix}"'})


def _editor(ui: Ui, session: Session, listing_id: str, *, error: str | None = None, problems: list[Any] | None = None,
            draft: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    view = localization.open_editor(session, organization_id=_org(ui), listing_id=listing_id, on=ui.today(),
                                    provider=ui.container.mt_provider)
    zh = ui.locale.tag == "zh-CN"
    return ui.render("localization/editor.html", fragment="localization/_editor_fragment.html",
                     nav="localization", title=f"{view.product_ref} · {view.listing.market}", v=view, zh=zh,
                     error=error, problems=problems or [], draft=draft or {}, saved=ui.request.query_params.get(
                         "saved") == "1", status_code=status_code)


@router.get("/localization/listings/{listing_id}")
def editor(ui: SignedInUi, session: DbSession, listing_id: str) -> Response:
    return _editor(ui, session, listing_id)


def _changes(form: Any) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name not in form:
            continue
        value = str(form.get(name) or "")
        if name == "bullets":
            changes[name] = [line for line in value.splitlines() if line.strip()]
        elif name == "keywords":
            changes[name] = [k for k in value.replace("，", ",").replace("\n", ",").split(",") if k.strip()]
        else:
            changes[name] = value
    return changes


@router.post("/localization/listings/{listing_id}")
def save(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal, session: DbSession,
         listing_id: str) -> Response:
    require_writer(principal)
    version = str(form.get("version") or "")
    changes = _changes(form)
    try:
        localization.update_listing(session, organization_id=principal.organization_id, listing_id=listing_id,
                                    expected_version=int(version) if version.isdigit() else 0, changes=changes,
                                    user_id=principal.user_id, note=str(form.get("note") or "") or None)
    except Conflict:
        session.rollback()
        return _editor(ui, session, listing_id, status_code=409, draft=changes, error=ui._(
            "Someone changed this listing while you were editing. Your text is kept below; review the "
            "current version and save again."))
    commit_in_route(session)
    return ui.redirect(f"/localization/listings/{listing_id}?saved=1")


@router.post("/localization/listings/{listing_id}/transition")
def transition(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal, session: DbSession,
               listing_id: str) -> Response:
    require_writer(principal)
    try:
        localization.transition_listing(session, organization_id=principal.organization_id, listing_id=listing_id,
                                        to_status=str(form.get("to_status") or ""), user_id=principal.user_id,
                                        on=ui.today())
    except ValidationFailed as error:
        session.rollback()
        return _editor(ui, session, listing_id, status_code=422, error=_explain(ui, error), problems=error.details)
    commit_in_route(session)
    return ui.redirect(f"/localization/listings/{listing_id}")
