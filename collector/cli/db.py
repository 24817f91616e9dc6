"""Database maintenance: `inventory prune` and `inventory db upgrade`."""

from __future__ import annotations

from typing import Annotated

import typer

from collector.cli.common import (
    SCHEMA_HINT,
    ConfigOption,
    DbOption,
    db_url,
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
