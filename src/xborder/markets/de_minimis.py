"""Pure de minimis decision: does a consignment fall under a threshold for its origin, channel and schemes?

Pricing and compliance call this with thresholds from `MarketSnapshot.de_minimis_duty` / `.de_minimis_tax`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from xborder.kernel import ErrorDetail, Money, ValidationFailed
from xborder.markets.schema import DeMinimisThreshold

__all__ = ["DeMinimisDecision", "de_minimis_applies"]


@dataclass(frozen=True, slots=True)
class DeMinimisDecision:
    """`applies` is True when the value is at or under `threshold`; `threshold` is None when none matched."""

    applies: bool
    threshold: DeMinimisThreshold | None
    collection: Literal["border", "point_of_sale"] | None
    reason: str


def _matches(entry: DeMinimisThreshold, origin: str, channel: str | None, schemes: Collection[str]) -> bool:
    if entry.channels is not None and channel not in entry.channels:
        return False
    if entry.origins is not None and origin not in entry.origins:
        return False
    if entry.excluded_origins is not None and origin in entry.excluded_origins:
        return False
    return all(scheme in schemes for scheme in entry.requires or ())


def _specificity(entry: DeMinimisThreshold) -> tuple[int, int]:
    origin_rank = 2 if entry.origins is not None else 1 if entry.excluded_origins is not None else 0
    return origin_rank + (entry.channels is not None), 1 if entry.requires else 0


def de_minimis_applies(
    thresholds: Sequence[DeMinimisThreshold],
    *,
    value: Money,
    origin: str,
    channel: str | None = None,
    schemes: Collection[str] = (),
) -> DeMinimisDecision:
    """Decide whether `value` (already on the threshold's basis and in its currency) is under the de minimis.

    Thresholds are inclusive ("not exceeding"). When several entries match, the most specific one wins (listed
    origins, then excluded origins, then channel); an unknown `channel` only matches entries valid for all channels,
    so the decision errs towards collecting duty or tax.

    Args:
        thresholds: the de minimis entries in force (`[]` means there is none).
        value: consignment value on the entry's `basis` (customs, intrinsic, consignment or fair retail value).
        origin: ISO 3166-1 alpha-2 country the goods ship from.
        channel: postal, courier or freight; None when unknown.
        schemes: schemes the seller uses, e.g. {"ioss"}; entries with `requires` match only when all are present.

    Raises:
        ValidationFailed: `value` is in another currency than the matching threshold (convert first).
    """
    origin = origin.strip().upper()
    if not thresholds:
        return DeMinimisDecision(False, None, None, "no de minimis: every consignment is liable")
    candidates = [entry for entry in thresholds if _matches(entry, origin, channel, schemes)]
    if not candidates:
        return DeMinimisDecision(False, None, None,
                                 f"no de minimis for origin {origin} and channel {channel or 'unknown'}")
    best = max(candidates, key=_specificity)
    if value.currency != best.currency:
        raise ValidationFailed(
            f"value is in {value.currency} but the de minimis is {best.amount} {best.currency}: convert first",
            details=[ErrorDetail(message="currency differs from the threshold", field="value",
                                 code="markets.currency_mismatch")],
        )
    if value.amount <= best.amount:
        return DeMinimisDecision(True, best, best.collection,
                                 f"{value.amount} {value.currency} is within {best.amount} {best.currency} "
                                 f"({best.basis})")
    return DeMinimisDecision(False, best, None,
                             f"{value.amount} {value.currency} exceeds {best.amount} {best.currency} ({best.basis})")
