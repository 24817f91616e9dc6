"""The SDK floor: aiobotocore alone fetching and parsing the pages the collector fetches.

Same accounts, regions, types, list parameters, page sizes and detail calls as the collector
(``benchmarks/plain.py`` reads them from the registry); no normalizing, no storing, no rate
limits. Clients are built once per (region, service) and sign as the account of the running
task (a context variable), as the collector's are, so that the floor does not pay for ~19k
clients the collector does not build.

By default the clients are stock aiobotocore. ``--tuned`` gives them the collector's set-up
(one connection pool, User-Agent built once, one client class per service; see
``collector/sessions.py``), so that the ratio against it isolates normalizing + storing.

    python -m benchmarks.floor --scenario FILE --url URL      # prints one JSON object
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import sys
from contextlib import AsyncExitStack
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.credentials import AioCredentials
from aiobotocore.session import AioSession
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import ClientError

from benchmarks import plain
from benchmarks.fakeaws import Scenario
from collector.registry import ResourceType

_KEY: contextvars.ContextVar[ReadOnlyCredentials] = contextvars.ContextVar("floor_key")


class _TaskCredentials(AioCredentials):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__("", "")

    async def get_frozen_credentials(self) -> ReadOnlyCredentials:
        return _KEY.get()


class Floor:
    def __init__(self, url: str, concurrency: int = 64, tuned: bool = False) -> None:
        self.url = url
        self.concurrency = concurrency
        self.tuned = tuned
        self.session = AioSession()
        self.session._credentials = _TaskCredentials()
        extra: dict[str, Any] = {}
        if tuned:
            # The collector's client set-up (collector/clientsetup.py): one connection pool, the
            # User-Agent built once per client, one generated class per service.
            from collector.aws import clientsetup

            self.pool = clientsetup.Pool()
            extra["http_session_cls"] = type(
                "PooledHTTPSession", (clientsetup.PooledHTTPSession,), {"pool": self.pool}
            )
            setattr(self.session.get_component("event_emitter"), clientsetup.CLIENT_CLASSES, {})
        self.config = AioConfig(
            retries={"mode": "standard", "total_max_attempts": 3},
            max_pool_connections=concurrency,
            **extra,
        )
        self.clients: dict[tuple[str, str], Any] = {}
        self.locks: dict[tuple[str, str], asyncio.Lock] = {}
        self.stack = AsyncExitStack()
        self.items = 0
        self.calls = 0

    async def client(self, region: str, service: str) -> Any:
        key = (region, service)
        if key not in self.clients:
            async with self.locks.setdefault(key, asyncio.Lock()):
                if key not in self.clients:
                    creator = self.session.create_client(
                        service, region_name=region, endpoint_url=self.url, config=self.config
                    )
                    client = await self.stack.enter_async_context(creator)
                    if self.tuned:
                        from collector.aws.clientsetup import freeze_user_agent

                        freeze_user_agent(client)
                    self.clients[key] = client
        return self.clients[key]

    async def job(self, account: str, region: str, rtype: ResourceType) -> None:
        _KEY.set(ReadOnlyCredentials(Scenario.access_key(account), "secret", None))
        client = await self.client(rtype.home_region if region == "global" else region,
                                   rtype.service)
        if client.can_paginate(rtype.operation):
            pages = client.get_paginator(rtype.operation).paginate(**plain.list_params(rtype))
        else:
            pages = _one_page(client, rtype)
        async for page in pages:
            self.calls += 1
            items = plain.items_of(rtype, page)
            for detail in rtype.details:
                for call in list(plain.detail_calls(detail, items)):
                    self.calls += 1
                    try:
                        response = await getattr(client, detail.operation)(**call.params)
                    except ClientError as e:
                        if not plain.absent(call, e):
                            raise
                        response = None
                    plain.fold(call, response)
            self.items += len(items)

    async def run(self, scenario: Scenario) -> None:
        jobs: asyncio.Queue[tuple[str, str, ResourceType]] = asyncio.Queue()
        for account in scenario.accounts:
            if account.status != "ACTIVE":
                continue
            for rtype in plain.core_types():
                for region in ["global"] if rtype.global_ else scenario.regions:
                    jobs.put_nowait((account.id, region, rtype))

        async def worker() -> None:
            while not jobs.empty():
                await self.job(*jobs.get_nowait())

        try:
            await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        finally:
            await self.stack.aclose()
            if self.tuned:
                await self.pool.close()


async def _one_page(client: Any, rtype: ResourceType) -> Any:
    yield await getattr(client, rtype.operation)(**dict(rtype.params))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--tuned", action="store_true", help="the collector's client set-up")
    args = parser.parse_args(argv)
    from benchmarks.measure import Measured

    scenario = Scenario.load(args.scenario)
    floor = Floor(args.url, args.concurrency, args.tuned)
    with Measured() as m:
        asyncio.run(floor.run(scenario))
    json.dump({**m.result(), "resources": floor.items, "calls": floor.calls}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
