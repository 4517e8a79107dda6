"""Identifiers: sortable random ids for rows and opaque secrets for tokens."""

from __future__ import annotations

import os
import secrets
import time

__all__ = ["new_id", "new_secret"]

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_id() -> str:
    """A 26-char time-sortable id (ULID layout, Crockford base32, lower case)."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        value, rem = divmod(value, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random secret (session ids, API tokens, CSRF tokens)."""
    return secrets.token_urlsafe(nbytes)
