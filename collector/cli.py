"""The `inventory` command."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from collector import config as config_mod
from collector.config import Config, ConfigError
from collector.exitcodes import EXIT_CANNOT_RUN, EXIT_LOCKED, EXIT_USAGE
from collector.progress import Reporter

# The collector, the SDK and SQLAlchemy (~0.7 s of imports) are imported by the commands that
# use them: `collect --processes` starts its forkserver before that, and `--help` stays quick.
if TYPE_CHECKING:
    from collector.collect import RunSummary

T = TypeVar("T")
SCHEMA_HINT = " (is the schema current? `inventory db upgrade`)"

app = typer.Typer(
    name="inventory",
    help="Collect an AWS inventory (accounts x regions x resource types) into SQL, then query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="TOML config file (default: current account, enabled regions)."
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (sqlite:///inventory.db, postgresql://...) or a SQLite file path. "
        "Overrides the config's database url and $INVENTORY_DB_URL.",
    ),
]


def _plain(message: str) -> str:
    """Untrusted text for a Rich markup line: no markup, no control characters."""
    from rich.markup import escape

    from collector.safe_text import escape_controls

    return escape(escape_controls(message))


def _fail(code: int, message: str) -> typer.Exit:
    err.print(f"[bold red]inventory:[/] {_plain(message)}")
    return typer.Exit(code)


def _load_config(path: Path | None) -> Config:
    try:
        return config_mod.load(path)
    except ConfigError as e:
        for problem in e.problems:
            err.print(f"[bold red]config error:[/] {_plain(f'{e.source}: {problem}')}")
        raise typer.Exit(EXIT_USAGE) from None


RawOption = Annotated[
    bool,
    typer.Option("--raw", help="CSV: write cells as they are (no neutralizing of =, +, -, @)."),
]


def _reader_url(cfg: Config, db: str | None) -> str:
    """The database URL of a reader command, with the reader statement timeout set."""
    from collector.store.readers import set_statement_timeout

    set_statement_timeout(cfg.database.reader_statement_timeout_s)
    return _db_url(cfg, db)


def _db_url(cfg: Config, db: str | None) -> str:
    if db:
        return db
    if cfg.database.url != config_mod.DEFAULT_DB_URL:
        return cfg.database.url
    return os.environ.get("INVENTORY_DB_URL", cfg.database.url)


def _run_db_work(work: Coroutine[Any, Any, T], *, sql_hint: str = "") -> T:
    """Run a command's database work, turning the errors users cause into one line and an
    exit code: unreachable or missing database 3, bad SQL or history point 2."""
    from sqlalchemy.exc import DBAPIError

    from collector.history import HistoryError
    from collector.store import DatabaseUnavailable

    try:
        return asyncio.run(work)
    except DatabaseUnavailable as e:
        raise _fail(EXIT_CANNOT_RUN, str(e)) from None
    except HistoryError as e:
        raise _fail(EXIT_USAGE, str(e)) from None
    except DBAPIError as e:
        if "not authorized" in str(e.orig):  # the SQLite reader's authorizer said no
            sql_hint = " (the inventory is opened read-only: readers may only read)"
        raise _fail(EXIT_USAGE, f"SQL error: {e.orig}{sql_hint}") from None


def _print_summary(summary: RunSummary, reporter: Reporter) -> None:
    meaning = "all scopes ok" if summary.exit_code == 0 else "some scopes failed (see scan_results)"
    if reporter.log_format == "json":
        reporter.json_line(
            "run_finished",
            run_id=summary.run_id,
            status=summary.status,
            accounts=summary.accounts,
            scopes_ok=summary.scopes_ok,
            scopes_error=summary.scopes_error,
            scopes_skipped=summary.scopes_skipped,
            resources=summary.resources,
            created=summary.created,
            modified=summary.modified,
            deleted=summary.deleted,
            throttled=reporter.throttled,
            exit_code=summary.exit_code,
            meaning=meaning,
        )
        return
    line = (
        f"run {summary.run_id} {summary.status}: {summary.accounts} accounts, "
        f"{summary.scopes_ok} ok / {summary.scopes_error} error / {summary.scopes_skipped} skipped "
        f"scopes, {summary.resources} resources ({summary.created} created, "
        f"{summary.modified} modified, {summary.deleted} deleted), "
        f"{reporter.throttled} throttled; exit {summary.exit_code}: {meaning}"
    )
    if reporter.quiet and summary.exit_code == 0:
        return
    (err if summary.exit_code else out).print(line, markup=False)


@app.command()
def collect(
    config: ConfigOption = None,
    db: DbOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors (for cron).")
    ] = False,
    log_format: Annotated[
        str, typer.Option("--log-format", help="text or json (one JSON object per line).")
    ] = "text",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            max=256,
            help="Collect with N local worker processes (one core each), one run.",
        ),
    ] = 1,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="I/N",
            help="Collect only shard I (0-based) of N: its own run and lock (cron, K8s, Batch).",
        ),
    ] = None,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue",
            help="Work as one of any number of queue workers (PostgreSQL): lease accounts.",
        ),
    ] = False,
    queue_name: Annotated[
        str, typer.Option("--queue-name", help="Which queue to join (--queue).")
    ] = "default",
    lease_seconds: Annotated[
        float,
        typer.Option("--lease-seconds", min=2, max=3600, help="Account lease (--queue)."),
    ] = 60.0,
    queue_window: Annotated[
        float,
        typer.Option(
            "--queue-window",
            min=0,
            help="Seconds: start no new queue run if one started this recently (--queue).",
        ),
    ] = 0.0,
) -> None:
    """Collect the inventory.

    Exit 0 all scopes ok, 1 some failed, 2 bad usage/config, 3 cannot run, 75 locked.
    """
    from collector.shard import Shard

    if log_format not in ("text", "json"):
        raise _fail(EXIT_USAGE, f"--log-format must be text or json (got {log_format!r})")
    try:
        shard_spec = Shard.parse(shard) if shard is not None else None
    except ValueError as e:
        raise _fail(EXIT_USAGE, str(e)) from None
    if queue and (shard_spec is not None or processes > 1):
        raise _fail(
            EXIT_USAGE,
            "--queue does not mix with --shard or --processes: start more queue workers instead",
        )
    if processes > 1:
        from collector import forkserver

        forkserver.prestart()
    from collector.collect import CannotRun, Collector, UsageError
    from collector.gcsettings import tune_for_collection
    from collector.lock import Locked
    from collector.store import DatabaseUnavailable

    cfg = _load_config(config)
    url = _db_url(cfg, db)
    reporter = Reporter(quiet=quiet, log_format=log_format)
    try:
        if queue:
            from collector.queue import QueueWorker

            worker = QueueWorker(
                cfg,
                url,
                reporter=reporter,
                name=queue_name,
                lease_seconds=lease_seconds,
                window_seconds=queue_window,
            )
            running = worker.run()
        else:
            collector = Collector(
                cfg, url, reporter=reporter, processes=processes, shard=shard_spec
            )
            running = collector.run()
        tune_for_collection()
        reporter.start()
        try:
            summary = asyncio.run(running)
        finally:
            reporter.stop()
    except UsageError as e:
        raise _fail(EXIT_USAGE, str(e)) from None
    except ConfigError as e:
        for problem in e.problems:
            where = config or "defaults"
            err.print(f"[bold red]config error:[/] {_plain(f'{where}: {problem}')}")
        raise typer.Exit(EXIT_USAGE) from None
    except (CannotRun, DatabaseUnavailable) as e:
        if debug:
            raise
        raise _fail(EXIT_CANNOT_RUN, str(e)) from None
    except Locked as e:
        raise _fail(EXIT_LOCKED, f"{e}; not starting a second run") from None
    _print_summary(summary, reporter)
    raise typer.Exit(summary.exit_code)


@app.command()
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
    from collector.queries import SavedQueryError, find_saved, queries_dirs, run_query
    from collector.queries import list_saved as saved_queries
    from collector.query import FORMATS, render

    if fmt not in FORMATS:
        raise _fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if sum((sql is not None, saved is not None, list_saved)) != 1:
        raise _fail(EXIT_USAGE, "give exactly one of: SQL, @FILE, --saved NAME, --list")
    cfg = _load_config(config)
    dirs = queries_dirs(cfg.report.queries_dir)
    try:
        if list_saved:
            rows = [(q.name, q.description) for q in saved_queries(dirs).values()]
            out.print(render(["name", "description"], rows, fmt), markup=False, soft_wrap=True)
            return
        if saved is not None:
            sql = find_saved(saved, dirs).sql
    except SavedQueryError as e:
        raise _fail(EXIT_USAGE, str(e)) from None
    assert sql is not None
    if sql.startswith("@"):
        try:
            sql = Path(sql[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise _fail(EXIT_USAGE, f"cannot read {sql[1:]}: {e.strerror}") from None
    url = _reader_url(cfg, db)
    from collector.views import QueryContext

    context = QueryContext(
        required_tags=tuple(cfg.report.required_tags),
        stale_after_days=cfg.report.stale_after_days,
    )
    result = _run_db_work(
        run_query(url, sql, as_of=as_of, context=context), sql_hint=SCHEMA_HINT if as_of else ""
    )
    if result.as_of_run is not None:
        err.print(f"as of run {result.as_of_run}", markup=False)
    out.print(render(result.columns, result.rows, fmt, raw=raw), markup=False, soft_wrap=True)


@app.command()
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
    from collector.history import diff_rows, run_diff
    from collector.query import FORMATS, render

    if fmt not in FORMATS:
        raise _fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    url = _reader_url(_load_config(config), db)
    result = _run_db_work(run_diff(url, since), sql_hint=SCHEMA_HINT)
    columns, rows = diff_rows(result, as_list=fmt == "json")
    out.print(render(columns, rows, fmt, raw=raw), markup=False, soft_wrap=True)
    if fmt == "table":
        counts = result.counts()
        out.print(
            f"since run {result.since_run or '(none)'}: {counts['created']} created, "
            f"{counts['modified']} modified, {counts['deleted']} deleted",
            markup=False,
        )


@app.command()
def prune(
    keep_runs: Annotated[
        int | None,
        typer.Option("--keep-runs", help="Keep the history of the N most recent runs.", min=1),
    ] = None,
    older_than: Annotated[
        float | None,
        typer.Option("--older-than", help="Drop the history of runs started over DAYS ago.", min=0),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would go, change nothing.")
    ] = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Trim old history (ledger, change rows, superseded versions), never the inventory.

    Exits 75 while a collect runs.
    """
    from collector.lock import Locked
    from collector.prune import format_prune, run_prune

    if (keep_runs is None) == (older_than is None):
        raise _fail(EXIT_USAGE, "give one of --keep-runs N or --older-than DAYS")
    url = _db_url(_load_config(config), db)
    try:
        stats = _run_db_work(
            run_prune(url, keep_runs=keep_runs, older_than_days=older_than, dry_run=dry_run),
            sql_hint=SCHEMA_HINT,
        )
    except Locked as e:
        raise _fail(EXIT_LOCKED, f"{e}; not pruning while a run is going") from None
    out.print(format_prune(stats), markup=False)


@app.command()
def report(
    fmt: Annotated[str, typer.Option("--format", "-f", help="html, md, csv or json.")] = "html",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    config: ConfigOption = None,
    db: DbOption = None,
    raw: RawOption = False,
) -> None:
    """Summary, changes since the previous run, tag compliance, collection health and trend."""
    from collector.report import build_report
    from collector.report_render import FORMATS, render_report

    if fmt not in FORMATS:
        raise _fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    cfg = _load_config(config)
    url = _reader_url(cfg, db)
    data = _run_db_work(
        build_report(url, required_tags=cfg.report.required_tags), sql_hint=SCHEMA_HINT
    )
    text = render_report(data, fmt, raw=raw)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise _fail(EXIT_USAGE, f"cannot write {output}: {e.strerror}") from None
    err.print(f"wrote {output} ({fmt}, {len(text.encode()):,} bytes)", markup=False)


@app.command()
def types(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    generic: Annotated[
        bool,
        typer.Option(
            "--generic", help="Also list the generic fallback types ([resources] generic = true)."
        ),
    ] = False,
) -> None:
    """List the supported resource types."""
    from collector.query import render
    from collector.registry import REGISTRY, all_generic_types

    listed = sorted(REGISTRY.values(), key=lambda t: t.resource_type)
    if generic:
        listed += sorted(all_generic_types().values(), key=lambda t: t.resource_type)
    rows = [
        (
            t.resource_type,
            t.service,
            t.operation,
            "global" if t.global_ else "regional",
            t.parent or "",
        )
        for t in listed
    ]
    columns = ["resource_type", "service", "operation", "scope", "parent"]
    if fmt == "json":
        out.print(
            json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=2), markup=False
        )
    elif fmt == "table":
        out.print(render(columns, rows, "table"), markup=False)
    else:
        raise _fail(EXIT_USAGE, f"--format must be table or json (got {fmt!r})")


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None, db: DbOption = None) -> None:
    """Create or upgrade the schema to the latest version (collect does this by itself)."""
    from collector.store import upgrade

    url = _db_url(_load_config(config), db)
    _run_db_work(upgrade(url))
    out.print("database is at the latest schema version")


@db_app.command("create-reader")
def db_create_reader(
    role: Annotated[str, typer.Argument(help="Name of the PostgreSQL role to create.")],
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the SQL instead of running it.")
    ] = False,
    nologin: Annotated[
        bool, typer.Option("--nologin", help="A group role to grant to people (no LOGIN).")
    ] = False,
    config: ConfigOption = None,
    db: DbOption = None,
) -> None:
    """Create a PostgreSQL role that can read the inventory and nothing else (run as its owner
    or a superuser); `query`, `diff` and `report` refuse privileged roles."""
    from collector.store.reader_role import create_reader

    cfg = _load_config(config)
    try:
        statements = _run_db_work(
            create_reader(
                _db_url(cfg, db), role, login=not nologin, dry_run=print_only,
                statement_timeout_s=cfg.database.reader_statement_timeout_s,
            )
        )  # fmt: skip
    except ValueError as e:
        raise _fail(EXIT_USAGE, str(e)) from None
    if print_only:
        out.print(";\n".join(statements) + ";", markup=False)
    else:
        err.print(f"role {role!r} can now read the inventory (and nothing else)", markup=False)


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="SQLite file to write.")] = Path("demo.db"),
    members: Annotated[int, typer.Option(help="Member accounts to create.", min=1, max=20)] = 3,
) -> None:
    """Start a local moto server, seed an organization, collect it into SQLite, show answers."""
    try:
        from collector.demo.run import run_demo
    except ImportError as e:
        raise _fail(
            EXIT_CANNOT_RUN, f"the demo needs moto: pip install -e '.[demo]' ({e})"
        ) from None
    code = run_demo(db, members=members, console=out)
    raise typer.Exit(code)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("inventory: interrupted")
        sys.exit(130)
