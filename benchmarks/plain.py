"""What the peers of the collector call, read from the collector's registry (data only).

The SDK floor (``benchmarks/floor.py``) and the sequential loop (``benchmarks/sequential.py``)
make exactly the calls the collector makes for a resource type: the list operation with the
same parameters and page size, page after page, then the same per-item (or per-batch) detail
calls, whose answers are merged into the items because a later detail may need them (DynamoDB
tags want the ARN that DescribeTable returns). Nothing is normalized or stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jmespath
from botocore.exceptions import ClientError

from collector.registry import (
    CORE_TYPES,
    REGISTRY,
    BatchDetail,
    Detail,
    ListingDetail,
    ResourceType,
)

Item = dict[str, Any]


def core_types() -> list[ResourceType]:
    """The 27 types the fake answers (the benchmark's inventory)."""
    return [REGISTRY[name] for name in sorted(CORE_TYPES)]


def _search(expression: Any, data: Any) -> Any:
    if callable(expression):
        try:
            return expression(data)
        except (KeyError, TypeError, AttributeError, IndexError):
            return None
    return jmespath.search(expression, data)


def list_params(rtype: ResourceType) -> dict[str, Any]:
    params = dict(rtype.params)
    if rtype.page_size:
        params["PaginationConfig"] = {"PageSize": rtype.page_size}
    return params


def items_of(rtype: ResourceType, page: Any) -> list[Item]:
    raw = _search(rtype.items, page) or []
    if not isinstance(raw, list):
        raw = [raw]
    out: list[Item] = []
    for value in raw:
        item = {rtype.item_key: value} if rtype.item_key else value
        if isinstance(item, dict) and (rtype.where is None or _search(rtype.where, item)):
            out.append(item)
    return out


@dataclass(frozen=True)
class DetailCall:
    """One detail call: its parameters, and how to fold the answer back into the items."""

    detail: Detail | BatchDetail | ListingDetail
    params: dict[str, Any]
    items: list[Item]


def detail_calls(
    detail: Detail | BatchDetail | ListingDetail, items: list[Item]
) -> Iterator[DetailCall]:
    if isinstance(detail, ListingDetail):
        # Read again for every page of items, and its first page only: a peer's simple loop
        # (the scenarios' listings fit one page).
        yield DetailCall(detail, dict(detail.params), items)
        return
    if isinstance(detail, BatchDetail):
        for n in range(0, len(items), detail.size):
            chunk = items[n : n + detail.size]
            yield DetailCall(detail, detail.params(chunk), chunk)
        return
    for item in items:
        if detail.skip_if_present and item.get(detail.into or "") is not None:
            continue
        try:
            params = detail.params(item)
        except (KeyError, TypeError):
            continue
        yield DetailCall(detail, params, [item])


def absent(call: DetailCall, error: ClientError) -> bool:
    codes = getattr(call.detail, "absent_codes", ())
    return error.response.get("Error", {}).get("Code") in codes


def fold(call: DetailCall, response: Any) -> None:
    """Merge a detail answer into its item(s), as the collector's fetch does."""
    detail = call.detail
    if isinstance(detail, ListingDetail | BatchDetail):
        found: dict[str, Any] = {}
        for entry in _search(detail.result, response) or []:
            if isinstance(entry, dict):
                value = entry if detail.value is None else _search(detail.value, entry)
                found[str(_search(detail.key, entry))] = value
        for item in call.items:
            key = _search(detail.item_key, item)
            if isinstance(key, list):  # a ListingDetail's names (a user's groups)
                _put(item, detail.into, [found.get(str(k)) for k in key])
                continue
            _put(item, detail.into, found.get(str(key), detail.default))
        return
    value = detail.default if response is None else _search(detail.result, response)
    if detail.transform is not None:
        value = detail.transform(value)
    _put(call.items[0], detail.into, value)


def _put(item: Item, into: str | None, value: Any) -> None:
    if into is None:
        if isinstance(value, dict):
            item.update(value)
    else:
        item[into] = value
