"""`inventory query` and `inventory diff`: SQL and changes, in table, CSV, JSON or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from collector.cli.common import (
    SCHEMA_HINT,
    ConfigOption,
    DbOption,
    RawOption,
    err,
    fail,
    load_config,
    out,
    reader_url,
    run_db_work,
)
from collector.exitcodes import EXIT_USAGE


def query(
    sql: Annotated[
        str | None, typer.Argument(help="SQL to run (read it from a file with @path).")
    ] = None,
    config: ConfigOption = None,
    db: DbOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="table, csv, json (an array of objects) or markdown."),
    ] = "table",
    saved: Annotated[
        str | None,
        typer.Option("--saved", "-s", help="Run a saved query by name (see --list)."),
    ] = None,
    list_saved: Annotated[
        bool, typer.Option("--list", help="List the saved queries with their descriptions.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Answer against the inventory as it was at RUN_ID, or at the last run started "
            "by DATE (YYYY-MM-DD, ISO 8601 time, or 24h / 7d ago).",
        ),
    ] = None,
    raw: RawOption = False,
) -> None:
    """Run SQL against the inventory: an argument, @file, or --saved NAME."""
    # Long only by its Typer options (the signature); the body is ~40 lines.
    from collector.reporting.formats import FORMATS, render
    from collector.reporting.query import run_query
    from collector.reporting.saved import SavedQueryError, find_saved, queries_dirs
    from collector.reporting.saved import list_saved as saved_queries

    if fmt not in FORMATS:
        raise fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if sum((sql is not None, saved is not None, list_saved)) != 1:
        raise fail(EXIT_USAGE, "give exactly one of: SQL, @FILE, --saved NAME, --list")
    cfg = load_config(config)
    dirs = queries_dirs(cfg.report.queries_dir)
    try:
        if list_saved:
            rows = [(q.name, q.description) for q in saved_queries(dirs).values()]
            out.print(render(["name", "description"], rows, fmt), markup=False, soft_wrap=True)
            return
        if saved is not None:
            sql = find_saved(saved, dirs).sql
    except SavedQueryError as e:
        raise fail(EXIT_USAGE, str(e)) from None
    assert sql is not None
    if sql.startswith("@"):
        try:
            sql = Path(sql[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise fail(EXIT_USAGE, f"cannot read {sql[1:]}: {e.strerror}") from None
    url = reader_url(cfg, db)
    from collector.reporting.helpers import QueryContext

    context = QueryContext(
        required_tags=tuple(cfg.report.required_tags),
        stale_after_days=cfg.report.stale_after_days,
    )
    result = run_db_work(
        run_query(url, sql, as_of=as_of, context=context), sql_hint=SCHEMA_HINT if as_of else ""
    )
    if result.as_of_run is not None:
        err.print(f"as of run {result.as_of_run}", markup=False)
    out.print(render(result.columns, result.rows, fmt, raw=raw), markup=False, soft_wrap=True)


def diff(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="RUN_ID, or DATE (the last run started by then); default: the run before "
            "the latest one.",
        ),
    ] = None,
    config: ConfigOption = None,
    db: DbOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, json or markdown.")
    ] = "table",
    raw: RawOption = False,
) -> None:
    """Resources created, modified (with the fields that changed) and deleted since a run."""
    from collector.history.diff import diff_rows, run_diff
    from collector.reporting.formats import FORMATS, render

    if fmt not in FORMATS:
        raise fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    url = reader_url(load_config(config), db)
    result = run_db_work(run_diff(url, since), sql_hint=SCHEMA_HINT)
    columns, rows = diff_rows(result, as_list=fmt == "json")
    out.print(render(columns, rows, fmt, raw=raw), markup=False, soft_wrap=True)
    if fmt == "table":
        counts = result.counts()
        out.print(
            f"since run {result.since_run or '(none)'}: {counts['created']} created, "
            f"{counts['modified']} modified, {counts['deleted']} deleted",
            markup=False,
        )
