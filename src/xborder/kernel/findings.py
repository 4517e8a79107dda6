"""Findings: what checks and rules return instead of raising (code, severity, message, reference)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Finding", "Reference", "Severity"]


class Severity(str, Enum):
    CRITICAL = "critical"
    FUNCTIONAL = "functional"
    COSMETIC = "cosmetic"


@dataclass(frozen=True, slots=True)
class Reference:
    """Where a fact or rule comes from: a title and a URL."""

    title: str
    href: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a check. `code` is a stable slug equal to the check or rule id."""

    code: str
    severity: Severity
    message: str
    reference: Reference | None = None
    field: str | None = None
