"""Any number of writers may write the same ARNs at once (``INSERT ... ON CONFLICT``).

Two OS processes write the same resources and ledger rows into one run at the same moment,
on SQLite and on PostgreSQL: both succeed, and the database holds one row per ARN.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.records import AccountInfo, Record, ScanResult, Status
from collector.store import Store, make_engine
from collector.store.models import (
    accounts,
    resource_changes,
    resource_tags,
    resource_versions,
    resources,
    scan_results,
)

ACCOUNT = "111111111111"
REGIONS = ("us-east-1", "eu-west-1")
ARNS = 300
TYPE = "AWS::Organizations::Account"


def record(n: int, region: str) -> Record:
    ident = f"{n:05d}"
    return Record(
        arn=f"arn:aws:organizations::{ACCOUNT}:account/o-x/{region}-{ident}",
        account_id=ACCOUNT,
        region=region,
        scope_region=region,
        service="organizations",
        resource_type=TYPE,
        resource_id=ident,
        name=f"account-{ident}",
        tags={"team": "red", "n": ident},
        created_at=None,
        raw={"Id": ident, "Name": f"account-{ident}"},
        digest=f"{n:064d}",
    )


async def write(db_url: str, run_id: int, order: Sequence[int], start: Any) -> None:
    engine = make_engine(db_url)
    try:
        store = Store(engine, batch_size=ARNS)  # a long transaction: both meet in it
        store.run_id = run_id
        await asyncio.to_thread(start.wait)  # both processes go at the same moment
        await store.record_accounts(run_id, [AccountInfo(ACCOUNT, name="payments")])
        async with store:
            for region in REGIONS:
                for n in order:
                    await store.put(record(n, region))
                await store.put_result(
                    ScanResult(ACCOUNT, region, TYPE, "organizations", Status.OK, item_count=ARNS)
                )
    finally:
        await engine.dispose()


def writer_process(db_url: str, run_id: int, order: Sequence[int], start: Any) -> None:
    asyncio.run(write(db_url, run_id, order, start))


async def count_by(engine: AsyncEngine, column: Any, *where: Any) -> dict[Any, int]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(column, func.count()).where(*where).group_by(column))
        return {key: int(n) for key, n in rows}


async def test_two_processes_write_the_same_arns_at_once(db_url: str, engine: AsyncEngine) -> None:
    store = Store(engine)
    run_id = await store.start_run(config_summary={})
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    # The same records in the same order: every batch of one meets the same batch of the
    # other (both find its ARNs new, both insert them).
    orders = [list(range(ARNS)), list(range(ARNS))]
    workers = [
        context.Process(target=writer_process, args=(db_url, run_id, order, start))
        for order in orders
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]

    expected = {record(n, r).arn for n in range(ARNS) for r in REGIONS}
    assert await count_by(engine, resources.c.arn) == dict.fromkeys(expected, 1)
    assert await count_by(engine, resource_tags.c.arn) == dict.fromkeys(expected, 2)
    assert await count_by(engine, resource_versions.c.arn) == dict.fromkeys(expected, 1)
    created = resource_changes.c.change == "created"
    assert await count_by(engine, resource_changes.c.arn, created) == dict.fromkeys(expected, 1)
    ledger = await count_by(engine, scan_results.c.region, scan_results.c.run_id == run_id)
    assert ledger == dict.fromkeys(REGIONS, 1)
    assert await count_by(engine, accounts.c.name) == {"payments": 1}
