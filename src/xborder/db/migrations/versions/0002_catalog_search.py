"""catalog search and stats: trigram substring index (SQLite FTS5 / PostgreSQL pg_trgm GIN), prefix + stats indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:00:00

SQLite: `catalog_variant_fts` is an external-content FTS5 table kept in step by triggers. A later revision that
rebuilds catalog_variant in batch mode drops those triggers and may renumber rowids: it must end with
`search_ddl.install(op.get_bind())` and `search_ddl.rebuild(op.get_bind())`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xborder.catalog import search_ddl

# frozen copy of xborder.catalog.models.WIRELESS_SQL as of this revision
WIRELESS_SQL = "wireless_bands IS NOT NULL AND CAST(wireless_bands AS VARCHAR) != '[]'"

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("catalog_product", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_product_org_brand", ["organization_id", "brand"], unique=False,
                              postgresql_ops={"brand": "varchar_pattern_ops"})
    with op.batch_alter_table("catalog_variant", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_variant_org_stats", ["organization_id", "origin_country", "hs_code",
                                                               "battery_packing", "battery_chemistry", "battery_wh",
                                                               "net_weight_kg"], unique=False)
        batch_op.create_index("ix_catalog_variant_org_wireless", ["organization_id"], unique=False,
                              sqlite_where=sa.text(WIRELESS_SQL), postgresql_where=sa.text(WIRELESS_SQL))
    # PostgreSQL: pg_trgm (a clear error if this role cannot create it) + GIN index; SQLite: FTS5 table + triggers,
    # after any batch table copy, then filled with the variants that existed before this revision
    search_ddl.install(bind)
    search_ddl.rebuild(bind)


def downgrade() -> None:
    with op.batch_alter_table("catalog_variant", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_variant_org_wireless")
        batch_op.drop_index("ix_catalog_variant_org_stats")
    with op.batch_alter_table("catalog_product", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_product_org_brand")
    search_ddl.uninstall(op.get_bind())
