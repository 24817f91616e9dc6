"""What makes a reader (`inventory query`, `diff`, `report`) unable to write or reach the server.

SQLite: the file is opened ``mode=ro`` (nothing of the reader's can change it: no journal-mode
switch, no ``-wal`` created), ``query_only`` is on, and an authorizer allows reads only: no
ATTACH/DETACH (which would create files), no writes to the inventory, no state-changing
pragmas. Temporary objects (``--as-of`` views, helper tables) live in the connection's own
``temp`` schema and are allowed there. A 0444 database can be read.

PostgreSQL: ``SET TRANSACTION READ ONLY`` stops writes to tables but not what a privileged role
can do on the server (``COPY ... TO PROGRAM``, ``pg_read_file``, ``lo_import``,
``pg_terminate_backend``, ``SET ROLE``). So a reader refuses to run as a role that is a
superuser, may create roles, or is a member (directly or through other roles) of a superuser
role or of ``pg_execute_server_program``, ``pg_read_server_files``,
``pg_write_server_files`` or ``pg_signal_backend``; `inventory db create-reader` makes a role
that passes. Every reader statement runs under ``statement_timeout``
(``[database] reader_statement_timeout_s``), and an interrupted client cancels its query on
the server (asyncpg sends a cancel request when the awaiting task is cancelled).
"""

from __future__ import annotations

import contextvars
import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from collector.store.errors import DatabaseUnavailable

__all__ = [
    "DANGEROUS_ROLES",
    "DEFAULT_STATEMENT_TIMEOUT_S",
    "PrivilegedReader",
    "check_pg_reader",
    "prepare_pg_reader",
    "set_statement_timeout",
    "sqlite_reader_engine",
]

DEFAULT_STATEMENT_TIMEOUT_S = 60.0
DANGEROUS_ROLES = (
    "pg_execute_server_program",
    "pg_read_server_files",
    "pg_write_server_files",
    "pg_signal_backend",
)
_timeout: contextvars.ContextVar[float] = contextvars.ContextVar(
    "reader_statement_timeout_s", default=DEFAULT_STATEMENT_TIMEOUT_S
)


class PrivilegedReader(DatabaseUnavailable):
    """The reader's PostgreSQL role could reach the server beyond the inventory (exit 3)."""


def set_statement_timeout(seconds: float) -> None:
    """The statement timeout of readers started from now on in this context (0: none)."""
    _timeout.set(seconds)


_ROLE_CHECK = text(
    "SELECT r.rolname, r.rolsuper, r.rolcreaterole,"
    " (SELECT string_agg(s.rolname, ', ' ORDER BY s.rolname) FROM pg_roles s"
    "   WHERE s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'MEMBER')"
    "   AND (s.rolsuper OR s.rolname = ANY(CAST(:dangerous AS text[])))) AS grants"
    " FROM pg_roles r WHERE r.rolname IN (current_user, session_user)"
)


async def check_pg_reader(conn: AsyncConnection) -> None:
    """Raise :class:`PrivilegedReader` unless the session's roles are unprivileged."""
    rows = (await conn.execute(_ROLE_CHECK, {"dangerous": list(DANGEROUS_ROLES)})).all()
    for name, is_super, create_role, grants in rows:
        why = (
            "is a superuser"
            if is_super
            else "has CREATEROLE"
            if create_role
            else f"is a member of {grants}"
            if grants
            else ""
        )
        if why:
            raise PrivilegedReader(
                f"refusing to read as PostgreSQL role {name!r}: it {why}, so a query could run "
                "programs or read files on the server; connect as a least-privilege reader "
                "(create one with `inventory db create-reader ROLE`)"
            )


async def prepare_pg_reader(conn: AsyncConnection) -> None:
    await check_pg_reader(conn)
    timeout_ms = round(_timeout.get() * 1000)
    # SET LOCAL: for this transaction only; the reader's connection is never reused anyway.
    await conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_ms)}")


# -- SQLite -----------------------------------------------------------------------------------

_READ_PRAGMAS = frozenset(
    {
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "collation_list", "function_list", "pragma_list", "table_list",
        "compile_options", "journal_mode", "user_version", "schema_version", "data_version",
        "page_count", "page_size", "encoding", "foreign_keys", "query_only", "busy_timeout",
        "read_uncommitted", "cache_size",
    }
)  # fmt: skip
# Pragmas whose argument names a table or index rather than setting a value.
_NAMED_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)
_ALWAYS = frozenset(
    {
        sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_TRANSACTION,
        sqlite3.SQLITE_SAVEPOINT, sqlite3.SQLITE_RECURSIVE,
        sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_CREATE_TEMP_VIEW,
        sqlite3.SQLITE_CREATE_TEMP_INDEX, sqlite3.SQLITE_DROP_TEMP_TABLE,
        sqlite3.SQLITE_DROP_TEMP_VIEW, sqlite3.SQLITE_DROP_TEMP_INDEX,
    }
)  # fmt: skip
_TEMP_WRITES = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})


def _authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, _: Any) -> int:
    """Reads, and writes to the connection's temporary objects; nothing else."""
    if action in _ALWAYS:
        return sqlite3.SQLITE_OK
    if action in _TEMP_WRITES and db == "temp":
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if (arg2 or "").lower() == "load_extension" else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in _READ_PRAGMAS and (arg2 is None or name in _NAMED_PRAGMAS):
            return sqlite3.SQLITE_OK
        # Turning query_only on is how read_only() ends its preparation; never off.
        if name == "query_only" and (arg2 or "").lower() in ("on", "1", "true", "yes"):
            return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _ro_uri(path: Path) -> str:
    return f"file:{urllib.parse.quote(os.path.abspath(path))}?mode=ro"


def sqlite_reader_engine(
    path: Path, busy_timeout_ms: int, cache_kib: int, json_columns: dict[str, Any]
) -> AsyncEngine:
    """An engine on ``path`` opened read-only, with the authorizer installed; ``json_columns``
    are the store's JSON (de)serializers (passed in: this module is below the engine's)."""

    async def creator() -> aiosqlite.Connection:
        conn = await aiosqlite.connect(_ro_uri(path), uri=True, isolation_level=None)
        try:
            await conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            await conn.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
            await conn.set_authorizer(_authorize)
        except BaseException:
            await conn.close()
            raise
        return conn

    shown = URL.create("sqlite+aiosqlite", database=str(path))  # for messages; creator connects
    engine = create_async_engine(shown, async_creator=creator, **json_columns)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # SQLAlchemy emits BEGIN itself (below), as the store's own engines do.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine
