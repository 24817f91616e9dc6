"""The store: upserts, tags, the ledger, reconciliation, back-pressure, batches, engines.

Every test that takes ``db_url`` or ``engine`` runs on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import stat
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Text, cast, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

import collector.store
import collector.store.writer as writer_module
from collector.records import AccountInfo, Record, ScanResult, Status
from collector.store import (
    BatchCounts,
    DatabaseUnavailable,
    ReconcileStats,
    Store,
    WriterError,
    make_engine,
    normalize_url,
    upgrade,
    upsert,
)
from collector.store.models import (
    accounts,
    resource_changes,
    resource_tags,
    resources,
    runs,
    scan_results,
)

A1 = "111111111111"
A2 = "222222222222"
INSTANCE = "AWS::EC2::Instance"
VOLUME = "AWS::EC2::Volume"


def rec(
    ident: str,
    *,
    digest: str = "d1",
    account: str = A1,
    region: str = "us-east-1",
    rtype: str = INSTANCE,
    tags: dict[str, str] | None = None,
    raw: dict[str, Any] | None = None,
    created_at: datetime | None = None,
) -> Record:
    kind = "volume" if rtype == VOLUME else "instance"
    return Record(
        arn=f"arn:aws:ec2:{region}:{account}:{kind}/{ident}",
        account_id=account,
        region=region,
        scope_region=region,
        service="ec2",
        resource_type=rtype,
        resource_id=ident,
        name=f"name-{ident}",
        tags={"Name": f"name-{ident}", "env": "prod"} if tags is None else tags,
        created_at=created_at or datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        raw={"Id": ident, "digest": digest} if raw is None else raw,
        digest=digest,
    )


def result(
    account: str = A1,
    region: str = "us-east-1",
    rtype: str = INSTANCE,
    status: Status = Status.OK,
    **kw: Any,
) -> ScanResult:
    return ScanResult(account, region, rtype, "ec2", status, **kw)


async def run_once(
    engine: AsyncEngine,
    records: Sequence[Record],
    results: Sequence[ScanResult],
    *,
    batch_size: int = 1000,
) -> tuple[int, ReconcileStats, Store]:
    store = Store(engine, batch_size=batch_size)
    run_id = await store.start_run(config_summary={"test": True})
    async with store:
        for record in records:
            await store.put(record)
        for res in results:
            await store.put_result(res)
    stats = await store.reconcile(run_id)
    await store.finish_run(run_id, "succeeded")
    return run_id, stats, store


async def fetch(engine: AsyncEngine, query: Any) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        return [dict(row._mapping) for row in await conn.execute(query)]


async def resource(engine: AsyncEngine, arn: str) -> dict[str, Any]:
    rows = await fetch(engine, select(resources).where(resources.c.arn == arn))
    assert len(rows) == 1, arn
    return rows[0]


async def tags_of(engine: AsyncEngine, arn: str) -> dict[str, str]:
    rows = await fetch(engine, select(resource_tags).where(resource_tags.c.arn == arn))
    return {row["key"]: row["value"] for row in rows}


async def changes(engine: AsyncEngine, run_id: int) -> set[tuple[str, str, str | None]]:
    c = resource_changes.c
    rows = await fetch(engine, select(c.arn, c.change, c.detail).where(c.run_id == run_id))
    return {(row["arn"], row["change"], row["detail"]) for row in rows}


async def count(engine: AsyncEngine, table: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


async def snapshot(engine: AsyncEngine, arns: Sequence[str]) -> list[dict[str, Any]]:
    """Whole rows, plus the timestamps as the database renders them (byte-for-byte)."""
    r = resources.c
    query = (
        select(
            resources,
            cast(r.last_seen_at, Text).label("last_seen_text"),
            cast(r.deleted_at, Text).label("deleted_text"),
        )
        .where(r.arn.in_(arns))
        .order_by(r.arn)
    )
    return await fetch(engine, query)


# -- the public surface ------------------------------------------------------------------------


def test_public_api_is_pinned() -> None:
    assert set(collector.store.__all__) == {
        "BatchCounts",
        "DatabaseUnavailable",
        "ReconcileStats",
        "Store",
        "StoreError",
        "WriterError",
        "current_revision",
        "downgrade",
        "head_revision",
        "make_engine",
        "metadata",
        "normalize_url",
        "ping",
        "safe_url",
        "upgrade",
    }
    signatures = {
        name: str(inspect.signature(getattr(Store, name)))
        for name in (
            "__init__",
            "start_run",
            "record_accounts",
            "put",
            "put_result",
            "flush",
            "reconcile",
            "finish_run",
        )
    }
    assert signatures == {
        "__init__": "(self, engine: 'AsyncEngine', *, batch_size: 'int' = 1000, "
        "queue_batches: 'int' = 4) -> 'None'",
        "start_run": "(self, *, config_summary: 'dict[str, Any]') -> 'int'",
        "record_accounts": "(self, run_id: 'int', accounts: 'Sequence[AccountInfo]') -> 'None'",
        "put": "(self, record: 'Record') -> 'None'",
        "put_result": "(self, result: 'ScanResult') -> 'None'",
        "flush": "(self) -> 'None'",
        "reconcile": "(self, run_id: 'int') -> 'ReconcileStats'",
        "finish_run": "(self, run_id: 'int', status: 'str', **counts: 'int') -> 'None'",
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite:////abs/x.db", "sqlite+aiosqlite:////abs/x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("inventory.db", "sqlite+aiosqlite:///inventory.db"),
        ("/var/lib/inv.db", "sqlite+aiosqlite:////var/lib/inv.db"),
        ("postgresql://u:p%40ss@h:5433/db", "postgresql+asyncpg://u:p%40ss@h:5433/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db?ssl=require", "postgresql+asyncpg://u@h/db?ssl=require"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "postgresql+psycopg2://u@h/db", "sqlite+pysqlite:///x.db", " "]
)
def test_normalize_url_rejects_unsupported(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite:///PATH"):
        normalize_url(url)


# -- upsert paths ------------------------------------------------------------------------------


async def test_new_records_are_created(engine: AsyncEngine) -> None:
    created_at = datetime(2023, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=2)))
    records = [rec("i-1", created_at=created_at), rec("i-2", tags={}), rec("v-1", rtype=VOLUME)]
    run_id, stats, store = await run_once(
        engine, records, [result(), result(rtype=VOLUME, item_count=1)]
    )

    assert stats == ReconcileStats(created=3, modified=0, deleted=0)
    assert store.counts.created == 3
    assert await changes(engine, run_id) == {(r.arn, "created", None) for r in records}

    row = await resource(engine, records[0].arn)
    assert row["first_seen_at"] == row["last_seen_at"]
    assert row["first_seen_at"].tzinfo is not None
    assert row["first_seen_at"].utcoffset() == timedelta(0)
    assert row["first_seen_run_id"] == row["last_seen_run_id"] == run_id
    assert row["deleted_at"] is None
    assert row["created_at"] == created_at  # same instant, returned in UTC
    assert row["created_at"].utcoffset() == timedelta(0)
    assert row["tags"] == {"Name": "name-i-1", "env": "prod"}
    assert row["raw"] == {"Id": "i-1", "digest": "d1"}
    assert (row["region"], row["scope_region"], row["service"]) == ("us-east-1", "us-east-1", "ec2")
    assert await tags_of(engine, records[0].arn) == {"Name": "name-i-1", "env": "prod"}
    assert await tags_of(engine, records[1].arn) == {}

    (run,) = await fetch(engine, select(runs).where(runs.c.id == run_id))
    assert run["status"] == "succeeded"
    assert run["finished_at"] >= run["started_at"]
    assert run["config_summary"] == {"test": True}
    assert (run["created_count"], run["modified_count"], run["deleted_count"]) == (3, 0, 0)
    assert (run["resources_seen"], run["scopes_ok"], run["accounts_total"]) == (3, 2, 1)


async def test_modified_and_unchanged(engine: AsyncEngine) -> None:
    a, b, c = rec("i-a"), rec("i-b"), rec("i-c")
    run1, _, _ = await run_once(engine, [a, b, c], [result()])
    before_a = await resource(engine, a.arn)

    b2 = rec("i-b", digest="d2", tags={"env": "dev", "team": "blue"})
    run2, stats, store = await run_once(engine, [a, b2, c], [result()])

    assert stats == ReconcileStats(created=0, modified=1, deleted=0)
    assert (store.counts.unchanged, store.counts.modified) == (2, 1)
    assert await changes(engine, run2) == {(b.arn, "modified", None)}
    (change,) = await fetch(
        engine, select(resource_changes).where(resource_changes.c.run_id == run2)
    )
    assert (change["old_digest"], change["new_digest"]) == ("d1", "d2")

    after_a = await resource(engine, a.arn)
    assert after_a["last_seen_run_id"] == run2
    assert after_a["last_seen_at"] > before_a["last_seen_at"]
    assert after_a["first_seen_run_id"] == run1
    assert after_a["first_seen_at"] == before_a["first_seen_at"]
    assert {k: v for k, v in after_a.items() if not k.startswith("last_seen")} == {
        k: v for k, v in before_a.items() if not k.startswith("last_seen")
    }

    row_b = await resource(engine, b.arn)
    assert (row_b["digest"], row_b["raw"]) == ("d2", {"Id": "i-b", "digest": "d2"})
    assert row_b["tags"] == {"env": "dev", "team": "blue"}
    assert row_b["first_seen_run_id"] == run1
    assert row_b["last_seen_run_id"] == run2
    # The tag rows are rewritten: "Name" is gone, "team" is new.
    assert await tags_of(engine, b.arn) == {"env": "dev", "team": "blue"}
    assert await tags_of(engine, a.arn) == {"Name": "name-i-a", "env": "prod"}


async def test_reappeared_resource(engine: AsyncEngine) -> None:
    a, b = rec("i-a"), rec("i-b")
    run1, _, _ = await run_once(engine, [a, b], [result()])
    first = await resource(engine, a.arn)

    run2, stats2, _ = await run_once(engine, [b], [result()])
    assert stats2 == ReconcileStats(created=0, modified=0, deleted=1)
    assert await changes(engine, run2) == {(a.arn, "deleted", None)}
    gone = await resource(engine, a.arn)
    assert gone["deleted_at"] is not None
    assert gone["last_seen_run_id"] == run1

    a3 = rec("i-a", tags={"env": "staging"})  # same digest: still a reappearance
    run3, stats3, store = await run_once(engine, [a3, b], [result()])
    assert stats3 == ReconcileStats(created=1, modified=0, deleted=0)
    assert store.counts.reappeared == 1
    assert await changes(engine, run3) == {(a.arn, "created", "reappeared")}
    back = await resource(engine, a.arn)
    assert back["deleted_at"] is None
    assert back["last_seen_run_id"] == run3
    assert (back["first_seen_run_id"], back["first_seen_at"]) == (run1, first["first_seen_at"])
    assert await tags_of(engine, a.arn) == {"env": "staging"}


async def test_duplicate_arns_in_one_batch_last_wins(engine: AsyncEngine) -> None:
    first = rec("i-dup", digest="d1", tags={"v": "1"})
    last = rec("i-dup", digest="d2", tags={"v": "2"})
    run_id, stats, store = await run_once(engine, [first, last], [result()])
    assert stats.created == 1
    assert store.counts.records == 1
    assert await changes(engine, run_id) == {(first.arn, "created", None)}
    row = await resource(engine, first.arn)
    assert row["digest"] == "d2"
    assert await tags_of(engine, first.arn) == {"v": "2"}


# -- the ledger and reconciliation -------------------------------------------------------------


async def test_ledger_rows(engine: AsyncEngine) -> None:
    started = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    err = result(
        rtype=VOLUME,
        status=Status.ERROR,
        error_code="AccessDenied",
        error_message="not authorized to perform ec2:DescribeVolumes",
        api_calls=3,
        started_at=started,
        finished_at=started + timedelta(seconds=2),
    )
    first_try = result(status=Status.ERROR, error_code="Throttling")
    retry = result(item_count=7, skipped_items=1, api_calls=2)
    skipped = result(region="ap-east-1", status=Status.SKIPPED)
    run_id, _, _ = await run_once(engine, [], [err, first_try, retry, skipped])

    rows = await fetch(engine, select(scan_results).where(scan_results.c.run_id == run_id))
    by_key = {(r["region"], r["resource_type"]): r for r in rows}
    assert set(by_key) == {("us-east-1", VOLUME), ("us-east-1", INSTANCE), ("ap-east-1", INSTANCE)}
    volume = by_key[("us-east-1", VOLUME)]
    assert (volume["status"], volume["error_code"], volume["api_calls"]) == (
        "error",
        "AccessDenied",
        3,
    )
    assert volume["error_message"] == "not authorized to perform ec2:DescribeVolumes"
    assert volume["started_at"] == started
    assert volume["finished_at"] == started + timedelta(seconds=2)
    # A second result for the same pair replaces the first (a retried scope).
    instance = by_key[("us-east-1", INSTANCE)]
    assert (instance["status"], instance["error_code"]) == ("ok", None)
    assert (instance["item_count"], instance["skipped_items"], instance["api_calls"]) == (7, 1, 2)
    assert by_key[("ap-east-1", INSTANCE)]["status"] == "skipped"


async def test_put_result_rejects_unknown_status(engine: AsyncEngine) -> None:
    store = Store(engine)
    await store.start_run(config_summary={})
    async with store:
        with pytest.raises(ValueError, match="'fine'"):
            await store.put_result(result(status="fine"))  # type: ignore[arg-type]


async def test_reconcile_deletes_only_in_ok_pairs(engine: AsyncEngine) -> None:
    ok_seen, ok_unseen = rec("i-1"), rec("i-2")
    err_pair = [rec("v-1", rtype=VOLUME), rec("v-2", rtype=VOLUME)]
    skipped_pair = [rec("i-9", region="eu-west-1")]
    no_ledger = [rec("i-7", account=A2)]
    everything = [ok_seen, ok_unseen, *err_pair, *skipped_pair, *no_ledger]
    await run_once(
        engine,
        everything,
        [
            result(),
            result(rtype=VOLUME),
            result(region="eu-west-1"),
            result(account=A2),
        ],
    )
    untouched = [r.arn for r in [*err_pair, *skipped_pair, *no_ledger]]
    before = await snapshot(engine, untouched)

    run2, stats, _ = await run_once(
        engine,
        [ok_seen],
        [
            result(item_count=1),
            result(rtype=VOLUME, status=Status.ERROR, error_code="AccessDenied"),
            result(region="eu-west-1", status=Status.SKIPPED),
        ],
    )

    assert stats == ReconcileStats(created=0, modified=0, deleted=1)
    assert await changes(engine, run2) == {(ok_unseen.arn, "deleted", None)}
    assert (await resource(engine, ok_unseen.arn))["deleted_at"] is not None
    assert (await resource(engine, ok_seen.arn))["deleted_at"] is None
    # Pairs that failed, were skipped or not listed at all: exactly as they were.
    assert await snapshot(engine, untouched) == before
    assert all(row["deleted_text"] is None for row in before)

    # Reconciling again changes nothing.
    store = Store(engine)
    assert await store.reconcile(run2) == stats
    assert await changes(engine, run2) == {(ok_unseen.arn, "deleted", None)}


async def test_wildcard_ledger_rows_never_delete(engine: AsyncEngine) -> None:
    records = [rec("i-1", account=A2), rec("v-1", account=A2, rtype=VOLUME)]
    await run_once(engine, records, [result(account=A2), result(account=A2, rtype=VOLUME)])
    before = await snapshot(engine, [r.arn for r in records])

    # The realistic case is status error (AssumeRole failed); even "ok" must not delete.
    run2, stats, _ = await run_once(
        engine,
        [],
        [
            result(account=A2, region="*", rtype="*", status=Status.ERROR),
            result(account=A2, region="*", rtype=INSTANCE, status=Status.OK),
            result(account=A2, region="us-east-1", rtype="*", status=Status.OK),
            result(account="*", region="us-east-1", rtype=VOLUME, status=Status.OK),
        ],
    )
    assert stats == ReconcileStats()
    assert await changes(engine, run2) == set()
    assert await snapshot(engine, [r.arn for r in records]) == before


# -- the writer: batches, back-pressure, failures ----------------------------------------------


async def test_batch_boundaries(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(engine, batch_size=2)
    run_id = await store.start_run(config_summary={})
    batches: list[tuple[list[str], list[str]]] = []
    write = store._write_batch

    async def spy(records: Sequence[Record], results: Sequence[ScanResult]) -> None:
        batches.append(([r.resource_id for r in records], [r.resource_type for r in results]))
        await write(records, results)

    monkeypatch.setattr(store, "_write_batch", spy)
    async with store:
        for i in range(5):
            await store.put(rec(f"i-{i}"))
        await store.put_result(result(item_count=5))
        await store.flush()
        assert await count(engine, resources) == 5

    # Batches of two; the ledger row rides with (never before) the records put before it.
    assert batches == [(["i-0", "i-1"], []), (["i-2", "i-3"], []), (["i-4"], [INSTANCE])]
    assert store.counts.records == 5
    assert await count(engine, resource_changes) == 5
    assert (await store.reconcile(run_id)).created == 5


async def test_each_batch_commits_alone(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(engine, batch_size=2)
    await store.start_run(config_summary={})
    calls = 0
    real_write_batch = upsert.write_batch

    def third_fails(*args: Any) -> BatchCounts:
        nonlocal calls
        calls += 1
        counts = real_write_batch(*args)
        if calls == 3:
            # Inside the batch's transaction, after its writes: the rollback must undo them.
            raise RuntimeError("disk on fire")
        return counts

    # The writer calls write_batch inside the batch transaction.
    monkeypatch.setattr("collector.store.writer.write_batch", third_fails)
    with pytest.raises(WriterError, match="disk on fire") as info:
        async with store:
            for i in range(6):
                await store.put(rec(f"i-{i}"))
            await store.flush()
    assert isinstance(info.value.__cause__, RuntimeError)
    # Batches 1 and 2 committed, batch 3 rolled back whole.
    assert await count(engine, resources) == 4
    assert await count(engine, resource_tags) == 8
    assert await count(engine, resource_changes) == 4


async def test_writer_failure_is_raised_to_producers(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database itself fails (a disk I/O error) after writing part of a batch with "i-bad".
    # A record the database refuses on its data is salvaged instead (test_unstorable_text).
    real = writer_module.write_batch

    def failing_write(conn: Any, run_id: int, records: Any, *args: Any) -> Any:
        counts = real(conn, run_id, records, *args)
        if any(r.resource_id == "i-bad" for r in records):
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return counts

    monkeypatch.setattr(writer_module, "write_batch", failing_write)
    store = Store(engine, batch_size=10)
    await store.start_run(config_summary={})
    with pytest.raises(WriterError, match="disk I/O error"):
        async with store:
            await store.put(rec("i-ok"))
            await store.put(rec("i-bad"))
            await store.flush()
    assert await count(engine, resources) == 0  # the whole batch rolled back

    async with store:
        await store.put(rec("i-after"))
    assert await count(engine, resources) == 1

    failing = Store(engine, batch_size=1)
    await failing.start_run(config_summary={})
    with pytest.raises(WriterError):
        async with failing:
            await failing.put(rec("i-bad"))
            await asyncio.sleep(0.2)  # let the writer fail
            await failing.put(rec("i-next"))  # fails at once, does not queue


async def test_backpressure_blocks_put_when_queue_is_full(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(engine, batch_size=2, queue_batches=1)
    assert store.queue_size == 2
    await store.start_run(config_summary={})
    release = asyncio.Event()
    writing = asyncio.Event()
    write = store._write_batch

    async def slow(records: Sequence[Record], results: Sequence[ScanResult]) -> None:
        writing.set()
        await release.wait()
        await write(records, results)

    monkeypatch.setattr(store, "_write_batch", slow)
    async with store:
        await store.put(rec("i-0"))
        await store.put(rec("i-1"))
        await asyncio.wait_for(writing.wait(), 5)  # the writer holds batch [i-0, i-1]
        await store.put(rec("i-2"))
        await store.put(rec("i-3"))
        assert store.queued == 2  # full
        blocked = asyncio.create_task(store.put(rec("i-4")))
        await asyncio.sleep(0.2)
        assert not blocked.done(), "put() must wait while the queue is full"
        assert store.queued == 2
        release.set()
        await asyncio.wait_for(blocked, 5)
        await store.flush()
    assert await count(engine, resources) == 5


async def test_trickling_records_are_batched(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow producer still gets a few big transactions, not one per record."""
    store = Store(engine, batch_size=100)
    await store.start_run(config_summary={})
    sizes: list[int] = []
    write = store._write_batch

    async def spy(records: Sequence[Record], results: Sequence[ScanResult]) -> None:
        sizes.append(len(records))
        await write(records, results)

    monkeypatch.setattr(store, "_write_batch", spy)
    monkeypatch.setattr(store, "LINGER_SECONDS", 0.5)
    async with store:
        for i in range(10):
            await store.put(rec(f"i-{i}"))
            await asyncio.sleep(0.005)
        await store.flush()
    assert sum(sizes) == 10
    assert len(sizes) <= 2, sizes


async def test_put_needs_a_running_writer_and_a_run(engine: AsyncEngine) -> None:
    store = Store(engine)
    with pytest.raises(RuntimeError, match="async with store"):
        await store.put(rec("i-1"))
    async with store:
        with pytest.raises(RuntimeError, match="start_run"):
            await store.put(rec("i-1"))
    with pytest.raises(ValueError, match="at least 1"):
        Store(engine, batch_size=0)


# -- runs and accounts -------------------------------------------------------------------------


async def test_record_accounts(engine: AsyncEngine) -> None:
    store = Store(engine)
    run1 = await store.start_run(config_summary={})
    await store.record_accounts(
        run1,
        [
            AccountInfo(
                A1,
                name="prod",
                email="p@example.com",
                status="ACTIVE",
                source="organizations",
                parent_id="ou-ab12-cdef3456",
            ),
            AccountInfo(A2),
        ],
    )
    run2 = await store.start_run(config_summary={})
    await store.record_accounts(run2, [AccountInfo(A1, source="list")])

    rows = {r["account_id"]: r for r in await fetch(engine, select(accounts))}
    assert set(rows) == {A1, A2}
    a1 = rows[A1]
    # Fields unknown this time keep what Organizations said before.
    assert (a1["name"], a1["email"], a1["status"], a1["parent_id"]) == (
        "prod",
        "p@example.com",
        "ACTIVE",
        "ou-ab12-cdef3456",
    )
    assert (a1["source"], a1["last_run_id"]) == ("list", run2)
    assert a1["last_seen_at"] > a1["first_seen_at"]
    assert (rows[A2]["source"], rows[A2]["last_run_id"]) == ("current", run1)


async def test_finish_run(engine: AsyncEngine) -> None:
    store = Store(engine)
    run_id = await store.start_run(config_summary={"accounts": "current"})
    (row,) = await fetch(engine, select(runs).where(runs.c.id == run_id))
    assert (row["status"], row["finished_at"], row["pid"]) == ("running", None, os.getpid())
    assert row["collector_version"] == collector.__version__
    async with store:
        await store.put(rec("i-1"))
        await store.put_result(result(item_count=1))
        await store.put_result(result(rtype=VOLUME, status=Status.ERROR))
    await store.reconcile(run_id)

    with pytest.raises(ValueError, match="invalid final run status"):
        await store.finish_run(run_id, "running")
    with pytest.raises(TypeError, match="bogus"):
        await store.finish_run(run_id, "partial", bogus=1)
    with pytest.raises(LookupError):
        await store.finish_run(run_id + 100, "failed")

    await store.finish_run(run_id, "partial", accounts_total=3)
    (row,) = await fetch(engine, select(runs).where(runs.c.id == run_id))
    assert row["status"] == "partial"
    assert row["finished_at"] is not None
    assert row["accounts_total"] == 3  # given
    assert (row["scopes_ok"], row["scopes_error"], row["scopes_skipped"]) == (1, 1, 0)
    assert (row["resources_seen"], row["created_count"], row["deleted_count"]) == (1, 1, 0)


# -- engines -----------------------------------------------------------------------------------


async def test_new_sqlite_file_is_private_and_tuned(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # a plain create would give 0644
    try:
        path = tmp_path / "new.db"
        engine = make_engine(f"sqlite:///{path}")
        try:
            assert not path.exists()  # nothing happens before the first connection
            await upgrade(engine)
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            async with engine.connect() as conn:
                pragmas = [
                    (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
                    for name in ("journal_mode", "busy_timeout", "foreign_keys")
                ]
                assert pragmas == ["wal", 30000, 1]
                wal = tmp_path / "new.db-wal"
                assert wal.exists()
                assert stat.S_IMODE(wal.stat().st_mode) == 0o600
        finally:
            await engine.dispose()
    finally:
        os.umask(old_umask)


async def test_unreachable_postgres_raises_database_unavailable() -> None:
    url = "postgresql://inventory:s3cret-pw@127.0.0.1:1/inventory"
    with pytest.raises(DatabaseUnavailable) as info:
        await upgrade(url)
    message = str(info.value)
    assert "127.0.0.1:1" in message
    assert "***" in message
    assert "s3cret-pw" not in message

    engine = make_engine(url)
    try:
        with pytest.raises(DatabaseUnavailable, match="cannot connect"):
            await Store(engine).start_run(config_summary={})
    finally:
        await engine.dispose()


async def test_sqlite_in_missing_directory_raises_database_unavailable(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="no-such-dir"):
        await upgrade(f"sqlite:///{tmp_path}/no-such-dir/x.db")


async def test_sqlite_batch_does_not_hold_the_write_lock_while_the_loop_is_busy(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (here: a thread with its own connection) can take SQLite's write lock
    while this process's event loop is busy parsing: the batch ran start to commit on the
    writer's thread and did not wait for the loop between its statements."""
    import sqlite3
    import threading
    import time

    engine = make_engine(sqlite_url)
    await upgrade(engine)
    path = sqlite_url.removeprefix("sqlite:///")
    entered, go = threading.Event(), threading.Event()
    real_write_batch = collector.store.writer.write_batch

    def spy(*args: Any) -> BatchCounts:
        # Hold the batch (its write lock taken) until the loop is about to be kept busy.
        entered.set()
        go.wait(5.0)
        return real_write_batch(*args)

    monkeypatch.setattr("collector.store.writer.write_batch", spy)
    got_lock: list[float] = []

    def other_writer() -> None:
        conn = sqlite3.connect(path, timeout=3.0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            got_lock.append(time.monotonic())
            conn.execute("ROLLBACK")
        finally:
            conn.close()

    def busy_loop(done: Any, seconds: float) -> float:
        """Keep the event loop's thread busy (as parsing does) until done() or timeout."""
        until = time.monotonic() + seconds
        while time.monotonic() < until and not done():
            time.sleep(0.01)
        return time.monotonic()

    store = Store(engine, batch_size=200)
    await store.start_run(config_summary={})
    try:
        async with store:
            for i in range(200):
                await store.put(rec(f"i-{i}"))
            assert await asyncio.to_thread(entered.wait, 5.0), "the writer never started"
            other = threading.Thread(target=other_writer)
            other.start()
            go.set()
            blocked_at = busy_loop(lambda: bool(got_lock), 2.5)
            other.join()
            await store.flush()
        assert got_lock and got_lock[0] < blocked_at, "the lock waited for the event loop"
        assert await count(engine, resources) == 200
    finally:
        await engine.dispose()
