"""Recording sender for tests: keeps every message; can be told to fail the first N attempts."""

from __future__ import annotations

from xborder.compliance.providers.base import AlertMessage, DeliveryFailed

__all__ = ["RecordingSender"]


class RecordingSender:
    def __init__(self, *, fail_first: int = 0) -> None:
        self.sent: list[AlertMessage] = []
        self.attempts = 0
        self.fail_first = fail_first

    def send(self, message: AlertMessage) -> None:
        self.attempts += 1
        if self.attempts <= self.fail_first:
            raise DeliveryFailed(f"simulated failure {self.attempts}")
        self.sent.append(message)
