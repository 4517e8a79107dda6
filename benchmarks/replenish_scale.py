"""Replenishment MILP at the target size: 1,000 SKUs x 10 warehouses (2 domestic in CN, 8 overseas/forward in
Europe) x 4 modes, 12 weekly periods, MOQ on every line, capacity and a freight budget; prints time and gap.

    PYTHONPATH=src .venv/bin/python benchmarks/replenish_scale.py [--skus 1000] [--time-limit 25]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from decimal import Decimal

import numpy as np

from xborder.inventory.lanes import load_lanes
from xborder.inventory.plan import DemandOutlook, PlanInput, Site, SkuSpec, optimize_replenishment


def scenario(n_skus: int, seed: int = 0, weeks: int = 12, budget: Decimal | None = Decimal(400_000)) -> PlanInput:
    rng = np.random.default_rng(seed)
    sources = [Site("SZ", "domestic", "CN", None, Decimal("0.5"), Decimal("0.1")),
               Site("YW", "domestic", "CN", None, Decimal("0.5"), Decimal("0.1"))]
    dest_countries = ["DE", "DE", "FR", "GB", "IT", "ES", "NL", "PL"]
    dests = [Site(f"{cc}-{k}", "forward" if k % 3 == 2 else "overseas", cc, Decimal(1200), Decimal("4.5"),
                  Decimal("0.35")) for k, cc in enumerate(dest_countries)]
    skus = [SkuSpec(f"SKU{i:04d}", Decimal(str(round(rng.uniform(0.1, 3), 2))),
                    Decimal(str(round(rng.uniform(0.0005, 0.02), 4))), Decimal(str(round(rng.uniform(1, 6), 2))),
                    moq=int(rng.choice([1, 10, 24, 50]))) for i in range(n_skus)]
    demand, position, available = [], {}, {}
    for spec in skus:
        for site in sources:
            available[(site.code, spec.sku)] = int(rng.integers(0, 3000))
        for site in dests:
            rate = rng.gamma(1.2, 6)
            mean = tuple(float(rate * (1 + 0.3 * np.sin(t / 3))) for t in range(weeks))
            demand.append(DemandOutlook(spec.sku, site.code, mean, tuple(float(np.sqrt(m) + 0.3 * m) for m in mean)))
            position[(site.code, spec.sku)] = int(rng.integers(0, 40))
    return PlanInput(currency="EUR", today=date(2026, 6, 1), skus=skus, sites=sources + dests, position=position,
                     source_available=available, demand=demand, lanes=load_lanes(),
                     fx={"USD": Decimal("0.92"), "CNY": Decimal("0.128")}, budget=budget)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=25.0)
    args = parser.parse_args()
    data = scenario(args.skus)
    data = PlanInput(**{**data.__dict__, "time_limit_s": args.time_limit})
    start = time.perf_counter()
    plan = optimize_replenishment(data)
    total = time.perf_counter() - start
    modes: dict[str, int] = {}
    for s in plan.shipments:
        modes[s.mode] = modes.get(s.mode, 0) + s.quantity
    print(json.dumps({
        "skus": args.skus, "warehouses": len(data.sites), "modes": 4, "variables": plan.variables,
        "binaries": plan.binaries, "method": plan.method, "status": plan.status, "mip_gap": plan.mip_gap,
        "solve_seconds": round(plan.solve_seconds, 2), "total_seconds": round(total, 2),
        "shipments": len(plan.shipments), "units_by_mode": modes, "freight": str(plan.freight_cost),
        "mean_service_level": round(float(np.mean([ln.expected_service_level for ln in plan.lines])), 3),
    }, indent=1))


if __name__ == "__main__":
    main()
