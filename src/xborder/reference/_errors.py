"""Error helpers shared by the reference lookups: every error names the offending field."""

from __future__ import annotations

from xborder.kernel import ErrorDetail, NotFound, ValidationFailed


def not_found(field: str, message: str, *, code: str) -> NotFound:
    return NotFound(f"{field}: {message}", details=[ErrorDetail(message, field=field, code=code)])


def invalid(field: str, message: str, *, code: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", details=[ErrorDetail(message, field=field, code=code)])
