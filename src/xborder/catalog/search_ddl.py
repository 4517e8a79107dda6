"""Schema objects behind substring search that differ per backend, so table metadata cannot declare them: the
SQLite FTS5 trigram table with its sync triggers, the PostgreSQL pg_trgm extension and GIN index. Used by
`create_all` (via table events) and by the migrations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from xborder.kernel import DomainError

__all__ = ["FTS_TABLE", "PREFIX_INDEX", "TRGM_INDEX", "UNMANAGED_NAMES", "SearchIndexUnavailable", "attach",
           "install", "rebuild", "uninstall"]

FTS_TABLE = "catalog_variant_fts"
TRGM_INDEX = "ix_catalog_variant_search_trgm"
PREFIX_INDEX = "ix_catalog_variant_search_prefix"
# Made here, not by the models: migration comparisons must ignore them (FTS5 adds its shadow tables itself).
UNMANAGED_NAMES = frozenset({FTS_TABLE, TRGM_INDEX, PREFIX_INDEX,
                             *(f"{FTS_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))})
_PG_CREATE = (
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON catalog_variant USING gin (search_text gin_trgm_ops)",
    # LIKE 'x%' for short queries (search_text starts with the lower-cased SKU); the trigram index would have to
    # recheck every row with a word starting with x
    f"CREATE INDEX IF NOT EXISTS {PREFIX_INDEX} ON catalog_variant (organization_id, search_text varchar_pattern_ops)",
)

# External content: the index stores trigram postings only and reads text from catalog_variant by rowid. The
# triggers keep it in step with every write path (ORM, Core bulk, upserts, foreign-key cascades).
_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, content='catalog_variant', "
    "content_rowid='rowid', tokenize='trigram', columnsize=0)",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON catalog_variant BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON catalog_variant BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON catalog_variant "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
)
_SQLITE_DROP = (*(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}" for suffix in ("ai", "ad", "au")),
                f"DROP TABLE IF EXISTS {FTS_TABLE}")


class SearchIndexUnavailable(DomainError):
    code = "catalog.search_index_unavailable"
    status_hint = 500


def _ensure_pg_trgm(connection: Connection) -> None:
    if connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return
    try:
        with connection.begin_nested():
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except DBAPIError as exc:
        database = connection.engine.url.database
        raise SearchIndexUnavailable(
            f"catalog search needs the PostgreSQL extension pg_trgm, which this role cannot create ({exc.orig}). "
            f"Install the server's contrib modules (Debian's postgresql package ships them) and run "
            f"'CREATE EXTENSION pg_trgm;' as a superuser in database {database!r}, then retry.") from None


def install(connection: Connection) -> None:
    """Create the dialect's search objects that the Index definitions rely on (idempotent)."""
    if connection.dialect.name == "postgresql":
        _ensure_pg_trgm(connection)
        for statement in _PG_CREATE:
            connection.execute(text(statement))
    elif connection.dialect.name == "sqlite":
        for statement in _SQLITE_CREATE:
            connection.execute(text(statement))


def rebuild(connection: Connection) -> None:
    """Re-read every variant into the SQLite trigram index, e.g. after a migration rebuilt catalog_variant (a batch
    table copy drops the triggers and may renumber rowids): call `install` then `rebuild`. No-op elsewhere."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def uninstall(connection: Connection) -> None:
    """Drop the trigram index (PostgreSQL keeps the extension: other objects may use it)."""
    if connection.dialect.name == "postgresql":
        for name in (TRGM_INDEX, PREFIX_INDEX):
            connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
    elif connection.dialect.name == "sqlite":
        for statement in _SQLITE_DROP:
            connection.execute(text(statement))


def _before_create(_table: Table, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "postgresql":
        _ensure_pg_trgm(connection)


def _after_create(_table: Table, connection: Connection, **_kw: Any) -> None:
    install(connection)


def _before_drop(_table: Table, connection: Connection, **_kw: Any) -> None:
    uninstall(connection)


def attach(table: Table) -> None:
    """Wire the search objects to `create_all`/`drop_all` of the variant table and mark them unmanaged."""
    event.listen(table, "before_create", _before_create)
    event.listen(table, "after_create", _after_create)
    event.listen(table, "before_drop", _before_drop)
    table.metadata.info.setdefault("unmanaged_names", set()).update(UNMANAGED_NAMES)
