"""Identity errors with stable codes; the web layer maps `status_hint` to HTTP status."""

from __future__ import annotations

from xborder.kernel import Conflict, DomainError, ErrorDetail, PermissionDenied, ValidationFailed

__all__ = [
    "AlreadyExists",
    "CsrfFailed",
    "IdempotencyKeyReused",
    "InvalidCredentials",
    "NotAuthenticated",
    "RoleRequired",
    "SignInThrottled",
]


class InvalidCredentials(DomainError):
    """Same error for an unknown email, a wrong password and a disabled user: never reveal which."""

    code = "identity.invalid_credentials"
    status_hint = 401

    def __init__(self) -> None:
        super().__init__("email or password is incorrect")


class SignInThrottled(DomainError):
    code = "identity.sign_in_throttled"
    status_hint = 429

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many failed sign-in attempts; retry in {retry_after_seconds} seconds")
        self.retry_after_seconds = retry_after_seconds


class NotAuthenticated(DomainError):
    code = "identity.not_authenticated"
    status_hint = 401

    def __init__(self, message: str = "authentication required: send 'Authorization: Bearer <token>'") -> None:
        super().__init__(message)


class RoleRequired(PermissionDenied):
    code = "identity.role_required"

    def __init__(self, needed: str) -> None:
        super().__init__(f"this action needs the {needed} role")


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was already used with a different request",
            details=[ErrorDetail("use a new key for a different request", field="Idempotency-Key",
                                 code="idempotency_key_reused")],
        )


class CsrfFailed(PermissionDenied):
    code = "identity.csrf_failed"

    def __init__(self) -> None:
        super().__init__("missing or wrong CSRF token")


class AlreadyExists(Conflict):
    code = "identity.already_exists"
