"""Job errors with stable codes."""

from __future__ import annotations

from xborder.kernel import Conflict, DomainError, NotFound

__all__ = ["JobNotFound", "JobOutputMissing", "UnknownJobKind"]


class JobNotFound(NotFound):
    code = "jobs.not_found"


class UnknownJobKind(DomainError):
    code = "jobs.unknown_kind"
    status_hint = 500


class JobOutputMissing(Conflict):
    """The job exists but has no file to download: still queued or running, failed, or it produces none."""

    code = "jobs.no_output"
