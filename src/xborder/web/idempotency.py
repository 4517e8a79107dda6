"""Idempotency-Key on creating POSTs: the FastAPI glue over `identity`'s idempotency records.

A route takes `Idempotent` and returns `idem.respond(payload, status_code=201)`; a retry with the same key and
request gets the stored first response (header Idempotent-Replayed: true); a different request gets 422.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from xborder import identity
from xborder.identity import Principal
from xborder.kernel import Conflict
from xborder.web.deps import ApiPrincipal, DbSession
from xborder.web.problems import ReplayResponse

__all__ = ["IDEMPOTENCY_HEADER", "Idempotency", "Idempotent", "idempotency", "request_fingerprint", "reserve_key"]

IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass
class Idempotency:
    session: Session
    record_id: str | None

    def respond(self, payload: Any, *, status_code: int = 201, headers: dict[str, str] | None = None) -> Response:
        body = json.dumps(jsonable_encoder(payload), ensure_ascii=False, separators=(",", ":")).encode()
        if self.record_id is not None:
            identity.store_response(self.session, record_id=self.record_id, status_code=status_code,
                                    content_type="application/json", body=body, headers=headers)
        return Response(body, status_code=status_code, media_type="application/json", headers=headers)


async def _fingerprint(request: Request) -> str:
    """Hash of method, path, query and body; multipart is hashed by its parts (boundaries are random)."""
    if IDEMPOTENCY_HEADER.lower() not in request.headers:
        return ""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        digest = hashlib.sha256()
        form = await request.form()
        for name, value in sorted(form.multi_items(), key=lambda item: item[0]):
            digest.update(name.encode() + b"\0")
            if isinstance(value, UploadFile):
                digest.update((value.filename or "").encode() + b"\0" + await value.read() + b"\0")
                await value.seek(0)
            else:
                digest.update(value.encode() + b"\0")
        body = digest.hexdigest().encode()
    else:
        body = await request.body()
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return identity.request_fingerprint(method=request.method, path=path, body=body)


def _replay(stored: identity.StoredResponse) -> ReplayResponse:
    headers = dict(stored.headers)
    headers["Idempotent-Replayed"] = "true"
    return ReplayResponse(Response(stored.body, status_code=stored.status_code, media_type=stored.content_type,
                                   headers=headers))


async def idempotency(request: Request, principal: ApiPrincipal, session: DbSession,
                      fingerprint: Annotated[str, Depends(_fingerprint)]) -> Idempotency:
    # Async: without a key there is nothing to look up, so most requests skip a thread hop.
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return Idempotency(session, None)
    return await run_in_threadpool(_reserve, session, principal, key, fingerprint)


async def request_fingerprint(request: Request) -> str:
    """For routes that take no `Idempotent` dependency: the fingerprint `reserve_key` compares ("" without a key)."""
    return await _fingerprint(request)


def reserve_key(session: Session, principal: Principal, key: str | None, fingerprint: str) -> Idempotency:
    """Inside a route's transaction: replay the stored response of `key` (raises ReplayResponse), or reserve it."""
    return _reserve(session, principal, key, fingerprint) if key is not None else Idempotency(session, None)


def _reserve(session: Session, principal: Principal, key: str, fingerprint: str) -> Idempotency:
    org = principal.organization_id
    stored = identity.find_stored_response(session, organization_id=org, key=key, request_hash=fingerprint)
    if stored is not None:
        raise _replay(stored)
    record_id = identity.reserve_key(session, organization_id=org, key=key, request_hash=fingerprint)
    if record_id is None:  # a concurrent request with this key committed first
        stored = identity.find_stored_response(session, organization_id=org, key=key, request_hash=fingerprint)
        if stored is not None:
            raise _replay(stored)
        raise Conflict("a request with this Idempotency-Key is still in progress; retry shortly",
                       code="idempotency_key_in_progress")
    return Idempotency(session, record_id)


Idempotent = Annotated[Idempotency, Depends(idempotency)]
