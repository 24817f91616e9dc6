"""The one engine: list one resource type in one scope, page by page, politely.

Every page and every detail call first waits on the (account, region, service) throttle, then
takes a slot of the global cap on calls in flight. The outcome of a (scope, type) is a ledger
entry: ok with a count, error with AWS's code and message, or skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import (
    AsyncGenerator,
    Awaitable,
    Callable,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from collector.aws.calls import Calls
from collector.aws.sessions import Sessions
from collector.aws.throttle import PER_ITEM, Throttles
from collector.engine.details import Listings, Pages, with_details
from collector.engine.details import all_or_cancel as _all
from collector.engine.job_issues import (
    CALL_ERRORS,
    JobCounter,
    JobIssues,
    error_parts,
    failure_parts,
    take_unread,
    unread_of,
)
from collector.engine.normalize import MalformedItem, extract, normalize
from collector.engine.redact import DEFAULT as DEFAULT_REDACTOR
from collector.engine.redact import Redactor
from collector.engine.shared import ListingId, SharedListings, listing_id, listing_of
from collector.partitions import global_region
from collector.records import GLOBAL_REGION, Record, ScanResult, Scope, Status
from collector.registry.base import Item, ListingDetail, ResourceType
from collector.store.errors import WriterError

Sink = Callable[[Record], Awaitable[None]]
T = TypeVar("T")
PAGES_HELD_PER_CALL = 2


@dataclass(frozen=True, slots=True)
class Job:
    scope: Scope
    rtype: ResourceType
    # A child type's parents as the parent's job listed them in this scope (the parameters of
    # each child listing); None: the job lists its parents itself.
    parents: tuple[dict[str, Any], ...] | None = field(default=None, compare=False)

    @property
    def client_region(self) -> str:
        if self.scope.region != GLOBAL_REGION:
            return self.scope.region
        # Outside `aws`, a global service answers in its partition's global region.
        if self.scope.partition in (None, "aws"):
            return self.rtype.home_region
        return global_region(self.scope.partition, self.rtype.service)


def _now() -> datetime:
    return datetime.now(UTC)


def reads(job: Job) -> list[ListingId]:
    """The listings a job reads whole, whatever its items: its own (a top-level type's) and
    its listing details'. A child's listing depends on its parents: never the same twice."""
    own = [job.rtype] if job.rtype.parent is None and job.parents is None else []
    detailed = [listing_of(job.rtype, d) for d in job.rtype.details if isinstance(d, ListingDetail)]
    return [listing_id(job.scope, job.client_region, r) for r in own + detailed]


def share(jobs: Sequence[Job]) -> SharedListings:
    """The listings two or more of these jobs read: read once for all of them."""
    return SharedListings({_reader(job): reads(job) for job in jobs})


def _reader(job: Job) -> tuple[Scope, str]:
    return job.scope, job.rtype.resource_type


class Fetcher:
    def __init__(
        self,
        sessions: Sessions,
        throttles: Throttles,
        *,
        max_concurrency: int,
        detail_concurrency: int,
        sink: Sink,
        types: Mapping[str, ResourceType] | None = None,
        redactor: Redactor = DEFAULT_REDACTOR,
    ) -> None:
        self._redactor = redactor
        self._sessions = sessions
        self._throttles = throttles
        self._in_flight = asyncio.Semaphore(max_concurrency)
        # Pages listed but not yet stored. Without this cap, when the store is the bottleneck
        # every job fetches its next page and waits on the full queue holding it parsed (over
        # a thousand of them at 100 accounts). Twice the calls in flight keeps the network
        # busy while the store drains the rest.
        self._pages_held = asyncio.Semaphore(PAGES_HELD_PER_CALL * max_concurrency)
        self._detail_concurrency = detail_concurrency
        self._sink = sink
        # Where a child type's parent is looked up (the registry unless a test says otherwise).
        self._types = types

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

    def _parent_of(self, rtype: ResourceType) -> ResourceType:
        types = self._types
        if types is None:
            from collector.registry import REGISTRY

            types = REGISTRY
        assert rtype.parent is not None
        return types[rtype.parent]

    async def run(self, job: Job) -> ScanResult:
        """The job's ledger entry. Never raises but for the store failing (or cancellation):
        anything else is an ``error`` entry for this (scope, type) only."""
        result, _ = await self.run_parent(job, ())
        return result

    async def run_parent(
        self,
        job: Job,
        children: Sequence[ResourceType],
        shared: SharedListings | None = None,
    ) -> tuple[ScanResult, dict[str, list[dict[str, Any]]]]:
        """As `run`, and the listing parameters of each child type for every item listed (so
        that the children do not list this type again). ``shared``: the listings this job
        reads with other jobs of its account (`share`); by default only the listings it
        reads twice itself."""
        found: dict[str, list[dict[str, Any]]] = {c.resource_type: [] for c in children}
        shared = share([job]) if shared is None else shared
        try:
            return await self._run(job, children, found, shared), found
        except WriterError:
            raise
        except Exception as e:  # the barrier, for what fails outside the listing itself
            code, message = failure_parts(e)
            error = self.skipped(job, code, message)
            return dataclasses.replace(error, status=Status.ERROR, finished_at=_now()), found
        finally:
            shared.done(_reader(job))

    async def _run(
        self,
        job: Job,
        children: Sequence[ResourceType],
        found: dict[str, list[dict[str, Any]]],
        shared: SharedListings,
    ) -> ScanResult:
        rtype, scope = job.rtype, job.scope
        # Global services have one partition endpoint (aws-global), not per-region entries.
        if not rtype.global_ and scope.region not in self._sessions.available_regions(
            rtype.service
        ):
            return self.skipped(
                job, "ServiceNotInRegion", f"{rtype.service} is not offered in {job.client_region}"
            )
        started = _now()
        counter = JobCounter()
        issues = counter.issues
        status, code, message = Status.OK, None, None
        calls = Calls(
            self._sessions, self._throttles, self._in_flight, scope, job.client_region, counter
        )
        listings = Listings(_shared_pages(job, calls, shared))
        try:
            # A child type whose parents cannot be listed fails with the parents' error:
            # zero children of an unknown set of parents is not "none".
            # Closed on errors too, so that a failed job hands its page slot back at once.
            pages = self._item_pages(rtype, calls, job.parents, listings.pages)
            async with contextlib.aclosing(pages) as pages:
                async for items in pages:
                    for child in children:
                        found[child.resource_type].extend(_parent_params(child, items))
                    if rtype.details:
                        items = await with_details(
                            rtype, scope, items, calls, self._detail_concurrency, listings
                        )
                    for item in items:
                        record = self._record_of(rtype, scope, item, issues)
                        if record is not None:
                            await self._sink(record)
                            counter.items += 1
        except WriterError:
            raise  # the store is gone: the run's own infrastructure, not this pair's
        except CALL_ERRORS as e:
            status = Status.ERROR
            code, message = error_parts(e)
            if isinstance(e, ClientError) and skipped(rtype, code, message):
                status = Status.SKIPPED
        except Exception as e:  # the barrier: a bug or bad data fails this pair only
            status = Status.ERROR
            code, message = failure_parts(e)
        if status is Status.OK:
            code, message = issues.note()
        issues.log_once(f"{scope} {rtype.resource_type}")
        return ScanResult(
            account_id=scope.account_id,
            region=scope.region,
            resource_type=rtype.resource_type,
            service=rtype.service,
            status=status,
            item_count=counter.items,
            skipped_items=issues.dropped,
            detail_errors=issues.detail_errors,
            error_code=code,
            error_message=message,
            api_calls=counter.calls,
            started_at=started,
            finished_at=_now(),
        )

    def _record_of(
        self, rtype: ResourceType, scope: Scope, item: Item | None, issues: JobIssues
    ) -> Record | None:
        """The item's record, or None when it is dropped (counted, named in the log)."""
        if item is None:
            issues.drop("an item that is not an object")
            return None
        unread = take_unread(item)
        try:
            record = normalize(rtype, scope, item, self._redactor)
        except MalformedItem as e:
            issues.drop(str(e))
            return None
        if unread:
            record = dataclasses.replace(record, unread=unread_of(rtype, item, unread))
        return record

    async def _item_pages(
        self,
        rtype: ResourceType,
        calls: Calls,
        parents: Sequence[dict[str, Any]] | None = None,
        shared: Pages | None = None,
    ) -> AsyncGenerator[list[Item | None], None]:
        """The type's items page by page, before details; a child type's over all parents.

        A top-level listing's page holds a slot of the cap on pages until its job is done with
        it. A child listing's pages do not take one: they are fetched while their parent's
        page holds a slot, and jobs holding one slot while waiting for another could take
        every slot and wait on each other for ever. Nor do a shared listing's (``shared``):
        they are kept for its other readers anyway.
        """
        if rtype.parent is None:
            held = self._pages_held
            own = None if shared is None else shared(rtype)
            if own is None:
                own = calls.pages(rtype, {}, held=held)
            async with contextlib.aclosing(own) as listing:
                async for page in listing:
                    yield _items_of(rtype, page, {}, calls.account_id)
            return
        if parents is not None:
            async for items in self._children_of(rtype, parents, calls):
                yield items
            return
        async for listed in self._item_pages(self._parent_of(rtype), calls):
            async for items in self._children_of(rtype, _parent_params(rtype, listed), calls):
                yield items

    async def _children_of(
        self, rtype: ResourceType, parents: Sequence[dict[str, Any]], calls: Calls
    ) -> AsyncGenerator[list[Item | None], None]:
        gate = asyncio.Semaphore(self._detail_concurrency)
        pending = list(parents)
        while pending:
            listed = await _all(self._children(rtype, p, calls, gate) for p in pending)
            pending = []
            for pages in listed:
                for items in pages:
                    yield items
                    if rtype.recursive:
                        pending.extend(_parent_params(rtype, items))

    async def _children(
        self, rtype: ResourceType, params: dict[str, Any], calls: Calls, gate: asyncio.Semaphore
    ) -> list[list[Item | None]]:
        async with gate:
            out: list[list[Item | None]] = []
            try:
                # One of a burst of listings, one a parent: each gives way to pages on the key.
                async for page in calls.pages(rtype, params, first=PER_ITEM):
                    out.append(_items_of(rtype, page, params, calls.account_id))
            except ClientError as e:
                if e.response.get("Error", {}).get("Code") in rtype.parent_absent_codes:
                    return []
                raise
            return out


def _shared_pages(job: Job, calls: Calls, shared: SharedListings) -> Pages | None:
    """The pages of the listings the job shares (with other jobs of its account)."""
    if not shared:
        return None

    def pages(listing: ResourceType) -> AsyncGenerator[dict[str, Any], None] | None:
        lid = listing_id(job.scope, job.client_region, listing)
        return shared.pages(_reader(job), lid, calls, listing)

    return pages


def skipped(rtype: ResourceType, code: str | None, message: str | None) -> bool:
    """Whether an error means "this type does not apply to this scope" (not a failure)."""
    if code in rtype.skip_codes:
        return True
    return any(code == c and text in (message or "") for c, text in rtype.skip_errors)


def _parent_params(child: ResourceType, parents: Sequence[Item | None]) -> list[dict[str, Any]]:
    """The parameters of the child's listing under each parent; a parent lacking one of them
    cannot have children of the type (nothing to ask for)."""
    out: list[dict[str, Any]] = []
    for item in parents:
        if item is None:
            continue
        params = {name: extract(source, item) for name, source in child.parent_params.items()}
        if all(v not in (None, "") for v in params.values()):
            out.append(params)
    return out


def _items_of(
    rtype: ResourceType, page: Any, inherited: dict[str, Any], account_id: str
) -> list[Item | None]:
    """A page's items: bare strings wrapped, the parent's identity added, `where` applied."""
    raw = extract(rtype.items, page) or []
    if not isinstance(raw, list):
        raw = [raw]
    out: list[Item | None] = []
    for value in raw:
        item = {rtype.item_key: value} if rtype.item_key else value
        if not isinstance(item, dict):
            out.append(None)
            continue
        if inherited:
            item = {**{k: v for k, v in inherited.items() if k not in item}, **item}
        if rtype.where is not None and not extract(rtype.where, item):
            continue
        if rtype.owner is not None and extract(rtype.owner, item) not in (None, account_id):
            continue
        out.append(item)
    return out
