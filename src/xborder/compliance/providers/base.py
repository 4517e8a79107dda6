"""The alert-sender interface: one method over a frozen message; failures raise `DeliveryFailed` (retried)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from xborder.kernel import DomainError

__all__ = ["AlertMessage", "AlertSender", "DeliveryFailed"]


@dataclass(frozen=True)
class AlertMessage:
    alert_id: str
    organization_id: str
    kind: str
    title: str
    body: dict[str, Any]
    target: str  # webhook URL or e-mail address
    secret: str | None = None  # webhook signing secret


class DeliveryFailed(DomainError):
    code = "compliance.delivery_failed"
    status_hint = 502


class AlertSender(Protocol):
    def send(self, message: AlertMessage) -> None:
        """Deliver once; raise DeliveryFailed on any failure (the outbox retries with backoff)."""
        ...
