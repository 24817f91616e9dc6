"""The API calls of one (scope, type) job: its clients, throttled, capped, counted, paged."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any, TypeVar

from collector.aws.account_client import Pages
from collector.aws.sessions import Sessions
from collector.aws.throttle import LISTING, PER_ITEM, Throttles
from collector.records import Scope
from collector.registry.base import ResourceType

T = TypeVar("T")


def _token_names(declared: str | tuple[str, str] | None) -> tuple[str | None, str | None]:
    """(request member, response member) of a hand-followed page token."""
    if isinstance(declared, tuple):
        return declared
    return declared, declared


class Counter:
    """What one job's calls add up to (the engine's counter adds the job's issues)."""

    def __init__(self) -> None:
        self.calls = 0
        self.items = 0


class Calls:
    """The API calls of one (scope, type) job: clients per service, throttled, counted."""

    def __init__(
        self,
        sessions: Sessions,
        throttles: Throttles,
        in_flight: asyncio.Semaphore,
        scope: Scope,
        region: str,
        counter: Counter,
    ) -> None:
        self._sessions = sessions
        self._throttles = throttles
        self._in_flight = in_flight
        self._scope = scope
        self._region = region
        self.counter = counter

    @property
    def account_id(self) -> str:
        return self._scope.account_id

    async def _client(self, service: str) -> Any:
        return await self._sessions.client(self._scope.account_id, self._region, service)

    def _throttler(self, service: str) -> Any:
        # Keyed by the region of the endpoint called (us-east-1 for IAM), as AWS meters it and
        # as the adaptive rates observe it.
        return self._throttles.get(self._scope.account_id, self._region, service)

    async def call(self, service: str, operation: str, params: dict[str, Any]) -> Any:
        """A per-item call (a detail): it gives way to listing pages on its key's throttle."""
        client = await self._client(service)
        return await self._fetch(
            service, functools.partial(getattr(client, operation), **params), None, PER_ITEM
        )

    async def _fetch(
        self,
        service: str,
        get: Callable[[], Awaitable[T]],
        held: asyncio.Semaphore | None,
        priority: int = LISTING,
    ) -> T:
        """One throttled call; on success it keeps a slot of ``held`` for the caller to free.

        The slot is taken after the throttle's wait, so that jobs queued on a slow key never
        sit on slots that jobs of other keys could use.
        """
        throttler = self._throttler(service)
        stamp = await throttler.take(priority)
        if held is not None:
            await held.acquire()
        try:
            async with self._in_flight:
                # Waiting for the slots may have made the call late: it is counted in the
                # key's window from when it is sent, not from when its turn came.
                stamp = await throttler.restamp(stamp)
                self.counter.calls += 1
                try:
                    return await get()
                except StopAsyncIteration:
                    # A paginator with no more pages: it sent nothing, the turn goes back.
                    self.counter.calls -= 1
                    throttler.give_back(stamp)
                    raise
        except BaseException:
            if held is not None:
                held.release()
            raise

    async def pages(
        self,
        rtype: ResourceType,
        extra: dict[str, Any],
        *,
        held: asyncio.Semaphore | None = None,
        first: int = LISTING,
    ) -> AsyncGenerator[dict[str, Any], None]:
        """The listing's pages; with ``held``, each page keeps a slot until the caller is done
        with it (asks for the next page or closes the iterator). ``first``: the throttle
        priority of the first page (a child listing per parent is one of a burst of per-item
        calls); the next pages are a chain someone waits on, always ``LISTING``."""
        priority = first
        client = await self._client(rtype.service)
        params = {**rtype.params, **extra}
        if rtype.account_param is not None:
            params[rtype.account_param] = self._scope.account_id
        if not client.can_paginate(rtype.operation):
            # No botocore paginator: follow the declared token by hand, or make one call.
            token_in, token_out = _token_names(rtype.next_token)
            while True:
                call = functools.partial(getattr(client, rtype.operation), **params)
                page = await self._fetch(rtype.service, call, held, priority)
                priority = LISTING
                try:
                    yield page
                finally:
                    if held is not None:
                        held.release()
                token = page.get(token_out) if token_out else None
                if token_in is None or not token or token == params.get(token_in):
                    return
                params = {**params, token_in: token}
        if rtype.page_size:
            params["PaginationConfig"] = {"PageSize": rtype.page_size}
        paginated = client.get_paginator(rtype.operation).paginate(**params).__aiter__()
        while True:
            # Waiting per page, not around the whole loop, keeps each page inside the rate.
            try:
                page = await self._fetch(rtype.service, paginated.__anext__, held, priority)
            except StopAsyncIteration:
                # The paginator only learns there is nothing more without a request.
                return
            priority = LISTING
            try:
                yield page
            finally:
                if held is not None:
                    held.release()
            if isinstance(paginated, Pages) and paginated.last(page):
                # Known now, not after waiting a turn on the key to learn it: that turn (and
                # the hops of giving it back) delayed the job's end and the key's next caller.
                await paginated.aclose()
                return
