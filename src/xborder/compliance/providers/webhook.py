"""Signed webhook: POST JSON with `X-Xborder-Signature: sha256=<hex HMAC of "<timestamp>.<body>">`.

Uses the standard library's HTTP client (domain packages do not import httpx); retries are the outbox's job.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from xborder.compliance.providers.base import AlertMessage, DeliveryFailed

__all__ = ["WebhookSender", "sign_payload"]


def sign_payload(secret: str, timestamp: int, body: bytes) -> str:
    """The signature a receiver recomputes: HMAC-SHA256 over "<timestamp>." + body, hex encoded."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookSender:
    def __init__(self, *, timeout_s: float = 10.0) -> None:
        self.timeout_s = timeout_s

    def send(self, message: AlertMessage) -> None:
        if not message.target.startswith(("https://", "http://")):
            raise DeliveryFailed(f"webhook target {message.target!r} is not an http(s) URL")
        body = json.dumps({"id": message.alert_id, "kind": message.kind, "title": message.title,
                           "organization_id": message.organization_id, "body": message.body},
                          ensure_ascii=False, sort_keys=True).encode()
        timestamp = int(time.time())
        headers = {"Content-Type": "application/json", "X-Xborder-Event": message.kind,
                   "X-Xborder-Delivery": message.alert_id, "X-Xborder-Timestamp": str(timestamp)}
        if message.secret:
            headers["X-Xborder-Signature"] = sign_payload(message.secret, timestamp, body)
        request = urllib.request.Request(message.target, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"webhook answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryFailed(f"webhook unreachable: {exc}") from None
        if not 200 <= status < 300:
            raise DeliveryFailed(f"webhook answered HTTP {status}")
