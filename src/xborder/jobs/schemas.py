"""Job values: what the API shows (JobView) and what a handler receives (ClaimedJob, with the input bytes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["ClaimedJob", "JobHandler", "JobView", "ProgressReporter"]


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


ProgressReporter = Callable[[int, "int | None", "str | None"], None]
JobHandler = Callable[[sessionmaker[Session], ClaimedJob, ProgressReporter], dict[str, Any]]
