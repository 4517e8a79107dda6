"""The FastAPI application: container, job runner lifespan, /api/v1 routers, console, static files, error mapping.

`create_app()` with no arguments reads Settings from the environment (what `uvicorn --factory` calls).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from xborder import jobs
from xborder.bootstrap import Container, bootstrap
from xborder.settings import Settings
from xborder.web.api import API_PREFIX, OPENAPI_TAGS, api_routers
from xborder.web.middleware import SecurityHeadersMiddleware
from xborder.web.problems import Problem, install_problem_handlers

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def _console() -> Any | None:
    """The console package (routes + static files), when installed alongside the API."""
    try:
        return importlib.import_module("xborder.web.console")
    except ModuleNotFoundError as exc:
        if exc.name != "xborder.web.console":
            raise
        return None


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> FastAPI:
    owns_container = container is None
    if container is None:
        container = bootstrap(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner = None
        if container.settings.job_runner == "inprocess":
            runner = jobs.InProcessRunner(container.session_factory, registry=_registry(container),
                                          clock=container.clock)
            runner.start()
        app.state.job_runner = runner
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()
            app.state.job_runner = None
            if owns_container:
                container.dispose()

    app = FastAPI(
        title="xborder API",
        version="1",
        summary="Cross-border commerce operations: catalog, markets, HS codes, jobs.",
        description=("Authenticate with `Authorization: Bearer <token>` (create one at POST /api/v1/auth/tokens). "
                     "Errors are RFC 9457 `application/problem+json` with a stable `code`. Lists are "
                     "cursor-paginated (`cursor`, `limit`). Creating POSTs accept an `Idempotency-Key` header."),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        swagger_ui_oauth2_redirect_url=f"{API_PREFIX}/docs/oauth2-redirect",
        redoc_url=None,
        openapi_tags=OPENAPI_TAGS,
        lifespan=lifespan,
    )
    app.state.container = container
    app.state.job_runner = None
    install_problem_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    for router in api_routers():
        app.include_router(router, prefix=API_PREFIX)
    _ensure_problem_schema(app)

    console = _console()
    if console is not None and getattr(console, "router", None) is not None:
        app.include_router(console.router, include_in_schema=False)
        renderer = getattr(console, "render_error", None)
        if renderer is not None:
            app.state.html_error_renderer = renderer
        static_dir = getattr(console, "static_dir", None)
        if static_dir is not None and Path(static_dir).is_dir():
            app.mount("/static", StaticFiles(directory=static_dir), name="static")
    return app


def _registry(container: Container) -> jobs.HandlerRegistry:
    registry = getattr(container, "job_handlers", None)
    return registry if isinstance(registry, jobs.HandlerRegistry) else jobs.default_registry


def _ensure_problem_schema(app: FastAPI) -> None:
    """Problem responses reference #/components/schemas/Problem; make sure the schema is in the document."""
    base_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = base_openapi()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
            for name, sub in Problem.model_json_schema(ref_template="#/components/schemas/{model}").get(
                    "$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas["Problem"].pop("$defs", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
