"""The ``runs`` and ``accounts`` tables: a run's start and end, and the accounts it covered."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from collector import __version__
from collector.records import AccountInfo
from collector.store.models import RUN_STATUSES, accounts, resources, runs, scan_results
from collector.store.reconcile import change_counts

__all__ = ["COUNT_COLUMNS", "finish_run", "insert_run", "upsert_accounts"]

COUNT_COLUMNS = (
    "accounts_total",
    "scopes_ok",
    "scopes_error",
    "scopes_skipped",
    "resources_seen",
    "created_count",
    "modified_count",
    "deleted_count",
)


async def insert_run(conn: AsyncConnection, config_summary: dict[str, Any], now: datetime) -> int:
    result = await conn.execute(
        insert(runs).values(
            started_at=now,
            status="running",
            collector_version=__version__,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            config_summary=config_summary,
        )
    )
    run_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
    if not isinstance(run_id, int):
        raise RuntimeError("the database did not return the new run's id")
    return run_id


async def upsert_accounts(
    conn: AsyncConnection, run_id: int, infos: Sequence[AccountInfo], now: datetime
) -> None:
    """Insert new accounts, refresh known ones. A field that is None now (an account listed
    by id only) keeps what an earlier run learned from Organizations. One ``INSERT ... ON
    CONFLICT``: shards or workers recording the same account at once do not collide."""
    latest = {info.account_id: info for info in infos}
    if not latest:
        return
    rows = [
        {
            "account_id": info.account_id,
            "name": info.name,
            "email": info.email,
            "status": info.status,
            "source": info.source,
            "parent_id": info.parent_id,
            "first_seen_at": now,
            "last_seen_at": now,
            "last_run_id": run_id,
        }
        for _, info in sorted(latest.items())
    ]
    a = accounts.c
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(accounts)
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_id"],
        set_={
            "name": func.coalesce(new.name, a.name),
            "email": func.coalesce(new.email, a.email),
            "status": func.coalesce(new.status, a.status),
            "parent_id": func.coalesce(new.parent_id, a.parent_id),
            "source": new.source,
            "last_seen_at": new.last_seen_at,
            "last_run_id": new.last_run_id,
        },
    )
    await conn.execute(stmt, rows)


async def _default_counts(conn: AsyncConnection, run_id: int) -> dict[str, int]:
    """Every count column, computed from what the database holds for the run."""
    sr = scan_results.c
    by_status = {
        status: int(n)
        for status, n in await conn.execute(
            select(sr.status, func.count()).where(sr.run_id == run_id).group_by(sr.status)
        )
    }
    accounts_total = await conn.scalar(
        select(func.count(func.distinct(sr.account_id))).where(sr.run_id == run_id)
    )
    seen = await conn.scalar(
        select(func.count()).select_from(resources).where(resources.c.last_seen_run_id == run_id)
    )
    changes = await change_counts(conn, run_id)
    return {
        "accounts_total": int(accounts_total or 0),
        "scopes_ok": by_status.get("ok", 0),
        "scopes_error": by_status.get("error", 0),
        "scopes_skipped": by_status.get("skipped", 0),
        "resources_seen": int(seen or 0),
        "created_count": changes.created,
        "modified_count": changes.modified,
        "deleted_count": changes.deleted,
    }


async def finish_run(
    conn: AsyncConnection, run_id: int, status: str, counts: dict[str, int], now: datetime
) -> None:
    if status not in RUN_STATUSES or status == "running":
        allowed = ", ".join(s for s in RUN_STATUSES if s != "running")
        raise ValueError(f"invalid final run status {status!r}; expected one of {allowed}")
    unknown = sorted(set(counts) - set(COUNT_COLUMNS))
    if unknown:
        raise TypeError(
            f"finish_run() got unknown counts {unknown}; known: {', '.join(COUNT_COLUMNS)}"
        )
    values: dict[str, Any] = dict(counts)
    if len(values) < len(COUNT_COLUMNS):
        defaults = await _default_counts(conn, run_id)
        values = {**defaults, **values}
    result = await conn.execute(
        update(runs).where(runs.c.id == run_id).values(finished_at=now, status=status, **values)
    )
    if result.rowcount != 1:
        raise LookupError(f"no run with id {run_id}")
