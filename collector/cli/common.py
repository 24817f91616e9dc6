"""What every command shares: the consoles, the --config/--db options, loading the config,
choosing the database URL, and turning errors into one line and an exit code.

Untrusted text (AWS messages, names, config values) is printed with ``markup=False``: only the
fixed prefixes here are Rich markup.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from collector import config as config_mod
from collector.config import Config, ConfigError
from collector.exitcodes import EXIT_CANNOT_RUN, EXIT_USAGE

T = TypeVar("T")
SCHEMA_HINT = " (is the schema current? `inventory db upgrade`)"


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


def fail(code: int, message: str) -> typer.Exit:
    err.print(Text.assemble(("inventory:", "bold red"), " ", message))
    return typer.Exit(code)


def config_failed(source: object, error: ConfigError) -> typer.Exit:
    """Print every problem of a config, one line each; the exit for bad config."""
    for problem in error.problems:
        err.print(Text.assemble(("config error:", "bold red"), f" {source}: {problem}"))
    return typer.Exit(EXIT_USAGE)


def load_config(path: Path | None) -> Config:
    try:
        return config_mod.load(path)
    except ConfigError as e:
        raise config_failed(e.source, e) from None


def db_url(cfg: Config, db: str | None) -> str:
    if db:
        return db
    if cfg.database.url != config_mod.DEFAULT_DB_URL:
        return cfg.database.url
    return os.environ.get("INVENTORY_DB_URL", cfg.database.url)


def run_db_work(work: Coroutine[Any, Any, T], *, sql_hint: str = "") -> T:
    """Run a command's database work, turning the errors users cause into one line and an
    exit code: unreachable or missing database 3, bad SQL or history point 2."""
    from sqlalchemy.exc import DBAPIError

    from collector.history.asof import HistoryError
    from collector.store import DatabaseUnavailable

    try:
        return asyncio.run(work)
    except DatabaseUnavailable as e:
        raise fail(EXIT_CANNOT_RUN, str(e)) from None
    except HistoryError as e:
        raise fail(EXIT_USAGE, str(e)) from None
    except DBAPIError as e:
        raise fail(EXIT_USAGE, f"SQL error: {e.orig}{sql_hint}") from None
