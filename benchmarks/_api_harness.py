"""Shared pieces of the API load benchmarks: a fresh database with one tenant and token, the app under uvicorn in a
subprocess, and percentiles. Imported by catalog_api.py and quote_api.py (run from this folder)."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx  # only to wait for the server to start
from sqlalchemy import Engine

from xborder import identity
from xborder.db import make_engine, make_session_factory, transaction
from xborder.db.models_registry import metadata
from xborder.kernel import SystemClock
from xborder.settings import SecuritySettings

__all__ = ["fresh_tenant", "percentile", "serve"]


def fresh_tenant(url: str) -> tuple[Engine, str, str]:
    """Recreate the schema, add one organization with an owner and an API token: (engine, organization id, token)."""
    engine = make_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    security = SecuritySettings(argon2_time_cost=1, argon2_memory_kib=8192)
    now = SystemClock().now()
    with transaction(make_session_factory(engine)) as s:
        org = identity.create_organization(s, name="Bench Seller", slug="bench")
        user = identity.create_user(s, email="bench@example.com", password="bench-password", display_name="Bench",
                                    settings=security)
        identity.add_member(s, organization_id=org.id, user_id=user.id, role="owner")
        principal = identity.sign_in(s, email="bench@example.com", password="bench-password", ip=None,
                                     user_agent=None, settings=security, now=now).principal
        token = identity.issue_api_token(s, principal=principal, name="bench", now=now).token
    return engine, org.id, token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start `uvicorn xborder.web.app:create_app` on a free port; return the process and its base URL."""
    port = _free_port()
    env = {**os.environ, "XBORDER_DATABASE_URL": url, "XBORDER_DATA_DIR": str(data_dir),
           "XBORDER_JOB_RUNNER": "external"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "xborder.web.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                time.sleep(2 * workers)  # the other workers start in parallel; give them a moment
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("uvicorn did not start")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (q in 0.1 steps, e.g. 99 or 99.9); NaN for no values."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]
