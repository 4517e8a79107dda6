"""Idempotency keys: remember the first response to a creating request per (organization, key) and replay it.

The record is written in the same transaction as the work it guards, so a committed record always carries
the response, and the unique (organization_id, key) constraint makes a concurrent duplicate wait and then fail.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xborder.identity.errors import IdempotencyKeyReused
from xborder.identity.models import IdempotencyRecord
from xborder.kernel import ErrorDetail, ValidationFailed

__all__ = ["StoredResponse", "find_stored_response", "request_fingerprint", "reserve_key", "store_response"]

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    content_type: str
    body: bytes
    headers: dict[str, str]


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


def _validate_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed("Idempotency-Key must be 1-255 printable characters",
                               details=[ErrorDetail("invalid key", field="Idempotency-Key", code="invalid_key")])


def find_stored_response(session: Session, *, organization_id: str, key: str,
                         request_hash: str) -> StoredResponse | None:
    """The stored response for this key, None if the key is new; IdempotencyKeyReused if the request differs."""
    _validate_key(key)
    row = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.organization_id == organization_id,
                                                         IdempotencyRecord.key == key))
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise IdempotencyKeyReused()
    return StoredResponse(row.status_code, row.content_type, bytes(row.body), json.loads(row.headers_json))


def reserve_key(session: Session, *, organization_id: str, key: str, request_hash: str) -> str | None:
    """Insert the record before doing the work; returns its id, or None when another request holds the key.

    On None the session has been rolled back (the caller re-reads with `find_stored_response` in a fresh
    transaction). The insert blocks while a concurrent request with the same key is still open.
    """
    row = IdempotencyRecord(organization_id=organization_id, key=key, request_hash=request_hash, status_code=0,
                            body=b"", headers_json="{}")
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return None
    return row.id


def store_response(session: Session, *, record_id: str, status_code: int, content_type: str, body: bytes,
                   headers: dict[str, str] | None = None) -> None:
    row = session.get(IdempotencyRecord, record_id)
    if row is None:  # the reservation belongs to this transaction, so this means a programming error upstream
        raise RuntimeError("idempotency reservation vanished inside its own transaction")
    row.status_code = status_code
    row.content_type = content_type
    row.body = body
    row.headers_json = json.dumps(headers or {}, sort_keys=True)
    session.flush()
