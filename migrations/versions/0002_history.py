"""History and typed views: resource_versions, resource_changes.changed_fields,
runs.history_pruned_at, and the typed views of collector.registry.views.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02 00:00:00

The tables and columns are written out in full (not imported from collector.store.models) so
that this keeps describing revision 0002 when the models move on. The typed views are derived
objects (no data): they are built from the declarations in collector.registry.views as
installed, and a later revision that changes a declaration drops and recreates them.

Existing inventories get one version per resource (its current content), recorded at the run
of its latest created/modified change, else its first run: "as of" an older run then shows
that content, the best that is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _big_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _run(statements: list[str]) -> None:
    # Through op.execute so that `alembic upgrade --sql` prints them too; colons escaped
    # because text() would take "AWS::EC2::Instance" apart otherwise.
    for statement in statements:
        op.execute(sa.text(statement.replace(":", "\\:")))


def upgrade() -> None:
    from collector.history.views import typed_view_ddl

    # Plain ADD COLUMN (nullable, no default) works on SQLite without a table rebuild.
    op.add_column("runs", sa.Column("history_pruned_at", _ts(), nullable=True))
    op.add_column("resource_changes", sa.Column("changed_fields", _json(), nullable=True))
    op.create_table(
        "resource_versions",
        sa.Column("id", _big_id(), autoincrement=True, nullable=False),
        sa.Column("arn", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("tags", _json(), nullable=False),
        sa.Column("raw", _json(), nullable=False),
        sa.Column("recorded_at", _ts(), nullable=False),
        sa.ForeignKeyConstraint(
            ["arn"],
            ["resources.arn"],
            name="fk_resource_versions_arn_resources",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_resource_versions_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_resource_versions"),
    )
    op.create_index("ix_resource_versions_arn_run_id", "resource_versions", ["arn", "run_id"])
    op.create_index("ix_resource_versions_run_id", "resource_versions", ["run_id"])

    op.execute(
        "INSERT INTO resource_versions (arn, run_id, digest, name, tags, raw, recorded_at) "
        "SELECT r.arn, COALESCE((SELECT max(c.run_id) FROM resource_changes c "
        "WHERE c.arn = r.arn AND c.change IN ('created', 'modified')), r.first_seen_run_id), "
        "r.digest, r.name, r.tags, r.raw, r.last_seen_at FROM resources r"
    )
    _run(typed_view_ddl(op.get_bind().dialect))


def downgrade() -> None:
    from collector.history.views import drop_view_ddl

    _run(drop_view_ddl())
    op.drop_index("ix_resource_versions_run_id", table_name="resource_versions")
    op.drop_index("ix_resource_versions_arn_run_id", table_name="resource_versions")
    op.drop_table("resource_versions")
    # SQLite >= 3.35 drops columns in place (no table rebuild, foreign keys untouched).
    op.drop_column("resource_changes", "changed_fields")
    op.drop_column("runs", "history_pruned_at")
