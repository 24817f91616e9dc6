"""On one throttle key, a listing's pages go before per-item calls; the rate holds whoever goes.

Before, waiters were served first come, first served: a chain of pages (each asked only once
the previous one is in) queued behind every burst of per-item calls of the key (a type's tags,
8 at a time), so the key's work ended on that chain, late (issue 15: IAM's ListRoles pages
behind ListPolicyTags). The throttle is driven directly, then through the engine on a stub
client whose calls record when they are sent.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from collector.aws.throttle import LATE_OK, LISTING, PER_ITEM, Throttler, Throttles
from collector.config import ThrottleConfig
from collector.engine.fetch import Fetcher, Job
from collector.records import Record, Scope, Status
from collector.registry import Detail, ResourceType

PERIOD = 0.05  # 20 calls a second
SLACK = min(LATE_OK, PERIOD / 4) + 0.002  # how early a turn may be planned, and clock noise


def _spaced(stamps: list[float]) -> None:
    ordered = sorted(stamps)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    assert min(gaps) >= PERIOD - SLACK, [round(g, 4) for g in gaps]


async def test_a_page_queued_behind_per_item_calls_is_served_first() -> None:
    throttle = Throttler(1, PERIOD)
    order: list[str] = []
    stamps: list[float] = []

    async def call(name: str, priority: int) -> None:
        stamps.append(await throttle.take(priority))
        order.append(name)

    await call("first", LISTING)  # the window is now full
    items = [asyncio.ensure_future(call(f"item{i}", PER_ITEM)) for i in range(6)]
    await asyncio.sleep(0)  # the items are queued ...
    page = asyncio.ensure_future(call("page", LISTING))  # ... before the page
    await asyncio.gather(page, *items)
    assert order[:2] == ["first", "page"]
    assert order[2:] == [f"item{i}" for i in range(6)]  # first come, first served among equals
    _spaced(stamps)


async def test_a_chain_of_pages_is_not_stretched_by_a_burst_of_per_item_calls() -> None:
    throttle = Throttler(1, PERIOD)
    sent: list[tuple[str, float]] = []

    async def call(name: str, priority: int) -> None:
        sent.append((name, await throttle.take(priority)))
        await asyncio.sleep(PERIOD * 0.6)  # the answer's latency: the next page waits on it

    async def chain() -> None:
        for n in range(5):
            await call(f"page{n}", LISTING)

    burst = [call(f"item{i}", PER_ITEM) for i in range(12)]
    started = time.monotonic()
    await asyncio.gather(chain(), *burst)
    names = [n for n, _ in sent]
    # Each page has the first turn after it is asked: the chain ends within its own five
    # turns plus the item that goes while each page's answer is awaited, not behind 12 items.
    assert names.index("page4") <= 9, names
    assert {n for n in names if n.startswith("item")} == {f"item{i}" for i in range(12)}
    _spaced([s for _, s in sent])
    assert sent[-1][1] - started <= 17 * PERIOD + SLACK  # no turn lost either


async def test_a_turn_given_back_goes_to_the_next_waiter_at_once() -> None:
    throttle = Throttler(1, PERIOD)
    first = await throttle.take()
    unused = await throttle.take()  # a paginator that turned out to have no more pages
    assert unused - first >= PERIOD - SLACK
    waiter = asyncio.ensure_future(throttle.take())
    await asyncio.sleep(PERIOD / 5)  # the waiter sleeps until the unused turn's period is over
    throttle.give_back(unused)
    got = await waiter
    assert got - unused < PERIOD / 2  # not a whole turn later
    assert got - first >= PERIOD - SLACK  # and still a turn after the last call sent


# -- through the engine: a type's per-item calls and another type's pages, one key ------------

TAGGED = ResourceType(
    "AWS::Test::Tagged", "iam", "list_tagged", "items[]", id="id", arn="arn",
    details=(Detail("tag_of", lambda i: {"Id": i["id"]}, "Tags", into="Tags"),),
)  # fmt: skip
PAGED = ResourceType("AWS::Test::Paged", "iam", "list_paged", "items[]", id="id", arn="arn",
                     next_token="token")  # fmt: skip
PAGES, ITEMS = 6, 16


class Client:
    def __init__(self) -> None:
        self.sent: list[tuple[str, float]] = []

    def can_paginate(self, operation: str) -> bool:
        return False

    def __getattr__(self, operation: str) -> Any:
        async def call(**params: Any) -> Any:
            self.sent.append((operation, time.monotonic()))
            await asyncio.sleep(0.02)  # latency
            if operation == "list_tagged":
                return {"items": [{"id": f"t{i}", "arn": f"arn:t{i}"} for i in range(ITEMS)]}
            if operation == "tag_of":
                return {"Tags": []}
            n = int(params.get("token") or 0)
            more = {"token": str(n + 1)} if n + 1 < PAGES else {}
            return {"items": [{"id": f"p{n}", "arn": f"arn:p{n}"}], **more}

        return call


class Sessions:
    def __init__(self, client: Client) -> None:
        self._client = client

    def available_regions(self, service: str) -> frozenset[str]:
        return frozenset({"us-east-1"})

    async def client(self, account_id: str, region: str, service: str) -> Client:
        return self._client


async def test_pages_go_before_detail_calls_on_a_shared_key_and_the_rate_holds() -> None:
    client = Client()

    async def sink(record: Record) -> None:
        pass

    fetcher = Fetcher(
        Sessions(client),  # type: ignore[arg-type]
        Throttles(ThrottleConfig(default_rate=1 / PERIOD, rates={})),
        max_concurrency=20, detail_concurrency=8, sink=sink,
    )  # fmt: skip
    scope = Scope("111122223333", "us-east-1")
    results = await asyncio.gather(
        fetcher.run(Job(scope, TAGGED)), fetcher.run(Job(scope, PAGED))
    )
    assert [(r.status, r.item_count) for r in results] == [(Status.OK, ITEMS), (Status.OK, PAGES)]
    ops = [op for op, _ in client.sent]
    assert ops.count("tag_of") == ITEMS and ops.count("list_paged") == PAGES
    last_page = max(i for i, op in enumerate(ops) if op == "list_paged")
    # First come, first served, each page after the first waited for the 8 detail calls
    # queued before it: the chain's end came after nearly every detail call.
    assert last_page <= 2 * PAGES, ops
    starts = [t for _, t in client.sent]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= PERIOD - SLACK, [round(g, 4) for g in gaps]


async def test_a_turn_given_late_keeps_to_its_plan_by_late_ok_and_no_more() -> None:
    throttle = Throttler(1, PERIOD)
    late_ok = min(LATE_OK, PERIOD / 4)
    first = await throttle.take()
    second = asyncio.ensure_future(throttle.take())
    await asyncio.sleep(0.001)  # its turn is planned at first + PERIOD
    time.sleep(PERIOD + 0.03)  # noqa: ASYNC251 -- the event loop busy: the turn comes 30+ ms late
    got = await second
    given = time.monotonic()
    assert got >= first + PERIOD  # never before its plan
    assert got <= given - late_ok + 0.003  # but LATE_OK of the delay is not lost
    third = await throttle.take()
    # The next call is still at most LATE_OK early against when the late one really went.
    assert third - given >= PERIOD - late_ok - 0.003
