"""Compliance pages: the readiness matrix (SKUs × markets, coloured verdicts), a SKU's checklist in a market, the
evidence vault with upload and expiry reminders, the alert inbox, catalog checks as jobs with progress, and the
rule-update page for platform admins (upload or point to a pack → errors or a semantic diff → apply).
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from xborder import compliance, jobs
from xborder.compliance.schema import EVIDENCE_TYPES
from xborder.identity import RoleRequired
from xborder.kernel import DomainError, ErrorDetail, ValidationFailed
from xborder.web.console.context import SignedInUi, Ui
from xborder.web.deps import ConsoleForm, ConsoleFormPrincipal, DbSession, commit_in_route, require_writer

__all__ = ["JOURNEY_MARKETS", "router"]

router = APIRouter()
JOURNEY_MARKETS = ("DE", "FR", "GB", "JP", "SA", "BR")
REMINDER_DAYS = 365
_JOB_KINDS = (compliance.EVALUATE_JOB_KIND, compliance.RULE_PACK_JOB_KIND, compliance.DELIVER_JOB_KIND)
_CSS = "/static/css/compliance.css"


def _markets(text: str | None) -> list[str]:
    codes = [m.strip().upper() for m in (text or "").replace(" ", ",").split(",") if m.strip()]
    return [m for m in codes if len(m) == 2 and m.isalpha()][:25] or list(JOURNEY_MARKETS)


def _problem(error: DomainError) -> dict[str, Any]:
    return {"message": error.message, "code": error.code,
            "details": [{"field": d.field, "message": d.message, "row": d.row} for d in error.details[:50]]}


def _reminders(ui: Ui, session: Any) -> list[compliance.EvidenceView]:
    """Documents that lapse within a year, soonest first ("expires in N days")."""
    assert ui.principal is not None
    today = ui.today()
    docs = [compliance.evidence_view(d, today=today)
            for d in compliance.list_evidence(session, organization_id=ui.principal.organization_id)]
    return sorted((d for d in docs if d.days_left is not None and 0 <= d.days_left <= REMINDER_DAYS),
                  key=lambda d: (d.days_left or 0, d.id))


def _months(days: int | None) -> int:
    return round((days or 0) / 30.44)


@router.get("/compliance")
def matrix_page(ui: SignedInUi, session: DbSession, request: Request) -> Response:
    assert ui.principal is not None
    params = request.query_params
    markets = _markets(params.get("markets"))
    verdict = params.get("verdict") or None
    problem = None
    try:
        view = compliance.readiness_overview(session, organization_id=ui.principal.organization_id, markets=markets,
                                             verdict=verdict, cursor=params.get("cursor") or None, limit=200)
    except ValidationFailed as exc:
        problem = _problem(exc)
        view = compliance.readiness_overview(session, organization_id=ui.principal.organization_id,
                                             markets=list(JOURNEY_MARKETS), limit=200)
    recent = jobs.list_jobs(session, organization_id=ui.principal.organization_id,
                            kind=compliance.EVALUATE_JOB_KIND, limit=1).items
    return ui.render("compliance/matrix.html", fragment="compliance/_matrix_fragment.html", nav="compliance",
                     title=ui._("Market readiness"), view=view, markets=view.markets, verdict=verdict or "",
                     problem=problem, reminders=_reminders(ui, session), months=_months, last_job=recent[0]
                     if recent else None, evaluated=any(sum(c.values()) for c in view.counts.values()))


def _wake(request: Request, background: BackgroundTasks) -> None:
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)


@router.post("/compliance/evaluations")
def start_evaluation(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal,
                     session: DbSession, background: BackgroundTasks) -> Response:
    require_writer(principal)
    markets = _markets(str(form.get("markets") or ""))
    job = jobs.enqueue(session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=compliance.EVALUATE_JOB_KIND, now=ui.container.clock.now(),
                       payload={"markets": markets, "cause": "console check"})
    commit_in_route(session)
    _wake(request, background)
    return ui.redirect(f"/compliance/jobs/{job.id}")


@router.get("/compliance/jobs/{job_id}")
def job_page(ui: SignedInUi, session: DbSession, job_id: str) -> Response:
    assert ui.principal is not None
    job = jobs.get_job(session, organization_id=ui.principal.organization_id, job_id=job_id)
    if job.kind not in _JOB_KINDS:
        raise jobs.JobNotFound(f"job {job_id!r} not found")
    done = job.status in ("succeeded", "failed")
    percent = 100 if done else (min(99, job.progress_done * 100 // job.progress_total) if job.progress_total else 0)
    back = "/compliance" + ("/rules" if job.kind == compliance.RULE_PACK_JOB_KIND else "")
    return ui.render("compliance/job.html", fragment="compliance/_job_fragment.html", nav="compliance",
                     title=ui._("Readiness check"), job=job, done=done, percent=percent, result=job.result or {},
                     back=back)


@router.get("/compliance/variants/{variant_id}/checklist")
def checklist_page(ui: SignedInUi, session: DbSession, variant_id: str, market: str | None = None,
                   on: str | None = None, all: str | None = None) -> Response:
    assert ui.principal is not None
    try:
        day = date.fromisoformat(on) if on else ui.today()
    except ValueError:
        day = ui.today()
    view = compliance.checklist_for_variant(session, organization_id=ui.principal.organization_id,
                                            variant_id=variant_id, market=market or "DE", on=day,
                                            include_not_applicable=bool(all))
    return ui.render("compliance/checklist.html", fragment="compliance/_checklist_fragment.html", nav="compliance",
                     title=f"{view.sku} · {view.market}", view=view, show_all=bool(all),
                     markets=JOURNEY_MARKETS if view.market in JOURNEY_MARKETS else (*JOURNEY_MARKETS, view.market))


def _evidence_page(ui: Ui, session: Any, *, values: dict[str, str] | None = None, problem: dict[str, Any] | None = None,
                   flash: str | None = None, status_code: int = 200) -> Response:
    assert ui.principal is not None
    today = ui.today()
    docs = [compliance.evidence_view(d, today=today)
            for d in compliance.list_evidence(session, organization_id=ui.principal.organization_id)]
    errors = {d["field"]: d["message"] for d in (problem or {}).get("details", []) if d.get("field")}
    return ui.render("compliance/evidence.html", fragment="compliance/_evidence_fragment.html", nav="compliance",
                     title=ui._("Evidence vault"), docs=docs, values=values or {}, problem=problem, errors=errors,
                     flash=flash, status_code=status_code, types=EVIDENCE_TYPES, months=_months,
                     schemes=sorted({e.scheme for rules in compliance.active_library(session).rules.values()
                                     for r in rules for e in r.spec.evidence}))


@router.get("/compliance/evidence")
def evidence_page(ui: SignedInUi, session: DbSession, request: Request) -> Response:
    params = request.query_params
    values = {"skus": params.get("sku") or "", "markets": params.get("market") or "",
              "scheme": params.get("scheme") or "", "evidence_type": params.get("type") or ""}
    return _evidence_page(ui, session, values=values)


def _form_values(form: FormData) -> dict[str, str]:
    names = ("evidence_type", "scheme", "issuer", "issued_on", "expires_on", "standard", "reference", "skus",
             "markets")
    return {name: str(form.get(name) or "").strip() for name in names}


def _split(text: str) -> list[str] | None:
    items = [v.strip() for v in text.replace("\n", ",").replace(" ", ",").split(",") if v.strip()]
    return items or None


def _date(values: dict[str, str], name: str, *, required: bool) -> date | None:
    text = values.get(name) or ""
    if not text and not required:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{name}: a date in YYYY-MM-DD form is required",
                               details=[_detail(name, "a date in YYYY-MM-DD form is required")]) from None


def _detail(field: str, message: str) -> ErrorDetail:
    return ErrorDetail(message, field=field, code="compliance.invalid_input")


@router.post("/compliance/evidence")
def evidence_upload(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal,
                    session: DbSession) -> Response:
    require_writer(principal)
    values = _form_values(form)
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed("choose a PDF or an image", details=[_detail("file", "required")])
        content = upload.file.read()
        done = compliance.submit_evidence(
            session, organization_id=principal.organization_id, clock=ui.container.clock, filename=upload.filename,
            content=content, evidence_type=values["evidence_type"], scheme=values["scheme"],
            issuer=values["issuer"], issued_on=_date(values, "issued_on", required=True) or ui.today(),
            expires_on=_date(values, "expires_on", required=False), standard=values["standard"] or None,
            reference=values["reference"] or None, skus=_split(values["skus"]), markets=_split(values["markets"]))
    except ValidationFailed as exc:
        session.rollback()
        return _evidence_page(ui, session, values=values, problem=_problem(exc), status_code=422)
    commit_in_route(session)
    flash = ui._("Stored %(file)s; %(count)s checklists re-checked.", file=done.evidence.filename,
                 count=len(done.summary.changed))
    return _evidence_page(ui, session, flash=flash)


@router.get("/compliance/evidence/{evidence_id}/file")
def evidence_file(ui: SignedInUi, session: DbSession, evidence_id: str) -> Response:
    assert ui.principal is not None
    doc, content = compliance.get_evidence_file(session, organization_id=ui.principal.organization_id,
                                                evidence_id=evidence_id)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in doc.filename)[:120] or "evidence"
    return Response(content, media_type=doc.content_type, headers={
        "Content-Disposition": f'attachment; filename="{safe}"', "X-Content-Type-Options": "nosniff"})


@router.get("/compliance/alerts")
def alerts_page(ui: SignedInUi, session: DbSession, unread: str | None = None) -> Response:
    assert ui.principal is not None
    alerts = [compliance.AlertView.of(a) for a in compliance.list_alerts(
        session, organization_id=ui.principal.organization_id, unread_only=bool(unread))]
    subs = [compliance.SubscriptionView.of(s) for s in compliance.list_subscriptions(
        session, organization_id=ui.principal.organization_id)]
    return ui.render("compliance/alerts.html", fragment="compliance/_alerts_fragment.html", nav="compliance",
                     title=ui._("Compliance alerts"), alerts=alerts, subs=subs, unread=bool(unread))


@router.post("/compliance/alerts/{alert_id}/read")
def alert_read(ui: SignedInUi, principal: ConsoleFormPrincipal, session: DbSession, alert_id: str) -> Response:
    compliance.mark_alert_read(session, organization_id=principal.organization_id, alert_id=alert_id,
                               clock=ui.container.clock)
    commit_in_route(session)
    return ui.redirect("/compliance/alerts")


def _rules_page(ui: Ui, session: Any, *, preview: compliance.PackPreviewView | None = None,
                problem: dict[str, Any] | None = None, payload: str = "", source: str = "", url: str = "",
                status_code: int = 200) -> Response:
    assert ui.principal is not None
    library = compliance.active_library(session)
    recent = jobs.list_jobs(session, organization_id=ui.principal.organization_id,
                            kind=compliance.RULE_PACK_JOB_KIND, limit=5).items if ui.principal.is_platform_admin else []
    return ui.render("compliance/rules.html", fragment="compliance/_rules_fragment.html", nav="compliance",
                     title=ui._("Rule updates"), library=library, preview=preview, problem=problem,
                     payload=payload, source=source, url=url, recent=recent, status_code=status_code,
                     admin=ui.principal.is_platform_admin)


@router.get("/compliance/rules")
def rules_page(ui: SignedInUi, session: DbSession) -> Response:
    return _rules_page(ui, session)


@router.post("/compliance/rules/preview")
def rules_preview(form: ConsoleForm, ui: SignedInUi, principal: ConsoleFormPrincipal,
                  session: DbSession) -> Response:
    if not principal.is_platform_admin:
        raise RoleRequired("platform admin")
    upload, url = form.get("file"), str(form.get("url") or "").strip()
    content: bytes | None = None
    source = url
    if isinstance(upload, UploadFile) and upload.filename:
        content, source = upload.file.read(), upload.filename
    try:
        if content is None and not url.startswith(("https://", "http://")):
            raise ValidationFailed(ui._("Upload a rules.yaml or bundle, or give an http(s) feed URL."),
                                   details=[_detail("file", "required")])
        preview = compliance.PackPreviewView.of(
            compliance.preview_rule_pack(session, location=source, content=content))
    except DomainError as exc:
        return _rules_page(ui, session, problem=_problem(exc), url=url, status_code=422)
    payload = base64.b64encode(content).decode() if content is not None else ""
    return _rules_page(ui, session, preview=preview, payload=payload, source=source, url=url)


@router.post("/compliance/rules/apply")
def rules_apply(form: ConsoleForm, request: Request, ui: SignedInUi, principal: ConsoleFormPrincipal,
                session: DbSession, background: BackgroundTasks) -> Response:
    if not principal.is_platform_admin:
        raise RoleRequired("platform admin")
    source, url = str(form.get("source") or "upload.yaml")[:255], str(form.get("url") or "").strip()
    try:
        content = base64.b64decode(str(form.get("payload") or ""), validate=True) or None
    except (binascii.Error, ValueError):
        content = None
    if content is None and not url.startswith(("https://", "http://")):
        return _rules_page(ui, session, status_code=422, problem={
            "message": ui._("Preview the pack again before applying it."), "code": "required", "details": []})
    job = jobs.enqueue(session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=compliance.RULE_PACK_JOB_KIND, now=ui.container.clock.now(),
                       payload={"url": url} if content is None else {"filename": source}, input=content,
                       input_filename=source if content is not None else None)
    commit_in_route(session)
    _wake(request, background)
    return ui.redirect(f"/compliance/jobs/{job.id}")
