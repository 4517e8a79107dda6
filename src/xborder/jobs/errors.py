"""Job errors with stable codes."""

from __future__ import annotations

from xborder.kernel import DomainError, NotFound

__all__ = ["JobNotFound", "UnknownJobKind"]


class JobNotFound(NotFound):
    code = "jobs.not_found"


class UnknownJobKind(DomainError):
    code = "jobs.unknown_kind"
    status_hint = 500
