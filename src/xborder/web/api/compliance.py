"""Compliance API: the readiness matrix, one SKU's checklist in a market, catalog evaluations as jobs, the evidence
vault (upload re-checks the covered SKUs), the alert inbox and webhook/e-mail subscriptions, and — for platform
admins — rule-pack updates (preview the diff, then apply as a job)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from xborder import compliance, jobs
from xborder.compliance import (
    AlertView,
    ChecklistView,
    EvidenceView,
    PackPreviewView,
    ReadinessView,
    SubscriptionView,
)
from xborder.identity import Principal, RoleRequired
from xborder.jobs import JobView
from xborder.kernel import DomainError, ErrorDetail, ValidationFailed
from xborder.web.api._common import PROBLEM_RESPONSES
from xborder.web.deps import ApiPrincipal, ApiWriter, ContainerDep, DbSession
from xborder.web.idempotency import Idempotent

__all__ = ["router"]

router = APIRouter(prefix="/compliance", tags=["compliance"], responses=PROBLEM_RESPONSES)
MAX_EVIDENCE_MB = 20


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status_hint = 413


class EvaluationIn(BaseModel):
    markets: list[str] | None = Field(None, description="ISO codes; default every market with rules")
    skus: list[str] | None = Field(None, description="default the whole catalog", max_length=100_000)
    on: date | None = Field(None, description="evaluate as of this date; default today")


class EvidenceSubmittedOut(BaseModel):
    evidence: EvidenceView
    skus_rechecked: int
    checklists_changed: int


class SubscriptionIn(BaseModel):
    channel: Literal["webhook", "email"]
    target: str = Field(max_length=500)


class SubscriptionCreated(BaseModel):
    id: str
    channel: str
    target: str
    secret: str | None = Field(None, description="webhook signing secret, shown once")


class RulePackUrlIn(BaseModel):
    url: str = Field(max_length=2000, description="http(s) feed serving a bundle {packs: [...]}")


def _codes(text: str | None) -> list[str] | None:
    return [c.strip().upper() for c in text.split(",") if c.strip()] if text else None


def _wake(request: Request, background: BackgroundTasks) -> None:
    runner = getattr(request.app.state, "job_runner", None)
    if runner is not None:
        background.add_task(runner.wake)  # after the commit, so the runner sees the job at once


def _platform_admin(principal: Principal) -> None:
    if not principal.is_platform_admin:
        raise RoleRequired("platform admin")


# -- readiness ----------------------------------------------------------------------------------------------------

@router.get("/matrix", response_model=ReadinessView, summary="Readiness matrix: verdict per SKU × market, with counts")
def readiness_matrix(principal: ApiPrincipal, session: DbSession,
                     markets: Annotated[str | None, Query(max_length=200, description="e.g. DE,FR,GB,JP,SA,BR")] = None,
                     verdict: Literal["ready", "action_needed", "blocked"] | None = None,
                     cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> ReadinessView:
    """From the stored verdicts (run `POST /compliance/evaluations` first); `verdict` keeps SKUs with that verdict
    in at least one of the markets. Cells carry open, satisfied and total requirement counts."""
    return compliance.readiness_overview(session, organization_id=principal.organization_id,
                                         markets=_codes(markets), verdict=verdict, cursor=cursor, limit=limit)


@router.get("/variants/{variant_id}/checklist", response_model=ChecklistView,
            summary="One SKU's checklist in a market: status, trigger, evidence, source and dates per requirement")
def checklist(variant_id: str, principal: ApiPrincipal, session: DbSession, container: ContainerDep,
              market: Annotated[str | None, Query(max_length=2, description="ISO code, required")] = None,
              on: date | None = None, all: bool = False) -> ChecklistView:
    """Evaluated now with the rules in force and the evidence vault; `all` also lists not-applicable rules."""
    return compliance.checklist_for_variant(session, organization_id=principal.organization_id,
                                            variant_id=variant_id, market=market, on=on or container.clock.today(),
                                            include_not_applicable=all)


@router.post("/evaluations", status_code=202, response_model=JobView,
             summary="Evaluate the catalog (or some SKUs) in markets as a job; poll GET /jobs/{id}")
def create_evaluation(body: EvaluationIn, request: Request, background: BackgroundTasks, principal: ApiWriter,
                      idem: Idempotent, container: ContainerDep) -> Response:
    payload = {"markets": _codes(",".join(body.markets)) if body.markets else None, "skus": body.skus,
               "on": body.on.isoformat() if body.on else None, "cause": "api evaluation"}
    job = jobs.enqueue(idem.session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=compliance.EVALUATE_JOB_KIND, now=container.clock.now(), payload=payload)
    _wake(request, background)
    return idem.respond(job, status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"})


# -- evidence vault -----------------------------------------------------------------------------------------------

def _list(values: list[str] | None) -> list[str] | None:
    items = [v.strip() for value in values or [] for v in value.replace("\n", ",").split(",") if v.strip()]
    return items or None


@router.post("/evidence", status_code=201, response_model=EvidenceSubmittedOut,
             summary="Upload a certificate, test report or registration (PDF or image); re-checks the covered SKUs")
async def upload_evidence(
    request: Request, principal: ApiWriter, session: DbSession, container: ContainerDep, file: UploadFile,
    evidence_type: Annotated[str, Form(description="certificate, test_report, declaration_of_conformity, ...")],
    scheme: Annotated[str, Form(description="e.g. ce-red, giteki, weee-epr")],
    issuer: Annotated[str, Form(description="testing lab or authority")],
    issued_on: Annotated[date, Form(description="YYYY-MM-DD")],
    expires_on: Annotated[date | None, Form(description="YYYY-MM-DD; refused if already past")] = None,
    standard: Annotated[str | None, Form(description="e.g. EN 300 328")] = None,
    reference: Annotated[str | None, Form(description="certificate or registration number")] = None,
    skus: Annotated[list[str] | None, Form(description="covered SKUs (repeat or comma-separated); none = all")] = None,
    markets: Annotated[list[str] | None, Form(description="only valid in these markets; none = every market")] = None,
) -> EvidenceSubmittedOut:
    limit = MAX_EVIDENCE_MB * 1024 * 1024
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(f"the file is larger than {MAX_EVIDENCE_MB} MB")
    content = await file.read()
    done = await run_in_threadpool(
        compliance.submit_evidence, session, organization_id=principal.organization_id, clock=container.clock,
        filename=file.filename or "upload", content=content, evidence_type=evidence_type.strip(),
        scheme=scheme.strip(), issuer=issuer, issued_on=issued_on, expires_on=expires_on,
        standard=(standard or "").strip() or None, reference=(reference or "").strip() or None,
        skus=_list(skus), markets=_list(markets))
    return EvidenceSubmittedOut(evidence=compliance.evidence_view(done.evidence, today=container.clock.today()),
                                skus_rechecked=done.summary.evaluated, checklists_changed=len(done.summary.changed))


@router.get("/evidence", response_model=list[EvidenceView], summary="The evidence vault, with days left per document")
def list_evidence(principal: ApiPrincipal, session: DbSession, container: ContainerDep) -> list[EvidenceView]:
    today = container.clock.today()
    return [compliance.evidence_view(d, today=today)
            for d in compliance.list_evidence(session, organization_id=principal.organization_id)]


@router.get("/evidence/{evidence_id}", response_model=EvidenceView, summary="One evidence document's metadata")
def get_evidence(evidence_id: str, principal: ApiPrincipal, session: DbSession, container: ContainerDep
                 ) -> EvidenceView:
    doc, _ = compliance.get_evidence_file(session, organization_id=principal.organization_id, evidence_id=evidence_id)
    return compliance.evidence_view(doc, today=container.clock.today())


@router.get("/evidence/{evidence_id}/file", response_class=Response, summary="Download the document",
            responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}})
def download_evidence(evidence_id: str, principal: ApiPrincipal, session: DbSession) -> Response:
    doc, content = compliance.get_evidence_file(session, organization_id=principal.organization_id,
                                                evidence_id=evidence_id)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in doc.filename)[:120] or "evidence"
    # the type was sniffed from the bytes at upload; nosniff keeps browsers from second-guessing it
    return Response(content, media_type=doc.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{safe}"',
                             "X-Content-Type-Options": "nosniff"})


# -- alerts and subscriptions -------------------------------------------------------------------------------------

@router.get("/alerts", response_model=list[AlertView], summary="The alert inbox, newest first")
def list_alerts(principal: ApiPrincipal, session: DbSession, unread: bool = False) -> list[AlertView]:
    """Rule changes (which rules, which SKUs in which markets, verdicts that moved, since when) and expiring
    evidence."""
    return [AlertView.of(a) for a in compliance.list_alerts(session, organization_id=principal.organization_id,
                                                            unread_only=unread)]


@router.post("/alerts/{alert_id}/read", status_code=204, summary="Mark an alert read")
def mark_alert_read(alert_id: str, principal: ApiPrincipal, session: DbSession, container: ContainerDep
                    ) -> Response:
    compliance.mark_alert_read(session, organization_id=principal.organization_id, alert_id=alert_id,
                               clock=container.clock)
    return Response(status_code=204)


@router.get("/subscriptions", response_model=list[SubscriptionView],
            summary="Webhook and e-mail targets for alerts, with pending/failed deliveries")
def list_subscriptions(principal: ApiPrincipal, session: DbSession) -> list[SubscriptionView]:
    return [SubscriptionView.of(s) for s in compliance.list_subscriptions(
        session, organization_id=principal.organization_id)]


@router.post("/subscriptions", status_code=201, response_model=SubscriptionCreated,
             summary="Subscribe a webhook (signed, secret shown once) or an e-mail address")
def create_subscription(body: SubscriptionIn, principal: ApiWriter, idem: Idempotent,
                        container: ContainerDep) -> Response:
    sub_id, secret = compliance.subscribe_alerts(idem.session, organization_id=principal.organization_id,
                                                 channel=body.channel, target=body.target.strip(),
                                                 allow_private_targets=container.settings.alerts.allow_private_webhooks)
    return idem.respond(SubscriptionCreated(id=sub_id, channel=body.channel, target=body.target.strip(),
                                            secret=secret), status_code=201)


@router.delete("/subscriptions/{subscription_id}", status_code=204, summary="Remove a subscription")
def delete_subscription(subscription_id: str, principal: ApiWriter, session: DbSession) -> Response:
    compliance.unsubscribe_alerts(session, organization_id=principal.organization_id, subscription_id=subscription_id)
    return Response(status_code=204)


# -- platform admin: rule-pack updates and deliveries -------------------------------------------------------------

_PACK_BODY = {"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": {"type": "object", "required": ["url"],
                                    "properties": {"url": {"type": "string"}}}}}}}


async def _pack_source(request: Request) -> tuple[str, bytes | None]:
    """(source name, uploaded bytes) from multipart `file`, or (URL, None) from a JSON body {url}."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        upload = (await request.form()).get("file")
        if upload is None or isinstance(upload, str):
            raise ValidationFailed("no file in the upload", details=[
                ErrorDetail("send the pack in the multipart field 'file'", field="file", code="required")])
        return upload.filename or "upload.yaml", await upload.read()
    try:
        body = RulePackUrlIn.model_validate_json(await request.body() or b"{}")
    except ValueError:
        raise ValidationFailed("send a pack file (multipart 'file') or JSON {\"url\": ...}", details=[
            ErrorDetail("a rules.yaml/bundle upload or an http(s) URL is required", field="file",
                        code="required")]) from None
    if not body.url.startswith(("https://", "http://")):
        raise ValidationFailed("the url must be http(s)", details=[ErrorDetail("not an http(s) URL", field="url")])
    return body.url, None


@router.post("/rule-packs", summary="Platform admin: validate a new rule-pack version and preview its diff, "
                                    "or apply it as a job (?apply=true)",
             responses={200: {"model": PackPreviewView}, 202: {"model": JobView}}, openapi_extra=_PACK_BODY)
async def rule_pack(request: Request, background: BackgroundTasks, principal: ApiWriter, session: DbSession,
                    container: ContainerDep, apply: bool = False) -> Response:
    """A rejected pack answers 422 with every problem (`<pack>/rules.yaml: <rule id>.<field>`); the rules in force
    stay. Applying stores the version, re-checks only the SKUs the change can affect, alerts each seller and sends
    webhooks/e-mails."""
    _platform_admin(principal)
    source, content = await _pack_source(request)
    if not apply:
        preview = await run_in_threadpool(compliance.preview_rule_pack, session, location=source, content=content)
        return Response(PackPreviewView.of(preview).model_dump_json(), media_type="application/json")
    payload = {"url": source} if content is None else {"filename": source}
    job = await run_in_threadpool(jobs.enqueue, session, organization_id=principal.organization_id,
                                  user_id=principal.user_id, kind=compliance.RULE_PACK_JOB_KIND,
                                  now=container.clock.now(), payload=payload, input=content,
                                  input_filename=source if content is not None else None)
    _wake(request, background)
    return Response(job.model_dump_json(), status_code=202, media_type="application/json",
                    headers={"Location": f"/api/v1/jobs/{job.id}"})


@router.post("/alerts/deliveries", status_code=202, response_model=JobView,
             summary="Platform admin: scan for expiring evidence and send due webhook/e-mail deliveries (a job)")
def deliver(request: Request, background: BackgroundTasks, principal: ApiWriter, session: DbSession,
            container: ContainerDep) -> Response:
    _platform_admin(principal)
    job = jobs.enqueue(session, organization_id=principal.organization_id, user_id=principal.user_id,
                       kind=compliance.DELIVER_JOB_KIND, now=container.clock.now())
    _wake(request, background)
    return Response(job.model_dump_json(), status_code=202, media_type="application/json",
                    headers={"Location": f"/api/v1/jobs/{job.id}"})
