"""Regulation-update monitoring: load a new rule-pack version (file, directory or URL feed), diff it, re-evaluate
only the SKUs the change can affect, alert each organization (inbox + signed webhook / e-mail outbox).

A malformed or lint-failing pack raises before anything is stored: the previous version stays in force.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.catalog import Variant
from xborder.compliance.diff import RuleChange, affected_skus, diff_libraries
from xborder.compliance.models import Alert, AlertDelivery, PackVersion, Subscription
from xborder.compliance.packs import RuleLibrary, library_from_content, load_library_from
from xborder.compliance.providers.base import AlertMessage, AlertSender, DeliveryFailed
from xborder.compliance.service import active_library, catalog_facts, evaluate_catalog
from xborder.compliance.validate import lint_library
from xborder.compliance.webhook_targets import resolve_webhook_target
from xborder.kernel import Clock, ErrorDetail, NotFound, ValidationFailed, new_secret

__all__ = ["AlertOut", "DeliveryReport", "PackPreview", "PackUpdate", "SubscriptionOut", "deliver_alerts",
           "library_documents", "list_alerts", "list_subscriptions", "load_rule_pack", "mark_alert_read",
           "preview_rule_pack", "subscribe_alerts", "unsubscribe_alerts"]

MAX_ATTEMPTS = 6


@dataclass
class PackUpdate:
    version: str
    previous_version: str
    changes: list[RuleChange]
    reevaluated: dict[str, int] = field(default_factory=dict)  # organization -> SKUs re-evaluated
    alerts: list[str] = field(default_factory=list)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def library_documents(library: RuleLibrary) -> dict[str, Any]:
    """JSON-ready documents that rebuild `library` with `parse_library` (what a pack version stores)."""
    return {folder: pack.model_dump(mode="json", exclude_none=True) for folder, pack in library.packs.items()}


def subscribe_alerts(session: Session, *, organization_id: str, channel: str, target: str,
                     allow_private_targets: bool = False) -> tuple[str, str | None]:
    """Add a webhook URL or e-mail address; returns (subscription id, webhook signing secret shown once).

    A webhook URL must be http(s) without credentials, and its host must not resolve to a loopback, private,
    link-local, multicast, reserved or unspecified address unless `allow_private_targets` (settings
    `alerts.allow_private_webhooks`); a host that does not resolve yet is checked again at every delivery.

    Raises:
        ValidationFailed: bad channel or target (`compliance.unsafe_webhook_target` for a refused URL).
    """
    if channel not in ("webhook", "email"):
        raise ValidationFailed("channel must be webhook or email", details=[ErrorDetail("bad channel",
                                                                                        field="channel")])
    if channel == "webhook":
        resolve_webhook_target(target, allow_private=allow_private_targets, require_resolution=False)
    if channel == "email" and "@" not in target:
        raise ValidationFailed("an e-mail target needs an @", details=[ErrorDetail("bad address", field="target")])
    secret = new_secret() if channel == "webhook" else None
    row = Subscription(organization_id=organization_id, channel=channel, target=target, secret=secret)
    session.add(row)
    session.flush()
    return row.id, secret


@dataclass
class PackPreview:
    """What loading a pack would change, before anything is stored: the semantic diff and, per market, how many
    SKUs (all organizations together) a change can affect."""

    version: str
    previous_version: str
    changes: list[RuleChange]
    affected_skus: dict[str, int] = field(default_factory=dict)


def _validated(session: Session, location: str | Path, content: bytes | None) -> tuple[RuleLibrary, RuleLibrary]:
    current = active_library(session)
    new = (library_from_content(content, source=str(location), base=current) if content is not None
           else load_library_from(location, base=current))
    problems = lint_library(new)
    if problems:
        raise ValidationFailed(f"rule pack rejected: {len(problems)} problem(s)", details=problems)
    return current, new


def _columns_read(changes: list[RuleChange]) -> set[str] | None:
    """Attributes the changed conditions read; None when an unconditional rule changed (every SKU is touched)."""
    read: set[str] | None = set()
    for change in changes:
        for rule in (change.old, change.new):
            if rule is not None and read is not None:
                read = None if rule.condition is None else read | rule.attributes()
    return read


def preview_rule_pack(session: Session, *, location: str | Path, content: bytes | None = None) -> PackPreview:
    """Validate a new version and diff it against the rules in force; stores nothing.

    `content` is an uploaded file (then `location` only names it in messages).

    Raises:
        ValidationFailed: the pack would be rejected whole (schema or lint problems).
    """
    current, new = _validated(session, location, content)
    changes = diff_libraries(current, new)
    preview = PackPreview(version=new.version, previous_version=current.version, changes=changes)
    if not changes:
        return preview
    read = _columns_read(changes)
    for organization_id in session.scalars(select(Variant.organization_id).distinct()).all():
        products = catalog_facts(session, organization_id=organization_id, attributes=read)
        for market, skus in affected_skus(changes, products).items():
            preview.affected_skus[market] = preview.affected_skus.get(market, 0) + len(skus)
    return preview


def load_rule_pack(session: Session, *, location: str | Path, clock: Clock, content: bytes | None = None,
                   progress: Callable[[int, int], None] | None = None) -> PackUpdate:
    """Validate a new version, store it, re-evaluate affected SKUs per organization and raise alerts.

    `content` is an uploaded file (then `location` names its source); `progress(done, total)` counts
    organizations re-checked.

    Raises:
        ValidationFailed: the pack is rejected whole (schema or lint problems); nothing changes.
    """
    current, new = _validated(session, location, content)
    changes = diff_libraries(current, new)
    update = PackUpdate(version=new.version, previous_version=current.version, changes=changes)
    if not changes:
        return update
    session.add(PackVersion(version=new.version, digest=new.digest, source=str(location)[:500],
                            documents=library_documents(new), changes=[c.as_dict() for c in changes],
                            loaded_at=clock.now()))
    session.flush()
    today = clock.today()
    organizations = session.scalars(select(Variant.organization_id).distinct()).all()
    read = _columns_read(changes)
    for done, organization_id in enumerate(organizations):
        if progress is not None:
            progress(done, len(organizations))
        # only the columns the changed conditions read (None: an unconditional rule touches every SKU)
        products = catalog_facts(session, organization_id=organization_id, attributes=read)
        affected = affected_skus(changes, products)
        scope = sorted(set().union(*affected.values())) if affected else []
        update.reevaluated[organization_id] = len(scope)
        if not scope:
            continue
        summary = evaluate_catalog(session, organization_id=organization_id, on=today, clock=clock,
                                   markets=sorted(affected), skus=scope, library=new,
                                   cause=f"rules {current.version} -> {new.version}")
        verdicts = {(c.sku, c.market): {"before": c.before, "after": c.after} for c in summary.changed}
        body = {"version": new.version, "previous_version": current.version,
                "changes": [c.as_dict() for c in changes],
                "skus_by_market": {m: sorted(s) for m, s in sorted(affected.items()) if s},
                "verdict_changes": [{"sku": s, "market": m, **v} for (s, m), v in sorted(verdicts.items())
                                    if v["before"] != v["after"]]}
        alert = Alert(organization_id=organization_id, kind="rules_changed", body=body, created_at=clock.now(),
                      title=f"Rules changed ({len(changes)}): {len(scope)} SKU(s) re-checked in "
                            f"{len(body['skus_by_market'])} market(s)")
        session.add(alert)
        session.flush()
        update.alerts.append(alert.id)
        for sub_id in session.scalars(select(Subscription.id).where(
                Subscription.organization_id == organization_id)):
            session.add(AlertDelivery(organization_id=organization_id, alert_id=alert.id, subscription_id=sub_id,
                                      next_attempt_at=clock.now()))
    session.flush()
    if progress is not None:
        progress(len(organizations), len(organizations))
    return update


def deliver_alerts(session: Session, *, senders: Mapping[str, AlertSender], clock: Clock,
                   max_attempts: int = MAX_ATTEMPTS) -> DeliveryReport:
    """Send due deliveries once each; failures back off exponentially (1, 2, 4... minutes) until max_attempts."""
    now = clock.now()
    report = DeliveryReport()
    due = session.execute(
        select(AlertDelivery, Alert, Subscription).join(Alert, Alert.id == AlertDelivery.alert_id)
        .join(Subscription, Subscription.id == AlertDelivery.subscription_id)
        .where(AlertDelivery.status == "pending", AlertDelivery.next_attempt_at <= now)
        .order_by(AlertDelivery.next_attempt_at)).all()
    for delivery, alert, subscription in due:
        sender = senders.get(subscription.channel)
        if sender is None:
            continue  # no provider configured for this channel here: stays pending, never reported as sent
        message = AlertMessage(alert.id, alert.organization_id, alert.kind, alert.title, alert.body,
                               subscription.target, subscription.secret)
        delivery.attempts += 1
        try:
            sender.send(message)
        except DeliveryFailed as exc:
            delivery.last_error = exc.message[:2000]
            if delivery.attempts >= max_attempts:
                delivery.status = "failed"
                report.failed += 1
            else:
                delivery.next_attempt_at = now + timedelta(minutes=2 ** (delivery.attempts - 1))
                report.retried += 1
            continue
        delivery.status, delivery.sent_at, delivery.last_error = "sent", now, None
        report.sent += 1
    session.flush()
    return report


@dataclass(frozen=True)
class AlertOut:
    id: str
    kind: str
    title: str
    body: dict[str, Any]
    created_at: Any
    read_at: Any


def list_alerts(session: Session, *, organization_id: str, unread_only: bool = False) -> list[AlertOut]:
    """The organization's inbox, newest first."""
    stmt = select(Alert).where(Alert.organization_id == organization_id)
    if unread_only:
        stmt = stmt.where(Alert.read_at.is_(None))
    rows = session.scalars(stmt.order_by(Alert.created_at.desc(), Alert.id.desc())).all()
    return [AlertOut(a.id, a.kind, a.title, a.body, a.created_at, a.read_at) for a in rows]


def mark_alert_read(session: Session, *, organization_id: str, alert_id: str, clock: Clock) -> None:
    alert = session.scalar(select(Alert).where(Alert.organization_id == organization_id, Alert.id == alert_id))
    if alert is None:
        raise NotFound("no such alert", details=[ErrorDetail("not found", field="alert_id")])
    alert.read_at = alert.read_at or clock.now()
    session.flush()


@dataclass(frozen=True)
class SubscriptionOut:
    """A delivery target; the webhook secret is never shown again after `subscribe_alerts`."""

    id: str
    channel: str
    target: str
    pending: int
    failed: int


def list_subscriptions(session: Session, *, organization_id: str) -> list[SubscriptionOut]:
    """The organization's webhook and e-mail targets with their pending and failed delivery counts."""
    subs = session.scalars(select(Subscription).where(Subscription.organization_id == organization_id)
                           .order_by(Subscription.channel, Subscription.target)).all()
    tallies: dict[tuple[str, str], int] = {}
    for sub_id, status in session.execute(select(AlertDelivery.subscription_id, AlertDelivery.status).where(
            AlertDelivery.organization_id == organization_id, AlertDelivery.status.in_(("pending", "failed")))):
        tallies[(sub_id, status)] = tallies.get((sub_id, status), 0) + 1
    return [SubscriptionOut(s.id, s.channel, s.target, tallies.get((s.id, "pending"), 0),
                            tallies.get((s.id, "failed"), 0)) for s in subs]


def unsubscribe_alerts(session: Session, *, organization_id: str, subscription_id: str) -> None:
    """Remove a target and its outstanding deliveries.

    Raises:
        NotFound: no such subscription in this organization.
    """
    sub = session.scalar(select(Subscription).where(Subscription.organization_id == organization_id,
                                                    Subscription.id == subscription_id))
    if sub is None:
        raise NotFound("no such subscription", details=[ErrorDetail("not found", field="subscription_id")])
    for delivery in session.scalars(select(AlertDelivery).where(AlertDelivery.subscription_id == sub.id)):
        session.delete(delivery)
    session.delete(sub)
    session.flush()
