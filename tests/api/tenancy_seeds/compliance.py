"""Tenancy seed for compliance: stored verdicts, one evidence document, an expiry alert and a webhook subscription
per organization (the document's reference and the webhook URL carry the tenant's marker)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from xborder import compliance

PARAMS = {"evidence_id": "compliance_evidence_id", "alert_id": "compliance_alert_id",
          "subscription_id": "compliance_subscription_id"}
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def seed(session: Session, tenant: Any, container: Any) -> None:
    marker = f"{tenant.slug}-secret-cert"
    clock = container.clock
    compliance.evaluate_catalog(session, organization_id=tenant.org_id, on=clock.today(), clock=clock,
                                markets=["DE"])
    done = compliance.submit_evidence(session, organization_id=tenant.org_id, clock=clock, filename=f"{marker}.pdf",
                                      content=PDF, evidence_type="test_report", scheme="ce-red",
                                      issuer=f"Lab {marker}", issued_on=clock.today() - timedelta(days=10),
                                      expires_on=clock.today() + timedelta(days=20), reference=marker,
                                      skus=[tenant.sku], markets=["DE"])
    tenant.extra["compliance_evidence_id"] = done.evidence.id
    compliance.scan_expiring_evidence(session, today=clock.today())  # only this tenant's document is new
    alerts = compliance.list_alerts(session, organization_id=tenant.org_id)
    tenant.extra["compliance_alert_id"] = alerts[0].id
    sub_id, _ = compliance.subscribe_alerts(session, organization_id=tenant.org_id, channel="webhook",
                                            target=f"https://hooks.example.com/{marker}")
    tenant.extra["compliance_subscription_id"] = sub_id
    tenant.markers.append(marker)
