"""The one Alembic history builds exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from xborder.db import make_engine
from xborder.db.migrate import upgrade
from xborder.db.models_registry import metadata

POSTGRES_URL = os.environ.get("XBORDER_TEST_POSTGRES_URL")




@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_upgrade_from_empty_to_head_matches_models(backend: str, tmp_path: Path) -> None:
    if backend == "postgres":
        if not POSTGRES_URL:
            pytest.skip("XBORDER_TEST_POSTGRES_URL not set")
        admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "xborder_migrations" WITH (FORCE)'))
            conn.execute(text('CREATE DATABASE "xborder_migrations"'))
        admin.dispose()
        url = POSTGRES_URL.rsplit("/", 1)[0] + "/xborder_migrations"
    else:
        url = f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        unmanaged = metadata.info.get("unmanaged_names", ())  # made by model DDL events, e.g. SQLite FTS5 tables
        opts = {"compare_type": False, "include_name": lambda name, _kind, _parents: name not in unmanaged}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert not diff, f"models and migrations differ (generate a revision): {diff}"
    assert {t.name for t in metadata.sorted_tables} <= tables


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    engine.dispose()
