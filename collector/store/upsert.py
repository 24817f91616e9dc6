"""Write one batch of records and ledger rows inside the caller's transaction.

Set-based, for SQLite and PostgreSQL alike: one SELECT finds which ARNs exist, then INSERT /
UPDATE statements (executemany where rows differ, one statement for the whole batch where they
do not). Inserts say what to do when the key is already there (``INSERT ... ON CONFLICT``,
``collector.store.idempotent``): other writers may write the same ARN at the same moment
(``--processes``, ``--queue``, shards), and one that inserts it between our SELECT and our
INSERT must not make the batch fail. Rows are written in ARN order, so that two writers of the
same ARNs lock them in the same order.

A batch's ARN list travels as a single parameter (a JSON array expanded by ``json_each`` on
SQLite, a ``text[]`` compared with ``= ANY`` on PostgreSQL) rather than as one bound parameter
per ARN: that keeps the statements cached and cheap, and has no parameter-count limit.

Plain (synchronous) SQLAlchemy: the store runs a SQLite batch on its own thread, start to
commit, and an async connection's batch through ``AsyncConnection.run_sync``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Text,
    bindparam,
    delete,
    exists,
    insert,
    literal,
    null,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

from collector.records import Record, ScanResult, Status, changed_fields
from collector.store.binds import in_list
from collector.store.clean import clean_record, clean_result
from collector.store.engine import json_dumps
from collector.store.idempotent import upsert_rows
from collector.store.links import write_links
from collector.store.models import (
    resource_changes,
    resource_tags,
    resource_versions,
    resources,
    scan_results,
)
from collector.store.new_rows import ON_CONFLICT_SET, insert_new_sqlite
from collector.store.unread import fill_unread

__all__ = ["BatchCounts", "in_list", "write_batch"]



@dataclass(slots=True)
class BatchCounts:
    """What a batch (or, summed, a whole run) did."""

    records: int = 0  # distinct ARNs written
    created: int = 0  # first seen, including reappeared
    reappeared: int = 0  # seen again after being marked deleted (also counted in created)
    modified: int = 0
    unchanged: int = 0
    results: int = 0  # ledger rows

    def add(self, other: BatchCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def _content(record: Record) -> dict[str, Any]:
    """The columns that come from the record itself (everything but the bookkeeping)."""
    return {
        "account_id": record.account_id,
        "region": record.region,
        "scope_region": record.scope_region,
        "service": record.service,
        "resource_type": record.resource_type,
        "resource_id": record.resource_id,
        "name": record.name,
        "tags": record.tags,
        "created_at": record.created_at,
        "raw": record.raw,
        "digest": record.digest,
    }


def _change(
    run_id: int,
    record: Record,
    now: datetime,
    change: str,
    old_digest: str | None,
    detail: str | None = None,
    fields: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "arn": record.arn,
        "change": change,
        "resource_type": record.resource_type,
        "account_id": record.account_id,
        "region": record.region,
        "changed_at": now,
        "old_digest": old_digest,
        "new_digest": record.digest,
        "detail": detail,
        "changed_fields": fields,
    }


# resource_tags is derived from resources.tags inside the database: one statement per batch
# instead of one bound row per tag, and the two cannot disagree.
_TAGS_CONFLICT = ' ON CONFLICT (arn, "key") DO UPDATE SET value = excluded.value'
_COPY_TAGS = {
    "sqlite": text(
        'INSERT INTO resource_tags (arn, "key", value) '
        "SELECT r.arn, t.key, t.value FROM resources AS r, json_each(r.tags) AS t "
        "WHERE r.arn IN (SELECT value FROM json_each(:arns))" + _TAGS_CONFLICT
    ),
    "postgresql": text(
        'INSERT INTO resource_tags (arn, "key", value) '
        "SELECT r.arn, t.key, t.value FROM resources AS r, jsonb_each_text(r.tags) AS t "
        "WHERE r.arn = ANY(:arns)" + _TAGS_CONFLICT
    ).bindparams(bindparam("arns", type_=ARRAY(Text))),
}


def _copy_tags(conn: Connection, arns: Sequence[str]) -> None:
    dialect = conn.dialect.name
    param: Any = list(arns) if dialect == "postgresql" else json_dumps(list(arns))
    conn.execute(_COPY_TAGS[dialect], {"arns": param})


def _created_changes(dialect: str, run_id: int, now: datetime, arns: Sequence[str]) -> Any:
    """INSERT ... SELECT of the ``created`` change rows of just-inserted resources."""
    r = resources.c
    return insert(resource_changes).from_select(
        [
            "run_id",
            "arn",
            "change",
            "resource_type",
            "account_id",
            "region",
            "changed_at",
            "old_digest",
            "new_digest",
            "detail",
        ],
        select(
            literal(run_id),
            r.arn,
            literal("created"),
            r.resource_type,
            r.account_id,
            r.region,
            literal(now, r.first_seen_at.type),
            null(),
            r.digest,
            null(),
        ).where(
            in_list(dialect, r.arn, arns),
            # Only the rows this transaction inserted (a concurrent writer that inserted the
            # ARN first wrote its own `created` row, with its own first_seen_at).
            r.first_seen_at == literal(now, r.first_seen_at.type),
        ),
    )


def _new_versions(
    dialect: str, run_id: int, now: datetime, arns: Sequence[str], *, inserted: bool
) -> Any:
    """INSERT ... SELECT of a ``resource_versions`` row per resource just written (the content
    is copied inside the database, not sent again); never twice for one content and run when
    two writers write the same ARN."""
    r = resources.c
    if inserted:  # the rows this transaction inserted, as in _created_changes
        once: Any = r.first_seen_at == literal(now, r.first_seen_at.type)
    else:  # updated rows: few (modified resources); `run_id + 0` keeps the index by ARN
        once = ~exists().where(
            resource_versions.c.arn == r.arn,
            resource_versions.c.run_id + 0 == run_id,
            resource_versions.c.digest == r.digest,
        )
    return insert(resource_versions).from_select(
        ["arn", "run_id", "digest", "name", "tags", "raw", "recorded_at"],
        select(
            r.arn,
            literal(run_id),
            r.digest,
            r.name,
            r.tags,
            r.raw,
            literal(now, resource_versions.c.recorded_at.type),
        ).where(in_list(dialect, r.arn, arns), once),
    )


def _old_raws(conn: Connection, arns: Sequence[str]) -> dict[str, Any]:
    """arn -> the stored raw item, for the (few) resources whose content changed."""
    if not arns:
        return {}
    query = select(resources.c.arn, resources.c.raw).where(
        in_list(conn.dialect.name, resources.c.arn, arns)
    )
    return {arn: raw for arn, raw in conn.execute(query)}


def _existing(conn: Connection, arns: Sequence[str]) -> dict[str, tuple[str, bool]]:
    """arn -> (digest, is_deleted) for the ARNs already stored."""
    columns = (resources.c.arn, resources.c.digest, resources.c.deleted_at.is_not(None))
    query = select(*columns).where(in_list(conn.dialect.name, resources.c.arn, arns))
    return {arn: (digest, bool(deleted)) for arn, digest, deleted in conn.execute(query)}


def write_records(
    conn: Connection, run_id: int, records: Sequence[Record], now: datetime
) -> BatchCounts:
    counts = BatchCounts()
    if not records:
        return counts
    # Partial records end no edge (fill_unread completes them, so note which first).
    partial = {record.arn for record in records if record.unread is not None}
    records = fill_unread(conn, records)
    # Duplicate ARNs in one batch: the last one wins and is counted once.
    latest = {record.arn: record for record in records}
    latest = {arn: latest[arn] for arn in sorted(latest)}
    existing = _existing(conn, list(latest))

    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    unchanged: list[str] = []
    changes: list[dict[str, Any]] = []  # modified and reappeared; created ones come from SQL
    # Written to resource_versions: new content only (a reappeared resource with the digest it
    # had when it vanished keeps its last version).
    versioned: list[str] = []
    old_raws = _old_raws(
        conn,
        [
            arn
            for arn, record in latest.items()
            if arn in existing and (existing[arn][1] or existing[arn][0] != record.digest)
        ],
    )

    for arn, record in latest.items():
        known = existing.get(arn)
        if known is None:
            row = _content(record)
            row.update(
                arn=arn,
                first_seen_at=now,
                last_seen_at=now,
                deleted_at=None,
                first_seen_run_id=run_id,
                last_seen_run_id=run_id,
            )
            new_rows.append(row)
            counts.created += 1
        else:
            old_digest, deleted = known
            if not deleted and old_digest == record.digest:
                unchanged.append(arn)
                continue
            row = _content(record)
            row.update(b_arn=arn, last_seen_at=now, last_seen_run_id=run_id, deleted_at=None)
            changed_rows.append(row)
            fields = changed_fields(old_raws.get(arn), record.raw)
            if old_digest != record.digest:
                versioned.append(arn)
            if deleted:
                changes.append(
                    _change(run_id, record, now, "created", old_digest, "reappeared", fields)
                )
                counts.created += 1
                counts.reappeared += 1
            else:
                changes.append(_change(run_id, record, now, "modified", old_digest, None, fields))
                counts.modified += 1

    dialect = conn.dialect.name
    if new_rows:
        new_arns = [row["arn"] for row in new_rows]
        # A concurrent writer may have inserted some since _existing(): theirs are updated.
        if dialect == "sqlite":
            insert_new_sqlite(conn, run_id, now, new_rows)
        else:
            upsert_rows(conn, resources, new_rows, ["arn"], ON_CONFLICT_SET)
        _copy_tags(conn, new_arns)
        conn.execute(_created_changes(dialect, run_id, now, new_arns))
        conn.execute(_new_versions(dialect, run_id, now, new_arns, inserted=True))
    if changed_rows:
        changed_arns = [row["b_arn"] for row in changed_rows]
        conn.execute(update(resources).where(resources.c.arn == bindparam("b_arn")), changed_rows)
        conn.execute(
            delete(resource_tags).where(in_list(dialect, resource_tags.c.arn, changed_arns))
        )
        _copy_tags(conn, changed_arns)
    if versioned:
        conn.execute(_new_versions(dialect, run_id, now, versioned, inserted=False))
    if unchanged:
        conn.execute(
            update(resources)
            .where(in_list(dialect, resources.c.arn, unchanged))
            .values(last_seen_at=now, last_seen_run_id=run_id)
        )
    if changes:
        conn.execute(insert(resource_changes), changes)

    write_links(conn, run_id, list(latest.values()), now, partial)
    counts.records = len(latest)
    counts.unchanged = len(unchanged)
    return counts


_LEDGER_KEY = ("run_id", "account_id", "region", "resource_type")
_LEDGER_SET = tuple(
    c.name for c in scan_results.columns if c.name not in _LEDGER_KEY and c.name != "id"
)


def _ledger_row(run_id: int, result: ScanResult) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "account_id": result.account_id,
        "region": result.region,
        "resource_type": result.resource_type,
        "service": result.service,
        "status": Status(result.status).value,
        "item_count": result.item_count,
        "skipped_items": result.skipped_items,
        "detail_errors": result.detail_errors,
        "api_calls": result.api_calls,
        "error_code": result.error_code,
        "error_message": result.error_message,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
    }


def write_results(conn: Connection, run_id: int, results: Sequence[ScanResult]) -> int:
    """Write ledger rows; a second result for the same (account, region, type) replaces the
    first (a retried scope, or another writer's row for it, must not fail the batch)."""
    if not results:
        return 0
    latest = {(r.account_id, r.region, r.resource_type): r for r in results}
    rows = [_ledger_row(run_id, latest[key]) for key in sorted(latest)]
    upsert_rows(conn, scan_results, rows, _LEDGER_KEY, _LEDGER_SET)
    return len(latest)


def write_batch(
    conn: Connection,
    run_id: int,
    records: Sequence[Record],
    results: Sequence[ScanResult],
    now: datetime,
) -> BatchCounts:
    """Upsert ``records`` then write ``results``, in the caller's transaction. Text the
    database cannot store is cleaned here, the one place every write goes through."""
    counts = write_records(conn, run_id, [clean_record(r) for r in records], now)
    counts.results = write_results(conn, run_id, [clean_result(r) for r in results])
    return counts
