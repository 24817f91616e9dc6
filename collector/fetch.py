"""The one engine: list one resource type in one scope, page by page, politely.

Every page and every detail call first waits on the (account, region, service) throttle, then
takes a slot of the global cap on calls in flight. The outcome of a (scope, type) is a ledger
entry: ok with a count, error with AWS's code and message, or skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from botocore.exceptions import BotoCoreError, ClientError

from collector.normalize import MalformedItem, extract, normalize
from collector.records import GLOBAL_REGION, Record, ScanResult, Scope, Status
from collector.registry.base import Detail, Item, ResourceType
from collector.sessions import Sessions
from collector.throttle import Throttles

Sink = Callable[[Record], Awaitable[None]]


class _DetailFailed(Exception):
    def __init__(self, cause: BaseException) -> None:
        self.cause = cause
        super().__init__(str(cause))


@dataclass(frozen=True)
class Job:
    scope: Scope
    rtype: ResourceType

    @property
    def client_region(self) -> str:
        return self.rtype.home_region if self.scope.region == GLOBAL_REGION else self.scope.region


def error_parts(error: BaseException) -> tuple[str, str]:
    """(code, message) of an AWS or transport error, for the ledger."""
    if isinstance(error, _DetailFailed):
        return error_parts(error.cause)
    if isinstance(error, ClientError):
        err = error.response.get("Error", {})
        return str(err.get("Code") or "ClientError"), str(err.get("Message") or error)
    return type(error).__name__, str(error) or type(error).__name__


def _now() -> datetime:
    return datetime.now(UTC)


class Fetcher:
    def __init__(
        self,
        sessions: Sessions,
        throttles: Throttles,
        *,
        max_concurrency: int,
        detail_concurrency: int,
        sink: Sink,
    ) -> None:
        self._sessions = sessions
        self._throttles = throttles
        self._in_flight = asyncio.Semaphore(max_concurrency)
        self._detail_concurrency = detail_concurrency
        self._sink = sink

    def skipped(self, job: Job, code: str, message: str) -> ScanResult:
        return ScanResult(
            account_id=job.scope.account_id,
            region=job.scope.region,
            resource_type=job.rtype.resource_type,
            service=job.rtype.service,
            status=Status.SKIPPED,
            error_code=code,
            error_message=message,
        )

    async def run(self, job: Job) -> ScanResult:
        rtype, scope = job.rtype, job.scope
        # Global services have one partition endpoint (aws-global), not per-region entries.
        if not rtype.global_ and scope.region not in self._sessions.available_regions(
            rtype.service
        ):
            return self.skipped(
                job, "ServiceNotInRegion", f"{rtype.service} is not offered in {job.client_region}"
            )
        started = _now()
        counter = _Counter()
        status, code, message = Status.OK, None, None
        try:
            client = await self._sessions.client(scope.account_id, job.client_region, rtype.service)
            throttler = self._throttles.get(scope.account_id, scope.region, rtype.service)

            async def call(operation: str, params: dict[str, Any]) -> Any:
                async with throttler, self._in_flight:
                    counter.calls += 1
                    return await getattr(client, operation)(**params)

            async for page in self._pages(client, rtype, throttler, counter):
                items = extract(rtype.items, page) or []
                if rtype.item_key:
                    items = [{rtype.item_key: value} for value in items]
                if rtype.details:
                    items = await self._with_details(rtype.details, items, call)
                for item in items:
                    if item is None:
                        counter.malformed += 1
                        continue
                    try:
                        record = normalize(rtype, scope, item)
                    except MalformedItem:
                        counter.malformed += 1
                        continue
                    await self._sink(record)
                    counter.items += 1
        except (ClientError, BotoCoreError, aiohttp.ClientError, TimeoutError, _DetailFailed) as e:
            status = Status.ERROR
            code, message = error_parts(e)
        return ScanResult(
            account_id=scope.account_id,
            region=scope.region,
            resource_type=rtype.resource_type,
            service=rtype.service,
            status=status,
            item_count=counter.items,
            skipped_items=counter.malformed,
            error_code=code,
            error_message=message,
            api_calls=counter.calls,
            started_at=started,
            finished_at=_now(),
        )

    async def _pages(
        self, client: Any, rtype: ResourceType, throttler: Any, counter: _Counter
    ) -> AsyncIterator[dict[str, Any]]:
        params = dict(rtype.params)
        if not client.can_paginate(rtype.operation):
            async with throttler, self._in_flight:
                counter.calls += 1
                yield await getattr(client, rtype.operation)(**params)
            return
        if rtype.page_size:
            params["PaginationConfig"] = {"PageSize": rtype.page_size}
        pages = client.get_paginator(rtype.operation).paginate(**params).__aiter__()
        while True:
            # Waiting here, not around the whole loop, keeps each page inside the rate.
            async with throttler, self._in_flight:
                counter.calls += 1
                try:
                    page = await pages.__anext__()
                except StopAsyncIteration:
                    # The paginator only learns there is nothing more without a request.
                    counter.calls -= 1
                    return
            yield page

    async def _with_details(
        self,
        details: tuple[Detail, ...],
        items: list[Item],
        call: Callable[[str, dict[str, Any]], Awaitable[Any]],
    ) -> list[Item | None]:
        gate = asyncio.Semaphore(self._detail_concurrency)

        async def enrich(item: Item) -> Item | None:
            async with gate:
                for detail in details:
                    if detail.skip_if_present and item.get(detail.into or "") is not None:
                        continue
                    try:
                        params = detail.params(item)
                    except (KeyError, TypeError):
                        return None  # the item lacks what the detail call needs
                    try:
                        response = await call(detail.operation, params)
                    except ClientError as e:
                        code = e.response.get("Error", {}).get("Code")
                        if code in detail.absent_codes:
                            value = detail.default
                        else:
                            raise _DetailFailed(e) from e
                    else:
                        value = extract(detail.result, response)
                    if detail.transform is not None:
                        value = detail.transform(value)
                    if detail.into is None:
                        if isinstance(value, dict):
                            item = {**item, **value}
                    else:
                        item = {**item, detail.into: value}
                return item

        return list(await asyncio.gather(*(enrich(item) for item in items)))


class _Counter:
    __slots__ = ("calls", "items", "malformed")

    def __init__(self) -> None:
        self.calls = 0
        self.items = 0
        self.malformed = 0
