"""Queue operations on jobs_job: enqueue, read (tenant-scoped), claim, progress, heartbeat, finish (with an optional
output file), stale recovery.

`claim_next` uses SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so many workers on many hosts share one
queue; the conditional UPDATE that follows (status still 'queued') makes the claim atomic on SQLite too.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Update, func, select, update
from sqlalchemy.orm import Session, undefer

from xborder.jobs.errors import JobNotFound, JobOutputMissing
from xborder.jobs.models import Job
from xborder.jobs.schemas import ClaimedJob, JobOutput, JobView
from xborder.kernel import ErrorDetail, Page, ValidationFailed, decode_cursor, encode_cursor

__all__ = [
    "claim_next",
    "complete_job",
    "enqueue",
    "fail_job",
    "get_job",
    "get_job_output",
    "heartbeat",
    "list_jobs",
    "record_progress",
    "requeue_stale",
]

DEFAULT_STALE_AFTER = timedelta(seconds=300)
MAX_LIST_LIMIT = 200
_CLAIM_RETRIES = 5

# Fresher progress of jobs running in this process; SQLite may refuse a progress write while an import holds
# the write lock, and the embedded runner shares this process with the web app that reads it.
_live_lock = threading.Lock()
_live_progress: dict[str, tuple[int, int | None, str | None]] = {}


def enqueue(session: Session, *, organization_id: str, user_id: str | None, kind: str, now: datetime,
            payload: dict[str, Any] | None = None, input: bytes | None = None,
            input_filename: str | None = None, max_attempts: int = 3) -> JobView:
    if not kind:
        raise ValidationFailed("job kind is required", details=[ErrorDetail("required", field="kind")])
    job = Job(organization_id=organization_id, user_id=user_id, kind=kind, status="queued", payload=payload or {},
              input=input, input_filename=input_filename, created_at=now, attempts=0, max_attempts=max_attempts,
              progress_done=0)
    session.add(job)
    session.flush()
    return JobView.model_validate(job)


def _view(job: Job) -> JobView:
    view = JobView.model_validate(job)
    if job.status == "running":
        with _live_lock:
            live = _live_progress.get(job.id)
        if live is not None and live[0] >= job.progress_done:
            view = view.model_copy(update={"progress_done": live[0], "progress_total": live[1],
                                           "message": live[2] if live[2] is not None else view.message})
    return view


def get_job(session: Session, *, organization_id: str, job_id: str) -> JobView:
    """A job of this organization; another organization's job is NotFound, exactly like a missing one."""
    job = session.scalar(select(Job).where(Job.id == job_id, Job.organization_id == organization_id))
    if job is None:
        raise JobNotFound(f"job {job_id!r} not found")
    return _view(job)


def get_job_output(session: Session, *, organization_id: str, job_id: str) -> JobOutput:
    """The file a succeeded job of this organization produced. Another organization's job is NotFound; a job that
    is not finished, failed or produced no file raises JobOutputMissing (`jobs.no_output`) naming its status."""
    job = session.scalar(select(Job).options(undefer(Job.output))
                         .where(Job.id == job_id, Job.organization_id == organization_id))
    if job is None:
        raise JobNotFound(f"job {job_id!r} not found")
    if job.status != "succeeded" or job.output is None:
        reason = {"queued": "is queued; it has no output yet", "running": "is running; it has no output yet",
                  "failed": "failed; it has no output"}.get(job.status, "produced no output")
        raise JobOutputMissing(f"job {job_id} {reason}", details=[
            ErrorDetail(f"job status {job.status}", field="job_id", code="jobs.no_output")])
    return JobOutput(content=job.output, filename=job.output_filename or f"job-{job.id}",
                     media_type=job.output_media_type or "application/octet-stream")


def list_jobs(session: Session, *, organization_id: str, kind: str | None = None, status: str | None = None,
              cursor: str | None = None, limit: int = 50) -> Page[JobView]:
    """Newest first (ids are time-sortable), keyset-paginated."""
    limit = max(1, min(limit, MAX_LIST_LIMIT))
    query = select(Job).where(Job.organization_id == organization_id)
    if kind:
        query = query.where(Job.kind == kind)
    if status:
        query = query.where(Job.status == status)
    if cursor:
        query = query.where(Job.id < _cursor_id(cursor))
    rows = list(session.scalars(query.order_by(Job.id.desc()).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return Page(items=[_view(r) for r in rows[:limit]], next_cursor=next_cursor)


def _cursor_id(cursor: str) -> str:
    key = decode_cursor(cursor)
    if len(key) != 1 or not isinstance(key[0], str):
        raise ValidationFailed("cursor: not a cursor returned by this API", code="invalid_cursor",
                               details=[ErrorDetail("unknown cursor", field="cursor", code="invalid_cursor")])
    return key[0]


def requeue_stale(session: Session, *, now: datetime, stale_after: timedelta = DEFAULT_STALE_AFTER) -> int:
    """Put running jobs whose worker stopped heart-beating back in the queue (or fail them when out of attempts).

    This is how a job survives a crash or restart: handlers are written to be safe to re-run.
    """
    cutoff = now - stale_after
    stale = (Job.status == "running") & (Job.heartbeat_at < cutoff)
    failed = _rows_updated(session, update(Job).where(stale, Job.attempts >= Job.max_attempts)
                           .values(status="failed", finished_at=now, locked_by=None,
                                   error={"code": "jobs.abandoned",
                                          "message": "the worker stopped responding too many times",
                                          "details": []}))
    requeued = _rows_updated(session, update(Job).where(stale, Job.attempts < Job.max_attempts)
                             .values(status="queued", locked_by=None,
                                     message="requeued after the worker stopped responding"))
    return requeued + failed


def claim_next(session: Session, *, worker_id: str, now: datetime, kinds: list[str] | None = None,
               stale_after: timedelta = DEFAULT_STALE_AFTER) -> ClaimedJob | None:
    """Lock the oldest queued job for this worker, or None when the queue is empty. The caller commits."""
    requeue_stale(session, now=now, stale_after=stale_after)
    for _ in range(_CLAIM_RETRIES):
        query = select(Job.id).where(Job.status == "queued")
        if kinds:
            query = query.where(Job.kind.in_(kinds))
        # FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite ignores it and relies on the guarded UPDATE below.
        candidate = session.scalar(query.order_by(Job.created_at, Job.id).limit(1)
                                   .with_for_update(skip_locked=True))
        if candidate is None:
            return None
        claimed = _rows_updated(session, update(Job).where(Job.id == candidate, Job.status == "queued")
                                .values(status="running", locked_by=worker_id, started_at=now, heartbeat_at=now,
                                        attempts=Job.attempts + 1, error=None))
        if claimed == 1:
            job = session.scalar(select(Job).options(undefer(Job.input)).where(Job.id == candidate)
                                 .execution_options(populate_existing=True))
            assert job is not None
            return ClaimedJob(id=job.id, organization_id=job.organization_id, user_id=job.user_id, kind=job.kind,
                              payload=dict(job.payload or {}), attempts=job.attempts,
                              input_filename=job.input_filename, input=job.input)
    return None


def _owned(job_id: str, worker_id: str) -> Any:
    return (Job.id == job_id) & (Job.status == "running") & (Job.locked_by == worker_id)


def _rows_updated(session: Session, statement: Update) -> int:
    """Run a guarded UPDATE without syncing the identity map (callers re-read what they need); rows it matched."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    # Session.execute is typed for any statement; an UPDATE always yields a CursorResult, which has rowcount.
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)


def heartbeat(session: Session, *, job_id: str, worker_id: str, now: datetime) -> bool:
    """Prove this worker is alive; False means the job was taken away (requeued as stale)."""
    return _rows_updated(session, update(Job).where(_owned(job_id, worker_id)).values(heartbeat_at=now)) == 1


def remember_live_progress(job_id: str, done: int, total: int | None, message: str | None) -> None:
    with _live_lock:
        _live_progress[job_id] = (done, total, message)


def forget_live_progress(job_id: str) -> None:
    with _live_lock:
        _live_progress.pop(job_id, None)


def record_progress(session: Session, *, job_id: str, worker_id: str, done: int, total: int | None,
                    message: str | None, now: datetime) -> bool:
    values: dict[str, Any] = {"progress_done": done, "progress_total": total, "heartbeat_at": now}
    if message is not None:
        values["message"] = message[:2000]
    return _rows_updated(session, update(Job).where(_owned(job_id, worker_id)).values(**values)) == 1


def complete_job(session: Session, *, job_id: str, worker_id: str, result: dict[str, Any], now: datetime,
                 message: str | None = None, output: JobOutput | None = None) -> bool:
    """Mark the job succeeded with its summary and, when given, its output file, in one guarded UPDATE: a reader
    never sees a half-written file, and a worker that lost the job (requeued as stale) stores nothing."""
    # A finished job is at 100% even when the handler's last progress report was throttled away.
    values: dict[str, Any] = {"status": "succeeded", "result": result, "finished_at": now, "heartbeat_at": now,
                              "locked_by": None, "progress_done": func.coalesce(Job.progress_total, Job.progress_done)}
    if output is not None:
        values.update(output=output.content, output_filename=output.filename[:255],
                      output_media_type=output.media_type[:127])
    if message is not None:
        values["message"] = message
    return _rows_updated(session, update(Job).where(_owned(job_id, worker_id)).values(**values)) == 1


def fail_job(session: Session, *, job_id: str, worker_id: str, error: dict[str, Any], now: datetime) -> bool:
    return _rows_updated(session, update(Job).where(_owned(job_id, worker_id))
                         .values(status="failed", error=error, finished_at=now, heartbeat_at=now, locked_by=None,
                                 message=str(error.get("message", ""))[:2000])) == 1
