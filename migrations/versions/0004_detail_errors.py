"""Ledger: scan_results.detail_errors, the items stored without some detail fields.

Revision ID: 0004_detail_errors
Revises: 0003
Create Date: 2026-12-04 00:00:00

Written out in full (not imported from collector.store.models) so that it keeps describing
this revision when the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_detail_errors"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NOT NULL with a constant default: SQLite adds it in place (no table rebuild), and rows
    # of earlier runs read 0 (their detail failures failed the whole pair instead).
    op.add_column(
        "scan_results",
        sa.Column("detail_errors", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("scan_results", "detail_errors")
