"""The schema: SQLAlchemy Core tables on one ``MetaData``, portable to SQLite and PostgreSQL.

The table and column names are a contract (see DESIGN.md, "contract: schema"): users write SQL
against them. Every change here needs a migration in ``migrations/versions``; the migration
tests compare the migrated database with this module and fail on any difference.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

RUN_STATUSES = ("running", "succeeded", "partial", "failed", "interrupted")
CHANGE_KINDS = ("created", "modified", "deleted")
SCAN_STATUSES = ("ok", "error", "skipped")
QUEUE_STATES = ("pending", "leased", "done", "failed")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Columns are in the order the migrations leave them (a column a migration added comes after
# the older ones): a new SQLite file is created from these tables (store/migrate.py), and
# `SELECT *` gives the same columns in the same order on every database.
metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that always stores UTC and always returns aware UTC values.

    PostgreSQL stores ``timestamptz`` natively. SQLite has no time zones: values are stored as
    UTC text (``2024-05-01 12:00:00.000000``, which sorts and compares correctly in plain SQL)
    and get their UTC ``tzinfo`` back when read. Naive inputs are taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_type() -> TypeEngine[Any]:
    """JSON everywhere, JSONB on PostgreSQL (indexable, ``->>``/``@>`` operators)."""
    return JSON().with_variant(JSONB(), "postgresql")


# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


def _status_check(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False),
    Column("collector_version", String(32)),
    Column("hostname", String(255)),
    Column("pid", Integer),
    Column("config_summary", json_type()),
    Column("accounts_total", Integer),
    Column("scopes_ok", Integer),
    Column("scopes_error", Integer),
    Column("scopes_skipped", Integer),
    Column("resources_seen", Integer),
    Column("created_count", Integer),
    Column("modified_count", Integer),
    Column("deleted_count", Integer),
    # Set by `inventory prune` when the run's history (ledger rows, change rows, superseded
    # versions) was trimmed: `--as-of` refuses such runs instead of answering wrongly.
    Column("history_pruned_at", UTCDateTime),
    # Which part of a schedule the run covered: NULL for a whole run, `shard:I/N` for
    # `collect --shard I/N`, `queue:NAME` for a run collected by `collect --queue` workers.
    Column("scope_key", String(64)),
    Column("shard_index", Integer),
    Column("shard_count", Integer),
    Index(None, "scope_key", "status"),
    _status_check("status", RUN_STATUSES, "status"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", String(12), primary_key=True),
    Column("name", String(255)),
    Column("email", String(255)),
    Column("status", String(32)),
    Column("source", String(32), nullable=False),
    Column("parent_id", String(64)),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("last_run_id", Integer, ForeignKey("runs.id")),
)

resources = Table(
    "resources",
    metadata,
    Column("arn", Text, primary_key=True),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("scope_region", String(32), nullable=False),
    Column("service", String(64), nullable=False),
    Column("resource_type", String(128), nullable=False),
    Column("resource_id", Text, nullable=False),
    Column("name", Text),
    Column("tags", json_type(), nullable=False),
    Column("created_at", UTCDateTime),
    Column("raw", json_type(), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
    Column("first_seen_run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("last_seen_run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Index(None, "account_id", "scope_region", "resource_type"),
    Index(None, "resource_type"),
    Index(None, "deleted_at"),
)

resource_tags = Table(
    "resource_tags",
    metadata,
    Column("arn", Text, ForeignKey("resources.arn", ondelete="CASCADE"), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Index(None, "key", "value"),
)

resource_changes = Table(
    "resource_changes",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("arn", Text, nullable=False),
    Column("change", String(16), nullable=False),
    Column("resource_type", String(128), nullable=False),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("old_digest", String(64)),
    Column("new_digest", String(64)),
    Column("detail", Text),
    # Top-level keys of `raw` that differ from the previous version (modified and reappeared
    # rows; NULL for created and deleted ones), as a JSON array of strings.
    Column("changed_fields", json_type()),
    Index(None, "run_id", "change"),
    Index(None, "arn"),
    _status_check("change", CHANGE_KINDS, "change"),
)

# One row per (resource, content): written by the store only when a resource's digest changes
# (first seen, modified, reappeared with a different digest), so unchanged resources cost
# nothing per run. The version in force at run N is the one with the highest id among
# run_id <= N; see collector/history.py for how the inventory "as of" a run is rebuilt.
resource_versions = Table(
    "resource_versions",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("arn", Text, ForeignKey("resources.arn", ondelete="CASCADE"), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("name", Text),
    Column("tags", json_type(), nullable=False),
    Column("raw", json_type(), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Index(None, "arn", "run_id"),
    Index(None, "run_id"),
)

# Relationships (issue 16): one row per edge and lifespan. An edge is live while `deleted_at`
# is NULL; it ends when its source is seen without it or is itself deleted (`deleted_run_id`),
# and an edge that comes back gets a new row, so that `--as-of` sees the gap. The target need
# not be in `resources` (never collected, or deleted): the view `resource_links_dangling` says.
resource_links = Table(
    "resource_links",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("source_arn", Text, ForeignKey("resources.arn", ondelete="CASCADE"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("target_arn", Text, nullable=False),
    Column("target_type", String(128), nullable=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
    Column("first_seen_run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("last_seen_run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("deleted_run_id", Integer, ForeignKey("runs.id")),
    UniqueConstraint("source_arn", "kind", "target_arn", "first_seen_run_id"),
    Index(None, "target_arn"),
    Index(None, "deleted_run_id"),
)

scan_results = Table(
    "scan_results",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("account_id", String(12), nullable=False),
    Column("region", String(32), nullable=False),
    Column("resource_type", String(128), nullable=False),
    Column("service", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("skipped_items", Integer, nullable=False),
    Column("api_calls", Integer, nullable=False),
    Column("error_code", Text),
    Column("error_message", Text),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    # Items stored without some detail fields (a per-item detail call failed); 0004.
    Column("detail_errors", Integer, nullable=False, server_default="0"),
    UniqueConstraint("run_id", "account_id", "region", "resource_type"),
    _status_check("status", SCAN_STATUSES, "status"),
)

# `collect --queue` (PostgreSQL): the accounts of a queue run, claimed by workers with
# SELECT ... FOR UPDATE SKIP LOCKED and held under a lease that a heartbeat renews.
work_queue = Table(
    "work_queue",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("account_id", String(12), nullable=False),
    Column("state", String(16), nullable=False),
    Column("lease_owner", String(255)),
    Column("lease_expires_at", UTCDateTime),
    Column("attempts", Integer, nullable=False),
    Column("info", json_type(), nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("run_id", "account_id"),
    Index(None, "run_id", "state"),
    _status_check("state", QUEUE_STATES, "state"),
)
