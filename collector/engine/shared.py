"""Listings that several jobs of one account read, fetched once for all of them.

IAM users, roles and groups come from GetAccountAuthorizationDetails (GAAD), and users join
GAAD's groups for their memberships: four readings of one listing an account, where one
would do (issue 15). Nothing here knows IAM: a listing is an operation with its parameters
(a type's own listing, or a `ListingDetail`'s), and where two or more of an account's jobs
declare the same one in the same scope, it is read once and every one of them gets its pages.

Which jobs read what is known when the account's jobs are planned, so a shared listing counts
its readers: its pages are kept until the last of them is done with it (or never ran, when
the account is closed). One task reads the pages, started by whichever reader asks first, so
that a reader wanting every page at once (a listing detail) and one going page by page (its
own listing) never wait on each other's pace; the calls are counted in the first reader's
job. A failed listing fails for every reader as it would have alone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import Counter
from collections.abc import AsyncGenerator, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from collector.aws.calls import Calls
from collector.records import Scope
from collector.registry.base import ListingDetail, ResourceType

# (account, scope region, endpoint region, service, operation, parameters, page size, ...)
ListingId = tuple[Hashable, ...]
Page = dict[str, Any]


def listing_of(rtype: ResourceType, detail: ListingDetail) -> ResourceType:
    """A listing detail's listing, as a declaration the engine can page."""
    return dataclasses.replace(
        rtype, operation=detail.operation, params=detail.params, page_size=detail.page_size,
        next_token=None,
    )  # fmt: skip


def listing_id(scope: Scope, region: str, listing: ResourceType) -> ListingId:
    """What makes two listings the same calls: where they are made and how they are asked."""
    params = json.dumps(dict(listing.params), sort_keys=True, default=str)
    return (
        scope.account_id, scope.region, region, listing.service, listing.operation, params,
        listing.page_size, str(listing.next_token), listing.account_param,
    )  # fmt: skip


@dataclass(eq=False)
class _Reading:
    """One shared listing: its pages so far, and whether (and how) it ended."""

    readers: int
    pages: list[Page] = field(default_factory=list)
    done: bool = False
    error: BaseException | None = None
    more: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    async def fill(self, calls: Calls, listing: ResourceType) -> None:
        try:
            async for page in calls.pages(listing, {}):
                self.pages.append(page)
                self._wake()
        except Exception as e:  # each reader gets it, as its own listing would have raised
            self.error = e
        finally:
            self.done = True
            self._wake()

    def _wake(self) -> None:
        self.more.set()
        self.more = asyncio.Event()

    async def read(self, calls: Calls, listing: ResourceType) -> AsyncGenerator[Page, None]:
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self.fill(calls, listing))
        n = 0
        while True:
            if n < len(self.pages):
                n += 1
                yield self.pages[n - 1]
            elif self.done:
                if self.error is not None:
                    raise self.error.with_traceback(None)
                return
            else:
                await self.more.wait()


class SharedListings:
    """The listings an account's jobs share. ``reads``: each reader (a job) and the listings
    it will read (a job may read one twice: as its own listing and as a listing detail's);
    a listing read once in all is not kept (read as usual)."""

    def __init__(self, reads: Mapping[Hashable, Iterable[ListingId]]) -> None:
        wanted = {reader: list(ids) for reader, ids in reads.items()}
        uses = Counter(i for ids in wanted.values() for i in ids)
        readers = Counter(i for ids in wanted.values() for i in set(ids))
        self._readings = {i: _Reading(readers[i]) for i, n in uses.items() if n > 1}
        self._reads = {
            reader: shared
            for reader, ids in wanted.items()
            if (shared := frozenset(i for i in ids if i in self._readings))
        }

    def __len__(self) -> int:
        return len(self._readings)

    def pages(
        self, reader: Hashable, lid: ListingId, calls: Calls, listing: ResourceType
    ) -> AsyncGenerator[Page, None] | None:
        """The shared listing's pages for one of its readers; None when it is not one (the
        caller lists as usual)."""
        reading = self._readings.get(lid)
        if reading is None or lid not in self._reads.get(reader, ()):
            return None
        return reading.read(calls, listing)

    def done(self, reader: Hashable) -> None:
        """The reader's job is over: the listings nobody else will read are let go."""
        for lid in self._reads.pop(reader, ()):
            reading = self._readings[lid]
            reading.readers -= 1
            if reading.readers == 0:
                del self._readings[lid]
                if reading.task is not None:
                    reading.task.cancel()

    def close(self) -> None:
        """The account is over (its jobs that never ran will not): everything is let go."""
        for reading in self._readings.values():
            if reading.task is not None:
                reading.task.cancel()
        self._readings.clear()
        self._reads.clear()
