"""The values that flow from fetch/normalize into the store.

They are plain frozen dataclasses so that the pure stages (normalize) and the I/O stages
(fetch, store) agree on one shape without importing each other.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

GLOBAL_REGION = "global"
# Error text in the ledger and on stderr is capped: an AWS error body can be hundreds of KB.
MAX_MESSAGE = 2048


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a list call runs: one account and one region (or ``global``)."""

    account_id: str
    region: str
    # The account's partition (from its caller identity ARN). None: the region's partition,
    # `aws` for the global scope.
    partition: str | None = None

    def __str__(self) -> str:
        return f"{self.account_id}/{self.region}"


@dataclass(frozen=True, slots=True)
class Unread:
    """Fields of a record that a failed detail call left unread: the store keeps their last
    known values (``collector.store.unread``) instead of storing them as absent."""

    # Top-level keys of ``raw`` the failed details would have filled.
    keys: frozenset[str]
    # A detail that merges its answer into the item failed: every stored key that ``raw``
    # lacks is kept.
    merged: bool = False
    # The record's tags / own region come from an unread field: keep the stored ones.
    tags: bool = False
    region: bool = False
    # The type's volatile keys, left out of the digest as ``normalize`` does.
    volatile: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    """One relationship of a record: it references ``target_arn`` (of ``target_type``) as
    ``kind`` (``in_vpc``, ``uses_security_group``, ...). Stored in ``resource_links``."""

    kind: str
    target_arn: str
    target_type: str


@dataclass(frozen=True, slots=True)
class Record:
    """One normalized resource as seen by one run."""

    arn: str
    account_id: str
    # The resource's own region: for S3 buckets the bucket's region, for global types `global`.
    region: str
    # The region of the scope that listed it; reconciliation is keyed on it, because that is
    # the unit whose listing either succeeded or failed.
    scope_region: str
    service: str
    resource_type: str
    resource_id: str
    name: str | None
    tags: dict[str, str]
    created_at: datetime | None
    raw: Mapping[str, Any]
    digest: str
    # Set when some detail fields could not be read (None: the record is complete).
    unread: Unread | None = None
    # Every edge from this resource, sorted; complete unless `unread` is set.
    links: tuple[Edge, ...] = ()


class Status(enum.StrEnum):
    OK = "ok"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The ledger entry of one (scope, resource type) in one run."""

    account_id: str
    region: str
    resource_type: str
    service: str
    status: Status
    item_count: int = 0
    error_code: str | None = None
    error_message: str | None = None
    api_calls: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    # Items dropped because they could not be normalized (malformed in the response).
    skipped_items: int = 0
    # Items stored without some detail fields because a per-item detail call failed.
    detail_errors: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """An account as known from Organizations or the config."""

    account_id: str
    name: str | None = None
    email: str | None = None
    status: str | None = None
    source: str = "current"
    parent_id: str | None = None


_MISSING = object()


def changed_fields(old: Any, new: Any) -> list[str]:
    """The top-level keys whose values differ between two raw items (added and removed keys
    included), sorted; ``["*"]`` when either side is not an object."""
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return [] if old == new else ["*"]
    return sorted(
        str(key)
        for key in old.keys() | new.keys()
        if old.get(key, _MISSING) != new.get(key, _MISSING)
    )


def cap(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    cut = f" ... [{len(text) - limit + 40} more characters cut]"
    return text[: limit - len(cut)] + cut


def one_line(text: str) -> str:
    return " ".join(text.split())
