"""Schema migrations: run Alembic programmatically, without an alembic.ini.

The scripts live in the top-level ``migrations/`` directory, installed as the package
``collector.migrations`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml), so that
``inventory db upgrade`` works from a wheel as well as from a checkout.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.store.engine import (
    begin,
    begin_immediate,
    connect,
    make_engine,
    thread_writer_engine,
)

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "HEAD",
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "script_location",
    "upgrade",
]

# Any constant works; it keeps two processes from migrating one PostgreSQL database at once.
_PG_MIGRATION_LOCK = 0x1E7E_0001

# The newest revision (test_lean checks it is Alembic's head). Every run but a database's
# first finds it there already, and `upgrade` then needs no Alembic: importing it (with Mako
# and Pygments) costs ~8 MB of RSS for the whole run. A new SQLite file is created at it
# from the models (`create_at_head`): a new revision changes the models to match, as
# tests/test_migrations.py checks.
HEAD = "0006_resource_links"


def script_location() -> Path:
    """The directory holding ``env.py`` and ``versions/``."""
    try:
        root = importlib.resources.files("collector.migrations")
    except ModuleNotFoundError:
        # A checkout that was never installed: the scripts sit next to the package.
        root = Path(__file__).resolve().parents[2] / "migrations"
    path = Path(str(root))
    if not (path / "env.py").is_file():
        raise RuntimeError(
            f"Alembic scripts not found at {path}; reinstall the package (pip install -e .)"
        )
    return path


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` built in code; ``connection`` is handed to env.py."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(target: str | AsyncEngine, revision: str = "head") -> None:
    """``alembic upgrade <revision>`` on a URL or an engine, in one transaction.

    Raises :class:`~collector.store.errors.DatabaseUnavailable` if the database cannot be
    reached.
    """
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        async with begin(engine, immediate=True) as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            if revision == "head" and await conn.run_sync(_stamped) == HEAD:
                return
            file_engine = thread_writer_engine(engine)
            if file_engine is None:
                await conn.run_sync(_upgrade, revision)
                return
        # A SQLite file: migrated on a thread, with a plain connection of its own, after this
        # one let go of the write lock. Alembic's ~0.2 s of Python (importing it, loading the
        # scripts) would otherwise hold the event loop while the run is asking AWS for its
        # accounts and assuming their roles, and hold back every answer meanwhile.
        try:
            await asyncio.to_thread(_upgrade_file, file_engine, revision)
        finally:
            file_engine.dispose()
    finally:
        if engine is not target:
            await engine.dispose()


def _upgrade_file(engine: Engine, revision: str) -> None:
    with begin_immediate(engine) as conn:
        if revision == "head":
            stamped = _stamped(conn)
            if stamped == HEAD:  # another process was first
                return
            if stamped is None and _empty(conn):
                create_at_head(conn)
                return
        _upgrade(conn, revision)


def _empty(connection: Connection) -> bool:
    return not connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()


def create_at_head(connection: Connection) -> None:
    """On an empty SQLite database: what the migrations would leave, stamped at :data:`HEAD`,
    without running them (``migrations/fresh.py``, next to the revisions it must agree with).
    Importing Alembic and running six revisions (~0.2 s of CPU) was most of a first run's
    set-up."""
    path = script_location() / "fresh.py"
    spec = importlib.util.spec_from_file_location("collector_migrations_fresh", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{path} is missing; reinstall the package (pip install -e .)")
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    fresh.create_at_head(connection, HEAD)


def _stamped(connection: Connection) -> str | None:
    """The revision in Alembic's version table (in the default schema, as env.py has it);
    None when there is none or more than one."""
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


async def downgrade(target: str | AsyncEngine, revision: str) -> None:
    """``alembic downgrade <revision>`` (``base`` drops every table); for development."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        async with begin(engine, immediate=True) as conn:
            await conn.run_sync(_downgrade, revision)
    finally:
        if engine is not target:
            await engine.dispose()


def _downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    current: str | None = MigrationContext.configure(connection).get_current_revision()
    return current


async def current_revision(target: str | AsyncEngine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        conn = await connect(engine)
        try:
            return await conn.run_sync(_current)
        finally:
            await conn.close()
    finally:
        if engine is not target:
            await engine.dispose()
