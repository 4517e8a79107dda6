"""Job output files live in the database with the job: stored with the succeeded status, tenant-scoped, refused
with `jobs.no_output` until there is one, never on one host's disk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from xborder import identity, jobs
from xborder.db import transaction
from xborder.jobs.models import Job
from xborder.kernel import NotFound

CSV = "row,landed_cost\n2,293.22\n3,声悦\n".encode()


@pytest.fixture
def orgs(session_factory):
    with transaction(session_factory) as s:
        a = identity.create_organization(s, name="A", slug="a").id
        b = identity.create_organization(s, name="B", slug="b").id
    return a, b


def _enqueue(factory, org, clock, kind="test.export"):
    with transaction(factory) as s:
        return jobs.enqueue(s, organization_id=org, user_id=None, kind=kind, now=clock.now())


def _output(factory, org, job_id):
    with transaction(factory) as s:
        return jobs.get_job_output(s, organization_id=org, job_id=job_id)


def test_runner_stores_a_handler_output_with_the_result(session_factory, orgs, clock):
    a, b = orgs
    registry = jobs.HandlerRegistry()
    registry.register("test.export", lambda factory, job, progress: jobs.JobResult(
        {"rows": 2}, output=jobs.JobOutput(CSV, filename=f"export-{job.id}.csv", media_type="text/csv")))
    job = _enqueue(session_factory, a, clock)
    with pytest.raises(jobs.JobOutputMissing) as queued:
        _output(session_factory, a, job.id)
    assert queued.value.code == "jobs.no_output" and "queued" in queued.value.message
    assert jobs.run_one(session_factory, registry=registry, clock=clock, worker_id="w")
    output = _output(session_factory, a, job.id)
    assert (output.content, output.filename, output.media_type) == (CSV, f"export-{job.id}.csv", "text/csv")
    with transaction(session_factory) as s:
        view = jobs.get_job(s, organization_id=a, job_id=job.id)
        listed = jobs.list_jobs(s, organization_id=a).items[0]
    assert view.status == "succeeded" and view.result == {"rows": 2}
    assert view.output_filename == listed.output_filename == f"export-{job.id}.csv"
    with pytest.raises(NotFound):  # another organization's job: exactly like a missing one
        _output(session_factory, b, job.id)
    with pytest.raises(jobs.JobNotFound):
        _output(session_factory, a, "01NOSUCHJOB0000000000000000")


def test_listing_jobs_does_not_load_output_bytes(session_factory, orgs, clock):
    a, _ = orgs
    job = _enqueue(session_factory, a, clock)
    with transaction(session_factory) as s:
        jobs.claim_next(s, worker_id="w", now=clock.now())
        jobs.complete_job(s, job_id=job.id, worker_id="w", result={}, now=clock.now(),
                          output=jobs.JobOutput(CSV, filename="x.csv", media_type="text/csv"))
    with transaction(session_factory) as s:
        row = s.scalar(select(Job).where(Job.id == job.id))
        assert row is not None and "output" not in row.__dict__  # deferred: lists stay small
        assert row.output == CSV


def test_running_failed_and_fileless_jobs_have_no_output(session_factory, orgs, clock):
    a, _ = orgs
    running, failed, plain = (_enqueue(session_factory, a, clock) for _ in range(3))
    with transaction(session_factory) as s:
        for _ in range(3):
            jobs.claim_next(s, worker_id="w", now=clock.now())
        jobs.fail_job(s, job_id=failed.id, worker_id="w", now=clock.now(), error={"code": "x", "message": "bad"})
        jobs.complete_job(s, job_id=plain.id, worker_id="w", result={"ok": True}, now=clock.now())
    for job, words in ((running, "running"), (failed, "failed"), (plain, "produced no output")):
        with pytest.raises(jobs.JobOutputMissing) as missing:
            _output(session_factory, a, job.id)
        assert missing.value.code == "jobs.no_output" and words in missing.value.message
        assert missing.value.status_hint == 409 and missing.value.details[0].field == "job_id"


def test_a_worker_that_lost_its_job_stores_no_output(session_factory, orgs, clock):
    a, _ = orgs
    job = _enqueue(session_factory, a, clock)
    with transaction(session_factory) as s:
        jobs.claim_next(s, worker_id="crashed", now=clock.now())
    later = clock.now() + timedelta(minutes=10)
    with transaction(session_factory) as s:
        assert jobs.claim_next(s, worker_id="w2", now=later, stale_after=timedelta(seconds=60)) is not None
        assert not jobs.complete_job(s, job_id=job.id, worker_id="crashed", result={}, now=later,
                                     output=jobs.JobOutput(b"stale", filename="old.csv", media_type="text/csv"))
    with pytest.raises(jobs.JobOutputMissing):
        _output(session_factory, a, job.id)
