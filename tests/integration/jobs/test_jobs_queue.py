"""The DB-backed job queue on SQLite and PostgreSQL: claim, complete, fail, stale-lock recovery, concurrent claims."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from xborder import identity, jobs
from xborder.db import transaction
from xborder.jobs.models import Job
from xborder.kernel import NotFound, ValidationFailed


@pytest.fixture
def orgs(session_factory):
    with transaction(session_factory) as s:
        a = identity.create_organization(s, name="A", slug="a").id
        b = identity.create_organization(s, name="B", slug="b").id
    return a, b


def _enqueue(factory, org, clock, kind="test.echo", **kw):
    with transaction(factory) as s:
        return jobs.enqueue(s, organization_id=org, user_id=None, kind=kind, now=clock.now(), **kw)


def test_enqueue_claim_complete(session_factory, orgs, clock):
    org, _ = orgs
    job = _enqueue(session_factory, org, clock, payload={"n": 2}, input=b"sku,title\n", input_filename="a.csv")
    assert job.status == "queued" and job.attempts == 0
    with transaction(session_factory) as s:
        claimed = jobs.claim_next(s, worker_id="w1", now=clock.now())
    assert claimed is not None and claimed.id == job.id and claimed.input == b"sku,title\n"
    assert claimed.payload == {"n": 2} and claimed.attempts == 1
    with transaction(session_factory) as s:
        assert jobs.claim_next(s, worker_id="w2", now=clock.now()) is None
        assert jobs.record_progress(s, job_id=job.id, worker_id="w1", done=5, total=10, message="half",
                                    now=clock.now())
        assert not jobs.complete_job(s, job_id=job.id, worker_id="w2", result={}, now=clock.now())
        assert jobs.complete_job(s, job_id=job.id, worker_id="w1", result={"ok": True}, now=clock.now())
    with transaction(session_factory) as s:
        done = jobs.get_job(s, organization_id=org, job_id=job.id)
    assert done.status == "succeeded" and done.result == {"ok": True} and done.progress_done == 10  # 100% when done


def test_fail_records_error_details(session_factory, orgs, clock):
    org, _ = orgs
    job = _enqueue(session_factory, org, clock)
    with transaction(session_factory) as s:
        jobs.claim_next(s, worker_id="w1", now=clock.now())
        jobs.fail_job(s, job_id=job.id, worker_id="w1", now=clock.now(),
                      error={"code": "validation_failed", "message": "bad", "details": [{"row": 2}]})
    with transaction(session_factory) as s:
        failed = jobs.get_job(s, organization_id=org, job_id=job.id)
    assert failed.status == "failed" and failed.error["details"] == [{"row": 2}]


def test_jobs_are_invisible_across_organizations(session_factory, orgs, clock):
    a, b = orgs
    job = _enqueue(session_factory, a, clock)
    with transaction(session_factory) as s:
        with pytest.raises(NotFound):
            jobs.get_job(s, organization_id=b, job_id=job.id)
        assert jobs.list_jobs(s, organization_id=b).items == []
        assert [j.id for j in jobs.list_jobs(s, organization_id=a).items] == [job.id]


def test_list_jobs_walks_pages(session_factory, orgs, clock):
    org, _ = orgs
    ids = {_enqueue(session_factory, org, clock).id for _ in range(7)}
    seen, cursor = [], None
    with transaction(session_factory) as s:
        while True:
            page = jobs.list_jobs(s, organization_id=org, cursor=cursor, limit=3)
            seen += [j.id for j in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        with pytest.raises(ValidationFailed):
            jobs.list_jobs(s, organization_id=org, cursor="garbage")
    assert len(seen) == 7 and set(seen) == ids and seen == sorted(seen, reverse=True)


def test_stale_running_job_is_requeued_after_a_crash(session_factory, orgs, clock):
    org, _ = orgs
    job = _enqueue(session_factory, org, clock)
    with transaction(session_factory) as s:
        assert jobs.claim_next(s, worker_id="crashed", now=clock.now()) is not None
    # The worker dies: no heartbeat. Before the stale window nobody may take the job...
    soon = clock.now() + timedelta(seconds=60)
    with transaction(session_factory) as s:
        assert jobs.claim_next(s, worker_id="w2", now=soon, stale_after=timedelta(seconds=120)) is None
    # ...after it, the next claim requeues and takes it, and the dead worker can no longer finish it.
    later = clock.now() + timedelta(seconds=180)
    with transaction(session_factory) as s:
        again = jobs.claim_next(s, worker_id="w2", now=later, stale_after=timedelta(seconds=120))
    assert again is not None and again.id == job.id and again.attempts == 2
    with transaction(session_factory) as s:
        assert not jobs.complete_job(s, job_id=job.id, worker_id="crashed", result={}, now=later)
        assert jobs.complete_job(s, job_id=job.id, worker_id="w2", result={"n": 1}, now=later)


def test_job_out_of_attempts_fails_instead_of_looping(session_factory, orgs, clock):
    org, _ = orgs
    job = _enqueue(session_factory, org, clock, max_attempts=1)
    with transaction(session_factory) as s:
        jobs.claim_next(s, worker_id="crashed", now=clock.now())
    with transaction(session_factory) as s:
        assert jobs.claim_next(s, worker_id="w2", now=clock.now() + timedelta(hours=1)) is None
        assert jobs.get_job(s, organization_id=org, job_id=job.id).error["code"] == "jobs.abandoned"


def test_concurrent_claimers_never_share_a_job(session_factory, orgs, clock):
    org, _ = orgs
    total = 40
    for _ in range(total):
        _enqueue(session_factory, org, clock)
    taken: list[tuple[str, str]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            while True:
                with transaction(session_factory) as s:
                    job = jobs.claim_next(s, worker_id=name, now=clock.now())
                if job is None:
                    return
                with lock:
                    taken.append((job.id, name))
        except BaseException as exc:  # surfaced below; a thread exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    ids = [job_id for job_id, _ in taken]
    assert len(ids) == total and len(set(ids)) == total
    with transaction(session_factory) as s:
        rows = s.execute(select(Job.id, Job.locked_by, Job.attempts)).all()
    assert all(attempts == 1 for _, _, attempts in rows)
    assert dict((i, w) for i, w in taken) == {i: w for i, w, _ in rows}


def test_runner_executes_handlers_and_reports_failures(session_factory, orgs, clock):
    org, _ = orgs
    registry = jobs.HandlerRegistry()
    seen_progress = []

    def echo(factory, job, progress):
        for i in range(1, 4):
            progress(i, 3, f"step {i}")
            seen_progress.append(i)
        return {"echo": job.payload["say"], "bytes": len(job.input or b"")}

    def broken(factory, job, progress):
        raise ValidationFailed("row 3: bad", details=[])

    registry.register("test.echo", echo)
    registry.register("test.broken", broken)
    ok = _enqueue(session_factory, org, clock, payload={"say": "hi"}, input=b"12345")
    bad = _enqueue(session_factory, org, clock, kind="test.broken")
    config = jobs.RunnerConfig(progress_min_interval_seconds=0)
    assert jobs.run_one(session_factory, registry=registry, clock=clock, worker_id="w", config=config)
    assert jobs.run_one(session_factory, registry=registry, clock=clock, worker_id="w", config=config)
    assert not jobs.run_one(session_factory, registry=registry, clock=clock, worker_id="w", config=config)
    with transaction(session_factory) as s:
        done = jobs.get_job(s, organization_id=org, job_id=ok.id)
        failed = jobs.get_job(s, organization_id=org, job_id=bad.id)
    assert done.status == "succeeded" and done.result == {"echo": "hi", "bytes": 5}
    assert (done.progress_done, done.progress_total) == (3, 3) and seen_progress == [1, 2, 3]
    assert failed.status == "failed" and failed.error["code"] == "validation_failed"


def test_in_process_runner_starts_and_stops_cleanly(session_factory, orgs, clock):
    org, _ = orgs
    registry = jobs.HandlerRegistry()
    finished = threading.Event()

    def handler(factory, job, progress):
        finished.set()
        return {}

    registry.register("test.echo", handler)
    runner = jobs.InProcessRunner(session_factory, registry=registry, clock=clock,
                                  config=jobs.RunnerConfig(poll_min_seconds=0.05, poll_max_seconds=0.1))
    runner.start()
    try:
        job = _enqueue(session_factory, org, clock)
        runner.wake()
        assert finished.wait(10)
    finally:
        runner.stop(timeout=10)
    assert not runner.running
    with transaction(session_factory) as s:
        assert jobs.get_job(s, organization_id=org, job_id=job.id).status == "succeeded"
