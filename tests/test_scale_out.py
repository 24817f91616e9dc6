"""Scaling out (issue 7): --processes, --shard I/N and --queue workers.

The oracle of the end-to-end tests is a plain one-process run over the same moto organization:
the other modes must store exactly the same inventory (arn, account, region, type, digest, live
or deleted) and the same ledger. Workers run as real processes (`python -m collector collect`),
the way cron or Kubernetes would start them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.aws.planning import PlannedAccount
from collector.aws.sessions import AccountTarget
from collector.config import parse
from collector.demo.seed import Manifest, member_session, seed_organization
from collector.records import AccountInfo
from collector.run.collect import Collector
from collector.run.shard import Shard, shard_of
from collector.run.work_queue import Claim, WorkQueue, worker_id
from collector.store import make_engine, upgrade
from collector.store.ledger import mark_interrupted
from collector.store.lock import Locked, run_lock
from collector.store.models import runs, work_queue

REGION = "us-east-1"
TYPES = [
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::SecurityGroup",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::IAM::Role",
    "AWS::S3::Bucket",
]
# Slow enough to be caught in the middle: 0.5 requests/second per (account, region, service).
SLOW = "[throttle]\ndefault_rate = 0.5\nrates = { ec2 = 0.5 }\n"
ONE_AT_A_TIME = "[collect]\naccount_concurrency = 1\n"

Inventory = set[tuple[Any, ...]]


# -- helpers ----------------------------------------------------------------------------------


def _reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    urllib.request.urlopen(request).close()


@pytest.fixture
def org(moto_server: str) -> Manifest:
    _reset(moto_server)
    return seed_organization(moto_server, members=2, regions=[REGION], per_type=1)


def write_config(tmp_path: Path, moto: str, extra: str = "", name: str = "c.toml") -> Path:
    path = tmp_path / name
    path.write_text(
        f'[aws]\nendpoint_url = "{moto}"\n[accounts]\nsource = "organizations"\n'
        f'[regions]\ninclude = ["{REGION}"]\n[resources]\ninclude = {TYPES!r}\n'.replace("'", '"')
        + extra
    )
    return path


def collect_args(cfg: Path, db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "collector", "collect", "-c", str(cfg), "--db", db, *args]


def run_cli(cfg: Path, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        collect_args(cfg, db, *args), capture_output=True, text=True, timeout=240, check=False
    )


async def run_cli_async(cfg: Path, db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(run_cli, cfg, db, *args)


async def rows(db: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = make_engine(db)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(text(sql), params)]
    finally:
        await engine.dispose()


async def inventory(db: str) -> Inventory:
    return set(
        await rows(
            db,
            "SELECT arn, account_id, region, resource_type, digest, deleted_at IS NULL "
            "FROM resources",
        )
    )


async def ledger(db: str, *run_ids: int) -> Inventory:
    """(account, region, type, status, items) over the runs; asserts no pair twice."""
    got = await rows(
        db,
        "SELECT account_id, region, resource_type, status, item_count FROM scan_results "
        "WHERE run_id IN (" + ", ".join(str(int(r)) for r in run_ids) + ")",
    )
    assert len(got) == len({g[:3] for g in got}), "a pair has two ledger rows"
    return set(got)


async def empty_pg(db: str) -> None:
    engine = make_engine(db)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


async def wait_for(check: Callable[[], Awaitable[bool]], what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


def start(args: list[str], output: int) -> subprocess.Popen[str]:
    return subprocess.Popen(args, stdout=output, stderr=output, text=True)


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def reference_config(moto: str, db: str, **collect: Any) -> Any:
    return parse(
        {
            "aws": {"endpoint_url": moto},
            "accounts": {"source": "organizations"},
            "regions": {"include": [REGION]},
            "resources": {"include": TYPES},
            **({"collect": collect} if collect else {}),
        }
    )


# -- fast checks, no AWS ----------------------------------------------------------------------


def test_shard_parse_and_split() -> None:
    assert Shard.parse("0/4") == Shard(0, 4)
    assert Shard.parse(" 3 / 4 ") == Shard(3, 4)
    for bad in ("4/4", "-1/4", "1", "a/b", "1/0"):
        with pytest.raises(ValueError):
            Shard.parse(bad)
    accounts = [f"{100000000000 + i * 7919:012d}" for i in range(400)]
    for count in (1, 2, 3, 8):
        shards = [Shard(i, count) for i in range(count)]
        owners = [[s for s in shards if s.owns(a)] for a in accounts]
        assert all(len(o) == 1 for o in owners)  # every account in exactly one shard
        sizes = [sum(1 for o in owners if o[0] is s) for s in shards]
        assert min(sizes) > len(accounts) / count * 0.7  # and roughly even
    # Stable: an account's shard depends on nothing but its id and the count.
    assert [shard_of(a, 4) for a in accounts] == [shard_of(a, 4) for a in reversed(accounts)][::-1]
    assert Shard(1, 4).scope_key == "shard:1/4"
    assert Shard(1, 4).lock_name != Shard(2, 4).lock_name


async def test_shards_lock_and_interrupt_only_themselves(db_url: str) -> None:
    engine = make_engine(db_url)
    other = make_engine(db_url)
    try:
        await upgrade(engine)
        zero, one = Shard(0, 2), Shard(1, 2)
        async with run_lock(engine, zero.lock_name):
            async with run_lock(other, one.lock_name):  # another shard: not locked out
                pass
            async with run_lock(other):  # a whole run is not locked out by a shard either
                pass
            with pytest.raises(Locked):
                async with run_lock(other, zero.lock_name):
                    pass
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            for key in (None, zero.scope_key, one.scope_key, "queue:default"):
                await conn.execute(
                    insert(runs).values(status="running", started_at=now, scope_key=key)
                )
        assert await mark_interrupted(engine, zero.scope_key) == 1
        assert await mark_interrupted(engine) == 1
        async with engine.connect() as conn:
            statuses = dict(
                (key, status)
                for key, status in await conn.execute(select(runs.c.scope_key, runs.c.status))
            )
        assert statuses == {
            None: "interrupted",
            "shard:0/2": "interrupted",
            "shard:1/2": "running",
            "queue:default": "running",
        }
    finally:
        await engine.dispose()
        await other.dispose()


@pytest.mark.postgres
async def _queue_run(engine: AsyncEngine, accounts: int) -> int:
    """A running queue run with ``accounts`` pending rows; returns its id."""
    await upgrade(engine)
    async with engine.begin() as conn:
        run_id = (
            await conn.execute(
                insert(runs)
                .values(status="running", started_at=datetime.now(UTC), scope_key="queue:t")
                .returning(runs.c.id)
            )
        ).scalar_one()
        info = {
            "account": {"account_id": "x", "source": "list"},
            "target": {"account_id": "x"},
        }
        await conn.execute(
            insert(work_queue),
            [
                {
                    "run_id": run_id,
                    "account_id": f"{i:012d}",
                    "state": "pending",
                    "attempts": 0,
                    "info": info,
                }
                for i in range(accounts)
            ],
        )
    return int(run_id)


async def test_queue_claims_leases_and_finishes_once(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        run_id = await _queue_run(engine, 20)
        workers = [WorkQueue(engine, run_id, worker_id(), lease_s=1.0) for _ in range(5)]

        async def drain(q: WorkQueue) -> list[int]:
            got = []
            while (claim := await q.claim()) is not None:
                got.append(claim.row_id)
            return got

        claimed = await asyncio.gather(*(drain(q) for q in workers))
        ids = [i for got in claimed for i in got]
        assert len(ids) == len(set(ids)) == 20  # SKIP LOCKED: no row handed out twice
        assert not await workers[0].try_finish()  # leased rows left: not finished
        # Worker 0 "dies": its leases expire and another worker takes its rows over.
        await asyncio.sleep(1.2)
        taken = await drain(workers[1])
        assert set(taken) == set(ids)  # every lease expired (nobody renewed)
        survivor = workers[1]
        async with engine.connect() as conn:
            attempts = set((await conn.execute(select(work_queue.c.attempts))).scalars())
        assert attempts == {2}
        # A stale owner can neither renew nor finish what it lost.
        lost = await workers[0].claim()
        assert lost is None
        for row_id in taken:
            claim = Claim(row_id, PlannedAccount(AccountInfo("x"), AccountTarget("x")), 2)
            assert await survivor.renew(claim)
            assert await survivor.finish(claim)
            assert not await workers[2].finish(claim)
        # Every worker races to finish: exactly one does it.
        finished = await asyncio.gather(*(q.try_finish() for q in workers))
        assert sorted(finished) == [False] * 4 + [True]
        async with engine.connect() as conn:
            status, total = (
                await conn.execute(
                    select(runs.c.status, runs.c.accounts_total).where(runs.c.id == run_id)
                )
            ).one()
        assert (status, total) == ("succeeded", 20)
    finally:
        await engine.dispose()


async def test_idle_workers_are_woken_by_queue_changes(pg_url: str) -> None:
    """An idle worker hears (LISTEN/NOTIFY) when an account is done or handed back and when
    the run is finished, instead of finding out at its next poll (5 s by default)."""
    engine = make_engine(pg_url)
    try:
        run_id = await _queue_run(engine, 2)
        idle, busy = (WorkQueue(engine, run_id, worker_id(), lease_s=60) for _ in range(2))

        async def heard(event: asyncio.Event, action: Awaitable[Any]) -> bool:
            event.clear()
            await action
            try:
                await asyncio.wait_for(event.wait(), 3.0)
            except TimeoutError:
                return False
            return True

        async with idle.notifications() as changed:
            first = await busy.claim()
            assert first is not None
            assert not await heard(changed, busy.renew(first))  # a renewal is no news
            assert await heard(changed, busy.finish(first))
            second = await busy.claim()
            assert second is not None
            assert await heard(changed, busy.release_mine())
            second = await busy.claim()
            assert second is not None and await busy.finish(second)
            assert await heard(changed, busy.try_finish())
    finally:
        await engine.dispose()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[regions]\ninclude = ["us-east-1"]\n')
    db = str(tmp_path / "x.db")
    queue_on_sqlite = run_cli(cfg, db, "--queue")
    assert queue_on_sqlite.returncode == 2, queue_on_sqlite.stderr
    assert "--queue needs PostgreSQL" in queue_on_sqlite.stderr
    bad_shard = run_cli(cfg, db, "--shard", "2/2")
    assert bad_shard.returncode == 2
    assert "numbered from 0" in bad_shard.stderr
    mixed = run_cli(cfg, db, "--queue", "--shard", "0/2")
    assert mixed.returncode == 2
    assert not (tmp_path / "x.db").exists()


# -- end to end over a moto organization -------------------------------------------------------


def test_processes_on_sqlite_store_what_one_process_stores(
    org: Manifest, moto_server: str, tmp_path: Path
) -> None:
    cfg = write_config(tmp_path, moto_server)
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    reference = run_cli(cfg, one)
    assert reference.returncode == 0, reference.stderr
    parallel = run_cli(cfg, two, "--processes", "2")
    assert parallel.returncode == 0, parallel.stderr

    async def compare() -> None:
        assert await inventory(two) == await inventory(one)
        assert await ledger(two, 1) == await ledger(one, 1)
        assert await rows(two, "SELECT id, status, scope_key, accounts_total FROM runs") == [
            (1, "succeeded", None, 3)
        ]

    asyncio.run(compare())
    # The parent's summary adds up what the workers reported.
    summary = parallel.stdout.strip().splitlines()[-1]
    assert summary.split(":", 1)[1] == reference.stdout.strip().splitlines()[-1].split(":", 1)[1]
    assert "3 accounts" in summary and " 0 error " in summary


async def test_processes_worker_killed_leaves_an_honest_partial_run(
    org: Manifest, moto_server: str, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'inv.db'}"
    await asyncio.to_thread(run_cli, write_config(tmp_path, moto_server, name="fast.toml"), db)
    before = await inventory(db)
    cfg = write_config(tmp_path, moto_server, SLOW + ONE_AT_A_TIME)
    parent = start(collect_args(cfg, db, "--processes", "2"), subprocess.PIPE)

    async def started() -> bool:
        assert parent.poll() is None, parent.communicate()
        return bool(await rows(db, "SELECT 1 FROM scan_results WHERE run_id = 2"))

    await wait_for(started, "the workers to write ledger rows")
    # The workers are forked by the forkserver, a child of the parent.
    workers = [p for p in descendants(parent.pid) if p not in direct_children(parent.pid)]
    assert len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)
    _, err = await asyncio.to_thread(parent.communicate, timeout=180)
    assert parent.returncode == 1, err
    assert "WorkerDied" in err
    [(status,)] = await rows(db, "SELECT status FROM runs WHERE id = 2")
    assert status == "partial"
    died = await rows(
        db,
        "SELECT account_id FROM scan_results WHERE run_id = 2 AND error_code = 'WorkerDied'",
    )
    assert 1 <= len(died) <= 2
    # Nothing was marked deleted: the killed worker's unfinished pairs have no ok row.
    assert await inventory(db) == before
    # Every account either finished (all pairs ok) or carries the WorkerDied row.
    complete = await ledger(db, 1)
    second = await ledger(db, 2)
    for account in org.account_ids:
        if (account,) in died:
            continue
        assert {r for r in second if r[0] == account} == {r for r in complete if r[0] == account}


def direct_children(pid: int) -> set[int]:
    """The direct children of ``pid`` (the forkserver, a resource tracker): not workers."""
    return {p for p in descendants(pid) if _ppid(p) == pid}


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


async def test_shard_reconciles_only_its_own_accounts(
    org: Manifest, moto_server: str, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'inv.db'}"
    first, second = org.member_account_ids
    # The smallest shard count that puts the two members in different shards.
    count = next(n for n in range(2, 64) if shard_of(first, n) != shard_of(second, n))
    shards = [Shard(i, count) for i in range(count)]
    cfg = reference_config(moto_server, db)
    for shard in shards:
        summary = await Collector(cfg, db, shard=shard).run()
        assert summary.exit_code == 0
    queues = {}
    for account in (first, second):
        [queue] = [r for r in org.of_type("AWS::SQS::Queue") if r.account_id == account]
        sqs = member_session(moto_server, account, REGION).client("sqs", endpoint_url=moto_server)
        await asyncio.to_thread(
            sqs.delete_queue, QueueUrl=sqs.get_queue_url(QueueName=queue.resource_id)["QueueUrl"]
        )
        queues[account] = queue.arn

    async def deleted() -> set[str]:
        return {
            a for (a,) in await rows(db, "SELECT arn FROM resources WHERE deleted_at IS NOT NULL")
        }

    owner = next(s for s in shards if s.owns(first))
    summary = await Collector(cfg, db, shard=owner).run()
    assert (summary.exit_code, summary.deleted) == (0, 1)
    # The other member's queue is gone too, but its shard has not run since: still live.
    assert await deleted() == {queues[first]}
    [(scope_key, index, n)] = await rows(
        db, "SELECT scope_key, shard_index, shard_count FROM runs WHERE id = :r", r=summary.run_id
    )
    assert (scope_key, index, n) == (owner.scope_key, owner.index, count)
    assert {a for (a,) in await rows(
        db, "SELECT DISTINCT account_id FROM scan_results WHERE run_id = :r", r=summary.run_id
    )} == {a for a in org.account_ids if owner.owns(a)}  # fmt: skip
    other = next(s for s in shards if s.owns(second))
    summary = await Collector(cfg, db, shard=other).run()
    assert (summary.exit_code, summary.deleted) == (0, 1)
    assert await deleted() == set(queues.values())


@pytest.mark.postgres
async def test_shards_and_queue_workers_store_what_one_process_stores(
    org: Manifest, moto_server: str, tmp_path: Path, pg_url: str
) -> None:
    cfg = write_config(tmp_path, moto_server, ONE_AT_A_TIME)
    reference = await run_cli_async(cfg, pg_url)
    assert reference.returncode == 0, reference.stderr
    expected_inventory, expected_ledger = await inventory(pg_url), await ledger(pg_url, 1)
    assert len(expected_inventory) > 30

    # Two shards at once, as two cron jobs would start them.
    await empty_pg(pg_url)
    results = await asyncio.gather(
        run_cli_async(cfg, pg_url, "--shard", "0/2"), run_cli_async(cfg, pg_url, "--shard", "1/2")
    )
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    shard_runs = await rows(pg_url, "SELECT id, scope_key, status FROM runs ORDER BY scope_key")
    assert [(k, s) for _, k, s in shard_runs] == [
        ("shard:0/2", "succeeded"),
        ("shard:1/2", "succeeded"),
    ]
    assert await inventory(pg_url) == expected_inventory
    assert await ledger(pg_url, *(i for i, _, _ in shard_runs)) == expected_ledger
    for run_id, key, _ in shard_runs:
        shard = Shard.parse(key.removeprefix("shard:"))
        accounts = {r[0] for r in await ledger(pg_url, run_id)}
        assert all(shard.owns(a) for a in accounts)

    # Two queue workers at once: one run, every account done once.
    await empty_pg(pg_url)
    results = await asyncio.gather(
        run_cli_async(cfg, pg_url, "--queue"), run_cli_async(cfg, pg_url, "--queue")
    )
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    [(run_id, status, total)] = await rows(pg_url, "SELECT id, status, accounts_total FROM runs")
    assert (status, total) == ("succeeded", 3)
    assert await inventory(pg_url) == expected_inventory
    assert await ledger(pg_url, run_id) == expected_ledger
    assert set(await rows(pg_url, "SELECT state, attempts FROM work_queue")) == {("done", 1)}
    # Both workers print the same, whole-run summary.
    assert results[0].stdout.splitlines()[-1] == results[1].stdout.splitlines()[-1]


@pytest.mark.postgres
async def test_queue_worker_killed_mid_run_is_taken_over(
    org: Manifest, moto_server: str, tmp_path: Path, pg_url: str
) -> None:
    fast = write_config(tmp_path, moto_server, name="fast.toml")
    reference = await run_cli_async(fast, pg_url)  # run 1: what a complete run looks like
    assert reference.returncode == 0, reference.stderr
    expected_inventory, expected_ledger = await inventory(pg_url), await ledger(pg_url, 1)
    cfg = write_config(tmp_path, moto_server, SLOW + ONE_AT_A_TIME)
    lease = ("--lease-seconds", "3")
    victim = start(collect_args(cfg, pg_url, "--queue", *lease), subprocess.DEVNULL)
    helper = asyncio.create_task(run_cli_async(cfg, pg_url, "--queue", *lease))

    async def victim_is_midway() -> bool:
        assert victim.poll() is None, "the worker finished before it could be killed"
        found = await rows(
            pg_url,
            "SELECT count(*) FROM work_queue w JOIN scan_results s "
            "ON s.run_id = w.run_id AND s.account_id = w.account_id "
            "WHERE w.state = 'leased' AND w.lease_owner LIKE :owner",
            owner=f"%:{victim.pid}:%",
        )
        return bool(found[0][0])

    await wait_for(victim_is_midway, "the victim to be halfway through an account")
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    survivor = await helper
    assert survivor.returncode == 0, survivor.stderr
    [(status,)] = await rows(pg_url, "SELECT status FROM runs WHERE id = 2")
    assert status == "succeeded"
    queue = await rows(pg_url, "SELECT account_id, state, attempts, lease_owner FROM work_queue")
    assert {state for _, state, _, _ in queue} == {"done"}
    taken_over = [(a, n, owner) for a, _, n, owner in queue if n > 1]
    assert len(taken_over) == 1 and taken_over[0][1] == 2
    assert f":{victim.pid}:" not in taken_over[0][2]
    # Every pair of every account listed once in run 2, exactly like the complete run 1.
    assert await ledger(pg_url, 2) == expected_ledger
    assert await inventory(pg_url) == expected_inventory
