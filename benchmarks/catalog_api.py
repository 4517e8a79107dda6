"""Catalog list/search under load: 100,000 variants, 32 concurrent clients, server-side p50/p95/p99 and requests/s.

Seeds a fresh database through the real import, serves the app with uvicorn in a subprocess and reads each
response's `Server-Timing: app;dur=<ms>` header. SQLite always; PostgreSQL when XBORDER_BENCH_POSTGRES_URL is set.

    python benchmarks/catalog_api.py [--variants 100000] [--seconds 20] [--clients 32] [--workers 2] [--rate 0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from _api_harness import RawConnection, fresh_tenant, percentile, serve
from sqlalchemy import text

from xborder import catalog
from xborder.db import make_session_factory, transaction
from xborder.settings import ImportLimits

WORDS = ["wireless", "earbuds", "charger", "cable", "speaker", "lamp", "kettle", "mouse", "keyboard", "adapter",
         "headphones", "powerbank", "fan", "heater", "blender", "toy", "watch", "scale", "router", "camera"]
BRANDS = ["Shengyue", "Lumina", "Kettlex", "Voltra", "Aurio", "Pandacraft", "Nordwind", "Sakura"]
HS = ["851830", "850440", "854442", "851822", "940549", "851671", "847160", "950300", "910219", "852589"]
# dense and sparse substrings, a term matching nothing, and a short (prefix-path) query
SEARCHES = ["wireless", "earbuds 0042", "lumina", "sku-00123", "kettle", "851830", "sakura lamp", "router",
            "no-such-thing", "lu"]


@dataclass
class Samples:
    server_ms: dict[str, list[float]] = field(default_factory=lambda: {"list": [], "search": []})
    client_ms: dict[str, list[float]] = field(default_factory=lambda: {"list": [], "search": []})
    errors: int = 0


def _catalog_csv(variants: int, per_product: int = 10) -> bytes:
    rng = random.Random(7)
    lines = ["product_id,sku,variant_name,title,brand,category,hs_code,origin_country,cost_price,cost_currency,"
             "net_weight_kg"]
    for i in range(variants):
        product = i // per_product
        word = WORDS[product % len(WORDS)]
        brand = BRANDS[product % len(BRANDS)]
        lines.append(f"P{product:06d},SKU-{i:06d},model {rng.randint(1, 99)},{brand} {word} {product:04d},{brand},"
                     f"{word},{HS[product % len(HS)]},CN,"
                     f"{rng.randint(100, 99999) / 100:.2f},CNY,{rng.randint(10, 5000) / 1000:.3f}")
    return ("\n".join(lines) + "\n").encode()


def seed(url: str, variants: int) -> str:
    """Create the schema, one organization with a token, and `variants` SKUs; returns the API token."""
    engine, org_id, token = fresh_tenant(url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with transaction(factory) as s:
        report = catalog.import_products(s, organization_id=org_id, filename="bench.csv",
                                         content=_catalog_csv(variants), limits=ImportLimits())
    if report.errors:
        raise SystemExit(f"seed import failed: {report.errors[:3]}")
    print(f"  seeded {report.variants_created:,} variants in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    # planner statistics and (PostgreSQL) the visibility map, as autovacuum gives a running system after an import
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()
    return token


async def _client(conn: RawConnection, samples: Samples, stop_at: float, rng: random.Random,
                  interval: float) -> None:
    """Back-to-back requests (closed loop), or one every `interval` seconds on average (an offered rate)."""
    cursor: str | None = None
    next_at = time.monotonic() + rng.random() * interval
    while time.monotonic() < stop_at:
        if interval:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += rng.expovariate(1 / interval)
        if rng.random() < 0.5:
            kind, params = "list", {"limit": 50} | ({"cursor": cursor} if cursor else {})
        else:
            kind, params = "search", {"q": rng.choice(SEARCHES), "limit": 50}
        started = time.perf_counter()
        status, headers, body = await conn.request("GET", f"/api/v1/variants?{urlencode(params)}")
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            samples.errors += 1
            continue
        timing = headers.get("server-timing", "")
        samples.server_ms[kind].append(float(timing.split("dur=", 1)[1]) if "dur=" in timing else elapsed)
        samples.client_ms[kind].append(elapsed)
        if kind == "list":
            # Walk pages, jumping back to the start now and then, so deep cursors are exercised too.
            cursor = json.loads(body)["next_cursor"] if rng.random() < 0.9 else None


async def drive(base: str, token: str, *, clients: int, seconds: float, rate: float) -> tuple[Samples, float]:
    samples = Samples()
    connections = [RawConnection.to(base, token) for _ in range(clients)]
    for conn in connections:  # warm-up: every worker process has finished starting
        await conn.request("GET", "/api/v1/variants?limit=50")
    started = time.monotonic()
    stop_at = started + seconds
    interval = clients / rate if rate else 0.0
    await asyncio.gather(*(_client(conn, samples, stop_at, random.Random(i), interval)
                           for i, conn in enumerate(connections)))
    wall = time.monotonic() - started
    for conn in connections:
        conn.close()
    return samples, wall


def run(backend: str, url: str, data_dir: Path, args: argparse.Namespace) -> list[str]:
    print(f"[{backend}] seeding {args.variants:,} variants ...", file=sys.stderr)
    token = seed(url, args.variants)
    proc, base = serve(url, data_dir, args.workers)
    try:
        print(f"[{backend}] {args.clients} clients for {args.seconds:.0f} s against {base}", file=sys.stderr)
        samples, wall = asyncio.run(drive(base, token, clients=args.clients, seconds=args.seconds,
                                          rate=args.rate))
    finally:
        proc.terminate()
        proc.wait(30)
    rows = []
    for kind in ("list", "search"):
        server = samples.server_ms[kind]
        client_p99 = percentile(samples.client_ms[kind], 99)
        rows.append(f"| {backend} | {kind} | {len(server):,} | {len(server) / wall:,.0f} | "
                    f"{percentile(server, 50):.1f} | {percentile(server, 95):.1f} | {percentile(server, 99):.1f} | "
                    f"{client_p99:.1f} |")
    total = sum(len(v) for v in samples.server_ms.values())
    rows.append(f"| {backend} | all | {total:,} | {total / wall:,.0f} | "
                f"{percentile(samples.server_ms['list'] + samples.server_ms['search'], 50):.1f} | "
                f"{percentile(samples.server_ms['list'] + samples.server_ms['search'], 95):.1f} | "
                f"{percentile(samples.server_ms['list'] + samples.server_ms['search'], 99):.1f} | "
                f"{percentile(samples.client_ms['list'] + samples.client_ms['search'], 99):.1f} |")
    if samples.errors:
        rows.append(f"| {backend} | errors | {samples.errors} | | | | | |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--rate", type=float, default=0, help="offered requests/s over all clients (Poisson "
                        "arrivals); 0 = every client sends its next request as soon as the last one returns")
    args = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="xborder-bench-") as tmp:
        data_dir = Path(tmp)
        rows += run("sqlite", f"sqlite:///{data_dir / 'bench.sqlite3'}", data_dir, args)
        pg_url = os.environ.get("XBORDER_BENCH_POSTGRES_URL")
        if pg_url:
            rows += run("postgresql", pg_url, data_dir, args)
    load = f"offered {args.rate:g} req/s" if args.rate else "closed loop"
    print(f"\nCatalog API, {args.variants:,} variants, {args.clients} concurrent clients ({load}), "
          f"{args.seconds:.0f} s, {args.workers} uvicorn worker(s), {os.cpu_count()} CPUs; "
          "latencies in ms (server = Server-Timing)\n")
    print("| backend | request | requests | req/s | server p50 | server p95 | server p99 | client p99 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
