"""Engine and session factory: SQLite (WAL, foreign keys, synchronous=FULL) by default, PostgreSQL at scale."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["make_engine", "make_session_factory", "transaction"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Money and ledger rows: an acknowledged commit must survive power loss.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def make_engine(url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int | None = None) -> Engine:
    """Create an engine with the per-backend settings the product relies on (`max_overflow` defaults to
    `pool_size`; an in-memory SQLite database keeps SQLAlchemy's own single-connection pool)."""
    overflow = pool_size if max_overflow is None else max_overflow
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        file_backed = bool(path) and path != ":memory:" and not path.startswith("file:") and "///" in url
        if file_backed:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        pool: dict[str, Any] = {"pool_size": pool_size, "max_overflow": overflow} if file_backed else {}
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 15}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_size=pool_size, max_overflow=overflow, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
