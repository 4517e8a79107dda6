"""Recurring jobs: definitions (name, kind, interval) registered in bootstrap, enqueued once per period by whichever
runner or worker first claims the period in `jobs_schedule` — an atomic UPDATE ... WHERE next_run_at <= now.

Every runner and worker ticks; the guarded UPDATE lets exactly one of them win each period on SQLite (writes are
serialized) and PostgreSQL (a concurrent UPDATE re-checks the WHERE on the committed row and matches nothing).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from xborder.db import transaction
from xborder.identity.models import Organization
from xborder.jobs import service
from xborder.jobs.models import Job, Schedule
from xborder.kernel import Clock, ErrorDetail, ValidationFailed

__all__ = ["OwnerResolver", "RecurringJob", "Scheduler", "enqueue_due", "ensure_schedules",
           "platform_organization"]

log = logging.getLogger(__name__)

OwnerResolver = Callable[[Session], "str | None"]


@dataclass(frozen=True)
class RecurringJob:
    """Enqueue a job of `kind` with `payload` every `every`; `name` (default: the kind) keys its schedule row.

    The first run is one interval after the row is first created, so a fresh install or a test app does not fire
    every recurring job the moment it starts.
    """

    kind: str
    every: timedelta
    payload: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            raise ValidationFailed("a recurring job needs a kind", details=[ErrorDetail("required", field="kind")])
        if self.every < timedelta(seconds=1):
            raise ValidationFailed(f"recurring job {self.kind!r}: interval must be at least one second",
                                   details=[ErrorDetail("interval below one second", field="every")])
        if not self.name:
            object.__setattr__(self, "name", self.kind)

    @property
    def interval_seconds(self) -> int:
        return int(self.every.total_seconds())


def platform_organization(session: Session) -> str | None:
    """Who owns system jobs: the (oldest) platform organization; on a single-organization install, that one.

    With several seller organizations and no platform organization it is None (the period is skipped): a seller
    must not see cross-tenant job summaries in its job list.
    """
    platform = session.scalar(select(Organization.id).where(Organization.kind == "platform")
                              .order_by(Organization.created_at, Organization.id).limit(1))
    if platform is not None:
        return platform
    ids = session.scalars(select(Organization.id).limit(2)).all()
    return ids[0] if len(ids) == 1 else None


def ensure_schedules(session: Session, *, schedules: Sequence[RecurringJob], now: datetime) -> None:
    """Create missing schedule rows (first run one interval from now) and apply changed intervals (the next run
    moves earlier when the new interval is shorter). The caller commits; a concurrent creator wins with
    IntegrityError, which the caller may ignore."""
    for spec in schedules:
        row = session.get(Schedule, spec.name)
        if row is None:
            session.add(Schedule(name=spec.name, kind=spec.kind, interval_seconds=spec.interval_seconds,
                                 next_run_at=now + spec.every))
            session.flush()
            continue
        if row.interval_seconds != spec.interval_seconds or row.kind != spec.kind:
            cap = now + spec.every
            session.execute(update(Schedule).where(Schedule.name == spec.name).values(
                kind=spec.kind, interval_seconds=spec.interval_seconds,
                next_run_at=case((Schedule.next_run_at > cap, cap), else_=Schedule.next_run_at))
                .execution_options(synchronize_session=False))


def enqueue_due(session: Session, *, schedule: RecurringJob, now: datetime, worker_id: str,
                owner: OwnerResolver = platform_organization) -> str | None:
    """Claim this period of `schedule` and enqueue its job; the new job id, or None when the period is not due,
    another runner claimed it, or the previous job is still queued/running (no pile-up) or nobody owns it.

    The caller commits: the claim and the job are one transaction.
    """
    claimed = session.execute(
        update(Schedule).where(Schedule.name == schedule.name, Schedule.next_run_at <= now)
        .values(next_run_at=now + schedule.every, last_run_at=now, last_enqueued_by=worker_id[:128])
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    last_job_id = session.scalar(select(Schedule.last_job_id).where(Schedule.name == schedule.name))
    if last_job_id is not None:
        status = session.scalar(select(Job.status).where(Job.id == last_job_id))
        if status in ("queued", "running"):
            log.info("recurring job %s: previous job %s still %s; period skipped", schedule.name, last_job_id,
                     status)
            return None
    organization_id = owner(session)
    if organization_id is None:
        log.warning("recurring job %s skipped: no organization owns system jobs (create a platform organization)",
                    schedule.name)
        return None
    job = service.enqueue(session, organization_id=organization_id, user_id=None, kind=schedule.kind, now=now,
                          payload={**schedule.payload, "schedule": schedule.name})
    session.execute(update(Schedule).where(Schedule.name == schedule.name).values(last_job_id=job.id)
                    .execution_options(synchronize_session=False))
    return job.id


class Scheduler:
    """What a runner or worker calls between jobs: `maybe_tick()` looks at the schedule at most every
    `check_seconds`; `tick()` enqueues every due job now (each schedule in its own short transaction)."""

    def __init__(self, factory: sessionmaker[Session], *, schedules: Sequence[RecurringJob], clock: Clock,
                 worker_id: str, owner: OwnerResolver = platform_organization, check_seconds: float = 30.0) -> None:
        self._factory, self._schedules, self._clock = factory, tuple(schedules), clock
        self._worker_id, self._owner, self._check_seconds = worker_id, owner, check_seconds
        self._ensured = False
        self._next_check = 0.0

    @property
    def schedules(self) -> tuple[RecurringJob, ...]:
        return self._schedules

    def maybe_tick(self) -> list[str]:
        if not self._schedules or time.monotonic() < self._next_check:
            return []
        self._next_check = time.monotonic() + self._check_seconds
        return self.tick()

    def tick(self) -> list[str]:
        """Enqueue the due recurring jobs; returns the ids of the jobs this scheduler enqueued."""
        if not self._ensured:
            for spec in self._schedules:  # one transaction each: losing one creation race skips no other row
                try:
                    with transaction(self._factory) as session:
                        ensure_schedules(session, schedules=[spec], now=self._clock.now())
                except IntegrityError:
                    log.debug("schedule %s created concurrently by another runner", spec.name)
            self._ensured = True
        enqueued: list[str] = []
        for spec in self._schedules:
            with transaction(self._factory) as session:
                job_id = enqueue_due(session, schedule=spec, now=self._clock.now(), worker_id=self._worker_id,
                                     owner=self._owner)
            if job_id is not None:
                log.info("recurring job %s enqueued as %s", spec.name, job_id)
                enqueued.append(job_id)
        return enqueued

