"""Benchmark: N product x market quotes through the batch path (shared plan cache, 2 processes) vs a naive loop
that rebuilds the reference data for every quote; checks batch == single on a sample.

Run: PYTHONPATH=src .venv/bin/python benchmarks/landed_cost.py --quotes 1000000 --workers 2
"""

from __future__ import annotations

import argparse
import random
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal

from xborder.kernel import Money
from xborder.pricing import (
    EcbReferenceRates,
    PricingData,
    QuoteRequest,
    landed_cost_to_dict,
    quote_batch,
    quote_landed_cost,
)

MARKETS = [("DE", "EUR"), ("FR", "EUR"), ("NL", "EUR"), ("IT", "EUR"), ("ES", "EUR"), ("PL", "PLN"),
           ("SE", "SEK"), ("GB", "GBP"), ("US", "USD")]
CODES = ["610910", "640299", "950300", "851830", "420292", "330499", "940360", "611030", "620462", "392410"]


def make_requests(n: int, seed: int) -> list[QuoteRequest]:
    rng = random.Random(seed)
    out = []
    on = date(2026, 3, 5)
    for _ in range(n):
        dest, _cur = rng.choice(MARKETS)
        out.append(QuoteRequest(
            origin="CN", destination=dest, hs_code=rng.choice(CODES),
            goods_value=Money(Decimal(rng.randint(100, 50000)).scaleb(-2), "USD"),
            shipping=Money(Decimal(rng.randint(0, 3000)).scaleb(-2), "USD"), on=on,
            incoterm="DDP" if rng.random() < 0.5 else "DAP", weight_kg=Decimal("0.4")))
    return out


def _chunk(args: tuple[int, int]) -> tuple[int, int]:
    n, seed = args
    data = PricingData(fx=EcbReferenceRates())
    ok = errors = 0
    for item in quote_batch(data, make_requests(n, seed)):
        ok += item.result is not None
        errors += item.error is not None
    return ok, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--naive", type=int, default=200, help="quotes for the naive per-quote loop")
    parser.add_argument("--check", type=int, default=10_000, help="sample size for batch == single")
    args = parser.parse_args()

    start = time.perf_counter()
    per = args.quotes // args.workers
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(_chunk, [(per, seed) for seed in range(args.workers)]))
    elapsed = time.perf_counter() - start
    ok = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    print(f"batch: {per * args.workers} quotes in {elapsed:.2f} s on {args.workers} workers "
          f"({per * args.workers / elapsed:,.0f}/s; {ok} ok, {errors} errors incl. ambiguous codes)")

    sample = make_requests(args.naive, 99)
    start = time.perf_counter()
    for request in sample:  # naive: reload schedules, facts and FX for every quote
        try:
            quote_landed_cost(PricingData(fx=EcbReferenceRates()), request=request)
        except Exception:
            continue
    naive = (time.perf_counter() - start) / len(sample)
    print(f"naive per-quote loop: {naive * 1000:.1f} ms/quote -> {naive * args.quotes / 3600:.1f} h for "
          f"{args.quotes} quotes")

    check = make_requests(args.check, 5)
    shared = PricingData(fx=EcbReferenceRates())
    batch = list(quote_batch(shared, check))
    fresh = PricingData(fx=EcbReferenceRates())
    mismatches = 0
    for request, item in zip(check, batch, strict=True):
        try:
            single = landed_cost_to_dict(quote_landed_cost(fresh, request=request))
        except Exception:
            mismatches += item.error is None
            continue
        mismatches += item.result is None or landed_cost_to_dict(item.result) != single
    print(f"batch == single on {args.check} random quotes: {mismatches} mismatches")


if __name__ == "__main__":
    main()
