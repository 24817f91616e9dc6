"""``INSERT ... ON CONFLICT`` for both backends: writes that any number of writers may repeat.

Several writers can write the same ARN at once: ``--processes`` workers of one run, a
``--queue`` worker whose lease was stolen and that still writes, shards that both see an
Organizations resource. Every insert into a table with a natural key therefore says what to do
when the key is already there (SQLite >= 3.24 and PostgreSQL share the syntax), instead of a
SELECT followed by an INSERT that a concurrent writer can slip between.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

__all__ = ["is_retryable", "upsert_rows"]

# Deadlock and serialization failure (PostgreSQL): the transaction was rolled back whole and
# can simply be run again.
_RETRYABLE_STATES = frozenset({"40P01", "40001"})


def upsert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ``rows``; where a row with the same ``keys`` exists, set its ``update`` columns
    to the new values."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={name: stmt.excluded[name] for name in update}
    )
    conn.execute(stmt, list(rows))


def is_retryable(error: BaseException) -> bool:
    """True for a PostgreSQL deadlock or serialization failure (run the transaction again)."""
    cause = getattr(error, "orig", None)
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state in _RETRYABLE_STATES or "deadlock detected" in str(error)
