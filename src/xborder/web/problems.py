"""RFC 9457 problem details: every error leaves the API as application/problem+json with a stable `code`.

Console pages get the same status; when the console provides `render_error`, HTML clients see a page instead.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from xborder.kernel import DomainError

__all__ = ["PROBLEM_RESPONSES", "LoginRequired", "Problem", "ReplayResponse", "install_problem_handlers",
           "problem_response"]

log = logging.getLogger(__name__)
PROBLEM_TYPE_BASE = "https://xborder.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemError(BaseModel):
    message: str
    field: str | None = None
    row: int | None = None
    code: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details, extended with a stable `code` and per-field `errors`."""

    type: str = Field(examples=["https://xborder.dev/problems/not_found"])
    title: str
    status: int
    detail: str
    code: str
    errors: list[ProblemError] = []


_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": HTTPStatus(status).phrase, "content": _PROBLEM_CONTENT}
    for status in (400, 401, 403, 404, 409, 422, 429)
}


class LoginRequired(Exception):
    """A console page needs a signed-in user; answered with 303 to /login?next=..."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class ReplayResponse(Exception):
    """An Idempotency-Key retry: answer with the stored first response, do nothing else."""

    def __init__(self, response: Response) -> None:
        super().__init__("idempotent replay")
        self.response = response


def problem_response(*, status: int, code: str, detail: str, errors: list[dict[str, Any]] | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"type": PROBLEM_TYPE_BASE + code, "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, "code": code, "errors": errors or []}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _render(request: Request, *, status: int, code: str, detail: str, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None) -> Response:
    renderer = getattr(request.app.state, "html_error_renderer", None)
    if renderer is not None and _wants_html(request):
        response: Response = renderer(request, status_code=status, code=code, detail=detail, errors=errors or [])
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response
    return problem_response(status=status, code=code, detail=detail, errors=errors, headers=headers)


def _field_pointer(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where, rest = parts[0], parts[1:]
        return (".".join(rest) or where) if where == "body" else f"{where}.{'.'.join(rest)}"
    return ".".join(parts)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    headers = {}
    retry_after = getattr(exc, "retry_after_seconds", None)
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after))
    if exc.status_hint == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return _render(request, status=exc.status_hint, code=exc.code, detail=exc.message,
                   errors=[d.as_dict() for d in exc.details], headers=headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [{"message": err.get("msg", "invalid"), "field": _field_pointer(tuple(err.get("loc", ()))),
               "code": err.get("type", "invalid")} for err in exc.errors()]
    return _render(request, status=422, code="request_invalid", detail="the request is invalid", errors=errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(status, f"http_{status}")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    if status == 404 and detail == "Not Found":
        detail = f"no resource at {request.url.path}"
    return _render(request, status=status, code=code, detail=detail, headers=dict(exc.headers or {}))


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    target = "/login?next=" + quote(exc.next_path, safe="/")
    if request.headers.get("hx-request"):  # htmx follows redirects inside the fragment; make it navigate instead
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _replay(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ReplayResponse)
    return exc.response


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(status=500, code="internal_error", detail="an unexpected error occurred; it was logged")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(ReplayResponse, _replay)
    app.add_exception_handler(Exception, _unexpected)
