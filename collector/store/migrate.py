"""Schema migrations: run Alembic programmatically, without an alembic.ini.

The scripts live in the top-level ``migrations/`` directory, installed as the package
``collector.migrations`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml), so that
``inventory db upgrade`` works from a wheel as well as from a checkout.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.store.engine import begin, connect, make_engine

__all__ = [
    "alembic_config",
    "current_revision",
    "downgrade",
    "head_revision",
    "script_location",
    "upgrade",
]

# Any constant works; it keeps two processes from migrating one PostgreSQL database at once.
_PG_MIGRATION_LOCK = 0x1E7E_0001


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
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
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
            await conn.run_sync(_upgrade, revision)
    finally:
        if engine is not target:
            await engine.dispose()


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


async def downgrade(target: str | AsyncEngine, revision: str) -> None:
    """``alembic downgrade <revision>`` (``base`` drops every table); for development."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        async with begin(engine, immediate=True) as conn:
            await conn.run_sync(
                lambda sync_conn: command.downgrade(alembic_config(sync_conn), revision)
            )
    finally:
        if engine is not target:
            await engine.dispose()


async def current_revision(target: str | AsyncEngine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        conn = await connect(engine)
        try:
            return await conn.run_sync(
                lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision()
            )
        finally:
            await conn.close()
    finally:
        if engine is not target:
            await engine.dispose()
