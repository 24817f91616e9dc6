"""Rendering of `inventory report`'s data (:func:`collector.reporting.report.build_report`).

``json`` is that dictionary; ``csv`` one tidy table (a ``section`` column and the fields that
apply); ``md`` and ``html`` come from the Jinja2 templates shipped in ``collector/templates``.
The HTML is one self-contained file: its stylesheet is inlined and its charts are SVG drawn
here, server-side, so it opens from a mail attachment or an artifact store with no network.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources as package_files
from typing import Any

import jinja2

from collector.reporting import charts
from collector.safe_text import csv_cell, md_text

__all__ = ["FORMATS", "render_report"]

FORMATS = ("html", "md", "csv", "json")


def _env(autoescape: bool) -> jinja2.Environment:
    root = package_files.files("collector") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        autoescape=autoescape,
        # Markdown has no autoescape: every value printed into it goes through md_text.
        finalize=None if autoescape else _md_cell,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["mdcell"] = _md_cell
    env.filters["num"] = lambda v: f"{v:,}" if isinstance(v, int) else ("" if v is None else v)
    env.filters["when"] = _when
    return env


class _Escaped(str):
    """Text md_text already made safe (the ``mdcell`` filter), not escaped twice."""


def _md_cell(value: Any) -> str:
    if isinstance(value, _Escaped):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return _Escaped(md_text(value))


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


def _csv(report: dict[str, Any], raw: bool = False) -> str:
    fields = [
        "section", "account_id", "region", "resource_type", "name", "change", "key", "value",
        "percent", "detail", "arn",
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, lineterminator="\n")
    writer.writeheader()

    def put(section: str, **values: Any) -> None:
        writer.writerow(
            {
                "section": section,
                **{k: "" if v is None else csv_cell(v, raw=raw) for k, v in values.items()},
            }
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
    rel = report.get("relationships", {})
    for c in rel.get("most_connected", []):
        put(
            "most_connected", account_id=c["account_id"], region=c["region"],
            resource_type=c["resource_type"], name=c["name"], value=c["edges"],
            detail=f"{c['outgoing']} out, {c['incoming']} in", arn=c["arn"],
        )  # fmt: skip
    for d in rel.get("dangling", []):
        put(
            "dangling_reference", account_id=d["account_id"], region=d["region"],
            resource_type=d["resource_type"], key=d["kind"], change=d["reason"],
            detail=d["target_arn"], arn=d["source_arn"],
        )  # fmt: skip
    for r in report["trend"]["runs"]:
        put(
            "trend", key=f"run {r['run_id']}", value=r["resources"], detail=r["started_at"],
            change=f"+{r['created']} ~{r['modified']} -{r['deleted']}",
        )  # fmt: skip
    return buffer.getvalue()


def render_report(report: dict[str, Any], fmt: str, *, raw: bool = False) -> str:
    """``raw``: CSV cells as they are (no formula neutralizing)."""
    if fmt == "json":
        return json.dumps(report, indent=2, default=str) + "\n"
    if fmt == "csv":
        return _csv(report, raw)
    if fmt == "md":
        return _env(autoescape=False).get_template("report.md.j2").render(r=report)
    if fmt == "html":
        css = (package_files.files("collector") / "templates" / "report.css").read_text("utf-8")
        template = _env(autoescape=True).get_template("report.html.j2")
        return template.render(r=report, charts=_charts(report), css=css)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
