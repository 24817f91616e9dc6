"""`prune` never trims the history of a run that is still writing: a shard's run holding its
own lock, or a queue run whose workers hold leases (issue 12: it deleted a running shard run's
ledger, while the README promised exit 75)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from collector.history.prune import run_prune
from collector.store import make_engine, upgrade
from collector.store.engine import begin
from collector.store.ledger import insert_scoped_run
from collector.store.lock import Locked, run_lock, shard_lock_name
from collector.store.models import runs, scan_results, work_queue
from collector.store.runs import insert_run

ACCOUNT = "111111111111"


def ledger_row(run_id: int) -> dict[str, object]:
    return {
        "run_id": run_id, "account_id": ACCOUNT, "region": "us-east-1",
        "resource_type": "AWS::SQS::Queue", "service": "sqs", "status": "ok",
        "item_count": 1, "skipped_items": 0, "api_calls": 1,
    }  # fmt: skip


async def seed(db_url: str, scope_key: str) -> int:
    """A still-running run of ``scope_key`` (the oldest), then three finished whole runs."""
    engine = make_engine(db_url)
    try:
        await upgrade(engine)
        async with begin(engine) as conn:
            open_run = await insert_scoped_run(conn, {}, scope_key=scope_key)
            for _ in range(3):
                done = await insert_run(conn, {}, datetime.now(UTC))
                await conn.execute(
                    update(runs).where(runs.c.id == done).values(status="succeeded")
                )
            await conn.execute(
                insert(scan_results), [ledger_row(r) for r in range(open_run, open_run + 4)]
            )
        return open_run
    finally:
        await engine.dispose()


async def ledger_rows(db_url: str, run_id: int) -> int:
    engine = make_engine(db_url)
    try:
        async with begin(engine) as conn:
            count = await conn.scalar(
                select(func.count()).select_from(scan_results).where(scan_results.c.run_id == run_id)
            )
        return int(count or 0)
    finally:
        await engine.dispose()


async def test_prune_waits_for_a_live_shard_run(db_url: str) -> None:
    shard_run = await seed(db_url, "shard:1/4")
    holder = make_engine(db_url)
    try:
        async with run_lock(holder, shard_lock_name(1, 4)):  # the shard's collect is alive
            with pytest.raises(Locked, match="shard run"):
                await run_prune(db_url, keep_runs=1)
            assert await ledger_rows(db_url, shard_run) == 1
    finally:
        await holder.dispose()
    # Its process is gone (the lock is free): the run is dead, and its history may go.
    stats = await run_prune(db_url, keep_runs=1)
    assert stats.ledger_rows == 3
    assert await ledger_rows(db_url, shard_run) == 0


@pytest.mark.postgres
async def test_prune_waits_for_a_queue_run_with_live_leases(pg_url: str) -> None:
    queue_run = await seed(pg_url, "queue:default")
    engine = make_engine(pg_url)
    try:
        async with begin(engine) as conn:
            await conn.execute(
                insert(work_queue).values(
                    run_id=queue_run, account_id=ACCOUNT, state="leased", attempts=1,
                    info={}, lease_owner="w1",
                    lease_expires_at=datetime.now(UTC) + timedelta(minutes=5),
                )
            )  # fmt: skip
        with pytest.raises(Locked, match="queue run"):
            await run_prune(pg_url, keep_runs=1)
        assert await ledger_rows(pg_url, queue_run) == 1
        async with begin(engine) as conn:  # the worker died: its lease ran out
            await conn.execute(
                update(work_queue).values(lease_expires_at=datetime.now(UTC) - timedelta(1))
            )
    finally:
        await engine.dispose()
    stats = await run_prune(pg_url, keep_runs=1)
    assert stats.ledger_rows == 3
