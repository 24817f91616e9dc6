"""The cap on pages held in memory: listed but not yet handed to the store (stub client)."""

from __future__ import annotations

import asyncio
from typing import Any

from collector.aws.throttle import Throttles
from collector.config import ThrottleConfig
from collector.engine.fetch import PAGES_HELD_PER_CALL, Fetcher, Job
from collector.records import Record, Scope, Status
from collector.registry import ResourceType
from tests.test_fetch_children import CHILD, PARENT, TYPES, StubClient, StubSessions, error

PAGES = 3
ACCOUNTS = [f"1111{n:08d}" for n in range(12)]


def three_pages(operation: str, params: dict[str, Any]) -> Any:
    page = int(params.get("token") or 0)
    body: dict[str, Any] = {"parents": [{"id": f"p{page}-{i}", "arn": f"arn:p{page}-{i}"} for i in range(2)]}
    if page + 1 < PAGES:
        body["token"] = str(page + 1)
    return body


def make_fetcher(client: StubClient, sink: Any, max_concurrency: int) -> Fetcher:
    return Fetcher(
        StubSessions(client),  # type: ignore[arg-type]
        Throttles(ThrottleConfig(default_rate=10_000, rates={})),
        max_concurrency=max_concurrency,
        detail_concurrency=2,
        sink=sink,
        types=TYPES,
    )


async def run_all(fetcher: Fetcher, rtype: ResourceType) -> list[Any]:
    jobs = [fetcher.run(Job(Scope(a, "us-east-1"), rtype)) for a in ACCOUNTS]
    return list(await asyncio.wait_for(asyncio.gather(*jobs), timeout=30))


async def test_a_stalled_store_stops_listing_at_the_cap() -> None:
    client = StubClient(three_pages)
    store_open = asyncio.Event()
    records: list[Record] = []

    async def sink(record: Record) -> None:
        await store_open.wait()  # the store's queue is full
        records.append(record)

    fetcher = make_fetcher(client, sink, max_concurrency=2)
    done = asyncio.ensure_future(run_all(fetcher, PARENT))
    for _ in range(50):
        await asyncio.sleep(0.005)
    # Each of the 12 jobs would have fetched a page and sat on it; the cap lets 2 x 2 through.
    assert len(client.calls) == PAGES_HELD_PER_CALL * 2
    store_open.set()
    results = await done
    assert [r.status for r in results] == [Status.OK] * len(ACCOUNTS)
    assert len(client.calls) == PAGES * len(ACCOUNTS)
    assert len(records) == 2 * PAGES * len(ACCOUNTS)


async def test_failed_listings_hand_their_slots_back() -> None:
    def second_page_denied(operation: str, params: dict[str, Any]) -> Any:
        return error("AccessDenied") if params.get("token") else three_pages(operation, params)

    records: list[Record] = []

    async def sink(record: Record) -> None:
        records.append(record)

    fetcher = make_fetcher(StubClient(second_page_denied), sink, max_concurrency=1)
    results = await run_all(fetcher, PARENT)  # 12 failures through 2 slots: none may leak
    assert [(r.status, r.error_code) for r in results] == [(Status.ERROR, "AccessDenied")] * 12
    assert len(records) == 2 * len(ACCOUNTS)


async def test_parent_pages_do_not_take_slots_from_their_children() -> None:
    def children(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_parents":
            return three_pages(operation, params)
        return {"children": [{"id": f"{params['parent']}-c"}]}

    records: list[Record] = []

    async def sink(record: Record) -> None:
        await asyncio.sleep(0)
        records.append(record)

    # 12 child jobs on 2 slots, each holding a parent page's slot while it lists children.
    fetcher = make_fetcher(StubClient(children), sink, max_concurrency=1)
    results = await run_all(fetcher, CHILD)
    assert [r.status for r in results] == [Status.OK] * len(ACCOUNTS)
    assert len(records) == 2 * PAGES * len(ACCOUNTS)
