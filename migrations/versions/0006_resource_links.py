"""Relationships: the `resource_links` table and the `resource_links_dangling` view.

Revision ID: 0006_resource_links
Revises: 0005_type_names
Create Date: 2025-01-06 00:00:00

Written out in full (not imported from collector.store.models) so that this keeps describing
revision 0006. Existing inventories start with no edges: the next run writes them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_resource_links"
down_revision: str | Sequence[str] | None = "0005_type_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same text as collector.store.links.DANGLING_VIEW (which `--as-of` recreates over the
# past); written out here so that this revision keeps describing itself.
DANGLING_VIEW = (
    "CREATE VIEW resource_links_dangling AS "
    "SELECT l.source_arn AS source_arn, l.kind AS kind, l.target_arn AS target_arn, "
    "l.target_type AS target_type, "
    "CASE WHEN r.arn IS NULL THEN 'not_collected' ELSE 'deleted' END AS reason, "
    "r.deleted_at AS target_deleted_at, l.first_seen_at AS first_seen_at, "
    "l.last_seen_at AS last_seen_at "
    "FROM resource_links AS l LEFT JOIN resources AS r ON r.arn = l.target_arn "
    "WHERE l.deleted_at IS NULL AND (r.arn IS NULL OR r.deleted_at IS NOT NULL)"
)


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "resource_links",
        sa.Column("id", big_id, autoincrement=True, nullable=False),
        sa.Column("source_arn", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("target_arn", sa.Text(), nullable=False),
        sa.Column("target_type", sa.String(length=128), nullable=False),
        sa.Column("first_seen_at", ts, nullable=False),
        sa.Column("last_seen_at", ts, nullable=False),
        sa.Column("deleted_at", ts, nullable=True),
        sa.Column("first_seen_run_id", sa.Integer(), nullable=False),
        sa.Column("last_seen_run_id", sa.Integer(), nullable=False),
        sa.Column("deleted_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_arn"],
            ["resources.arn"],
            name="fk_resource_links_source_arn_resources",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_seen_run_id"], ["runs.id"], name="fk_resource_links_first_seen_run_id_runs"
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_run_id"], ["runs.id"], name="fk_resource_links_last_seen_run_id_runs"
        ),
        sa.ForeignKeyConstraint(
            ["deleted_run_id"], ["runs.id"], name="fk_resource_links_deleted_run_id_runs"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_resource_links"),
        sa.UniqueConstraint(
            "source_arn",
            "kind",
            "target_arn",
            "first_seen_run_id",
            name="uq_resource_links_source_arn_kind_target_arn_first_seen_run_id",
        ),
    )
    op.create_index("ix_resource_links_target_arn", "resource_links", ["target_arn"])
    op.create_index("ix_resource_links_deleted_run_id", "resource_links", ["deleted_run_id"])
    op.execute(DANGLING_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS resource_links_dangling")
    op.drop_index("ix_resource_links_deleted_run_id", table_name="resource_links")
    op.drop_index("ix_resource_links_target_arn", table_name="resource_links")
    op.drop_table("resource_links")
