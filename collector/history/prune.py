"""`inventory prune`: trim the history of old runs, never the inventory itself.

The cutoff is a run: runs before it lose their ledger rows, their change rows and the
versions that a later version made redundant, and are marked ``history_pruned_at`` so that
``--as-of`` refuses them instead of answering from a partial history. Everything the kept runs
need (see :mod:`collector.history.asof`, which reads only changes *after* a run) stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from collector.history.asof import HistoryError
from collector.store.engine import begin, existing_engine
from collector.store.lock import Locked, run_lock, shard_lock_name
from collector.store.models import (
    resource_changes,
    resource_links,
    resource_versions,
    runs,
    scan_results,
    work_queue,
)

__all__ = ["PruneStats", "format_prune", "prune", "run_prune"]


@dataclass(frozen=True)
class PruneStats:
    cutoff_run: int | None  # runs before this one lose their history; None: nothing to do
    runs: int = 0
    versions: int = 0
    changes: int = 0
    ledger_rows: int = 0
    dry_run: bool = False
    links: int = 0  # edges that ended before the cutoff


async def _cutoff(
    conn: AsyncConnection, keep_runs: int | None, older_than_days: float | None, now: datetime
) -> int | None:
    latest = await conn.scalar(select(func.max(runs.c.id)))
    if latest is None:
        return None
    if keep_runs is not None:
        if keep_runs < 1:
            raise HistoryError("--keep-runs must be at least 1 (the latest run is always kept)")
        ids = (
            (await conn.execute(select(runs.c.id).order_by(runs.c.id.desc()).limit(keep_runs)))
            .scalars()
            .all()
        )
        return int(ids[-1]) if len(ids) == keep_runs else None
    if older_than_days is None or older_than_days < 0:
        raise HistoryError("give --keep-runs N or --older-than DAYS (DAYS >= 0)")
    boundary = now - timedelta(days=older_than_days)
    first_recent = await conn.scalar(
        select(func.min(runs.c.id)).where(runs.c.started_at >= boundary)
    )
    # The latest run always keeps its history, however old it is.
    return int(first_recent) if first_recent is not None else int(latest)


async def prune(
    engine: AsyncEngine,
    *,
    keep_runs: int | None = None,
    older_than_days: float | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> PruneStats:
    """Trim the history of the runs before a cutoff run, in one transaction.

    Deleted: their ledger rows and change rows, and every version that a later version made
    redundant for the runs that are kept (per resource, the newest version at or before the
    cutoff stays, and so does everything after it). Kept: ``resources`` (the current
    inventory, deleted resources included), ``resource_tags``, ``accounts`` and the ``runs``
    rows themselves, marked ``history_pruned_at`` so that ``--as-of`` refuses them.
    """
    now = now or datetime.now(UTC)
    async with begin(engine, immediate=True) as conn:
        cutoff = await _cutoff(conn, keep_runs, older_than_days, now)
        if cutoff is None:
            return PruneStats(None, dry_run=dry_run)
        newer = resource_versions.alias("newer")
        superseded = and_(
            resource_versions.c.run_id < cutoff,
            resource_versions.c.id
            < select(func.max(newer.c.id))
            .where(newer.c.arn == resource_versions.c.arn, newer.c.run_id <= cutoff)
            .scalar_subquery(),
        )
        targets = (
            (resource_versions, superseded),
            (resource_changes, resource_changes.c.run_id < cutoff),
            (scan_results, scan_results.c.run_id < cutoff),
            # Edges that ended before the cutoff: no kept run can see them.
            (resource_links, resource_links.c.deleted_run_id < cutoff),
        )
        pruned_runs = and_(runs.c.id < cutoff, runs.c.history_pruned_at.is_(None))
        counts: list[int] = []
        for table, condition in targets:
            counts.append(
                int(
                    await conn.scalar(select(func.count()).select_from(table).where(condition)) or 0
                )
            )
        n_runs = int(
            await conn.scalar(select(func.count()).select_from(runs).where(pruned_runs)) or 0
        )
        if not dry_run:
            for table, condition in targets:
                await conn.execute(delete(table).where(condition))
            await conn.execute(update(runs).where(pruned_runs).values(history_pruned_at=now))
        return PruneStats(cutoff, n_runs, counts[0], counts[1], counts[2], dry_run, counts[3])


def format_prune(stats: PruneStats) -> str:
    if stats.cutoff_run is None:
        return "nothing to prune"
    verb = "would remove" if stats.dry_run else "removed"
    return (
        f"history before run {stats.cutoff_run}: {verb} {stats.versions} superseded versions, "
        f"{stats.changes} change rows, {stats.ledger_rows} ledger rows and {stats.links} ended "
        f"edges of {stats.runs} runs"
    )



async def run_prune(
    db_url: str,
    *,
    keep_runs: int | None = None,
    older_than_days: float | None = None,
    dry_run: bool = False,
) -> PruneStats:
    """:func:`prune` holding the collect lock and only while no run is alive: never while a
    run (a whole one, a shard, or a queue run with a live lease) writes."""
    engine = existing_engine(db_url)
    try:
        async with run_lock(engine):
            await refuse_while_running(engine)
            return await prune(
                engine, keep_runs=keep_runs, older_than_days=older_than_days, dry_run=dry_run
            )
    finally:
        await engine.dispose()


async def refuse_while_running(engine: AsyncEngine) -> None:
    """Raise :class:`Locked` if a ``running`` run is alive.

    A whole-organization run left ``running`` is dead (we hold its lock). A shard's run is
    alive while its own lock is held; a queue run while one of its leases has not expired.
    """
    async with begin(engine) as conn:
        open_runs = (
            await conn.execute(
                select(runs.c.id, runs.c.scope_key).where(
                    runs.c.status == "running", runs.c.scope_key.is_not(None)
                )
            )
        ).all()
        leased = set(
            (
                await conn.scalars(
                    select(work_queue.c.run_id).where(
                        work_queue.c.state == "leased", work_queue.c.lease_expires_at > func.now()
                    )
                )
            ).all()
        )
    for run_id, scope_key in open_runs:
        kind, _, spec = str(scope_key).partition(":")
        if kind == "queue" and run_id in leased:
            raise Locked(f"queue run {run_id} ({spec}) has workers holding leases")
        if kind == "shard":
            index, _, count = spec.partition("/")
            try:
                async with run_lock(engine, shard_lock_name(int(index), int(count))):
                    pass
            except Locked:
                raise Locked(f"shard run {run_id} ({spec}) is running") from None
