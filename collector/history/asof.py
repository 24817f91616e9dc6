"""The inventory as it was at a past run (``--as-of``), and naming runs (``parse_point``).

What changed since a run is :mod:`collector.history.diff`; pruning old history is
:mod:`collector.history.prune`.

How "as of run N" is rebuilt (documented in the README, "History, queries and reports"):

* **Which resources existed.** Walk *backwards* from the present, which is always complete:
  a resource first seen at or before run N existed at N unless its next created/deleted change
  after N is a ``created`` (it reappeared, so it was gone at N), or it has no such change after
  N and is deleted now. Only changes *after* N are read, and pruning never removes those for a
  run it keeps.
* **What they looked like.** The ``resource_versions`` row with the highest id among
  ``run_id <= N`` (versions are written only when the digest changes). A resource with no
  version that old (an inventory older than the history tables) shows its oldest known one.

``inventory query --as-of`` creates temporary views named ``resources``, ``resource_tags``,
``resource_links``, ``resource_links_dangling`` and every typed view on the query's own connection: they shadow the real ones (SQLite and
PostgreSQL both look in the temporary schema first), so any query, saved ones included, runs
unchanged against the past. ``runs``, ``scan_results`` and ``resource_changes`` are history
already and are not rewritten.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    MetaData,
    Table,
    case,
    cast,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from collector.history.links_asof import install_links_asof
from collector.history.views import create_view_sql
from collector.registry.views import VIEWS
from collector.store.models import (
    UTCDateTime,
    resource_changes,
    resource_versions,
    resources,
    runs,
)

__all__ = [
    "HistoryError",
    "asof_select",
    "install_asof_views",
    "parse_point",
    "previous_run",
    "resolve_run",
]

_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


MAX_RUN_ID = 2**63 - 1  # both databases' BIGINT; SQLite's driver refuses larger integers


class HistoryError(Exception):
    """A question history cannot answer (unknown run, pruned history, bad date): exit 2."""


def parse_point(spec: str, now: datetime | None = None) -> int | datetime:
    """``RUN_ID`` -> int; ``YYYY-MM-DD`` (midnight UTC), an ISO 8601 time (naive = UTC) or a
    relative ``24h`` / ``7d`` / ``2w`` -> an aware UTC datetime."""
    text = spec.strip()
    if text.isdigit():
        if int(text) > MAX_RUN_ID:
            raise HistoryError(f"{spec!r}: no run id is that large (run ids are 64-bit)")
        return int(text)
    relative = _RELATIVE.match(text)
    if relative:
        try:
            delta = float(relative.group(1)) * _UNITS[relative.group(2)]
            return (now or datetime.now(UTC)) - delta
        except OverflowError:
            raise HistoryError(f"{spec!r} reaches before year 1") from None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise HistoryError(
            f"{spec!r} is neither a run id, a date (YYYY-MM-DD), an ISO 8601 time nor a "
            "relative time like 24h or 7d"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


async def resolve_run(conn: AsyncConnection, spec: str, *, allow_none: bool = False) -> int:
    """The run a ``RUN_ID|DATE`` argument names: the run itself, or the last finished run
    started at or before the time. With ``allow_none``, 0 when no run is that old."""
    point = parse_point(spec)
    if isinstance(point, int):
        row = (
            await conn.execute(
                select(runs.c.id, runs.c.history_pruned_at).where(runs.c.id == point)
            )
        ).first()
        if row is None:
            raise HistoryError(f"no run {point} in this inventory")
        run_id = point
    else:
        found = await conn.scalar(
            select(func.max(runs.c.id)).where(
                runs.c.started_at <= point, runs.c.status != "running"
            )
        )
        if found is None:
            if allow_none:
                return 0
            raise HistoryError(f"no finished run started at or before {point.isoformat()}")
        run_id = int(found)
    pruned = await conn.scalar(select(runs.c.history_pruned_at).where(runs.c.id == run_id))
    if pruned is not None:
        oldest = await conn.scalar(
            select(func.min(runs.c.id)).where(runs.c.history_pruned_at.is_(None))
        )
        raise HistoryError(
            f"the history of run {run_id} was pruned on {pruned:%Y-%m-%d}; the oldest run "
            f"with history is {oldest}"
        )
    return run_id


async def previous_run(conn: AsyncConnection) -> tuple[int, int | None]:
    """(the run before the latest finished run or 0, the latest finished run or None)."""
    ids = [
        int(i)
        for i in (
            await conn.execute(
                select(runs.c.id)
                .where(runs.c.status != "running")
                .order_by(runs.c.id.desc())
                .limit(2)
            )
        ).scalars()
    ]
    if not ids:
        return 0, None
    return (ids[1] if len(ids) > 1 else 0), ids[0]


def _tables(schema: str | None) -> dict[str, Table]:
    if schema is None:
        return {t.name: t for t in (resources, resource_versions, resource_changes, runs)}
    meta = MetaData()
    return {
        t.name: t.to_metadata(meta, schema=schema)
        for t in (runs, resources, resource_versions, resource_changes)
    }


def asof_select(run_id: int, *, schema: str | None = None) -> Any:
    """The ``resources`` rows as they were at run ``run_id``, with the columns of ``resources``
    (``deleted_at`` NULL: they existed; ``last_seen_*`` capped at that run). See the module
    docstring for the rules."""
    t = _tables(schema)
    r = t["resources"].alias("r")
    versions = t["resource_versions"]
    v_then, v_first, v = versions.alias("v1"), versions.alias("v2"), versions.alias("v")
    c = t["resource_changes"].alias("c")
    n = literal(run_id)
    version_id = func.coalesce(
        select(func.max(v_then.c.id))
        .where(v_then.c.arn == r.c.arn, v_then.c.run_id <= n)
        .scalar_subquery(),
        select(func.min(v_first.c.id)).where(v_first.c.arn == r.c.arn).scalar_subquery(),
    )
    next_event = (
        select(c.c.change)
        .where(c.c.arn == r.c.arn, c.c.run_id > n, c.c.change.in_(("created", "deleted")))
        .order_by(c.c.run_id, c.c.id)
        .limit(1)
        .scalar_subquery()
    )
    # No change after N: as it is now ("deleted" stands for "existed until then").
    now_state = case((r.c.deleted_at.is_(None), literal("deleted")), else_=literal("created"))
    existed = func.coalesce(next_event, now_state) == literal("deleted")
    no_version = v.c.id.is_(None)
    run_started = select(t["runs"].c.started_at).where(t["runs"].c.id == n).scalar_subquery()
    later = r.c.last_seen_run_id > n
    return (
        select(
            r.c.arn,
            r.c.account_id,
            r.c.region,
            r.c.scope_region,
            r.c.service,
            r.c.resource_type,
            r.c.resource_id,
            case((no_version, r.c.name), else_=v.c.name).label("name"),
            case((no_version, r.c.tags), else_=v.c.tags).label("tags"),
            r.c.created_at,
            case((no_version, r.c.raw), else_=v.c.raw).label("raw"),
            case((no_version, r.c.digest), else_=v.c.digest).label("digest"),
            r.c.first_seen_at,
            case((later, run_started), else_=r.c.last_seen_at).label("last_seen_at"),
            cast(null(), UTCDateTime).label("deleted_at"),
            r.c.first_seen_run_id,
            case((later, n), else_=r.c.last_seen_run_id).label("last_seen_run_id"),
        )
        .select_from(r.outerjoin(v, v.c.id == version_id))
        .where(r.c.first_seen_run_id <= n, existed)
    )


_TEMP_TAGS = {
    "sqlite": "SELECT a.arn AS arn, t.key AS key, t.value AS value "
    "FROM resources AS a, json_each(a.tags) AS t",
    "postgresql": "SELECT a.arn AS arn, t.key AS key, t.value AS value "
    "FROM resources AS a, jsonb_each_text(a.tags) AS t",
}


async def install_asof_views(conn: AsyncConnection, run_id: int) -> None:
    """Shadow ``resources``, ``resource_tags`` and the typed views on ``conn`` with temporary
    views of the inventory as of ``run_id`` (inside the connection's transaction)."""
    dialect = conn.dialect
    if dialect.name == "sqlite":
        schema = "main"
    else:
        schema = str(await conn.scalar(select(func.current_schema())))
    body = asof_select(run_id, schema=schema).compile(
        dialect=dialect, compile_kwargs={"literal_binds": True}
    )
    await conn.exec_driver_sql(f"CREATE TEMPORARY VIEW resources AS {body}")
    await conn.exec_driver_sql(f"CREATE TEMPORARY VIEW resource_tags AS {_TEMP_TAGS[dialect.name]}")
    for view in VIEWS:
        await conn.exec_driver_sql(create_view_sql(view, dialect, temporary=True))
    await install_links_asof(conn, run_id, schema)
