"""Regulation updates: rejected packs leave the previous version in force; a change re-checks only affected SKUs,
alerts each organization, and deliveries go out by signed webhook (with retries) and SMTP e-mail."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder import compliance
from xborder.compliance.models import AlertDelivery, VerdictHistory
from xborder.compliance.providers import SmtpSender, WebhookSender
from xborder.kernel import FixedClock, ValidationFailed

CLOCK = FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))


def _eu_pack() -> dict:
    return yaml.safe_load((compliance.packs_root() / "eu" / "rules.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, pack: dict) -> Path:
    path = tmp_path / "eu" / "rules.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_malformed_pack_is_rejected_whole(session: Session, seller: str, tmp_path: Path) -> None:
    before = compliance.active_library(session).version
    pack = _eu_pack()
    pack["rules"][0]["when"] = {"attr": "colour", "eq": "red"}
    pack["rules"][1]["valid_to"] = "2000-01-01"
    with pytest.raises(ValidationFailed) as exc:
        compliance.load_rule_pack(session, location=_write(tmp_path, pack), clock=CLOCK)
    fields = " ".join(d.field or "" for d in exc.value.details)
    assert "eu.ce.lvd.when.attr" in fields and "eu.ce.emc" in fields
    session.rollback()
    assert compliance.active_library(session).version == before


def test_unreachable_rule_rejects_the_pack(session: Session, seller: str, tmp_path: Path) -> None:
    pack = _eu_pack()
    pack["rules"][0]["when"] = {"all": [{"hs": ["85"]}, {"hs": ["61"]}]}
    with pytest.raises(ValidationFailed) as exc:
        compliance.load_rule_pack(session, location=_write(tmp_path, pack), clock=CLOCK)
    assert exc.value.details[0].code == "compliance.unreachable_rule"


def test_change_rechecks_only_affected_skus_and_alerts(session: Session, seller: str, rival: str, tmp_path: Path,
                                                       webhook_server, smtp_server) -> None:
    compliance.evaluate_catalog(session, organization_id=seller, on=CLOCK.today(), clock=CLOCK,
                                markets=["DE", "FR", "JP"])
    url, received = webhook_server
    port, mails = smtp_server
    # the receiver listens on 127.0.0.1: private targets are allowed, as on an on-premises install
    _, secret = compliance.subscribe_alerts(session, organization_id=seller, channel="webhook", target=url,
                                            allow_private_targets=True)
    compliance.subscribe_alerts(session, organization_id=seller, channel="email", target="ops@shengyue.example")
    session.commit()
    history_before = session.scalars(select(VerdictHistory.sku)).all()

    # the toy rule gets a new accepted scheme: only the toy can be affected, only in EU markets
    pack = _eu_pack()
    toy = next(r for r in pack["rules"] if r["id"] == "eu.toys.en71_test_report")
    toy["evidence"].append({"type": "test_report", "scheme": "en71-2025"})
    update = compliance.load_rule_pack(session, location=_write(tmp_path, pack), clock=CLOCK)
    session.commit()
    assert [(c.rule_id, c.change) for c in update.changes] == [("eu.toys.en71_test_report", "changed")]
    assert update.reevaluated == {seller: 1}
    assert compliance.active_library(session).version == update.version != update.previous_version
    (alert,) = compliance.list_alerts(session, organization_id=seller)
    assert alert.kind == "rules_changed"
    assert set(alert.body["skus_by_market"]) == {"DE", "ES", "FR", "IT", "NL", "PL", "SE"}
    assert alert.body["skus_by_market"]["DE"] == ["TOY-01"]
    assert compliance.list_alerts(session, organization_id=rival) == []
    new_history = session.scalars(select(VerdictHistory.sku)).all()[len(history_before):]
    assert set(new_history) <= {"TOY-01"}

    # webhook answers 500 once: retried after backoff, then delivered with a verifiable signature
    received.statuses.append(500)
    senders = {"webhook": WebhookSender(timeout_s=5, allow_private_targets=True),
               "email": SmtpSender(host="127.0.0.1", port=port, sender="alerts@xborder.example")}
    first = compliance.deliver_alerts(session, senders=senders, clock=CLOCK)
    assert (first.sent, first.retried) == (1, 1)
    assert compliance.deliver_alerts(session, senders=senders, clock=CLOCK).sent == 0  # not due yet
    later = FixedClock(CLOCK.at + timedelta(minutes=1))
    assert compliance.deliver_alerts(session, senders=senders, clock=later).sent == 1
    session.commit()
    assert [d.status for d in session.scalars(select(AlertDelivery))] == ["sent", "sent"]
    request = received.requests[-1]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    expected = hmac.new(secret.encode(), headers["x-xborder-timestamp"].encode() + b"." + request["body"],
                        hashlib.sha256).hexdigest()
    assert headers["x-xborder-signature"] == f"sha256={expected}"
    assert json.loads(request["body"])["body"]["skus_by_market"]["FR"] == ["TOY-01"]
    assert len(mails) == 1 and "eu.toys.en71_test_report" in mails[0] and "TOY-01" in mails[0]


def test_same_version_twice_changes_nothing(session: Session, seller: str, tmp_path: Path) -> None:
    update = compliance.load_rule_pack(session, location=_write(tmp_path, _eu_pack()), clock=CLOCK)
    assert update.changes == [] and update.alerts == []


def test_failing_webhook_gives_up_after_max_attempts(session: Session, seller: str, tmp_path: Path) -> None:
    compliance.subscribe_alerts(session, organization_id=seller, channel="webhook", target="http://127.0.0.1:9/x",
                                allow_private_targets=True)
    pack = _eu_pack()
    pack["rules"] = [r for r in pack["rules"] if r["id"] != "eu.gpsr.online_listing_information"]
    update = compliance.load_rule_pack(session, location=_write(tmp_path, pack), clock=CLOCK)
    assert [c.change for c in update.changes] == ["removed"]
    clock = CLOCK
    senders = {"webhook": WebhookSender(timeout_s=1, allow_private_targets=True)}
    for _ in range(3):
        compliance.deliver_alerts(session, senders=senders, clock=clock, max_attempts=3)
        clock = FixedClock(clock.at + timedelta(hours=1))
    (delivery,) = session.scalars(select(AlertDelivery)).all()
    assert delivery.status == "failed" and delivery.attempts == 3 and "unreachable" in (delivery.last_error or "")
