"""Compliance integration fixtures: two organizations with a small catalog imported through the real importer,
a local HTTP receiver for webhooks and a local SMTP receiver (both on 127.0.0.1, stopped after each test)."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from sqlalchemy.orm import Session

from xborder import catalog
from xborder.identity.models import Organization
from xborder.settings import ImportLimits

CATALOG_CSV = ("product_id,sku,title,hs_code,origin_country,battery_chemistry,battery_wh,battery_packing,voltage_v,"
               "wireless_bands,age_group,materials\n") + """\
P1,SPK-01,Bluetooth speaker,851822,CN,li_ion,7.4,contained_in_equipment,5,Bluetooth 5.0,adult,ABS
P2,EAR-01,Bluetooth earphones,851830,CN,li_ion,0.5,contained_in_equipment,5,Bluetooth 5.3,adult,ABS
P3,KET-01,Electric kettle,851679,CN,,,none,220-240,none,adult,stainless steel
P4,TOY-01,Building blocks,950300,CN,,,none,,none,child,ABS
P5,TEE-01,Cotton T-shirt,610910,CN,,,none,,none,adult,cotton
"""
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def make_org(session: Session) -> Callable[[str], str]:
    def make(slug: str) -> str:
        org = Organization(name=slug.title(), slug=slug, kind="seller")
        session.add(org)
        session.commit()
        return org.id

    return make


@pytest.fixture
def seller(session: Session, make_org: Callable[[str], str]) -> str:
    org = make_org("shengyue")
    report = catalog.import_products(session, organization_id=org, filename="catalog.csv",
                                     content=CATALOG_CSV.encode(), limits=ImportLimits())
    assert report.written, report.errors
    session.commit()
    return org


@pytest.fixture
def rival(make_org: Callable[[str], str]) -> str:
    return make_org("rival")


@dataclass
class Received:
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to give, in order; then 200


@pytest.fixture
def webhook_server() -> Iterator[tuple[str, Received]]:
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append({"headers": dict(self.headers), "body": body})
            status = received.statuses.pop(0) if received.statuses else 200
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/xborder", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[str]]]:
    """A minimal SMTP receiver speaking just enough of RFC 5321 for smtplib."""
    messages: list[str] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 localhost test SMTP\r\n")
            data: list[str] | None = None
            while line := self.rfile.readline():
                text = line.decode("utf-8", "replace").rstrip("\r\n")
                if data is not None:
                    if text == ".":
                        messages.append("\n".join(data))
                        data = None
                        self.wfile.write(b"250 OK queued\r\n")
                    else:
                        data.append(text[1:] if text.startswith("..") else text)
                    continue
                verb = text.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.wfile.write(b"250 localhost\r\n")
                elif verb == "DATA":
                    data = []
                    self.wfile.write(b"354 end with .\r\n")
                elif verb == "QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 OK\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], messages
    server.shutdown()
    server.server_close()
