"""The per-key rate counts calls when they are sent, not when their turn came.

A call takes its turn on its key's throttle first and then waits for a free slot (the cap on
calls in flight); before, calls whose turns came while every slot was busy all went out in
the same millisecond once a slot freed, at many times the key's rate.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from collector.aws.throttle import Throttles
from collector.config import ThrottleConfig
from collector.engine.fetch import Fetcher, Job
from collector.records import Record, Scope, Status
from collector.registry import ResourceType
from tests.test_fetch_children import StubSessions

RATE = 10.0  # calls per second on the measured key
CALLS = 8
SLOW = ResourceType("AWS::Test::Slow", "sqs", "list_slow", "items[]", id="id", arn="arn")
FAST = ResourceType("AWS::Test::Fast", "ecs", "list_fast", "items[]", id="id", arn="arn")


class Client:
    """``list_slow`` holds the only slot for a second; ``list_fast`` records when it is sent."""

    def __init__(self) -> None:
        self.sent: list[float] = []

    def can_paginate(self, operation: str) -> bool:
        return False

    async def list_slow(self, **params: Any) -> Any:
        await asyncio.sleep(1.0)
        return {"items": []}

    async def list_fast(self, **params: Any) -> Any:
        self.sent.append(time.monotonic())
        return {"items": []}


async def test_calls_held_up_by_the_cap_still_keep_their_keys_rate() -> None:
    client = Client()

    async def sink(record: Record) -> None:
        pass

    fetcher = Fetcher(
        StubSessions(client),  # type: ignore[arg-type]
        Throttles(ThrottleConfig(default_rate=RATE, rates={})),
        max_concurrency=1,  # one call in flight: the slow call blocks every other
        detail_concurrency=1,
        sink=sink,
        types={t.resource_type: t for t in (SLOW, FAST)},
    )
    slow = asyncio.ensure_future(fetcher.run(Job(Scope("111111111111", "us-east-1"), SLOW)))
    await asyncio.sleep(0.05)  # the slow call holds the slot
    # Eight jobs of one (account, region, service) key: their turns come every 1/RATE s while
    # the slot is busy, so all of them are waiting for it when it frees.
    fast = [
        fetcher.run(Job(Scope("222222222222", "us-east-1"), FAST)) for _ in range(CALLS)
    ]
    results = await asyncio.wait_for(asyncio.gather(slow, *fast), timeout=30)
    assert [r.status for r in results] == [Status.OK] * (CALLS + 1)
    assert len(client.sent) == CALLS
    gaps = [b - a for a, b in zip(client.sent, client.sent[1:], strict=False)]
    # 1/RATE = 0.1 s apart; the throttle may start a call up to LATE_OK (20 ms) early.
    assert min(gaps) >= 1 / RATE - 0.025, [round(g, 3) for g in gaps]
