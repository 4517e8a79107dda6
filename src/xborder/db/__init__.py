"""Persistence foundation: declarative base, column types, engines, sessions and migrations."""

from xborder.db.base import (
    Base,
    MoneyAmount,
    Quantity,
    TimestampMixin,
    UtcDateTime,
    id_column,
    org_column,
    plain_decimal,
)
from xborder.db.engine import make_engine, make_session_factory, transaction

__all__ = [
    "Base",
    "MoneyAmount",
    "Quantity",
    "TimestampMixin",
    "UtcDateTime",
    "id_column",
    "make_engine",
    "make_session_factory",
    "org_column",
    "plain_decimal",
    "transaction",
]
