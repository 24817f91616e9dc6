"""A batch the database refuses: retried record by record, so one bad record costs its pair.

Records are cleaned before storing (``collector.store.clean``); a batch that fails anyway on
the data (not on the database itself: a lost connection or a locked file still stops the
writer) is written again one record per transaction. A record that still fails is left out,
and its (account, region, type) pair's ledger row, when it comes, becomes an ``error`` row
naming it, so the pair deletes nothing. Every other record of the batch is stored.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    StatementError,
)

from collector.records import Record, ScanResult, Status, cap, one_line

__all__ = ["Salvage", "is_data_error"]

log = logging.getLogger("collector.store")

Pair = tuple[str, str, str]
# Connection lost, file locked or full, schema missing: every record would fail the same way.
_DATABASE_TROUBLE = (
    OperationalError,
    InterfaceError,
    ProgrammingError,
    InternalError,
    NotSupportedError,
)


def is_data_error(error: BaseException) -> bool:
    """True when ``error`` is about the rows written, not about the database being reachable
    and writable (those stop the writer, as before)."""
    if isinstance(error, _DATABASE_TROUBLE):
        return False
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return False
    return isinstance(error, StatementError | UnicodeError | ValueError | TypeError)


def _pair(record: Record) -> Pair:
    return (record.account_id, record.scope_region, record.resource_type)


class Salvage:
    """The pairs that lost a record to the database in this run, and why."""

    def __init__(self) -> None:
        self._failed: dict[Pair, tuple[str, str]] = {}

    def failed(self, record: Record, error: BaseException) -> None:
        cause = getattr(error, "orig", None) or error
        code = type(cause).__name__
        message = cap(one_line(f"could not store {record.arn}: {cause}"))
        log.warning("%s", message)
        self._failed.setdefault(_pair(record), (code, message))

    def results(self, results: Sequence[ScanResult]) -> list[ScanResult]:
        """``results`` with the rows of pairs that lost a record turned into errors."""
        out = []
        for result in results:
            lost = self._failed.get((result.account_id, result.region, result.resource_type))
            if lost is not None and result.status is Status.OK:
                code, message = lost
                result = dataclasses.replace(
                    result, status=Status.ERROR, error_code=code, error_message=message
                )
            out.append(result)
        return out
