"""Compliance work run as durable jobs (`xborder.jobs`): a catalog evaluation market by market with progress, a
rule-pack update (validate, store, re-check affected SKUs, alert), and alert sending (expiry scan + outbox).

`bootstrap` registers these handlers and the `recurring_jobs` (delivery retries, daily expiry scan); each is safe
to re-run (evaluation writes only changed checklists, a pack
whose content is already in force changes nothing, deliveries are claimed from the outbox).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from xborder.compliance.evidence import scan_expiring_evidence
from xborder.compliance.monitoring import deliver_alerts, load_rule_pack
from xborder.compliance.providers import AlertSender, SmtpSender, WebhookSender
from xborder.compliance.service import active_library, evaluate_catalog
from xborder.db import transaction
from xborder.jobs import ClaimedJob, JobHandler, ProgressReporter, RecurringJob
from xborder.kernel import Clock
from xborder.settings import AlertSettings

__all__ = ["DELIVER_JOB_KIND", "EVALUATE_JOB_KIND", "RULE_PACK_JOB_KIND", "alert_senders", "delivery_job_handler",
           "evaluation_job_handler", "recurring_jobs", "rule_pack_job_handler"]

EVALUATE_JOB_KIND = "compliance.evaluate"
RULE_PACK_JOB_KIND = "compliance.rule_pack"
DELIVER_JOB_KIND = "compliance.deliver_alerts"


def alert_senders(settings: AlertSettings) -> dict[str, AlertSender]:
    """Webhooks always; e-mail only with an SMTP host (else e-mail deliveries stay pending, never "sent")."""
    senders: dict[str, AlertSender] = {"webhook": WebhookSender(
        timeout_s=settings.timeout_seconds, allow_private_targets=settings.allow_private_webhooks)}
    if settings.smtp_host:
        senders["email"] = SmtpSender(host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from,
                                      username=settings.smtp_username, password=settings.smtp_password,
                                      starttls=settings.smtp_starttls, timeout_s=settings.timeout_seconds)
    return senders


def evaluation_job_handler(*, clock: Clock) -> JobHandler:
    """Payload `{markets?: [..], skus?: [..], on?: "YYYY-MM-DD"}`; one transaction per market, progress per market."""

    def handle(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> dict[str, Any]:
        payload = job.payload
        on = date.fromisoformat(payload["on"]) if payload.get("on") else clock.today()
        skus = payload.get("skus") or None
        with transaction(factory) as session:
            library = active_library(session)
            markets = [m.upper() for m in payload.get("markets") or library.markets()]
            library.rules_by_market(markets)  # an unknown market fails the job before anything is written
        progress(0, len(markets), None)
        evaluated = changed = 0
        for done, market in enumerate(markets, start=1):
            with transaction(factory) as session:
                summary = evaluate_catalog(session, organization_id=job.organization_id, on=on, clock=clock,
                                           markets=[market], skus=skus, library=library,
                                           cause=str(payload.get("cause") or "evaluation"))
            evaluated, changed = summary.evaluated, changed + len(summary.changed)
            progress(done, len(markets), f"{market}: {summary.evaluated} SKU(s)")
        return {"markets": markets, "on": on.isoformat(), "skus_evaluated": evaluated,
                "checklists_changed": changed, "rules_version": library.version}

    return handle


def rule_pack_job_handler(*, clock: Clock, senders: dict[str, AlertSender]) -> JobHandler:
    """Input: the uploaded pack file (or payload `{url}` for a feed). Progress counts organizations re-checked;
    the alerts it raises are sent right after the new version is committed."""

    def handle(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> dict[str, Any]:
        url = job.payload.get("url")
        source = str(url or job.input_filename or job.payload.get("filename") or "upload")
        with transaction(factory) as session:
            update = load_rule_pack(session, location=source, content=None if url else job.input or b"",
                                    clock=clock, progress=lambda done, total: progress(done, total, None))
        with transaction(factory) as session:
            report = deliver_alerts(session, senders=senders, clock=clock)
        return {"version": update.version, "previous_version": update.previous_version,
                "changes": [c.as_dict() for c in update.changes],
                "organizations_rechecked": sum(1 for n in update.reevaluated.values() if n),
                "skus_rechecked": sum(update.reevaluated.values()), "alerts": len(update.alerts),
                "deliveries": {"sent": report.sent, "retried": report.retried, "failed": report.failed}}

    return handle


def delivery_job_handler(*, clock: Clock, senders: dict[str, AlertSender], expiry_warning_days: int = 60
                         ) -> JobHandler:
    """Raise expiry alerts for documents lapsing within the window, then send every due delivery once.

    Payload `{expiry_scan: false}` (the frequent recurring run) only sends due deliveries.
    """

    def handle(factory: sessionmaker[Session], job: ClaimedJob, progress: ProgressReporter) -> dict[str, Any]:
        expiring: list[str] = []
        if job.payload.get("expiry_scan", True):
            with transaction(factory) as session:
                expiring = scan_expiring_evidence(session, today=clock.today(), within_days=expiry_warning_days)
        with transaction(factory) as session:
            report = deliver_alerts(session, senders=senders, clock=clock)
        progress(1, 1, None)
        return {"expiry_alerts": len(expiring), "sent": report.sent, "retried": report.retried,
                "failed": report.failed}

    return handle


def recurring_jobs(settings: AlertSettings) -> list[RecurringJob]:
    """Alert work nobody has to trigger: due deliveries and their retries every few minutes, and the evidence
    expiry scan (followed by a delivery round) every day. Bootstrap adds them to the job registry."""
    return [
        RecurringJob(kind=DELIVER_JOB_KIND, name="compliance.alert_retries",
                     every=timedelta(minutes=settings.retry_every_minutes), payload={"expiry_scan": False}),
        RecurringJob(kind=DELIVER_JOB_KIND, name="compliance.expiry_scan",
                     every=timedelta(hours=settings.expiry_scan_every_hours), payload={"expiry_scan": True}),
    ]
