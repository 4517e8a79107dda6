"""Domain error base: every error carries a stable machine code, a human message and optional field pointers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorDetail:
    """One precise problem: where (row/field/rule) and why."""

    message: str
    field: str | None = None
    row: int | None = None
    code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("message", self.message), ("field", self.field),
                                  ("row", self.row), ("code", self.code)) if v is not None}


class DomainError(Exception):
    """Base of all expected business errors. Delivery layers map `code` to HTTP status / exit codes.

    `code` is a stable slug (e.g. ``catalog.duplicate_sku``) that clients may rely on.
    """

    code: str = "domain_error"
    status_hint: int = 400

    def __init__(self, message: str, *, details: list[ErrorDetail] | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[ErrorDetail] = list(details or [])
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """The object does not exist or is not visible to the caller (never distinguishes the two)."""

    code = "not_found"
    status_hint = 404


class ValidationFailed(DomainError):
    """Input was rejected; `details` name every offending field or row."""

    code = "validation_failed"
    status_hint = 422


class Conflict(DomainError):
    """The request conflicts with the current state (duplicate key, stale version, reused idempotency key)."""

    code = "conflict"
    status_hint = 409


class PermissionDenied(DomainError):
    """The caller is known but its role does not allow the action."""

    code = "permission_denied"
    status_hint = 403

