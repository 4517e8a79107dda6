"""Evidence vault: upload certificates, test reports, registrations (PDF or image), list them, load them for the
evaluator, and raise expiry alerts before documents lapse.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.catalog import Variant
from xborder.compliance.evaluate import Evidence
from xborder.compliance.models import Alert, EvidenceDocument, EvidenceSku
from xborder.compliance.schema import EVIDENCE_TYPES
from xborder.kernel import ErrorDetail, NotFound, ValidationFailed

__all__ = ["MAX_EVIDENCE_BYTES", "EvidenceOut", "evidence_for_evaluation", "get_evidence_file", "list_evidence",
           "scan_expiring_evidence", "sniff_content_type", "upload_evidence"]

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


@dataclass(frozen=True)
class EvidenceOut:
    id: str
    evidence_type: str
    scheme: str
    standard: str | None
    issuer: str
    reference: str | None
    issued_on: date
    expires_on: date | None
    skus: tuple[str, ...] | None
    markets: tuple[str, ...] | None
    filename: str
    content_type: str
    size_bytes: int
    sha256: str


def sniff_content_type(content: bytes) -> str | None:
    """PDF or image type from the file's first bytes (never from its name), or None."""
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def _invalid(message: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, details=[ErrorDetail(message, field=field, code="compliance.invalid_evidence")])


def _out(doc: EvidenceDocument, skus: list[str] | None) -> EvidenceOut:
    return EvidenceOut(doc.id, doc.evidence_type, doc.scheme, doc.standard, doc.issuer, doc.reference, doc.issued_on,
                       doc.expires_on, tuple(sorted(skus)) if skus is not None else None,
                       tuple(doc.markets) if doc.markets else None, doc.filename, doc.content_type, doc.size_bytes,
                       doc.sha256)


def upload_evidence(session: Session, *, organization_id: str, filename: str, content: bytes, evidence_type: str,
                    scheme: str, issuer: str, issued_on: date, today: date, expires_on: date | None = None,
                    standard: str | None = None, reference: str | None = None, skus: list[str] | None = None,
                    markets: list[str] | None = None, max_bytes: int = MAX_EVIDENCE_BYTES) -> EvidenceOut:
    """Store a document after checking it; `skus=None` means it covers every SKU of the organization.

    Raises:
        ValidationFailed: not a PDF/image (by content), oversized, empty, already expired, dates reversed,
            unknown evidence type, or SKUs that are not in the catalog — each naming the field.
    """
    if not content:
        raise _invalid("the file is empty", "file")
    if len(content) > max_bytes:
        raise _invalid(f"the file is {len(content):,} bytes; the limit is {max_bytes:,}", "file")
    content_type = sniff_content_type(content)
    if content_type is None:
        raise _invalid(f"{filename!r} is not a PDF or an image (PNG, JPEG, GIF, TIFF, WebP); "
                       "the file's content was checked, not its name", "file")
    if evidence_type not in EVIDENCE_TYPES:
        raise _invalid(f"evidence type {evidence_type!r} is not one of {', '.join(EVIDENCE_TYPES)}", "evidence_type")
    if not _SLUG.match(scheme):
        raise _invalid(f"scheme {scheme!r} must be a lower-case slug such as ce-red or weee-epr", "scheme")
    if not issuer.strip():
        raise _invalid("the issuer is required", "issuer")
    if expires_on is not None and expires_on <= today:
        raise _invalid(f"the document expired on {expires_on.isoformat()}; upload a current one", "expires_on")
    if expires_on is not None and expires_on < issued_on:
        raise _invalid("expires_on is before issued_on", "expires_on")
    if issued_on > today:
        raise _invalid(f"issued_on {issued_on.isoformat()} is in the future", "issued_on")
    codes = sorted({m.strip().upper() for m in markets}) if markets else None
    if codes is not None and not all(re.match(r"^[A-Z]{2}$", m) for m in codes):
        raise _invalid("markets must be ISO 3166-1 alpha-2 codes", "markets")
    if skus is not None:
        wanted = sorted({s.strip() for s in skus if s.strip()})
        if not wanted:
            raise _invalid("give at least one SKU, or none for an organization-wide document", "skus")
        known = set(session.scalars(select(Variant.sku).where(Variant.organization_id == organization_id,
                                                              Variant.sku.in_(wanted))))
        unknown = [s for s in wanted if s not in known]
        if unknown:
            raise _invalid(f"SKU(s) not in the catalog: {', '.join(unknown[:20])}", "skus")
        skus = wanted
    doc = EvidenceDocument(organization_id=organization_id, evidence_type=evidence_type, scheme=scheme,
                           standard=standard, issuer=issuer.strip(), reference=reference, issued_on=issued_on,
                           expires_on=expires_on, markets=codes, all_skus=skus is None,
                           filename=filename[:255], content_type=content_type, size_bytes=len(content),
                           sha256=hashlib.sha256(content).hexdigest(), content=content)
    session.add(doc)
    session.flush()
    for sku in skus or ():
        session.add(EvidenceSku(organization_id=organization_id, evidence_id=doc.id, sku=sku))
    session.flush()
    return _out(doc, skus)


def _scopes(session: Session, organization_id: str) -> dict[str, list[str]]:
    scopes: dict[str, list[str]] = {}
    for evidence_id, sku in session.execute(select(EvidenceSku.evidence_id, EvidenceSku.sku)
                                            .where(EvidenceSku.organization_id == organization_id)):
        scopes.setdefault(evidence_id, []).append(sku)
    return scopes


def list_evidence(session: Session, *, organization_id: str) -> list[EvidenceOut]:
    docs = session.scalars(select(EvidenceDocument).where(EvidenceDocument.organization_id == organization_id)
                           .order_by(EvidenceDocument.created_at, EvidenceDocument.id)).all()
    scopes = _scopes(session, organization_id)
    return [_out(d, None if d.all_skus else scopes.get(d.id, [])) for d in docs]


def get_evidence_file(session: Session, *, organization_id: str, evidence_id: str) -> tuple[EvidenceOut, bytes]:
    doc = session.scalar(select(EvidenceDocument).where(EvidenceDocument.organization_id == organization_id,
                                                        EvidenceDocument.id == evidence_id))
    if doc is None:
        raise NotFound("no such evidence document", details=[ErrorDetail("not found", field="evidence_id")])
    scope = None if doc.all_skus else _scopes(session, organization_id).get(doc.id, [])
    return _out(doc, scope), doc.content


def evidence_for_evaluation(session: Session, *, organization_id: str) -> list[Evidence]:
    """The organization's documents as evaluator `Evidence` (file bytes are not loaded)."""
    return [Evidence(id=e.id, type=e.evidence_type, scheme=e.scheme, issued_on=e.issued_on, expires_on=e.expires_on,
                     skus=frozenset(e.skus) if e.skus is not None else None,
                     markets=frozenset(e.markets) if e.markets else None, standard=e.standard, reference=e.reference)
            for e in list_evidence(session, organization_id=organization_id)]


def scan_expiring_evidence(session: Session, *, today: date, within_days: int = 60) -> list[str]:
    """Raise one inbox alert per organization for documents expiring within the window (each document once).

    Returns the ids of the alerts created.
    """
    horizon = today + timedelta(days=within_days)
    docs = session.scalars(select(EvidenceDocument).where(
        EvidenceDocument.expires_on.is_not(None), EvidenceDocument.expires_on <= horizon,
        EvidenceDocument.expires_on >= today, EvidenceDocument.expiry_alerted_on.is_(None))
        .order_by(EvidenceDocument.organization_id, EvidenceDocument.expires_on)).all()
    by_org: dict[str, list[EvidenceDocument]] = {}
    for doc in docs:
        by_org.setdefault(doc.organization_id, []).append(doc)
    created: list[str] = []
    for organization_id, rows in by_org.items():
        body = {"evidence": [{"id": d.id, "scheme": d.scheme, "type": d.evidence_type, "reference": d.reference,
                              "filename": d.filename, "expires_on": d.expires_on.isoformat() if d.expires_on else None,
                              "days_left": (d.expires_on - today).days if d.expires_on else None} for d in rows]}
        alert = Alert(organization_id=organization_id, kind="evidence_expiring",
                      title=f"{len(rows)} evidence document(s) expire within {within_days} days", body=body)
        session.add(alert)
        for doc in rows:
            doc.expiry_alerted_on = today
        session.flush()
        created.append(alert.id)
    return created
