"""What changed since a run: created, modified (with the top-level fields) and deleted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from collector.history.asof import asof_select, previous_run, resolve_run
from collector.records import changed_fields
from collector.store.models import resource_changes, resources

__all__ = ["Diff", "DiffEntry", "diff", "diff_rows", "run_diff"]


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
