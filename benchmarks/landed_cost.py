"""Benchmark: a catalog x markets batch of N quotes through `quote_figures` (plans shared per destination, origin,
HS and date; 2 processes) versus the explained single-quote path; checks batch == single on a random sample.

Run: PYTHONPATH=src .venv/bin/python benchmarks/landed_cost.py --quotes 1000000 --workers 2
The timed batch includes building the QuoteRequest of every row and loading the reference data in each worker.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal

from xborder.kernel import DomainError, Money
from xborder.pricing import (
    EcbReferenceRates,
    PricingData,
    QuoteRequest,
    figures_of,
    quote_batch,
    quote_figures,
    quote_landed_cost,
)

MARKETS = ["DE", "FR", "NL", "IT", "ES", "PL", "SE", "GB", "US", "JP", "KR", "CA", "SG", "AE", "BR"]
CODES = ["610910", "640299", "950300", "851830", "420292", "330499", "940360", "611030", "620462", "392410",
         "847130", "640391"]
ON = date(2026, 3, 5)


def products(n: int, seed: int) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """Catalog rows: HS code, unit value and shipping in USD, weight in kg."""
    rng = random.Random(seed)
    return [(rng.choice(CODES), Decimal(rng.randint(100, 50000)).scaleb(-2), Decimal(rng.randint(0, 3000)).scaleb(-2),
             Decimal(rng.randint(1, 40)).scaleb(-1)) for _ in range(n)]


def requests(rows: list[tuple[str, Decimal, Decimal, Decimal]], markets: list[str]) -> Iterator[QuoteRequest]:
    certified, none = frozenset({"remessa_conforme"}), frozenset()
    for index, (hs, value, shipping, weight) in enumerate(rows):
        price, freight = Money(value, "USD"), Money(shipping, "USD")  # one catalog row, quoted for every market
        incoterm = "DDP" if index % 2 else "DAP"
        registrations = certified if index % 3 else none
        for dest in markets:
            yield QuoteRequest(origin="CN", destination=dest, hs_code=hs, goods_value=price, shipping=freight, on=ON,
                               weight_kg=weight, incoterm=incoterm, registrations=registrations)


def _chunk(args: tuple[int, int]) -> tuple[int, int, float]:
    n_products, seed = args
    start = time.perf_counter()
    data = PricingData(fx=EcbReferenceRates())
    ok = errors = 0
    for item in quote_figures(data, requests(products(n_products, seed), MARKETS)):
        if isinstance(item, DomainError):
            errors += 1
        else:
            ok += 1
    return ok, errors, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--explained", type=int, default=20_000, help="quotes through the explained single path")
    parser.add_argument("--check", type=int, default=10_000, help="sample size for batch == single")
    args = parser.parse_args()

    per_worker = args.quotes // len(MARKETS) // args.workers
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(_chunk, [(per_worker, seed) for seed in range(args.workers)]))
    elapsed = time.perf_counter() - start
    ok, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    total = ok + errors
    print(f"quote_figures: {total:,} quotes ({per_worker * args.workers:,} products x {len(MARKETS)} markets) in "
          f"{elapsed:.2f} s wall on {args.workers} workers ({total / elapsed:,.0f}/s; worker times "
          f"{', '.join(f'{r[2]:.2f} s' for r in results)}); {ok:,} ok, {errors:,} explicit errors "
          "(unsourced headings, ambiguous codes)")

    sample = list(requests(products(args.explained // len(MARKETS), 7), MARKETS))
    data = PricingData(fx=EcbReferenceRates())
    list(quote_batch(data, sample[:500]))
    start = time.perf_counter()
    list(quote_batch(data, sample))
    explained = (time.perf_counter() - start) / len(sample)
    print(f"explained single path (shared cache, 1 process): {explained * 1e6:.0f} us/quote -> "
          f"{explained * args.quotes / args.workers:.0f} s for {args.quotes:,} quotes on {args.workers} workers")

    rng = random.Random(5)
    check = list(requests(products(args.check // len(MARKETS) + 1, 11), MARKETS))
    check = [replace_value(req, rng) for req in check[: args.check]]
    batch = list(quote_figures(PricingData(fx=EcbReferenceRates()), check))
    fresh = PricingData(fx=EcbReferenceRates())
    mismatches = 0
    for request, item in zip(check, batch, strict=True):
        try:
            single = figures_of(quote_landed_cost(fresh, request=request))
        except DomainError as exc:
            mismatches += not (isinstance(item, DomainError) and item.code == exc.code)
            continue
        mismatches += item != single
    print(f"quote_figures == explained single path on {len(check):,} random quotes: {mismatches} mismatches")


def replace_value(req: QuoteRequest, rng: random.Random) -> QuoteRequest:
    """Vary channel and seller currency too, so the check covers more plans than the timed batch."""
    from dataclasses import replace

    return replace(req, channel=rng.choice(["postal", "courier"]), seller_currency=rng.choice([None, "CNY", "EUR"]))


if __name__ == "__main__":
    main()
