"""Rows of ``runs`` and ``scan_results`` that every way of running writes or reads.

A run is one ``runs`` row; the ledger is its ``scan_results`` rows. These helpers are shared by
the single-process run, ``--processes`` workers and ``--queue`` workers, which is why they live
in the store and not in any one of them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from collector.records import ScanResult, Status
from collector.store.engine import begin
from collector.store.models import runs, scan_results
from collector.store.runs import insert_run

ALL = "*"


class ShardSpec(Protocol):
    """What the run row records of a shard (``collector.run.shard.Shard`` is one)."""

    @property
    def index(self) -> int: ...

    @property
    def count(self) -> int: ...


def account_error(
    account_id: str, code: str, message: str, service: str = "inventory"
) -> ScanResult:
    """A ledger row saying that the account could not be listed as planned (its role was
    refused, its regions could not be read, its worker died): it never deletes anything. What
    was listed before the failure (a refused DescribeRegions leaves the global types, which
    start first) has rows of its own beside it."""
    return ScanResult(
        account_id=account_id,
        region=ALL,
        resource_type=ALL,
        service=service,
        status=Status.ERROR,
        error_code=code,
        error_message=message,
    )


async def mark_interrupted(engine: AsyncEngine, scope_key: str | None = None) -> int:
    """Runs still 'running' while we hold the lock died without finishing (kill -9, power).

    Only runs of the same ``scope_key`` count (NULL: whole runs, ``shard:I/N``: that shard):
    the lock we hold says nothing about the runs of other shards, which may be alive.
    """
    same_scope = runs.c.scope_key.is_(None) if scope_key is None else runs.c.scope_key == scope_key
    async with engine.begin() as conn:
        result = await conn.execute(
            update(runs)
            .where(runs.c.status == "running", same_scope)
            .values(status="interrupted", finished_at=datetime.now(UTC))
        )
    return int(result.rowcount or 0)


async def insert_scoped_run(
    conn: AsyncConnection,
    config_summary: dict[str, Any],
    *,
    scope_key: str | None = None,
    shard: ShardSpec | None = None,
) -> int:
    """Insert a ``running`` run row with its scope, in the caller's transaction."""
    run_id = await insert_run(conn, config_summary, datetime.now(UTC))
    if scope_key is not None:
        await conn.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(
                scope_key=scope_key,
                shard_index=shard.index if shard else None,
                shard_count=shard.count if shard else None,
            )
        )
    return run_id


async def ledger_counts(engine: AsyncEngine, run_id: int) -> tuple[int, int, int, int]:
    """(ok, error, skipped, resources listed by ok pairs) of the run, from its ledger."""
    sr = scan_results.c
    async with begin(engine) as conn:
        rows = await conn.execute(
            select(sr.status, func.count(), func.coalesce(func.sum(sr.item_count), 0))
            .where(sr.run_id == run_id)
            .group_by(sr.status)
        )
        by_status = {status: (int(n), int(items)) for status, n, items in rows}
    ok, items = by_status.get("ok", (0, 0))
    return ok, by_status.get("error", (0, 0))[0], by_status.get("skipped", (0, 0))[0], items


async def done_pairs(
    engine: AsyncEngine, run_id: int, account_id: str
) -> frozenset[tuple[str, str]]:
    """(region, type) pairs of the account already listed (ok or skipped) in the run."""
    sr = scan_results.c
    async with begin(engine) as conn:
        rows = await conn.execute(
            select(sr.region, sr.resource_type).where(
                and_(
                    sr.run_id == run_id,
                    sr.account_id == account_id,
                    sr.status.in_(("ok", "skipped")),
                )
            )
        )
        return frozenset((region, rtype) for region, rtype in rows)
