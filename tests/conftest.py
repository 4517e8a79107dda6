"""Shared fixtures: settings, engines on SQLite (always) and PostgreSQL (when XBORDER_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from xborder.db import make_engine, make_session_factory
from xborder.db.migrate import upgrade
from xborder.kernel import FixedClock
from xborder.settings import Settings

POSTGRES_URL = os.environ.get("XBORDER_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def _worker_suffix() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def _postgres_engine() -> Iterator[Engine]:
    """One migrated database per xdist worker on the CI PostgreSQL server; tables are truncated per test."""
    assert POSTGRES_URL
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    name = f"xborder_test_{_worker_suffix()}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url, pool_size=5)
    _create_schema(engine)
    yield engine
    engine.dispose()


def _create_schema(engine: Engine) -> None:
    """Build the schema the way production does: the Alembic history from empty to head."""
    upgrade(engine)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per worker; each test gets a copy (migrating per test would cost ~0.5 s)."""
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"
    eng = make_engine(f"sqlite:///{path}")
    _create_schema(eng)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


def _truncate_postgres(engine: Engine) -> None:
    from xborder.db.models_registry import metadata

    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database. Parametrized: every integration test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), target)
        eng = make_engine(f"sqlite:///{target}")
        yield eng
        eng.dispose()
    else:
        eng = request.getfixturevalue("_postgres_engine")
        _truncate_postgres(eng)
        yield eng


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as s:
        yield s


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 22, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(engine: Engine, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=engine.url.render_as_string(hide_password=False),
                    job_runner="inprocess")
