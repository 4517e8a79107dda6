"""Password hashing with argon2id; costs come from SecuritySettings so tests and production differ only in config."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from xborder.settings import SecuritySettings

__all__ = ["hash_password", "needs_rehash", "verify_password"]


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID)


def _for(settings: SecuritySettings) -> PasswordHasher:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib)


def hash_password(password: str, *, settings: SecuritySettings) -> str:
    return _for(settings).hash(password)


def verify_password(password_hash: str, password: str, *, settings: SecuritySettings) -> bool:
    try:
        return _for(settings).verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, *, settings: SecuritySettings) -> bool:
    return _for(settings).check_needs_rehash(password_hash)
