"""Evidence vault: refusals with clear messages, scope, tenancy, expiry alerts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from xborder import compliance
from xborder.kernel import NotFound, ValidationFailed

from .conftest import PDF

TODAY = date(2026, 11, 22)


def _upload(session: Session, org: str, **overrides):
    args = {"organization_id": org, "filename": "red.pdf", "content": PDF, "evidence_type": "test_report",
            "scheme": "ce-red", "issuer": "TÜV Rheinland", "issued_on": date(2026, 1, 10), "today": TODAY,
            "expires_on": date(2027, 4, 30), "skus": ["SPK-01", "EAR-01"]}
    args.update(overrides)
    return compliance.upload_evidence(session, **args)


@pytest.mark.parametrize(("overrides", "field", "fragment"), [
    ({"content": b"PK\x03\x04 zip", "filename": "cert.pdf"}, "file", "not a PDF or an image"),
    ({"content": b"MZ\x90\x00 exe"}, "file", "not a PDF or an image"),
    ({"content": b""}, "file", "empty"),
    ({"content": PDF + b"x" * 2048, "max_bytes": 1024}, "file", "limit is 1,024"),
    ({"expires_on": date(2026, 11, 1)}, "expires_on", "expired on 2026-11-01"),
    ({"expires_on": TODAY}, "expires_on", "expired"),
    ({"issued_on": date(2027, 1, 1)}, "issued_on", "future"),
    ({"skus": ["NOPE-1"]}, "skus", "NOPE-1"),
    ({"evidence_type": "selfie"}, "evidence_type", "not one of"),
    ({"scheme": "CE RED"}, "scheme", "slug"),
])
def test_refusals_name_the_field(session: Session, seller: str, overrides, field: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _upload(session, seller, **overrides)
    assert exc.value.details[0].field == field
    assert fragment in exc.value.message


def test_upload_images_and_pdf_and_read_back(session: Session, seller: str, rival: str) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    doc = _upload(session, seller)
    label = _upload(session, seller, filename="label.png", content=png, evidence_type="label", scheme="ce-mark",
                    expires_on=None, skus=None)
    session.commit()
    assert doc.content_type == "application/pdf" and doc.skus == ("EAR-01", "SPK-01")
    assert label.content_type == "image/png" and label.skus is None
    meta, content = compliance.get_evidence_file(session, organization_id=seller, evidence_id=doc.id)
    assert content == PDF and meta.sha256 == doc.sha256
    with pytest.raises(NotFound):
        compliance.get_evidence_file(session, organization_id=rival, evidence_id=doc.id)
    assert compliance.list_evidence(session, organization_id=rival) == []


def test_expiry_alert_once_per_document(session: Session, seller: str) -> None:
    _upload(session, seller, expires_on=date(2027, 1, 10))
    _upload(session, seller, expires_on=date(2028, 1, 10), scheme="un38-3")
    session.commit()
    assert compliance.scan_expiring_evidence(session, today=date(2026, 11, 1), within_days=60) == []
    created = compliance.scan_expiring_evidence(session, today=date(2026, 11, 22), within_days=60)
    assert len(created) == 1
    (alert,) = compliance.list_alerts(session, organization_id=seller)
    assert alert.kind == "evidence_expiring"
    assert alert.body["evidence"][0]["days_left"] == 49
    assert compliance.scan_expiring_evidence(session, today=date(2026, 11, 23), within_days=60) == []
