"""Database maintenance: `inventory prune`, `inventory db upgrade` and `db create-reader`."""

from __future__ import annotations

from typing import Annotated

import typer

from collector.cli.common import (
    SCHEMA_HINT,
    ConfigOption,
    DbOption,
    db_url,
    err,
    fail,
    load_config,
    out,
    run_db_work,
)
from collector.exitcodes import EXIT_LOCKED, EXIT_USAGE


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
    from collector.history.prune import format_prune, run_prune
    from collector.store.lock import Locked

    if (keep_runs is None) == (older_than is None):
        raise fail(EXIT_USAGE, "give one of --keep-runs N or --older-than DAYS")
    url = db_url(load_config(config), db)
    try:
        stats = run_db_work(
            run_prune(url, keep_runs=keep_runs, older_than_days=older_than, dry_run=dry_run),
            sql_hint=SCHEMA_HINT,
        )
    except Locked as e:
        raise fail(EXIT_LOCKED, f"{e}; not pruning while a run is going") from None
    out.print(format_prune(stats), markup=False)


def db_upgrade(config: ConfigOption = None, db: DbOption = None) -> None:
    """Create or upgrade the schema to the latest version (collect does this by itself)."""
    from collector.store import upgrade

    url = db_url(load_config(config), db)
    run_db_work(upgrade(url))
    out.print("database is at the latest schema version")


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

    cfg = load_config(config)
    try:
        statements = run_db_work(
            create_reader(
                db_url(cfg, db), role, login=not nologin, dry_run=print_only,
                statement_timeout_s=cfg.database.reader_statement_timeout_s,
            )
        )  # fmt: skip
    except ValueError as e:
        raise fail(EXIT_USAGE, str(e)) from None
    if print_only:
        out.print(";\n".join(statements) + ";", markup=False)
    else:
        err.print(f"role {role!r} can now read the inventory (and nothing else)", markup=False)
