"""Job values: what the API shows (JobView), what a handler receives (ClaimedJob, with the input bytes) and what
it may hand back besides its summary (JobResult with a JobOutput file)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["ClaimedJob", "JobHandler", "JobOutput", "JobResult", "JobView", "ProgressReporter"]


class JobView(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: str
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress_done: int
    progress_total: int | None
    message: str | None
    payload: dict[str, Any]
    input_filename: str | None
    output_filename: str | None = None  # set once a succeeded job has a file to download
    output_media_type: str | None = None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    user_id: str | None


@dataclass(frozen=True)
class ClaimedJob:
    """A job this worker holds the lock on; `input` is the uploaded file, when there is one."""

    id: str
    organization_id: str
    user_id: str | None
    kind: str
    payload: dict[str, Any]
    attempts: int
    input_filename: str | None = None
    input: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class JobOutput:
    """A file a job produced (e.g. a result CSV), kept in the database with the job, never on one host's disk."""

    content: bytes = field(repr=False)
    filename: str
    media_type: str


@dataclass(frozen=True)
class JobResult:
    """What a handler returns when it produced a file: the summary (`JobView.result`) and the file, stored together
    with the succeeded status. A handler with no file may return the summary dict alone."""

    result: dict[str, Any]
    output: JobOutput | None = None


ProgressReporter = Callable[[int, "int | None", "str | None"], None]
JobHandler = Callable[[sessionmaker[Session], ClaimedJob, ProgressReporter], "dict[str, Any] | JobResult"]
