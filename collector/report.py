"""`inventory report`: what is there, what changed, tag compliance, collection health, trend.

The data is gathered with SQL into one plain dictionary (:func:`build_report`), then rendered:
``json`` (that dictionary), ``csv`` (one tidy table: a ``section`` column and the fields that
apply), ``md`` and ``html`` (Jinja2 templates shipped in ``collector/templates``; the HTML is
one self-contained file whose charts are inline SVG drawn here, server-side).

The trend of live resources over runs is computed backwards from the present with the change
rows of the later runs (live at run N = live now - created after N + deleted after N), so it is
exact for every run whose history was not pruned.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources as package_files
from typing import Any

import jinja2
from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from collector import __version__, charts
from collector.history import diff
from collector.registry import REGISTRY
from collector.store.engine import read_only, safe_url
from collector.store.models import (
    accounts,
    resource_changes,
    resource_tags,
    resources,
    runs,
    scan_results,
)

__all__ = ["FORMATS", "build_report", "render_report"]

FORMATS = ("html", "md", "csv", "json")
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
    worst = (
        (
            await conn.execute(
                select(r.arn, r.account_id, r.region, r.resource_type, r.resource_id, r.name)
                .where(scope, ~complete)
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
    out["noncompliant"] = [
        {**_row(w), "missing": [k for k in required if k not in present[w["arn"]]]}
        for w in worst[:MAX_NONCOMPLIANT]
    ]
    out["noncompliant_truncated"] = len(worst) > MAX_NONCOMPLIANT
    return out


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
    s = scan_results.c
    this_run = s.run_id == latest["id"]
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
    return out


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
            "database": safe_url(db_url),
            "summary": summary,
            "changes": await _changes(conn),
            "tags": await _tags(conn, required_tags),
            "health": await _health(conn),
            "trend": await _trend(conn, top),
        }
    return report


# -- rendering -----------------------------------------------------------------------------


def _env(autoescape: bool) -> jinja2.Environment:
    root = package_files.files("collector") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["mdcell"] = _md_cell
    env.filters["num"] = lambda v: f"{v:,}" if isinstance(v, int) else ("" if v is None else v)
    env.filters["when"] = _when
    return env


def _md_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _when(value: Any) -> str:
    if not value:
        return ""
    return str(value).replace("T", " ").split(".")[0].removesuffix("Z") + (
        " UTC" if "T" in str(value) else ""
    )


def _charts(report: dict[str, Any]) -> dict[str, Any]:
    summary, tags, health, trend = (
        report["summary"],
        report["tags"],
        report["health"],
        report["trend"],
    )
    run_labels = [f"#{r['run_id']}" for r in trend["runs"]]
    total = {"all resources": [r["resources"] for r in trend["runs"]]}
    per_type = {t: [r["by_type"][t] for r in trend["runs"]] for t in trend["types"]}
    return {
        "by_type": charts.hbar(
            [
                (t["resource_type"].removeprefix("AWS::"), t["resources"])
                for t in summary["by_type"][:15]
            ],
            "Live resources by type (top 15)",
        ),
        "by_account": charts.hbar(
            [
                (f"{a['account_id']} {a['name'] or ''}".strip(), a["resources"])
                for a in summary["by_account"][:15]
            ],
            "Live resources by account",
            color=charts.PALETTE[4],
        ),
        "by_region": charts.hbar(
            [(r["region"], r["resources"]) for r in summary["by_region"][:15]],
            "Live resources by region",
            color=charts.PALETTE[5],
        ),
        "changes": charts.stacked_bar(
            report["changes"]["counts"], "Changes since the previous run"
        ),
        "compliance": charts.donut(tags["percent"], "Tag compliance", label="compliant"),
        "by_tag": charts.hbar(
            [(t["key"], t["percent"]) for t in tags["by_tag"]],
            "Resources carrying each required tag (%)",
            color=charts.PALETTE[1],
            maximum=100,
            unit="%",
        ),
        "health": charts.stacked_bar(health["status_counts"], "Ledger of the latest run"),
        "trend": charts.lines(run_labels, total, "Live resources over runs", height=200),
        "trend_types": charts.lines(run_labels, per_type, "The largest types over runs"),
        "trend_changes": charts.columns(
            run_labels,
            {k: [r[k] for r in trend["runs"]] for k in ("created", "modified", "deleted")},
            "Changes per run",
        ),
    }


def _csv(report: dict[str, Any]) -> str:
    fields = [
        "section", "account_id", "region", "resource_type", "name", "change", "key", "value",
        "percent", "detail", "arn",
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, lineterminator="\n")
    writer.writeheader()

    def put(section: str, **values: Any) -> None:
        writer.writerow(
            {"section": section, **{k: "" if v is None else v for k, v in values.items()}}
        )

    s = report["summary"]
    for key, value in s["totals"].items():
        put("total", key=key, value=value)
    for a in s["by_account"]:
        put("by_account", account_id=a["account_id"], name=a["name"], value=a["resources"])
    for r in s["by_region"]:
        put("by_region", region=r["region"], value=r["resources"])
    for t in s["by_type"]:
        put("by_type", resource_type=t["resource_type"], value=t["resources"])
    ch = report["changes"]
    for change, n in ch["counts"].items():
        put("change_count", change=change, value=n, detail=f"since run {ch['since_run']}")
    for e in ch["entries"]:
        put(
            "change", account_id=e["account_id"], region=e["region"],
            resource_type=e["resource_type"], name=e["name"], change=e["change"],
            key=e["resource_id"], detail=" ".join(e["changed_fields"]), arn=e["arn"],
        )  # fmt: skip
    tg = report["tags"]
    put("tag_compliance", key="all required tags", value=tg["compliant"], percent=tg["percent"])
    for t in tg["by_tag"]:
        put("tag_missing", key=t["key"], value=t["missing"], percent=t["percent"])
    for t in tg["by_type"]:
        put(
            "tag_compliance_by_type", resource_type=t["resource_type"], value=t["compliant"],
            percent=t["percent"], detail=f"of {t['resources']}",
        )  # fmt: skip
    for n in tg["noncompliant"]:
        put(
            "tag_noncompliant", account_id=n["account_id"], region=n["region"],
            resource_type=n["resource_type"], name=n["name"], key=n["resource_id"],
            detail=" ".join(n["missing"]), arn=n["arn"],
        )  # fmt: skip
    h = report["health"]
    for status, n in h["status_counts"].items():
        put("ledger", key=status, value=n, detail=f"run {(h['latest_run'] or {}).get('id', '')}")
    for e in h["errors"]:
        put(
            "scan_error", account_id=e["account_id"], region=e["region"],
            resource_type=e["resource_type"], key=e["error_code"], detail=e["error_message"],
        )  # fmt: skip
    for r in report["trend"]["runs"]:
        put(
            "trend", key=f"run {r['run_id']}", value=r["resources"], detail=r["started_at"],
            change=f"+{r['created']} ~{r['modified']} -{r['deleted']}",
        )  # fmt: skip
    return buffer.getvalue()


def render_report(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, default=str) + "\n"
    if fmt == "csv":
        return _csv(report)
    if fmt == "md":
        return _env(autoescape=False).get_template("report.md.j2").render(r=report)
    if fmt == "html":
        css = (package_files.files("collector") / "templates" / "report.css").read_text("utf-8")
        template = _env(autoescape=True).get_template("report.html.j2")
        return template.render(r=report, charts=_charts(report), css=css)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
