"""Per-query helper tables: temporary tables a query may use.

They are created on the query's own connection only when the SQL names them (a read-only
PostgreSQL replica refuses temporary tables):

* ``required_tags(key)``: ``[report] required_tags`` from the config;
* ``resource_types(resource_type, service, taggable, is_global)``: the type registry
  (``taggable`` is 1 when the collector reads the type's tags);
* ``query_params(now, since_24h, stale_before)``: the time the query runs, 24 hours before,
  and ``[report] stale_after_days`` before; timestamps typed like the inventory's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Table, Text, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from collector.registry import REGISTRY
from collector.store.models import UTCDateTime

__all__ = ["HELPER_TABLES", "QueryContext", "install_helpers", "wanted_helpers"]


@dataclass(frozen=True)
class QueryContext:
    """What the helper tables are filled with."""

    required_tags: tuple[str, ...] = ()
    stale_after_days: float = 7.0
    now: datetime | None = None


_helpers = MetaData()
_REQUIRED_TAGS = Table(
    "required_tags", _helpers, Column("key", Text, nullable=False), prefixes=["TEMPORARY"]
)
_RESOURCE_TYPES = Table(
    "resource_types",
    _helpers,
    Column("resource_type", Text, nullable=False),
    Column("service", Text, nullable=False),
    Column("taggable", Integer, nullable=False),
    Column("is_global", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)
_QUERY_PARAMS = Table(
    "query_params",
    _helpers,
    Column("now", UTCDateTime, nullable=False),
    Column("since_24h", UTCDateTime, nullable=False),
    Column("stale_before", UTCDateTime, nullable=False),
    prefixes=["TEMPORARY"],
)
HELPER_TABLES = {t.name: t for t in (_REQUIRED_TAGS, _RESOURCE_TYPES, _QUERY_PARAMS)}


def wanted_helpers(sql: str) -> list[str]:
    """The helper tables ``sql`` mentions (a word match: a mention in a comment counts)."""
    return [name for name in HELPER_TABLES if re.search(rf"\b{name}\b", sql, re.IGNORECASE)]


def _helper_rows(name: str, context: QueryContext) -> list[dict[str, Any]]:
    if name == "required_tags":
        return [{"key": key} for key in dict.fromkeys(context.required_tags)]
    if name == "resource_types":
        return [
            {
                "resource_type": t.resource_type,
                "service": t.service,
                "taggable": int(t.tags is not None),
                "is_global": int(t.global_),
            }
            for t in sorted(REGISTRY.values(), key=lambda t: t.resource_type)
        ]
    now = context.now or datetime.now(UTC)
    return [
        {
            "now": now,
            "since_24h": now - timedelta(hours=24),
            "stale_before": now - timedelta(days=context.stale_after_days),
        }
    ]


async def install_helpers(
    conn: AsyncConnection, names: Sequence[str], context: QueryContext
) -> None:
    """Create and fill the named helper tables on ``conn`` (in its transaction: they are gone
    when it rolls back, and nothing else sees them)."""
    for name in names:
        table = HELPER_TABLES[name]
        await conn.run_sync(table.create)
        rows = _helper_rows(name, context)
        if rows:
            await conn.execute(insert(table), rows)
