"""``resource_links``: the edges of the records a batch writes, and their end at reconcile.

A record carries every edge of its resource (``Record.links``). Writing it therefore says
everything about that source: edges not stored live are inserted (``INSERT ... ON CONFLICT``,
``collector.store.idempotent``: another writer of the same ARN in the same run is harmless),
live ones are marked seen, and live ones the record no longer has end (``deleted_at``,
``deleted_run_id``). A record with unread detail fields (``Record.unread``) ends none: a path
that reads an unread field says nothing about what is gone, as with resources.

At the end of a run, the edges of resources that reconcile marked deleted end too, so edges
follow the ledger rule of ``collector.store.reconcile`` exactly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from collector.records import Record
from collector.store.binds import in_list
from collector.store.engine import json_dumps
from collector.store.models import resource_links, resources

__all__ = ["DANGLING_VIEW", "end_links_of_deleted", "write_links"]

# Edges whose target is not a live resource: never collected (another account, a type not
# collected, or gone before the first run) or deleted since. Same text as migration 0006.
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

# New edges go in as one statement whose rows the database expands from a single parameter
# (SQLite's json_each, PostgreSQL's unnest), not as an executemany: a record has ~3 edges, and
# binding each row's ten values through SQLAlchemy was half of the writer's time.
_INSERT = (
    "INSERT INTO resource_links (source_arn, kind, target_arn, target_type, first_seen_at, "
    "last_seen_at, deleted_at, first_seen_run_id, last_seen_run_id, deleted_run_id) "
)
_ON_CONFLICT = (
    " ON CONFLICT (source_arn, kind, target_arn, first_seen_run_id) DO UPDATE SET "
    "target_type = excluded.target_type, last_seen_at = excluded.last_seen_at, "
    "last_seen_run_id = excluded.last_seen_run_id"
)
_NEW_EDGES = {
    # `WHERE true`: SQLite's grammar needs it between INSERT ... SELECT and ON CONFLICT.
    "sqlite": text(
        _INSERT + "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, :now, :now, NULL, "
        ":run, :run, NULL FROM json_each(:rows) WHERE true" + _ON_CONFLICT
    ),
    "postgresql": text(
        _INSERT + "SELECT s, k, t, tt, :now, :now, NULL, :run, :run, NULL "
        "FROM unnest(:s, :k, :t, :tt) AS u(s, k, t, tt)" + _ON_CONFLICT
    ).bindparams(*(bindparam(name, type_=ARRAY(Text)) for name in ("s", "k", "t", "tt"))),
}
_CHUNK = 500  # ids per UPDATE ... IN (...): far below either database's parameter limit
Key = tuple[str, str, str]


def _live(conn: Connection, arns: Sequence[str]) -> dict[Key, int]:
    lc = resource_links.c
    query = select(lc.id, lc.source_arn, lc.kind, lc.target_arn).where(
        in_list(conn.dialect.name, lc.source_arn, arns), lc.deleted_at.is_(None)
    )
    return {(s, k, t): int(i) for i, s, k, t in conn.execute(query)}


def _update_ids(conn: Connection, ids: Sequence[int], values: dict[str, Any]) -> None:
    ordered = sorted(ids)  # one lock order for every writer
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        conn.execute(update(resource_links).where(resource_links.c.id.in_(chunk)).values(values))


def write_links(
    conn: Connection,
    run_id: int,
    records: Sequence[Record],
    now: datetime,
    partial: Collection[str] = (),
) -> int:
    """Write the edges of ``records`` (one per ARN), in the caller's transaction; returns how
    many edges are new. Sources in ``partial`` (read with unread fields) end no edge."""
    if not records:
        return 0
    live = _live(conn, [r.arn for r in records])
    wanted: dict[Key, str] = {}
    complete: set[str] = set()
    for record in records:
        if record.unread is None and record.arn not in partial:
            complete.add(record.arn)
        for edge in record.links:
            wanted[(record.arn, edge.kind, edge.target_arn)] = edge.target_type
    new = [(s, k, t, wanted[(s, k, t)]) for s, k, t in sorted(wanted.keys() - live.keys())]
    if new:
        _insert_edges(conn, run_id, now, new)
    gone = [i for key, i in live.items() if key not in wanted and key[0] in complete]
    _update_ids(conn, gone, {"deleted_at": now, "deleted_run_id": run_id})
    # Every other live edge of these sources was seen (or is kept, for a partial source): one
    # statement for the batch, not one per edge.
    if len(live) > len(gone):
        lc = resource_links.c
        conn.execute(
            update(resource_links)
            .where(
                in_list(conn.dialect.name, lc.source_arn, sorted({k[0] for k in live})),
                lc.deleted_at.is_(None),
                lc.last_seen_run_id < run_id,
            )
            .values(last_seen_at=now, last_seen_run_id=run_id)
        )
    return len(new)


def _insert_edges(
    conn: Connection, run_id: int, now: datetime, rows: Sequence[tuple[str, str, str, str]]
) -> None:
    dialect = conn.dialect.name
    when = resource_links.c.first_seen_at.type  # stored as every other timestamp is
    stmt = _NEW_EDGES[dialect].bindparams(bindparam("now", type_=when))
    params: dict[str, Any] = {"now": now, "run": run_id}
    if dialect == "postgresql":
        columns = [[row[i] for row in rows] for i in range(4)]
        params.update(zip(("s", "k", "t", "tt"), columns, strict=True))
    else:
        params["rows"] = json_dumps(rows)
    conn.execute(stmt, params)


async def end_links_of_deleted(conn: AsyncConnection, run_id: int, now: datetime) -> None:
    """End the live edges of every deleted resource (reconcile just marked them)."""
    lc = resource_links.c
    deleted_sources = select(resources.c.arn).where(resources.c.deleted_at.is_not(None))
    await conn.execute(
        update(resource_links)
        .where(and_(lc.deleted_at.is_(None), lc.source_arn.in_(deleted_sources)))
        .values(deleted_at=now, deleted_run_id=run_id)
    )
