"""What one (scope, type) job could not do without failing: dropped items, unread details.

A job that dropped malformed items still stores what it could read, but its ledger row keeps
``skipped_items > 0`` and reconciliation deletes nothing in that pair (an item we could not
read may be a live resource). A failed per-item detail call costs that item's detail fields
only: the item is stored from its listing with those fields marked unread, and the store keeps
their last known values (``collector.store.unread``). Both are noted once per job in the log
and in the ledger row's ``error_code``/``error_message`` (the row stays ``ok``).

Also the one place that caps text taken from errors (an AWS error body can be hundreds of KB).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from collector.aws.calls import Counter
from collector.records import Unread, cap, one_line
from collector.registry.base import ResourceType

log = logging.getLogger("collector.engine.fetch")

MAX_CODE = 128
# How many dropped items a log line and a ledger message name (the count is always exact).
MAX_NAMED = 20
# An item's key naming the detail fields whose read failed; taken out before normalizing.
UNREAD_KEY = "__inventory_unread__"
# In an item's unread set: a detail that merges its answer into the item failed, so every
# stored field the listing lacks is unread.
MERGED = "*"
# What a call may fail with when AWS or the network says no; anything else is a bug or bad
# data, and still fails only its own (scope, type) pair (the barrier in `Fetcher.run`).
CALL_ERRORS = (
    ClientError,
    BotoCoreError,
    ResponseParserError,  # an endpoint answering garbage (an HTML 500 page)
    aiohttp.ClientError,
    TimeoutError,
)
_ROOT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def error_parts(error: BaseException) -> tuple[str, str]:
    """(code, message) of an error, for the ledger: AWS's code, else the exception class;
    both capped (an error body can be hundreds of KB)."""
    if isinstance(error, ClientError):
        err = error.response.get("Error", {})
        code, message = str(err.get("Code") or "ClientError"), str(err.get("Message") or error)
    else:
        code, message = type(error).__name__, str(error) or type(error).__name__
    return cap(code, MAX_CODE), cap(message)


def error_code(error: BaseException) -> str | None:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code"))
    return None


def failure_parts(error: BaseException) -> tuple[str, str]:
    """:func:`error_parts` of a failure the ledger records; an unexpected one (a bug, bad
    data) also logs its traceback at debug level (``--debug``): the ledger row and its one
    line on stderr are the rest of the story."""
    if not isinstance(error, CALL_ERRORS):
        log.debug("traceback of an unexpected failure", exc_info=error)
    return error_parts(error)


class JobCounter(Counter):
    """A job's calls and items, and its issues: items dropped, detail reads failed."""

    def __init__(self) -> None:
        super().__init__()
        self.issues = JobIssues()


class JobIssues:
    """Dropped items and failed detail reads of one job."""

    __slots__ = ("detail_errors", "dropped", "first_detail", "named")

    def __init__(self) -> None:
        self.dropped = 0
        self.named: list[str] = []
        self.detail_errors = 0
        self.first_detail: tuple[str, str] | None = None

    def drop(self, why: str) -> None:
        self.dropped += 1
        if len(self.named) < MAX_NAMED:
            self.named.append(cap(one_line(why), 200))

    def detail_failed(self, operation: str, item_id: str, code: str, message: str) -> None:
        self.detail_errors += 1
        if self.first_detail is None:
            self.first_detail = (code, cap(f"{operation} for {item_id}: {message}"))

    def note(self) -> tuple[str | None, str | None]:
        """(error_code, error_message) for an ``ok`` ledger row, or (None, None)."""
        parts: list[str] = []
        code: str | None = None
        if self.detail_errors:
            assert self.first_detail is not None
            code = self.first_detail[0]
            parts.append(
                f"{self.detail_errors} item(s) stored without some detail fields (kept at their "
                f"last known values); first: {self.first_detail[1]}"
            )
        if self.dropped:
            code = code or "MalformedItems"
            parts.append(
                f"{self.dropped} malformed item(s) dropped, so nothing of this pair is marked "
                f"deleted: {self._names()}"
            )
        if not parts:
            return None, None
        return cap(code or "MalformedItems", MAX_CODE), cap("; ".join(parts))

    def _names(self) -> str:
        more = self.dropped - len(self.named)
        return "; ".join(self.named) + (f"; and {more} more" if more > 0 else "")

    def log_once(self, where: str) -> None:
        """Log the job's issues once (INFO: the collector shows them as a `note` line of the
        ledger row instead; a plain log line would break `--log-format json`)."""
        if self.dropped:
            log.info("%s: dropped %d malformed item(s): %s", where, self.dropped, self._names())
        if self.detail_errors:
            assert self.first_detail is not None
            code, message = self.first_detail
            log.info(
                "%s: %d item(s) stored without some detail fields; first: %s: %s",
                where,
                self.detail_errors,
                code,
                message,
            )


def mark_unread(item: dict[str, Any], into: str | None) -> dict[str, Any]:
    """A copy of ``item`` noting that the detail stored under ``into`` (merged: None) failed."""
    unread = set(item.get(UNREAD_KEY, ()))
    unread.add(MERGED if into is None else into)
    return {**item, UNREAD_KEY: frozenset(unread)}


def take_unread(item: dict[str, Any]) -> frozenset[str]:
    """The item's unread detail fields, removed from the item (it is about to be stored)."""
    unread = item.pop(UNREAD_KEY, None)
    return unread if isinstance(unread, frozenset) else frozenset()


def _root(field: Any) -> str | None:
    """The top-level key a JMESPath field reads (``Tags`` of ``Tags[].Key``), if plain."""
    match = _ROOT.match(field) if isinstance(field, str) else None
    return match.group(0) if match else None


def unread_of(rtype: ResourceType, item: dict[str, Any], keys: frozenset[str]) -> Unread:
    """What of a record the failed details left unread (``keys`` from :func:`take_unread`)."""
    merged = MERGED in keys
    fields = frozenset(k for k in keys if k != MERGED)

    def unread(field: Any) -> bool:
        root = _root(field)
        return root is not None and (root in fields or (merged and root not in item))

    return Unread(
        keys=fields,
        merged=merged,
        tags=unread(rtype.tags),
        region=unread(rtype.region),
        volatile=tuple(rtype.volatile),
    )
