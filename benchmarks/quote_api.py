"""Single landed-cost quote over the API under load: POST /api/v1/quotes from 32 concurrent clients, p50/p95/p99.

Serves the app with uvicorn in a subprocess (SQLite, one organization and API token), drives it with keep-alive
raw HTTP/1.1 clients (so the load generator costs little CPU) sending varied quotes (markets, origins, values,
dates) and reads each response's `Server-Timing: app;dur=<ms>` header (time in the app) besides the
client-measured latency (which includes queueing).
`--think-ms` paces each client (0 = closed loop, every client sends its next request at once).

    python benchmarks/quote_api.py [--seconds 20] [--clients 32] [--workers 2] [--think-ms 0]
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

from _api_harness import RawConnection, fresh_tenant, percentile, serve

# (dest, currency, hs, date): combinations the shipped data covers (duty lines, VAT, de minimis, FX on the date)
CASES = [("DE", "EUR", "610910", "2025-03-01"), ("FR", "EUR", "851830", "2025-05-12"),
         ("GB", "GBP", "640299", "2025-02-03"), ("US", "USD", "851830", "2025-06-02"),
         ("US", "USD", "610910", "2024-11-04"), ("JP", "JPY", "950300", "2025-04-01"),
         ("DE", "CNY", "851822", "2025-09-01"), ("GB", "USD", "94054010", "2025-07-07")]


@dataclass
class Samples:
    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)


def seed(url: str) -> str:
    """Create the schema, one organization with an owner and an API token; returns the token."""
    engine, _, token = fresh_tenant(url)
    engine.dispose()
    return token


def _body(rng: random.Random) -> dict[str, object]:
    dest, currency, hs, on = rng.choice(CASES)
    return {"origin": rng.choice(["CN", "CN", "VN", "IN"]), "dest": dest, "hs": hs, "currency": currency,
            "value": f"{rng.randint(500, 90000) / 100:.2f}", "shipping": f"{rng.randint(0, 3000) / 100:.2f}",
            "quantity": rng.randint(1, 5), "date": on, "incoterm": rng.choice(["DAP", "DDP"])}


async def _client(conn: RawConnection, samples: Samples, stop_at: float, rng: random.Random,
                  think_s: float) -> None:
    while time.monotonic() < stop_at:
        body = json.dumps(_body(rng)).encode()
        started = time.perf_counter()
        status, headers, payload = await conn.request("POST", "/api/v1/quotes", body)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            key = f"{status} {json.loads(payload).get('code', '')}"
            samples.errors[key] = samples.errors.get(key, 0) + 1
        else:
            timing = headers.get("server-timing", "")
            samples.server_ms.append(float(timing.split("dur=", 1)[1].split(",")[0]) if "dur=" in timing
                                     else elapsed)
            samples.client_ms.append(elapsed)
        if think_s:
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))


async def drive(base: str, token: str, *, clients: int, seconds: float, think_ms: float) -> tuple[Samples, float]:
    samples = Samples()
    connections = [RawConnection.to(base, token) for _ in range(clients)]

    async def warm_up(conn: RawConnection, rng: random.Random) -> None:
        for _ in range(25):
            await conn.request("POST", "/api/v1/quotes", json.dumps(_body(rng)).encode())

    # Warm-up over all connections at once (keep-alive pins a connection to one worker), so every worker has
    # loaded the schedules, facts and FX of the cases before the measurement.
    await asyncio.gather(*(warm_up(conn, random.Random(1000 + i)) for i, conn in enumerate(connections)))
    started = time.monotonic()
    await asyncio.gather(*(_client(conn, samples, started + seconds, random.Random(i), think_ms / 1000)
                           for i, conn in enumerate(connections)))
    wall = time.monotonic() - started
    for conn in connections:
        conn.close()
    return samples, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--think-ms", type=float, default=0, help="mean pause between a client's requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xborder-bench-") as tmp:
        data_dir = Path(tmp)
        url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        token = seed(url)
        proc, base = serve(url, data_dir, args.workers)
        try:
            print(f"{args.clients} clients for {args.seconds:.0f} s against {base}", file=sys.stderr)
            samples, wall = asyncio.run(drive(base, token, clients=args.clients, seconds=args.seconds,
                                              think_ms=args.think_ms))
        finally:
            proc.terminate()
            proc.wait(30)
    n = len(samples.client_ms)
    print(f"\nPOST /api/v1/quotes, {args.clients} concurrent clients (think {args.think_ms:g} ms), "
          f"{args.seconds:.0f} s, {args.workers} uvicorn worker(s), {os.cpu_count()} CPUs, SQLite; ms\n")
    print("| quotes | quotes/s | server p50 | server p95 | server p99 | client p50 | client p95 | client p99 |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    s, c = samples.server_ms, samples.client_ms
    print(f"| {n:,} | {n / wall:,.0f} | {percentile(s, 50):.2f} | {percentile(s, 95):.2f} | {percentile(s, 99):.2f} | "
          f"{percentile(c, 50):.2f} | {percentile(c, 95):.2f} | {percentile(c, 99):.2f} |")
    if samples.errors:
        print(f"\nerrors: {samples.errors}")


if __name__ == "__main__":
    main()
