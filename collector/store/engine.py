"""Database URLs, engines and connections (SQLite via aiosqlite, PostgreSQL via asyncpg)."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import functools
import json
import os
import re
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from collector.store.errors import DatabaseUnavailable

__all__ = [
    "DatabaseUnavailable",
    "begin",
    "begin_immediate",
    "connect",
    "display_location",
    "existing_engine",
    "make_engine",
    "normalize_url",
    "ping",
    "read_only",
    "safe_url",
    "thread_writer_engine",
]

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 15.0
SQLITE_FILE_MODE = 0o600
# SQLite's page cache per connection (its default is 2 MiB). Each cache fills and stays for
# the connection's life, and one filled on a thread is memory of that thread's malloc arena,
# which no other thread reuses (see collector.heap). The store's batch writer (see
# thread_writer_engine) gets no bigger one than the others: it writes as fast with 16 MiB as
# with 64 MiB, for ~50 MB less RSS (30 accounts x 17 regions, 95,640 resources into a 645 MB
# database: 66.0 s of CPU both, fresh; 47.6 against 47.8 s collecting again over it, the
# writer thread's own CPU 4.4-4.5 s both; 8 MiB cost 2.5 s more there; and
# benchmarks/store_writes.py, 100,000 records new/unchanged/modified: the same within noise).
SQLITE_CACHE_KIB = 16 * 1024
SQLITE_SMALL_CACHE_KIB = 16 * 1024

# Execution option understood by the SQLite "begin" hook: start write transactions with
# BEGIN IMMEDIATE so that a batch's SELECT and its writes see one snapshot and a second writer
# waits (busy_timeout) instead of failing on a lock upgrade. Ignored on PostgreSQL.
IMMEDIATE = "inventory_begin_immediate"

_SCHEMES = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


def normalize_url(url: str) -> str:
    """Return the async SQLAlchemy URL for ``url``.

    ``sqlite:///x.db`` -> ``sqlite+aiosqlite:///x.db``; ``postgresql://`` and ``postgres://``
    -> ``postgresql+asyncpg://``; async URLs are returned unchanged; a bare path (no ``://``)
    names a SQLite file. Raises ``ValueError`` for anything else.
    """
    url = url.strip()
    if not url:
        raise ValueError("empty database URL; use sqlite:///PATH or postgresql://USER@HOST/DB")
    if "://" not in url:
        path = url if url == ":memory:" else os.path.expanduser(url)
        return f"sqlite+aiosqlite:///{path}"
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(f"malformed database URL {url.split('://', 1)[0]}://...: {exc}") from None
    driver = _SCHEMES.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database URL scheme {parsed.drivername!r}: use sqlite:///PATH, "
            "sqlite+aiosqlite:///PATH, postgresql://USER@HOST/DB or postgresql+asyncpg://..."
        )
    if driver == "postgresql+asyncpg" and "sslmode" in parsed.query:
        # libpq's sslmode (what psql and most tools take) is asyncpg's ssl, with the same
        # values; asyncpg rejects sslmode with a TypeError at the first connection.
        query = dict(parsed.query)
        query.setdefault("ssl", query.pop("sslmode"))
        query.pop("sslmode", None)
        parsed = parsed.set(query=query)
    elif driver == parsed.drivername:
        return url
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


_SECRET_PARAM = re.compile(r"(?i)([?&][^=&#]*(?:pass|secret|token|key)[^=&#]*=)[^&#]*")


def safe_url(url: str | URL) -> str:
    """The URL as text with any password replaced by ``***``, for messages and logs: the
    userinfo's password (up to the last ``@``, so an unencoded ``@`` in it leaks nothing) and
    query parameters such as ``password=``, ``sslpassword=``, ``passfile=``."""
    if isinstance(url, URL):
        # Decoded: a misparsed password's tail may sit, encoded, in the host or database.
        url = urllib.parse.unquote(url.render_as_string(hide_password=False))
    text = str(url)
    if "://" not in text:
        return _SECRET_PARAM.sub(r"\1***", text)
    scheme, rest = text.split("://", 1)
    if "@" in rest:
        userinfo, host = rest.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        rest = f"{user}:***@{host}" if ":" in userinfo or "/" in userinfo else f"{userinfo}@{host}"
        if "/" in user or "?" in user:  # the last "@" was not in the userinfo: hide it all
            rest = f"***@{host}"
    return scheme + "://" + _SECRET_PARAM.sub(r"\1***", rest)


def display_location(url: str | URL) -> str:
    """Where the inventory is, for reports: a SQLite path, or ``scheme://host:port/db`` with
    no user, password or parameters at all."""
    try:
        parsed = url if isinstance(url, URL) else make_url(normalize_url(str(url)))
    except (ArgumentError, ValueError):
        return "(database)"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    masked = safe_url(parsed)
    scheme, rest = masked.split("://", 1)
    rest = rest.split("?", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme.split('+', 1)[0]}://{rest}"


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"object of type {type(value).__name__} is not JSON serializable")


_dumps = functools.partial(
    json.dumps, separators=(",", ":"), ensure_ascii=False, default=_json_default
)


def json_dumps(value: Any) -> str:
    """JSON text of a column value; a record's raw (``collector.store.rawjson.RawJSON``) carries its own."""
    text = getattr(value, "json_text", None) if type(value) is not dict else None
    return text if isinstance(text, str) else _dumps(value)


# How every engine reads and writes JSON columns (a record's raw item, tags, config summaries).
_JSON_COLUMNS: dict[str, Any] = {"json_serializer": json_dumps, "json_deserializer": json.loads}


def _sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory and ``file:`` URI databases."""
    database = url.database
    if (
        not database
        or database == ":memory:"
        or url.query.get("uri")
        or database.startswith("file:")
    ):
        return None
    return Path(database)


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (SQLite gives the -wal and
    -shm files the same mode). An existing file is left as it is."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SQLITE_FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def _install_sqlite_hooks(sync_engine: Engine, path: Path | None, cache_kib: int) -> None:
    if path is not None:

        @event.listens_for(sync_engine, "do_connect")
        def _create_file(*_: Any) -> None:
            _create_private_file(path)

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy emit BEGIN itself (see _on_begin): the sqlite3 module's legacy
        # transaction handling would not begin a transaction before a SELECT.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Safe with WAL: a crash of the process loses nothing committed, a power cut at
            # most the last transactions.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA cache_size=-{cache_kib}")
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(IMMEDIATE) else "BEGIN")


def make_engine(url: str | URL, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine for ``url`` (normalized with :func:`normalize_url`).

    SQLite: WAL journal, ``busy_timeout`` 30 s, foreign keys on, a new file is created with
    mode 0600. PostgreSQL: asyncpg with a connect timeout. No connection is made here; the
    first one raises :class:`DatabaseUnavailable` through :func:`connect` or :func:`begin`.
    """
    text = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    sa_url = make_url(normalize_url(text))
    if sa_url.get_backend_name() == "sqlite":
        engine = create_async_engine(
            sa_url,
            echo=echo,
            **_JSON_COLUMNS,
        )
        _install_sqlite_hooks(engine.sync_engine, _sqlite_path(sa_url), SQLITE_SMALL_CACHE_KIB)
        return engine
    return create_async_engine(
        sa_url,
        echo=echo,
        **_JSON_COLUMNS,
        pool_pre_ping=True,
        connect_args={"timeout": PG_CONNECT_TIMEOUT_S},
    )


def thread_writer_engine(engine: AsyncEngine) -> Engine | None:
    """A plain (pysqlite) engine on the same SQLite file as ``engine``; ``None`` for
    PostgreSQL and for in-memory or URI databases.

    The store writes its SQLite batches with it on a thread of their own. Through aiosqlite,
    every statement of a batch is an await that waits for a busy event loop (parsing pages)
    to come round again, and the batch holds SQLite's one write lock all that time, which
    other processes writing the same file (``--processes``) then wait for. On a thread, the
    lock is held for the database work only.
    """
    url = engine.url
    path = _sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    if path is None:
        return None
    sync_engine = create_engine(
        url.set(drivername="sqlite+pysqlite"),
        **_JSON_COLUMNS,
    )
    _install_sqlite_hooks(sync_engine, path, SQLITE_CACHE_KIB)
    return sync_engine


@contextlib.contextmanager
def begin_immediate(engine: Engine) -> Iterator[Connection]:
    """:func:`begin` with ``immediate=True``, for a plain engine."""
    with engine.connect() as conn:
        conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            yield conn


async def connect(engine: AsyncEngine) -> AsyncConnection:
    """Check out a connection; any failure to connect raises :class:`DatabaseUnavailable`."""
    try:
        return await engine.connect()
    except Exception as exc:
        raise DatabaseUnavailable(
            f"cannot connect to database {safe_url(engine.url)}: {_describe(exc)}"
        ) from exc


@contextlib.asynccontextmanager
async def begin(engine: AsyncEngine, *, immediate: bool = False) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction that commits on success and rolls back on error.

    ``immediate=True`` takes SQLite's write lock at BEGIN (use it for read-then-write work).
    """
    conn = await connect(engine)
    try:
        if immediate:
            await conn.execution_options(**{IMMEDIATE: True})
        async with conn.begin():
            yield conn
    finally:
        await conn.close()


def existing_engine(url: str, *, reader: bool = False) -> AsyncEngine:
    """:func:`make_engine` for an inventory that must already exist.

    Readers use it: opening a missing SQLite file would create an empty database, and the
    user would be told about a missing table instead of a missing inventory. ``reader``
    opens a SQLite file read-only (see :mod:`collector.store.readers`).
    """
    sa_url = make_url(normalize_url(url))
    path = _sqlite_path(sa_url) if sa_url.get_backend_name() == "sqlite" else None
    if path is not None and not path.exists():
        raise DatabaseUnavailable(f"no inventory database at {path} (run `inventory collect`)")
    if reader and path is not None:
        from collector.store.readers import sqlite_reader_engine

        return sqlite_reader_engine(
            path, SQLITE_BUSY_TIMEOUT_MS, SQLITE_SMALL_CACHE_KIB, _JSON_COLUMNS
        )
    return make_engine(sa_url)


@contextlib.asynccontextmanager
async def read_only(
    url: str, prepare: Callable[[AsyncConnection], Awaitable[None]] | None = None
) -> AsyncIterator[AsyncConnection]:
    """A connection to an existing inventory that cannot change it, rolled back at the end.

    ``prepare`` runs first, while the connection may still create temporary objects (views
    ``--as-of``, helper tables). On PostgreSQL a privileged role is refused first.
    """
    from collector.store.readers import prepare_pg_reader

    engine = existing_engine(url, reader=True)
    try:
        conn = await connect(engine)
        try:
            if engine.dialect.name == "postgresql":
                await prepare_pg_reader(conn)
            if prepare is not None:
                await prepare(conn)
            if engine.dialect.name == "sqlite":
                await conn.exec_driver_sql("PRAGMA query_only = ON")
            else:
                await conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
        finally:
            await conn.rollback()
            await conn.close()
    finally:
        await engine.dispose()


async def ping(engine: AsyncEngine) -> None:
    """Raise :class:`DatabaseUnavailable` unless the database answers ``SELECT 1``."""
    conn = await connect(engine)
    try:
        await conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        raise DatabaseUnavailable(
            f"database {safe_url(engine.url)} does not answer: {_describe(exc)}"
        ) from exc
    finally:
        await conn.close()


def _describe(exc: BaseException) -> str:
    # SQLAlchemy's DBAPIError text ends with a documentation link; the original is enough.
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    return f"{type(orig).__name__}: {message}" if message else type(orig).__name__
