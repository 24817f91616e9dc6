"""Scale out: shard columns on runs, and the work_queue table of `collect --queue`.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03 00:00:00

Written out in full (not imported from collector.store.models) so that it keeps describing
revision 0003 when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _big_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default) works on SQLite without a table rebuild.
    op.add_column("runs", sa.Column("scope_key", sa.String(length=64), nullable=True))
    op.add_column("runs", sa.Column("shard_index", sa.Integer(), nullable=True))
    op.add_column("runs", sa.Column("shard_count", sa.Integer(), nullable=True))
    op.create_index("ix_runs_scope_key_status", "runs", ["scope_key", "status"])

    op.create_table(
        "work_queue",
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("lease_owner", sa.String(length=255), nullable=True),
        sa.Column("lease_expires_at", _ts(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("info", _json(), nullable=False),
        sa.Column("updated_at", _ts(), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'leased', 'done', 'failed')", name="ck_work_queue_state"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_work_queue_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_work_queue"),
        sa.UniqueConstraint("run_id", "account_id", name="uq_work_queue_run_id_account_id"),
    )
    op.create_index("ix_work_queue_run_id_state", "work_queue", ["run_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_work_queue_run_id_state", table_name="work_queue")
    op.drop_table("work_queue")
    op.drop_index("ix_runs_scope_key_status", table_name="runs")
    # SQLite >= 3.35 drops columns in place (no table rebuild, foreign keys untouched).
    op.drop_column("runs", "shard_count")
    op.drop_column("runs", "shard_index")
    op.drop_column("runs", "scope_key")
