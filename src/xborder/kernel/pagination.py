"""Cursor pagination: a page of items plus an opaque cursor for the next page (keyset, not offset)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

from xborder.kernel.errors import ValidationFailed

__all__ = ["Page", "decode_cursor", "encode_cursor"]

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(*key: str | int) -> str:
    """Encode the sort key of the last item seen into an opaque URL-safe string."""
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str | int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError):
        raise ValidationFailed("cursor: not a cursor returned by this API", code="invalid_cursor") from None
    if not isinstance(value, list):
        raise ValidationFailed("cursor: not a cursor returned by this API", code="invalid_cursor")
    return value
