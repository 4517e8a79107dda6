"""SSRF guard end to end: private targets refused at subscription and again at delivery (after a DNS answer
changed), the checked address is the one connected to, and redirects are not followed."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import compliance
from xborder.compliance.models import Alert, AlertDelivery
from xborder.compliance.providers import AlertMessage, DeliveryFailed, WebhookSender
from xborder.kernel import FixedClock
from xborder.settings import AlertSettings

CLOCK = FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))
MESSAGE = AlertMessage("A1", "org", "rules_changed", "Rules changed", {"changes": []}, "", "s3cret")


def dns(*addresses: str):
    def resolve(host: str, port: int, **_: object) -> list[tuple]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]
    return resolve


def _message(target: str) -> AlertMessage:
    return AlertMessage(MESSAGE.alert_id, MESSAGE.organization_id, MESSAGE.kind, MESSAGE.title, MESSAGE.body,
                        target, MESSAGE.secret)


@pytest.mark.parametrize("target", ["http://127.0.0.1:8080/hook", "http://localhost/hook",
                                    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:10.0.0.1]/",
                                    "https://user:pw@hooks.example.com/", "file:///etc/passwd"])
def test_subscription_refuses_unsafe_targets(session: Session, seller: str, target: str) -> None:
    with pytest.raises(compliance.UnsafeWebhookTarget) as caught:
        compliance.subscribe_alerts(session, organization_id=seller, channel="webhook", target=target)
    assert caught.value.details[0].field == "target"
    assert compliance.list_subscriptions(session, organization_id=seller) == []


def test_subscription_allows_private_targets_when_configured(session: Session, seller: str) -> None:
    sub_id, secret = compliance.subscribe_alerts(session, organization_id=seller, channel="webhook",
                                                 target="http://10.0.0.8/hook", allow_private_targets=True)
    assert sub_id and secret


def test_delivery_refuses_a_host_that_now_resolves_to_loopback(session: Session, seller: str,
                                                               webhook_server) -> None:
    url, received = webhook_server
    port = url.split(":")[2].split("/")[0]
    # accepted at subscription (the name does not resolve yet), then DNS answers 127.0.0.1: refused at delivery
    target = f"http://rebind.example:{port}/hooks/xborder"
    compliance.subscribe_alerts(session, organization_id=seller, channel="webhook", target=target)
    alert = Alert(organization_id=seller, kind="rules_changed", title="t", body={}, created_at=CLOCK.now())
    session.add(alert)
    session.flush()
    (sub,) = compliance.list_subscriptions(session, organization_id=seller)
    session.add(AlertDelivery(organization_id=seller, alert_id=alert.id, subscription_id=sub.id,
                              next_attempt_at=CLOCK.now()))
    session.flush()
    sender = WebhookSender(timeout_s=2, resolver=dns("127.0.0.1"))
    report = compliance.deliver_alerts(session, senders={"webhook": sender}, clock=CLOCK)
    assert (report.sent, report.retried) == (0, 1)
    delivery = session.scalars(select(AlertDelivery)).one()
    assert "loopback" in (delivery.last_error or "") and "rebind.example" in (delivery.last_error or "")
    assert received.requests == []  # nothing reached the local server


def test_delivery_refuses_the_local_server_unless_allowed(webhook_server) -> None:
    url, received = webhook_server
    with pytest.raises(DeliveryFailed, match="loopback"):
        WebhookSender(timeout_s=2).send(_message(url))
    assert received.requests == []
    WebhookSender(timeout_s=2, allow_private_targets=True).send(_message(url))
    assert len(received.requests) == 1


def test_delivery_connects_to_the_checked_address_and_names_the_host(webhook_server) -> None:
    url, received = webhook_server
    port = url.split(":")[2].split("/")[0]
    sender = WebhookSender(timeout_s=2, allow_private_targets=True, resolver=dns("127.0.0.1"))
    sender.send(_message(f"http://hooks.internal.test:{port}/hooks/xborder?x=1"))
    headers = {k.lower(): v for k, v in received.requests[0]["headers"].items()}
    assert headers["host"] == f"hooks.internal.test:{port}"
    assert headers["x-xborder-signature"].startswith("sha256=")


def test_redirects_are_not_followed(webhook_server) -> None:
    url, received = webhook_server
    received.statuses.append(302)
    with pytest.raises(DeliveryFailed, match="redirects are not followed"):
        WebhookSender(timeout_s=2, allow_private_targets=True).send(_message(url))
    assert len(received.requests) == 1


def test_alert_senders_follow_the_setting() -> None:
    strict = compliance.alert_senders(AlertSettings())["webhook"]
    relaxed = compliance.alert_senders(AlertSettings(allow_private_webhooks=True))["webhook"]
    assert isinstance(strict, WebhookSender) and not strict.allow_private_targets
    assert isinstance(relaxed, WebhookSender) and relaxed.allow_private_targets
