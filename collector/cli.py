"""The `inventory` command."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from collector import config as config_mod
from collector.collect import (
    EXIT_CANNOT_RUN,
    EXIT_LOCKED,
    EXIT_USAGE,
    CannotRun,
    Collector,
    RunSummary,
)
from collector.config import Config, ConfigError
from collector.lock import Locked
from collector.records import ScanResult, Status
from collector.registry import REGISTRY
from collector.store import DatabaseUnavailable

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
    typer.Option("--config", "-c", help="TOML config file (default: current account, enabled regions)."),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (sqlite:///inventory.db, postgresql://...) or a SQLite file path. "
        "Overrides [database] url and $INVENTORY_DB_URL.",
    ),
]


def _fail(code: int, message: str) -> typer.Exit:
    err.print(f"[bold red]inventory:[/] {message}")
    return typer.Exit(code)


def _load_config(path: Path | None) -> Config:
    try:
        return config_mod.load(path)
    except ConfigError as e:
        for problem in e.problems:
            err.print(f"[bold red]config error:[/] {e.source}: {problem}")
        raise typer.Exit(EXIT_USAGE) from None


def _db_url(cfg: Config, db: str | None) -> str:
    if db:
        return db
    if cfg.database.url != config_mod.DEFAULT_DB_URL:
        return cfg.database.url
    return os.environ.get("INVENTORY_DB_URL", cfg.database.url)


def _print_result(result: ScanResult) -> None:
    if result.status is Status.ERROR:
        err.print(
            f"[yellow]error[/] {result.account_id} {result.region} {result.resource_type}: "
            f"{result.error_code}: {result.error_message}"
        )


def _print_summary(summary: RunSummary, quiet: bool) -> None:
    meaning = "all scopes ok" if summary.exit_code == 0 else "some scopes failed (see scan_results)"
    line = (
        f"run {summary.run_id} {summary.status}: {summary.accounts} accounts, "
        f"{summary.scopes_ok} ok / {summary.scopes_error} error / {summary.scopes_skipped} skipped "
        f"scopes, {summary.resources} resources ({summary.created} created, "
        f"{summary.modified} modified, {summary.deleted} deleted); exit {summary.exit_code}: {meaning}"
    )
    if quiet and summary.exit_code == 0:
        return
    (err if summary.exit_code else out).print(line)


@app.command()
def collect(
    config: ConfigOption = None,
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Collect the inventory. Exit 0 all scopes ok, 1 some failed, 2 bad usage/config, 3 cannot run."""
    cfg = _load_config(config)
    url = _db_url(cfg, db)
    try:
        collector = Collector(cfg, url, on_result=_print_result)
        summary = asyncio.run(collector.run())
    except ConfigError as e:
        for problem in e.problems:
            err.print(f"[bold red]config error:[/] {config or 'defaults'}: {problem}")
        raise typer.Exit(EXIT_USAGE) from None
    except (CannotRun, DatabaseUnavailable) as e:
        if debug:
            raise
        raise _fail(EXIT_CANNOT_RUN, str(e)) from None
    except Locked as e:
        raise _fail(EXIT_LOCKED, f"{e}; not starting a second run") from None
    _print_summary(summary, quiet)
    raise typer.Exit(summary.exit_code)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run (read it from a file with @path).")],
    config: ConfigOption = None,
    db: DbOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv or json (an array of objects).")
    ] = "table",
) -> None:
    """Run SQL against the inventory."""
    from collector.query import FORMATS, render, run_sql

    if fmt not in FORMATS:
        raise _fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if sql.startswith("@"):
        try:
            sql = Path(sql[1:]).read_text(encoding="utf-8")
        except OSError as e:
            raise _fail(EXIT_USAGE, f"cannot read {sql[1:]}: {e.strerror}") from None
    url = _db_url(_load_config(config), db)
    from sqlalchemy.exc import DBAPIError

    try:
        columns, rows = asyncio.run(run_sql(url, sql))
    except DatabaseUnavailable as e:
        raise _fail(EXIT_CANNOT_RUN, str(e)) from None
    except DBAPIError as e:
        raise _fail(EXIT_USAGE, f"SQL error: {e.orig}") from None
    out.print(render(columns, rows, fmt), markup=False, soft_wrap=True)


@app.command()
def types(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the supported resource types."""
    from collector.query import render

    rows = [
        (
            t.resource_type,
            t.service,
            t.operation,
            "global" if t.global_ else "regional",
        )
        for t in sorted(REGISTRY.values(), key=lambda t: t.resource_type)
    ]
    columns = ["resource_type", "service", "operation", "scope"]
    if fmt == "json":
        out.print(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=2), markup=False)
    elif fmt == "table":
        out.print(render(columns, rows, "table"), markup=False)
    else:
        raise _fail(EXIT_USAGE, f"--format must be table or json (got {fmt!r})")


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None, db: DbOption = None) -> None:
    """Create or upgrade the schema to the latest version (collect does this by itself)."""
    from collector.store import upgrade

    url = _db_url(_load_config(config), db)
    try:
        asyncio.run(upgrade(url))
    except DatabaseUnavailable as e:
        raise _fail(EXIT_CANNOT_RUN, str(e)) from None
    out.print("database is at the latest schema version")


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
