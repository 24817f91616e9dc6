"""`inventory report`: what is there, what changed, tag compliance, collection health, trend.

The data is gathered here with SQL, read-only, into one plain JSON-ready dictionary
(:func:`build_report`); :mod:`collector.reporting.render` turns it into html, md, csv or json.

The trend of live resources over runs is computed backwards from the present with the change
rows of the later runs (live at run N = live now - created after N + deleted after N), so it is
exact for every run whose history was not pruned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from collector import __version__
from collector.history.diff import diff
from collector.registry import REGISTRY
from collector.reporting.links_report import relationships
from collector.store.engine import display_location, read_only
from collector.store.models import (
    accounts,
    resource_changes,
    resource_tags,
    resources,
    runs,
    scan_results,
)

__all__ = ["build_report"]

MAX_CHANGES = 500
MAX_NONCOMPLIANT = 100
MAX_ERRORS = 200
TREND_RUNS = 30
TREND_TYPES = 5


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _row(mapping: Any) -> dict[str, Any]:
    return {k: _plain(v) for k, v in dict(mapping).items()}


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


async def _summary(conn: AsyncConnection) -> dict[str, Any]:
    r = resources.c
    live = r.deleted_at.is_(None)
    n = func.count().label("resources")
    by_account = [
        _row(m)
        for m in (
            await conn.execute(
                select(r.account_id, accounts.c.name, n)
                .select_from(resources.outerjoin(accounts, accounts.c.account_id == r.account_id))
                .where(live)
                .group_by(r.account_id, accounts.c.name)
                .order_by(n.desc(), r.account_id)
            )
        ).mappings()
    ]
    by_region = [
        _row(m)
        for m in (
            await conn.execute(
                select(r.region, n).where(live).group_by(r.region).order_by(n.desc(), r.region)
            )
        ).mappings()
    ]
    by_type = [
        _row(m)
        for m in (
            await conn.execute(
                select(r.resource_type, r.service, n)
                .where(live)
                .group_by(r.resource_type, r.service)
                .order_by(n.desc(), r.resource_type)
            )
        ).mappings()
    ]
    known_accounts = await conn.scalar(select(func.count()).select_from(accounts))
    return {
        "totals": {
            "resources": sum(a["resources"] for a in by_account),
            "accounts": max(len(by_account), int(known_accounts or 0)),
            "regions": len(by_region),
            "types": len(by_type),
        },
        "by_account": by_account,
        "by_region": by_region,
        "by_type": by_type,
    }


async def _changes(conn: AsyncConnection) -> dict[str, Any]:
    result = await diff(conn)
    entries = [
        {
            "change": e.change,
            "account_id": e.account_id,
            "region": e.region,
            "resource_type": e.resource_type,
            "resource_id": e.resource_id,
            "name": e.name,
            "changed_fields": list(e.changed_fields),
            "arn": e.arn,
        }
        for e in result.entries
    ]
    return {
        "since_run": result.since_run,
        "latest_run": result.latest_run,
        "counts": result.counts(),
        "entries": entries[:MAX_CHANGES],
        "truncated": len(entries) > MAX_CHANGES,
    }


async def _tags(conn: AsyncConnection, required: Sequence[str]) -> dict[str, Any]:
    required = list(dict.fromkeys(required))
    taggable = sorted(t.resource_type for t in REGISTRY.values() if t.tags is not None)
    r = resources.c
    scope = and_(r.deleted_at.is_(None), r.resource_type.in_(taggable))
    total = int(await conn.scalar(select(func.count()).where(scope)) or 0)
    out: dict[str, Any] = {
        "required_tags": required,
        "taggable_resources": total,
        "compliant": total,
        "percent": 100.0,
        "by_tag": [],
        "by_type": [],
        "noncompliant": [],
        "noncompliant_truncated": False,
    }
    if not required:
        return out
    t = resource_tags.c

    def has(key: str) -> Any:
        return exists().where(t.arn == r.arn, t.key == key)

    for key in required:
        missing = int(await conn.scalar(select(func.count()).where(scope, ~has(key))) or 0)
        out["by_tag"].append(
            {"key": key, "missing": missing, "percent": _pct(total - missing, total)}
        )
    carries = (
        select(func.count())
        .select_from(resource_tags)
        .where(t.arn == r.arn, t.key.in_(required))
        .scalar_subquery()
    )
    complete = carries == len(required)
    rows = await conn.execute(
        select(
            r.resource_type,
            func.count().label("resources"),
            func.sum(case((complete, 1), else_=0)).label("compliant"),
        )
        .where(scope)
        .group_by(r.resource_type)
        .order_by(r.resource_type)
    )
    compliant_total = 0
    for rtype, count, compliant in rows:
        compliant = int(compliant or 0)
        compliant_total += compliant
        out["by_type"].append(
            {
                "resource_type": rtype,
                "resources": int(count),
                "compliant": compliant,
                "percent": _pct(compliant, int(count)),
            }
        )
    out["by_type"].sort(key=lambda x: (x["percent"], -x["resources"], x["resource_type"]))
    out["compliant"] = compliant_total
    out["percent"] = _pct(compliant_total, total)
    out["noncompliant"], out["noncompliant_truncated"] = await _noncompliant(
        conn, scope & ~complete, required
    )
    return out


async def _noncompliant(
    conn: AsyncConnection, where: Any, required: Sequence[str]
) -> tuple[list[dict[str, Any]], bool]:
    """The first resources missing a required tag, each with the keys it misses."""
    r, t = resources.c, resource_tags.c
    worst = (
        (
            await conn.execute(
                select(r.arn, r.account_id, r.region, r.resource_type, r.resource_id, r.name)
                .where(where)
                .order_by(r.account_id, r.resource_type, r.resource_id)
                .limit(MAX_NONCOMPLIANT + 1)
            )
        )
        .mappings()
        .all()
    )
    arns = [w["arn"] for w in worst[:MAX_NONCOMPLIANT]]
    present: dict[str, set[str]] = defaultdict(set)
    if arns:
        for arn, key in await conn.execute(
            select(t.arn, t.key).where(t.arn.in_(arns), t.key.in_(required))
        ):
            present[arn].add(key)
    rows = [
        {**_row(w), "missing": [k for k in required if k not in present[w["arn"]]]}
        for w in worst[:MAX_NONCOMPLIANT]
    ]
    return rows, len(worst) > MAX_NONCOMPLIANT


def _duration(started: Any, finished: Any) -> float | None:
    if isinstance(started, datetime) and isinstance(finished, datetime):
        return round((finished - started).total_seconds(), 1)
    return None


async def _health(conn: AsyncConnection) -> dict[str, Any]:
    u = runs.c
    recent = (
        await conn.execute(
            select(
                u.id, u.started_at, u.finished_at, u.status, u.accounts_total, u.scopes_ok,
                u.scopes_error, u.scopes_skipped, u.resources_seen, u.created_count,
                u.modified_count, u.deleted_count,
            ).order_by(u.id.desc()).limit(15)
        )
    ).mappings().all()  # fmt: skip
    run_rows = [
        {**_row(m), "duration_s": _duration(m["started_at"], m["finished_at"])} for m in recent
    ]
    latest = next((m for m in run_rows if m["status"] != "running"), None)
    out: dict[str, Any] = {
        "latest_run": latest,
        "status_counts": {"ok": 0, "skipped": 0, "error": 0},
        "errors": [],
        "errors_truncated": False,
        "by_account": [],
        "runs": run_rows,
    }
    if latest is None:
        return out
    await _latest_run_ledger(conn, latest["id"], out)
    return out


async def _latest_run_ledger(conn: AsyncConnection, run_id: int, out: dict[str, Any]) -> None:
    """The latest run's ledger: counts by status, its errors, and per account."""
    s = scan_results.c
    this_run = s.run_id == run_id
    for status, count in await conn.execute(
        select(s.status, func.count()).where(this_run).group_by(s.status)
    ):
        out["status_counts"][status] = int(count)
    errors = (
        (
            await conn.execute(
                select(s.account_id, s.region, s.resource_type, s.error_code, s.error_message)
                .where(this_run, s.status == "error")
                .order_by(s.account_id, s.region, s.resource_type)
                .limit(MAX_ERRORS + 1)
            )
        )
        .mappings()
        .all()
    )
    out["errors"] = [_row(e) for e in errors[:MAX_ERRORS]]
    out["errors_truncated"] = len(errors) > MAX_ERRORS

    def counted(status: str) -> Any:
        return func.sum(case((s.status == status, 1), else_=0))

    out["by_account"] = [
        {k: (int(v) if k in ("ok", "error", "skipped") else v) for k, v in _row(m).items()}
        for m in (
            await conn.execute(
                select(
                    s.account_id,
                    accounts.c.name,
                    counted("ok").label("ok"),
                    counted("error").label("error"),
                    counted("skipped").label("skipped"),
                )
                .select_from(
                    scan_results.outerjoin(accounts, accounts.c.account_id == s.account_id)
                )
                .where(this_run)
                .group_by(s.account_id, accounts.c.name)
                .order_by(counted("error").desc(), s.account_id)
            )
        ).mappings()
    ]


async def _trend(conn: AsyncConnection, top_types: Sequence[str]) -> dict[str, Any]:
    u = runs.c
    window = (
        (
            await conn.execute(
                select(
                    u.id, u.started_at, u.status, u.created_count, u.modified_count, u.deleted_count
                )
                .where(u.history_pruned_at.is_(None))
                .order_by(u.id.desc())
                .limit(TREND_RUNS)
            )
        )
        .mappings()
        .all()
    )
    window = list(reversed(window))
    if not window:
        return {"runs": [], "types": list(top_types)}
    first = window[0]["id"]
    r = resources.c
    live_now = {
        rtype: int(n)
        for rtype, n in await conn.execute(
            select(r.resource_type, func.count())
            .where(r.deleted_at.is_(None))
            .group_by(r.resource_type)
        )
    }
    c = resource_changes.c
    net: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    changes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for run_id, change, rtype, n in await conn.execute(
        select(c.run_id, c.change, c.resource_type, func.count())
        .where(c.run_id > first - 1)
        .group_by(c.run_id, c.change, c.resource_type)
    ):
        changes[int(run_id)][change] += int(n)
        sign = {"created": 1, "deleted": -1}.get(change, 0)
        net[int(run_id)][rtype] += sign * int(n)
    later_ids = sorted(net)
    out_runs = []
    for run in window:
        after = [i for i in later_ids if i > run["id"]]
        live_total = sum(live_now.values()) - sum(sum(net[i].values()) for i in after)
        per_type = {t: live_now.get(t, 0) - sum(net[i].get(t, 0) for i in after) for t in top_types}
        counts = changes.get(run["id"], {})
        out_runs.append(
            {
                "run_id": run["id"],
                "started_at": _plain(run["started_at"]),
                "status": run["status"],
                "resources": live_total,
                "by_type": per_type,
                "created": int(counts.get("created", 0)),
                "modified": int(counts.get("modified", 0)),
                "deleted": int(counts.get("deleted", 0)),
            }
        )
    return {"runs": out_runs, "types": list(top_types)}


async def build_report(
    db_url: str, *, required_tags: Sequence[str] = (), now: datetime | None = None
) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready data (read-only)."""
    async with read_only(db_url) as conn:
        summary = await _summary(conn)
        top = [t["resource_type"] for t in summary["by_type"][:TREND_TYPES]]
        report = {
            "title": "AWS inventory report",
            "generated_at": _plain(now or datetime.now(UTC)),
            "collector_version": __version__,
            "database": display_location(db_url),
            "summary": summary,
            "changes": await _changes(conn),
            "tags": await _tags(conn, required_tags),
            "health": await _health(conn),
            "trend": await _trend(conn, top),
            "relationships": await relationships(conn),
        }
    return report
