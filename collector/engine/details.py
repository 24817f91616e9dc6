"""Per-item detail calls (tags, location, full description) for types with thin listings.

A detail call that fails for one item (a bucket policy denying ``GetBucketTagging``, a key
deleted between list and describe) costs that item's detail fields only: the item goes on
from its listing, marked unread (``collector.engine.job_issues``), and the store keeps the fields'
last known values. Error codes in a detail's ``absent_codes`` still mean "nothing there".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from collector.aws.calls import Calls
from collector.engine.job_issues import (
    CALL_ERRORS,
    JobCounter,
    error_code,
    error_parts,
    mark_unread,
)
from collector.engine.normalize import MalformedItem, extract, normalize
from collector.engine.shared import listing_of
from collector.records import Scope
from collector.registry.base import BatchDetail, Detail, Item, ListingDetail, ResourceType

T = TypeVar("T")


# A listing's pages where it is shared with other jobs of the account, else None.
Pages = Callable[[ResourceType], AsyncGenerator[dict[str, Any], None] | None]


@dataclass
class Listings:
    """A job's listing details, each read once for the job: id(detail) -> entries by key, or
    the error that ended the listing. ``pages``: the listings the job shares with other jobs
    of its account (`collector.engine.shared`); the others are read with the job's calls."""

    pages: Pages | None = None
    read: dict[int, dict[str, Any] | BaseException] = field(default_factory=dict)


async def with_details(
    rtype: ResourceType,
    scope: Scope,
    items: list[Item | None],
    calls: Calls,
    concurrency: int,
    listings: Listings | None = None,
) -> list[Item | None]:
    """The page's items with every detail of the type read into them (at most
    ``concurrency`` detail calls of the page at once). ``listings`` keeps the job's listing
    details from one page to the next."""
    gate = asyncio.Semaphore(concurrency)
    listings = Listings() if listings is None else listings
    for detail in rtype.details:
        if isinstance(detail, ListingDetail):
            read = listings.read
            if id(detail) not in read:
                read[id(detail)] = await _listing(rtype, detail, calls, listings.pages)
            items = _from_listing(rtype, detail, items, read[id(detail)], calls)
        elif isinstance(detail, BatchDetail):
            items = await _batch_detail(rtype, detail, items, calls, gate)
        else:
            items = await all_or_cancel(
                _one_detail(rtype, scope, detail, i, calls, gate) for i in items
            )
    return items


async def _one_detail(
    rtype: ResourceType,
    scope: Scope,
    detail: Detail,
    item: Item | None,
    calls: Calls,
    gate: asyncio.Semaphore,
) -> Item | None:
    if item is None:
        return None
    if detail.skip_if_present and item.get(detail.into or "") is not None:
        return item
    if detail.skip_when is not None and extract(detail.skip_when, item):
        return item if detail.into is None else {**item, detail.into: detail.default}
    try:
        params = detail.params(item)
        if detail.arn_param is not None:
            params = {**params, detail.arn_param: normalize(rtype, scope, item).arn}
        if detail.account_param is not None:
            params = {**params, detail.account_param: scope.account_id}
    except (KeyError, TypeError, MalformedItem):
        # The item lacks what the call needs: it goes on without the detail, and is dropped
        # (named, counted) only if it also lacks its identity.
        return mark_unread(item, detail.into)
    async with gate:
        try:
            response = await calls.call(rtype.service, detail.operation, params)
        except CALL_ERRORS as e:
            if error_code(e) not in detail.absent_codes:
                _detail_failed(rtype, detail.operation, item, e, calls)
                return mark_unread(item, detail.into)
            value = detail.default
        else:
            value = extract(detail.result, response)
    if detail.transform is not None:
        value = detail.transform(value)
    if detail.into is None:
        return {**item, **value} if isinstance(value, dict) else item
    return {**item, detail.into: value}


async def _batch_detail(
    rtype: ResourceType,
    detail: BatchDetail,
    items: list[Item | None],
    calls: Calls,
    gate: asyncio.Semaphore,
) -> list[Item | None]:
    # An item the call's parameters cannot be built from (no ARN) goes on without the detail
    # (dropped later if it lacks its identity): it must not fail its chunk and blank the rest.
    present = [i for i in items if i is not None and _fits(detail, i)]
    chunks = [present[n : n + detail.size] for n in range(0, len(present), detail.size)]
    failed: set[int] = set()  # id() of the items whose chunk's call failed

    async def answers(chunk: list[Item]) -> dict[str, Any]:
        params = detail.params(chunk)
        async with gate:
            try:
                response = await calls.call(rtype.service, detail.operation, params)
            except CALL_ERRORS as e:
                if error_code(e) in detail.absent_codes:
                    return {}
                for item in chunk:
                    _detail_failed(rtype, detail.operation, item, e, calls)
                    failed.add(id(item))
                return {}
        found: dict[str, Any] = {}
        for entry in extract(detail.result, response) or []:
            if isinstance(entry, dict):
                value = entry if detail.value is None else extract(detail.value, entry)
                found[str(extract(detail.key, entry))] = value
        return found

    found: dict[str, Any] = {}
    for part in await all_or_cancel(answers(c) for c in chunks):
        found.update(part)
    usable = {id(i) for i in present}
    out: list[Item | None] = []
    for item in items:
        if item is None:
            out.append(None)
            continue
        if id(item) in failed or id(item) not in usable:  # kept, never dropped: it was listed
            out.append(mark_unread(item, detail.into))
            continue
        key = str(extract(detail.item_key, item))
        if key not in found:
            if detail.drop_missing:
                continue
            value = detail.default
        else:
            value = found[key]
        if detail.into is None:
            out.append({**item, **value} if isinstance(value, dict) else item)
        else:
            out.append({**item, detail.into: value})
    return out


async def _listing(
    rtype: ResourceType, detail: ListingDetail, calls: Calls, pages: Pages | None
) -> dict[str, Any] | BaseException:
    """The listing's entries by key (every page), or the error that ended it."""
    listing = listing_of(rtype, detail)
    found: dict[str, Any] = {}
    source = None if pages is None else pages(listing)
    try:
        async for page in calls.pages(listing, {}) if source is None else source:
            for entry in extract(detail.result, page) or []:
                if isinstance(entry, dict):
                    value = entry if detail.value is None else extract(detail.value, entry)
                    found[str(extract(detail.key, entry))] = value
    except CALL_ERRORS as e:
        return e
    return found


def _from_listing(
    rtype: ResourceType,
    detail: ListingDetail,
    items: list[Item | None],
    found: dict[str, Any] | BaseException,
    calls: Calls,
) -> list[Item | None]:
    out: list[Item | None] = []
    for item in items:
        if item is None:
            out.append(None)
            continue
        if isinstance(found, BaseException):
            _detail_failed(rtype, detail.operation, item, found, calls)
            out.append(mark_unread(item, detail.into))
            continue
        key = extract(detail.item_key, item)
        if isinstance(key, list):
            missing = [str(k) for k in key if str(k) not in found]
            if missing:  # made after the listing was read: unknown, not "none"
                counter = calls.counter
                assert isinstance(counter, JobCounter)
                counter.issues.detail_failed(
                    detail.operation, str(extract(rtype.id, item)), "NotInListing",
                    f"{', '.join(missing)} not in the listing of {detail.result}",
                )  # fmt: skip
                out.append(mark_unread(item, detail.into))
                continue
            value: Any = [found[str(k)] for k in key]
        else:
            value = detail.default if key is None else found.get(str(key), detail.default)
        if detail.into is None:
            out.append({**item, **value} if isinstance(value, dict) else item)
        else:
            out.append({**item, detail.into: value})
    return out


def _fits(detail: BatchDetail, item: Item) -> bool:
    try:
        detail.params([item])
    except (KeyError, TypeError):
        return False
    return True


def _detail_failed(
    rtype: ResourceType, operation: str, item: Item, error: BaseException, calls: Calls
) -> None:
    code, message = error_parts(error)
    counter = calls.counter
    assert isinstance(counter, JobCounter)  # the fetcher's jobs count with one
    counter.issues.detail_failed(operation, str(extract(rtype.id, item)), code, message)


async def all_or_cancel(coroutines: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """asyncio.gather that, when one fails, cancels the others before raising its error (no
    calls left running for a job that already ended)."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
