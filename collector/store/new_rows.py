"""New resources on SQLite: one statement for a batch, its rows expanded by SQLite itself.

``collector.store.upsert`` writes a batch's new resources here on SQLite: the rows travel as
one JSON parameter that ``json_each`` expands, as new edges do (``collector.store.links``).
Binding 17 values a row through SQLAlchemy's executemany was a third of the writer's Python
time; PostgreSQL's executemany through asyncpg is already a batch and stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from collector.store.engine import json_dumps
from collector.store.models import resources

__all__ = ["ON_CONFLICT_SET", "insert_new_sqlite"]

# What an insert that finds the ARN already there sets: this record's content and sighting.
ON_CONFLICT_SET = (
    "account_id", "region", "scope_region", "service", "resource_type", "resource_id", "name",
    "tags", "created_at", "raw", "digest", "last_seen_at", "last_seen_run_id", "deleted_at",
)  # fmt: skip

_FROM_JSON = tuple(c for c in ON_CONFLICT_SET if c not in ("last_seen_at", "last_seen_run_id",
                                                            "deleted_at"))  # fmt: skip
_NEW_RESOURCES_SQLITE = text(
    "INSERT INTO resources (arn, " + ", ".join(_FROM_JSON) + ", first_seen_at, last_seen_at, "
    "deleted_at, first_seen_run_id, last_seen_run_id) SELECT value ->> 0, "
    + ", ".join(f"value ->> {i + 1}" for i in range(len(_FROM_JSON)))
    + ", :now, :now, NULL, :run, :run FROM json_each(:rows) WHERE true ON CONFLICT (arn) DO "
    "UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in ON_CONFLICT_SET)
).bindparams(bindparam("now", type_=resources.c.first_seen_at.type))


def insert_new_sqlite(
    conn: Connection, run_id: int, now: datetime, rows: Sequence[dict[str, Any]]
) -> None:
    # The text the column type would bind (SQLite has no timestamps: SQLAlchemy formats them).
    created = resources.c.created_at.type.bind_processor(conn.dialect)
    values = []
    for row in rows:
        line = [row["arn"]]
        for column in _FROM_JSON:
            value = row[column]
            if column in ("tags", "raw"):
                value = json_dumps(value)  # the text the JSON column would store
            elif column == "created_at" and value is not None and created is not None:
                value = created(value)
            line.append(value)
        values.append(line)
    conn.execute(_NEW_RESOURCES_SQLITE, {"now": now, "run": run_id, "rows": json_dumps(values)})
