"""Domain events: frozen past-tense facts that services emit and bootstrap routes to handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from xborder.kernel.clock import utcnow

__all__ = ["Event"]


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of all events. Subclasses are named in the past tense (ProductsImported)."""

    organization_id: str
    occurred_at: datetime = field(default_factory=utcnow)
