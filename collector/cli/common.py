"""What every command shares: the consoles, the --config/--db options, loading the config,
choosing the database URL, and turning errors into one line and an exit code.

Untrusted text (AWS messages, names, config values) is printed with ``markup=False``: only the
fixed prefixes here are Rich markup.
"""

from __future__ import annotations

import asyncio
import logging
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
from collector.safe_text import escape_controls

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


RawOption = Annotated[
    bool,
    typer.Option("--raw", help="CSV: write cells as they are (no neutralizing of =, +, -, @)."),
]


def fail(code: int, message: str) -> typer.Exit:
    err.print(Text.assemble(("inventory:", "bold red"), " ", escape_controls(message)))
    return typer.Exit(code)


def config_failed(source: object, error: ConfigError) -> typer.Exit:
    """Print every problem of a config, one line each; the exit for bad config."""
    for problem in error.problems:
        line = escape_controls(f"{source}: {problem}")
        err.print(Text.assemble(("config error:", "bold red"), " ", line))
    return typer.Exit(EXIT_USAGE)


def load_config(path: Path | None) -> Config:
    try:
        return config_mod.load(path)
    except ConfigError as e:
        raise config_failed(e.source, e) from None


def db_url(cfg: Config, db: str | None) -> str:
    """The database URL (``--db``, the config, ``$INVENTORY_DB_URL``, the default), checked:
    a URL the store cannot use is exit 2 here, not a traceback later."""
    from collector.store.engine import normalize_url

    if db:
        url = db
    elif cfg.database.url != config_mod.DEFAULT_DB_URL:
        url = cfg.database.url
    else:
        url = os.environ.get("INVENTORY_DB_URL", cfg.database.url)
    try:
        normalize_url(url)
    except ValueError as e:
        raise fail(EXIT_USAGE, str(e)) from None
    return url


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
        if "not authorized" in str(e.orig):  # the SQLite reader's authorizer said no
            sql_hint = " (the inventory is opened read-only: readers may only read)"
        raise fail(EXIT_USAGE, f"SQL error: {e.orig}{sql_hint}") from None


class _OneLine(logging.Formatter):
    """Log records as one line: the exception's type and message, not its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{record.levelname.lower()}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {error})"
        return text.replace("\n", " ")


def setup_logging(debug: bool) -> None:
    """Warnings from the collector and the SDK on stderr, one line each (tracebacks only
    with ``--debug``). The SDK's credential refresh warnings are left out: a failed AssumeRole
    is already an error line and a ledger row of its own."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter() if debug else _OneLine())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    if debug:
        logging.getLogger("collector").setLevel(logging.DEBUG)
    else:
        for name in ("botocore.credentials", "aiobotocore.credentials"):
            logging.getLogger(name).setLevel(logging.ERROR)


def reader_url(cfg: Config, db: str | None) -> str:
    """The database URL of a reader command, with the reader statement timeout set."""
    from collector.store.readers import set_statement_timeout

    set_statement_timeout(cfg.database.reader_statement_timeout_s)
    return db_url(cfg, db)
