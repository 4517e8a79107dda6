"""The durable job table: queue, progress and outcome of long work (imports, exports) shared by every app host;
and the schedule table: when each recurring job is next due (see `jobs.schedule`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from xborder.db import Base, UtcDateTime, id_column, org_column
from xborder.kernel import utcnow

__all__ = ["Job", "Schedule"]

STATUSES = ("queued", "running", "succeeded", "failed")


class Job(Base):
    __tablename__ = "jobs_job"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name="status"),
        # The claim query: oldest queued job first; and the stale-lock sweep over running jobs.
        Index("ix_jobs_job_status_created_at", "status", "created_at"),
        Index("ix_jobs_job_organization_id_created_at", "organization_id", "created_at"),
    )

    id: Mapped[str] = id_column()
    organization_id: Mapped[str] = org_column()
    user_id: Mapped[str | None] = mapped_column(String(26), ForeignKey("identity_user.id", ondelete="SET NULL"),
                                                nullable=True)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Uploads live in the database, not on one host's disk: any worker on any host can run the job.
    input: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    input_filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # A produced file (a result CSV) lives here too, written with the succeeded status: any host can serve it.
    output: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    output_filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    output_media_type: Mapped[str | None] = mapped_column(String(127), nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    locked_by: Mapped[str | None] = mapped_column(String(128), nullable=True)


class Schedule(Base):
    """One row per recurring job: claimed by `UPDATE ... WHERE next_run_at <= now`, so however many runners on
    however many hosts look at it, one of them enqueues the job each period."""

    __tablename__ = "jobs_schedule"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    interval_seconds: Mapped[int] = mapped_column(Integer)
    next_run_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_job_id: Mapped[str | None] = mapped_column(String(26), nullable=True)  # no FK: jobs may be purged
    last_enqueued_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
