"""Shared pieces of the API load benchmarks: a fresh database with one tenant and token, the app under uvicorn in a
subprocess, a minimal keep-alive HTTP client, and percentiles. Imported by catalog_api.py and quote_api.py (run
from this folder)."""

from __future__ import annotations

import asyncio
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

__all__ = ["RawConnection", "fresh_tenant", "percentile", "serve"]


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


class RawConnection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for these requests.

    httpx costs a few ms of CPU per request; on a 2-core machine shared with the server that would be measured as
    server latency, so the load generator stays as light as possible.
    """

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.headers = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    @classmethod
    def to(cls, base: str, token: str) -> RawConnection:
        host, port = base.removeprefix("http://").split(":")
        return cls(host, int(port), token)

    async def request(self, method: str, target: str, body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        extra = f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n" if body is not None else ""
        self.writer.write(f"{method} {target} HTTP/1.1\r\n{self.headers}{extra}\r\n".encode() + (body or b""))
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in head[1:] if line)}
        payload = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
