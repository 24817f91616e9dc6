"""History: the inventory as it was at a past run, and what changed since then.

Pruning old history is :mod:`collector.prune`.

How "as of run N" is rebuilt (documented in the README, "History, queries and reports"):

* **Which resources existed.** Walk *backwards* from the present, which is always complete:
  a resource first seen at or before run N existed at N unless its next created/deleted change
  after N is a ``created`` (it reappeared, so it was gone at N), or it has no such change after
  N and is deleted now. Only changes *after* N are read, and pruning never removes those for a
  run it keeps.
* **What they looked like.** The ``resource_versions`` row with the highest id among
  ``run_id <= N`` (versions are written only when the digest changes). A resource with no
  version that old (an inventory older than the history tables) shows its oldest known one.

``inventory query --as-of`` creates temporary views named ``resources``, ``resource_tags`` and
every typed view on the query's own connection: they shadow the real ones (SQLite and
PostgreSQL both look in the temporary schema first), so any query, saved ones included, runs
unchanged against the past. ``runs``, ``scan_results`` and ``resource_changes`` are history
already and are not rewritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
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

from collector.registry.views import VIEWS
from collector.store.models import (
    UTCDateTime,
    resource_changes,
    resource_versions,
    resources,
    runs,
)
from collector.store.upsert import changed_fields
from collector.views import create_view_sql

__all__ = [
    "Diff",
    "DiffEntry",
    "HistoryError",
    "asof_select",
    "diff",
    "diff_rows",
    "install_asof_views",
    "parse_point",
    "previous_run",
    "resolve_run",
    "run_diff",
]

_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class HistoryError(Exception):
    """A question history cannot answer (unknown run, pruned history, bad date): exit 2."""


def parse_point(spec: str, now: datetime | None = None) -> int | datetime:
    """``RUN_ID`` -> int; ``YYYY-MM-DD`` (midnight UTC), an ISO 8601 time (naive = UTC) or a
    relative ``24h`` / ``7d`` / ``2w`` -> an aware UTC datetime."""
    text = spec.strip()
    if text.isdigit():
        return int(text)
    relative = _RELATIVE.match(text)
    if relative:
        return (now or datetime.now(UTC)) - float(relative.group(1)) * _UNITS[relative.group(2)]
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


# -- diff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffEntry:
    change: str  # created | modified | deleted
    account_id: str
    region: str
    resource_type: str
    resource_id: str
    name: str | None
    arn: str
    changed_fields: tuple[str, ...] = ()


@dataclass
class Diff:
    since_run: int  # 0: before the first run
    latest_run: int | None
    entries: list[DiffEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"created": 0, "modified": 0, "deleted": 0}
        for e in self.entries:
            out[e.change] += 1
        return out


_CHANGE_ORDER = {"created": 0, "modified": 1, "deleted": 2}


async def diff(conn: AsyncConnection, since: str | None = None) -> Diff:
    """The net difference between the inventory as of run ``since`` (``RUN_ID|DATE``; default:
    the run before the latest finished one) and now. A resource created and deleted in
    between, or changed and changed back, is not listed."""
    previous, latest = await previous_run(conn)
    since_run = previous if since is None else await resolve_run(conn, since, allow_none=True)
    candidates = (
        select(resource_changes.c.arn).where(resource_changes.c.run_id > since_run).distinct()
    )
    then_rows = asof_select(since_run).subquery("as_of")
    then: dict[str, Any] = {
        row.arn: row
        for row in await conn.execute(select(then_rows).where(then_rows.c.arn.in_(candidates)))
    }
    r = resources.c
    current = {
        row.arn: row
        for row in await conn.execute(
            select(
                r.arn, r.account_id, r.region, r.resource_type, r.resource_id, r.name, r.raw,
                r.digest,
            ).where(r.arn.in_(candidates), r.deleted_at.is_(None))
        )
    }  # fmt: skip
    entries: list[DiffEntry] = []
    for arn in then.keys() | current.keys():
        before, after = then.get(arn), current.get(arn)
        fields: tuple[str, ...]
        if before is None and after is not None:
            change, row, fields = "created", after, ()
        elif after is None and before is not None:
            change, row, fields = "deleted", before, ()
        elif before is not None and after is not None and before.digest != after.digest:
            change, row = "modified", after
            fields = tuple(changed_fields(_json(before.raw), _json(after.raw)))
        else:
            continue
        entries.append(
            DiffEntry(
                change, row.account_id, row.region, row.resource_type, row.resource_id,
                row.name, arn, fields,
            )
        )  # fmt: skip
    entries.sort(
        key=lambda e: (_CHANGE_ORDER[e.change], e.resource_type, e.account_id, e.region, e.arn)
    )
    return Diff(since_run, latest, entries)


def _json(value: Any) -> Any:
    # Values of a subquery column come back as JSON text on SQLite.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# -- entry points for the CLI ------------------------------------------------------------------


async def run_diff(db_url: str, since: str | None = None) -> Diff:
    """:func:`diff` on a read-only connection of its own."""
    from collector.store.engine import read_only

    async with read_only(db_url) as conn:
        return await diff(conn, since)


def diff_rows(result: Diff, *, as_list: bool = False) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The diff as columns and rows for :func:`collector.query.render`."""
    columns = [
        "change", "account_id", "region", "resource_type", "resource_id", "name",
        "changed_fields", "arn",
    ]  # fmt: skip
    rows = [
        (
            e.change,
            e.account_id,
            e.region,
            e.resource_type,
            e.resource_id,
            e.name,
            list(e.changed_fields) if as_list else " ".join(e.changed_fields),
            e.arn,
        )
        for e in result.entries
    ]
    return columns, rows
