"""A new pack version fetched from an http(s) feed (a bundle document), served by a local HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import yaml

from xborder import compliance
from xborder.compliance.monitoring import library_documents
from xborder.kernel import ValidationFailed


@pytest.fixture
def feed() -> Iterator[tuple[str, dict[str, bytes]]]:
    documents: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            if body is not None:
                self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", documents
    server.shutdown()
    server.server_close()


def test_bundle_from_url_updates_one_pack_and_keeps_the_others(feed) -> None:
    base_url, documents = feed
    current = compliance.load_library()
    kr = library_documents(current)["kr"]
    kr["version"] = "2027.1.0"
    kr["rules"][0]["valid_from"] = "2021-01-01"
    documents["/packs.yaml"] = yaml.safe_dump({"packs": [kr]}, allow_unicode=True).encode()
    new = compliance.load_library_from(f"{base_url}/packs.yaml", base=current)
    assert new.versions["kr"] == "2027.1.0" and new.versions["jp"] == current.versions["jp"]
    (change,) = compliance.diff_libraries(current, new)
    assert (change.rule_id, change.change, change.markets) == ("kr.kc.electrical_safety", "dates_moved", ("KR",))


def test_malformed_feed_is_rejected(feed) -> None:
    base_url, documents = feed
    documents["/bad.yaml"] = (b"packs:\n  - {jurisdiction: KR, version: '1', published_on: 2027-01-01,"
                               b" rules: [{id: x}]}\n")
    with pytest.raises(ValidationFailed) as exc:
        compliance.load_library_from(f"{base_url}/bad.yaml", base=compliance.load_library())
    assert any("kr/rules.yaml" in (d.field or "") for d in exc.value.details)
