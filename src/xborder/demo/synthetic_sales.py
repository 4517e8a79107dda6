"""Synthetic weekly order lines for the demo workspace (see data/sales_profile.yaml): seasonality, a Q4 ramp,
growth and Poisson noise, seeded per series so the same profile and end week always give the same CSV.

Pure: no session, no clock (the last week is an argument).
"""

from __future__ import annotations

import csv
import io
import math
import zlib
from datetime import date, timedelta
from typing import Any

import numpy as np

__all__ = ["black_friday", "synthetic_order_lines", "week_factor"]


def black_friday(year: int) -> date:
    """The day after the fourth Thursday of November."""
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return thursday + timedelta(weeks=3, days=1)


def _in_range(day: date, start: str, end: str) -> bool:
    key = day.strftime("%m-%d")
    return start <= key <= end


def week_factor(week_start: date, profile: dict[str, Any]) -> float:
    """Seasonal x Q4 multiplier of the week starting on `week_start` (a Monday)."""
    # cosine wave peaking in week 50 (mid-December)
    wave = 1 + float(profile["seasonal_amplitude"]) * math.cos(2 * math.pi * (week_start.isocalendar()[1] - 50) / 52)
    bf = black_friday(week_start.year)
    for rule in profile["q4"]:
        if rule.get("black_friday_week"):
            if week_start <= bf < week_start + timedelta(days=7):
                return wave * float(rule["factor"])
        elif _in_range(week_start, rule["from"], rule["to"]):
            return wave * float(rule["factor"])
    return wave


def synthetic_order_lines(profile: dict[str, Any], *, last_week: date) -> bytes:
    """One order line per SKU x market x week (quantity = that week's units, dated the week's Wednesday), as the
    sales-import CSV (order_id, sku, quantity, ordered_at, market). `last_week` is the Monday of the last week."""
    if last_week.weekday() != 0:
        raise ValueError("last_week must be a Monday")
    weeks = int(profile["weeks"])
    growth = float(profile["growth_per_year"])
    prefix = str(profile["order_id_prefix"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["order_id", "sku", "quantity", "ordered_at", "market"])
    for sku, markets in sorted(profile["series"].items()):
        for market, mean in sorted(markets.items()):
            rng = np.random.default_rng(zlib.crc32(f"{sku}@{market}".encode()))
            for index in range(weeks):
                start = last_week - timedelta(weeks=weeks - 1 - index)
                trend = (1 + growth) ** ((index - weeks + 1) / 52)  # the last week is at the profile's mean level
                units = int(rng.poisson(float(mean) * trend * week_factor(start, profile)))
                if units:
                    writer.writerow([f"{prefix}-{sku}-{market}-{start.isoformat()}", sku, units,
                                     (start + timedelta(days=2)).isoformat(), market])
    return out.getvalue().encode("utf-8")
