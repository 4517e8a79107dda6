"""Recurring jobs on SQLite and PostgreSQL: one enqueue per period however many schedulers race for it, no pile-up
behind a job still queued, system jobs owned by the platform organization, and runners that tick."""

from __future__ import annotations

import threading
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from xborder import identity, jobs
from xborder.db import transaction
from xborder.jobs.models import Job, Schedule
from xborder.kernel import FixedClock, ValidationFailed

EVERY = timedelta(minutes=5)
RETRY = jobs.RecurringJob(kind="test.tick", every=EVERY, payload={"n": 1}, name="test.retries")


@pytest.fixture
def platform(session_factory) -> str:
    with transaction(session_factory) as s:
        identity.create_organization(s, name="Seller", slug="seller")
        return identity.create_organization(s, name="Platform", slug="platform", kind="platform").id


def _scheduler(factory, clock, worker_id: str, schedules=(RETRY,)) -> jobs.Scheduler:
    return jobs.Scheduler(factory, schedules=schedules, clock=clock, worker_id=worker_id, check_seconds=0)


def _jobs(factory) -> list[Job]:
    with factory() as s:
        return list(s.scalars(select(Job).order_by(Job.created_at, Job.id)))


def test_first_run_one_interval_after_creation_then_once_per_period(session_factory, platform, clock) -> None:
    later = FixedClock(clock.at)
    scheduler = _scheduler(session_factory, later, "w1")
    assert scheduler.tick() == []  # row created, due in five minutes
    later.at = clock.at + EVERY - timedelta(seconds=1)
    assert scheduler.tick() == []
    later.at = clock.at + EVERY
    (job_id,) = scheduler.tick()
    assert scheduler.tick() == []  # the period is taken
    (job,) = _jobs(session_factory)
    assert (job.id, job.kind, job.organization_id, job.user_id) == (job_id, "test.tick", platform, None)
    assert job.payload == {"n": 1, "schedule": "test.retries"}
    with session_factory() as s:
        row = s.get(Schedule, "test.retries")
    assert row is not None and row.next_run_at == later.at + EVERY and row.last_job_id == job_id
    assert row.last_enqueued_by == "w1"


def test_concurrent_schedulers_enqueue_each_period_once(session_factory, platform, clock) -> None:
    shared = FixedClock(clock.at)
    schedulers = [_scheduler(session_factory, shared, f"host{i}") for i in range(4)]
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def race(scheduler: jobs.Scheduler, barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(scheduler.tick())
        except BaseException as exc:
            errors.append(exc)

    for period in range(4):  # the first round creates the rows concurrently
        barrier = threading.Barrier(len(schedulers))
        threads = [threading.Thread(target=race, args=(s, barrier)) for s in schedulers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert not errors, errors
        with transaction(session_factory) as s:  # each job finishes before the next period
            s.execute(Job.__table__.update().values(status="succeeded"))
        shared.at = clock.at + EVERY * (period + 1)
    enqueued = [job_id for r in results for job_id in r]
    assert len(enqueued) == 3 == len(set(enqueued)) == len(_jobs(session_factory))


def test_a_claimed_period_is_not_claimed_again_even_when_its_job_finished(session_factory, platform,
                                                                         clock) -> None:
    # the claim alone (not the no-pile-up rule) keeps a second runner from enqueuing in the same period
    with transaction(session_factory) as s:
        jobs.ensure_schedules(s, schedules=[RETRY], now=clock.at - EVERY)
    with transaction(session_factory) as s:
        assert jobs.enqueue_due(s, schedule=RETRY, now=clock.now(), worker_id="a") is not None
    with transaction(session_factory) as s:
        s.execute(Job.__table__.update().values(status="succeeded"))
    with transaction(session_factory) as s:
        assert jobs.enqueue_due(s, schedule=RETRY, now=clock.now(), worker_id="b") is None
        assert jobs.enqueue_due(s, schedule=RETRY, now=clock.now() + EVERY, worker_id="b") is not None


def test_no_pile_up_behind_a_job_still_queued(session_factory, platform, clock) -> None:
    now = FixedClock(clock.at)
    scheduler = _scheduler(session_factory, now, "w1")
    scheduler.tick()
    now.at += EVERY
    assert len(scheduler.tick()) == 1
    now.at += EVERY
    assert scheduler.tick() == []  # nobody ran the first one yet: skipped, and the period advances
    with session_factory() as s:
        assert s.get(Schedule, "test.retries").next_run_at == now.at + EVERY
    with transaction(session_factory) as s:
        s.execute(Job.__table__.update().values(status="succeeded"))
    now.at += EVERY
    assert len(scheduler.tick()) == 1


def test_owner_is_the_platform_organization_or_the_only_one(session_factory, clock) -> None:
    with transaction(session_factory) as s:
        assert jobs.platform_organization(s) is None  # empty install: the period is skipped
        only = identity.create_organization(s, name="Solo", slug="solo").id
        assert jobs.platform_organization(s) == only
        identity.create_organization(s, name="Other", slug="other")
        assert jobs.platform_organization(s) is None  # never a seller's job list for cross-tenant work
        platform = identity.create_organization(s, name="Ops", slug="ops", kind="platform").id
        assert jobs.platform_organization(s) == platform


def test_skipped_without_owner_still_advances(session_factory, clock) -> None:
    now = FixedClock(clock.at)
    scheduler = _scheduler(session_factory, now, "w1")
    scheduler.tick()
    now.at += EVERY
    assert scheduler.tick() == []
    with session_factory() as s:
        assert s.get(Schedule, "test.retries").next_run_at == now.at + EVERY
        assert s.scalar(select(func.count()).select_from(Job)) == 0


def test_shorter_interval_moves_the_next_run_earlier(session_factory, platform, clock) -> None:
    daily = jobs.RecurringJob(kind="test.tick", every=timedelta(days=1), name="test.scan")
    _scheduler(session_factory, clock, "w1", schedules=(daily,)).tick()
    hourly = jobs.RecurringJob(kind="test.tick", every=timedelta(hours=1), name="test.scan")
    _scheduler(session_factory, clock, "w2", schedules=(hourly,)).tick()
    with session_factory() as s:
        row = s.get(Schedule, "test.scan")
    assert row is not None and row.interval_seconds == 3600 and row.next_run_at == clock.at + timedelta(hours=1)


def test_recurring_job_definitions_are_checked() -> None:
    with pytest.raises(ValidationFailed, match="interval"):
        jobs.RecurringJob(kind="x", every=timedelta(0))
    registry = jobs.HandlerRegistry()
    registry.schedule("b.kind", every=EVERY)
    registry.schedule("a.kind", every=EVERY, name="a.fast", payload={"fast": True})
    assert [(r.name, r.kind, r.payload) for r in registry.schedules] == [("a.fast", "a.kind", {"fast": True}),
                                                                          ("b.kind", "b.kind", {})]


def test_worker_enqueues_due_recurring_jobs_and_runs_them(session_factory, platform, clock) -> None:
    ran: list[dict[str, Any]] = []
    registry = jobs.HandlerRegistry()
    registry.register("test.tick", lambda f, job, p: ran.append(job.payload) or {"ok": True})
    registry.add_schedule(RETRY)
    registry.schedule("test.unhandled", every=EVERY)  # no handler here: never enqueued by this worker
    with transaction(session_factory) as s:  # rows created a period ago: due now
        jobs.ensure_schedules(s, schedules=registry.schedules, now=clock.at - EVERY)
    container = SimpleNamespace(session_factory=session_factory, clock=clock, job_handlers=registry)
    assert jobs.run_worker(container, once=True, config=jobs.RunnerConfig(schedule_check_seconds=0)) == 1
    assert ran == [{"n": 1, "schedule": "test.retries"}]
    assert [j.kind for j in _jobs(session_factory)] == ["test.tick"]


def test_in_process_runner_ticks(session_factory, platform, clock) -> None:
    done = threading.Event()
    registry = jobs.HandlerRegistry()
    registry.register("test.tick", lambda f, job, p: done.set() or {})
    registry.add_schedule(RETRY)
    with transaction(session_factory) as s:
        jobs.ensure_schedules(s, schedules=registry.schedules, now=clock.at - EVERY)
    runner = jobs.InProcessRunner(session_factory, registry=registry, clock=clock,
                                  config=jobs.RunnerConfig(schedule_check_seconds=0, poll_max_seconds=0.2))
    runner.start()
    try:
        assert done.wait(20)
    finally:
        runner.stop()
