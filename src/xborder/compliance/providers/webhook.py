"""Signed webhook: POST JSON with `X-Xborder-Signature: sha256=<hex HMAC of "<timestamp>.<body>">`.

Uses the standard library's HTTP client (domain packages do not import httpx); retries are the outbox's job.
Each delivery resolves the host, refuses private/loopback/... addresses (see `webhook_targets`), connects to the
address it checked, and follows no redirect.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import time
from typing import Any

from xborder.compliance.providers.base import AlertMessage, DeliveryFailed
from xborder.compliance.webhook_targets import Resolver, UnsafeWebhookTarget, WebhookTarget, resolve_webhook_target

__all__ = ["WebhookSender", "sign_payload"]


def sign_payload(secret: str, timestamp: int, body: bytes) -> str:
    """The signature a receiver recomputes: HMAC-SHA256 over "<timestamp>." + body, hex encoded."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _connection(target: WebhookTarget, address: str, timeout_s: float) -> http.client.HTTPConnection:
    """A connection to `address` that still names `target.host` (Host header, TLS SNI and certificate check)."""
    cls = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    conn = cls(target.host, target.port, timeout=timeout_s)

    def pinned(_address: tuple[str, int], timeout: Any = None, source_address: Any = None) -> socket.socket:
        # never re-resolve: the host name could answer differently now (DNS rebinding)
        return socket.create_connection((address, target.port), timeout, source_address)

    conn._create_connection = pinned  # type: ignore[attr-defined]
    return conn


class WebhookSender:
    def __init__(self, *, timeout_s: float = 10.0, allow_private_targets: bool = False,
                 resolver: Resolver = socket.getaddrinfo) -> None:
        self.timeout_s = timeout_s
        self.allow_private_targets = allow_private_targets
        self._resolver = resolver

    def send(self, message: AlertMessage) -> None:
        try:
            target = resolve_webhook_target(message.target, allow_private=self.allow_private_targets,
                                            resolver=self._resolver)
        except UnsafeWebhookTarget as exc:
            raise DeliveryFailed(f"webhook target refused: {exc.details[0].message}") from None
        body = json.dumps({"id": message.alert_id, "kind": message.kind, "title": message.title,
                           "organization_id": message.organization_id, "body": message.body},
                          ensure_ascii=False, sort_keys=True).encode()
        timestamp = int(time.time())
        headers = {"Content-Type": "application/json", "X-Xborder-Event": message.kind,
                   "X-Xborder-Delivery": message.alert_id, "X-Xborder-Timestamp": str(timestamp),
                   "User-Agent": "xborder-webhook/1"}
        if message.secret:
            headers["X-Xborder-Signature"] = sign_payload(message.secret, timestamp, body)
        conn: http.client.HTTPConnection | None = None
        errors: list[str] = []
        for address in target.addresses:  # the next address only when connecting failed: never a second POST
            conn = _connection(target, address, self.timeout_s)
            try:
                conn.connect()
                break
            except OSError as exc:
                errors.append(f"{address}: {exc}")
                conn.close()
                conn = None
        if conn is None:
            raise DeliveryFailed(f"webhook unreachable: {'; '.join(errors) or 'no address'}")
        try:
            conn.request("POST", target.path, body=body, headers=headers)
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryFailed(f"webhook unreachable: {exc}") from None
        finally:
            conn.close()
        if 300 <= status < 400:
            raise DeliveryFailed(f"webhook answered HTTP {status} (redirects are not followed)")
        if not 200 <= status < 300:
            raise DeliveryFailed(f"webhook answered HTTP {status}")
