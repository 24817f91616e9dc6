"""Initial schema: runs, accounts, resources, resource_tags, resource_changes, scan_results.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00

Written out in full (not imported from collector.store.models) so that it keeps describing
revision 0001 when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _big_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", _ts(), nullable=False),
        sa.Column("finished_at", _ts(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("collector_version", sa.String(length=32), nullable=True),
        sa.Column("hostname", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("config_summary", _json(), nullable=True),
        sa.Column("accounts_total", sa.Integer(), nullable=True),
        sa.Column("scopes_ok", sa.Integer(), nullable=True),
        sa.Column("scopes_error", sa.Integer(), nullable=True),
        sa.Column("scopes_skipped", sa.Integer(), nullable=True),
        sa.Column("resources_seen", sa.Integer(), nullable=True),
        sa.Column("created_count", sa.Integer(), nullable=True),
        sa.Column("modified_count", sa.Integer(), nullable=True),
        sa.Column("deleted_count", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted')",
            name="ck_runs_status",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )

    op.create_table(
        "accounts",
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("first_seen_at", _ts(), nullable=False),
        sa.Column("last_seen_at", _ts(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["last_run_id"], ["runs.id"], name="fk_accounts_last_run_id_runs"),
        sa.PrimaryKeyConstraint("account_id", name="pk_accounts"),
    )

    op.create_table(
        "resources",
        sa.Column("arn", sa.Text(), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("scope_region", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("resource_type", sa.String(length=128), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("tags", _json(), nullable=False),
        sa.Column("created_at", _ts(), nullable=True),
        sa.Column("raw", _json(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", _ts(), nullable=False),
        sa.Column("last_seen_at", _ts(), nullable=False),
        sa.Column("deleted_at", _ts(), nullable=True),
        sa.Column("first_seen_run_id", sa.Integer(), nullable=False),
        sa.Column("last_seen_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_seen_run_id"], ["runs.id"], name="fk_resources_first_seen_run_id_runs"
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_run_id"], ["runs.id"], name="fk_resources_last_seen_run_id_runs"
        ),
        sa.PrimaryKeyConstraint("arn", name="pk_resources"),
    )
    op.create_index(
        "ix_resources_account_id_scope_region_resource_type",
        "resources",
        ["account_id", "scope_region", "resource_type"],
    )
    op.create_index("ix_resources_resource_type", "resources", ["resource_type"])
    op.create_index("ix_resources_deleted_at", "resources", ["deleted_at"])

    op.create_table(
        "resource_tags",
        sa.Column("arn", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["arn"],
            ["resources.arn"],
            name="fk_resource_tags_arn_resources",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("arn", "key", name="pk_resource_tags"),
    )
    op.create_index("ix_resource_tags_key_value", "resource_tags", ["key", "value"])

    op.create_table(
        "resource_changes",
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("arn", sa.Text(), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("resource_type", sa.String(length=128), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("changed_at", _ts(), nullable=False),
        sa.Column("old_digest", sa.String(length=64), nullable=True),
        sa.Column("new_digest", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "change IN ('created', 'modified', 'deleted')", name="ck_resource_changes_change"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_resource_changes_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_resource_changes"),
    )
    op.create_index("ix_resource_changes_run_id_change", "resource_changes", ["run_id", "change"])
    op.create_index("ix_resource_changes_arn", "resource_changes", ["arn"])

    op.create_table(
        "scan_results",
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("resource_type", sa.String(length=128), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("skipped_items", sa.Integer(), nullable=False),
        sa.Column("api_calls", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.Text(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("started_at", _ts(), nullable=True),
        sa.Column("finished_at", _ts(), nullable=True),
        sa.CheckConstraint("status IN ('ok', 'error', 'skipped')", name="ck_scan_results_status"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_scan_results_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_scan_results"),
        sa.UniqueConstraint(
            "run_id",
            "account_id",
            "region",
            "resource_type",
            name="uq_scan_results_run_id_account_id_region_resource_type",
        ),
    )


def downgrade() -> None:
    op.drop_table("scan_results")
    op.drop_index("ix_resource_changes_arn", table_name="resource_changes")
    op.drop_index("ix_resource_changes_run_id_change", table_name="resource_changes")
    op.drop_table("resource_changes")
    op.drop_index("ix_resource_tags_key_value", table_name="resource_tags")
    op.drop_table("resource_tags")
    op.drop_index("ix_resources_deleted_at", table_name="resources")
    op.drop_index("ix_resources_resource_type", table_name="resources")
    op.drop_index("ix_resources_account_id_scope_region_resource_type", table_name="resources")
    op.drop_table("resources")
    op.drop_table("accounts")
    op.drop_table("runs")
