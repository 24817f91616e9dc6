"""`inventory query`: run SQL read-only, optionally as of a past run, with the helper tables
the SQL mentions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from collector.history.asof import install_asof_views, resolve_run
from collector.reporting.helpers import QueryContext, install_helpers, wanted_helpers
from collector.store.engine import read_only

__all__ = ["QueryResult", "run_query", "run_sql"]


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    as_of_run: int | None = None


# Runs on the query's connection before it turns read-only (temporary views and tables).
Prepare = Callable[[AsyncConnection], Awaitable[None]]


async def run_sql(
    db_url: str, sql: str, prepare: Prepare | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one statement read-only: a query can never change the inventory. ``prepare`` may
    first create temporary objects on the same connection (``--as-of``, helper tables)."""
    async with read_only(db_url, prepare) as conn:
        # Driver-level: a literal such as '10 :30' is data, never a bind parameter.
        result = await conn.exec_driver_sql(sql)
        if not result.returns_rows:
            return [], []
        return list(result.keys()), [tuple(r) for r in result.fetchall()]



async def run_query(
    db_url: str,
    sql: str,
    *,
    as_of: str | None = None,
    context: QueryContext | None = None,
) -> QueryResult:
    """Run ``sql`` read-only; ``as_of`` (``RUN_ID|DATE``) answers against the inventory as it
    was at that run (see :mod:`collector.history.asof`)."""
    helpers = wanted_helpers(sql)
    result = QueryResult([], [])

    async def prepare(conn: AsyncConnection) -> None:
        if as_of is not None:
            result.as_of_run = await resolve_run(conn, as_of)
            await install_asof_views(conn, result.as_of_run)
        if helpers:
            await install_helpers(conn, helpers, context or QueryContext())

    needed = as_of is not None or bool(helpers)
    result.columns, result.rows = await run_sql(db_url, sql, prepare if needed else None)
    return result
