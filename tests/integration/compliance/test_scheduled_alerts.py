"""Alert work on a schedule: bootstrap registers delivery retries (minutes) and a daily expiry scan; a worker
enqueues and runs them with nobody pressing a button."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import compliance, jobs
from xborder.bootstrap import bootstrap
from xborder.db import transaction
from xborder.jobs.models import Job
from xborder.settings import AlertSettings

from .conftest import PDF


def test_bootstrap_registers_the_recurring_alert_jobs(settings) -> None:
    container = bootstrap(settings.model_copy(update={"alerts": AlertSettings(retry_every_minutes=2)}))
    try:
        schedules = {r.name: r for r in container.job_handlers.schedules}
    finally:
        container.engine.dispose()
    assert schedules["compliance.alert_retries"].every == timedelta(minutes=2)
    assert schedules["compliance.alert_retries"].payload == {"expiry_scan": False}
    assert schedules["compliance.expiry_scan"].every == timedelta(days=1)
    assert {r.kind for r in schedules.values()} == {compliance.DELIVER_JOB_KIND}


def test_worker_runs_retries_and_the_daily_expiry_scan(settings, session: Session, seller: str, clock) -> None:
    compliance.upload_evidence(session, organization_id=seller, filename="red.pdf", content=PDF,
                               evidence_type="certificate", scheme="ce-red", issuer="Lab",
                               issued_on=clock.today() - timedelta(days=300),
                               expires_on=clock.today() + timedelta(days=20), today=clock.today(),
                               skus=["SPK-01"])
    session.commit()
    container = bootstrap(settings, clock=clock)
    try:
        with transaction(container.session_factory) as s:  # both schedules were created a day ago: due now
            jobs.ensure_schedules(s, schedules=container.job_handlers.schedules, now=clock.now() - timedelta(days=1))
        ran = jobs.run_worker(container, once=True, config=jobs.RunnerConfig(schedule_check_seconds=0))
        assert ran == 2
        with container.session_factory() as s:
            done = {j.payload["schedule"]: j for j in s.scalars(select(Job))}
        assert done["compliance.alert_retries"].organization_id == seller  # the only organization owns them
        assert done["compliance.alert_retries"].result["expiry_alerts"] == 0  # retries only
        assert done["compliance.expiry_scan"].result["expiry_alerts"] == 1
        assert {j.status for j in done.values()} == {"succeeded"}
        with container.session_factory() as s:
            (alert,) = compliance.list_alerts(s, organization_id=seller)
        assert alert.kind == "evidence_expiring"
        assert jobs.run_worker(container, once=True, config=jobs.RunnerConfig(schedule_check_seconds=0)) == 0
    finally:
        container.engine.dispose()
