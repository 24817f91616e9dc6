"""One collection run at a time per database.

SQLite: an exclusive `flock` on a file beside the database (`inventory.db.lock`); the kernel
drops it when the process dies, however it dies. PostgreSQL: ``LOCK TABLE ... IN EXCLUSIVE
MODE NOWAIT`` on a small table of the lock's own (``inventory_lock_<digest>``, created on first
use), held in an open transaction on a dedicated connection; the server drops it when that
connection goes away. Not an advisory lock: any role can take any advisory key (and read the
keys in use from ``pg_locks``), so a reader's query could hold the key and make cron runs exit
75. A reader can only take ACCESS SHARE on a table (SELECT privilege, read-only transaction),
which never conflicts with EXCLUSIVE. ``LOCK TABLE`` assigns no transaction id, so the open
transaction does not hold back vacuum.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from collector.store.engine import connect


class Locked(Exception):
    """Another run holds the lock."""


def _advisory_key(name: str) -> int:
    # A stable signed 64-bit key from the lock's name.
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _lock_path(database: str, name: str) -> Path:
    # From the file's real path: the same database reached through a symlink, a relative
    # path or `..` must find the same lock.
    real = os.path.realpath(database)
    return Path(f"{real}.{name}.lock" if name != "collect" else f"{real}.lock")


@asynccontextmanager
async def run_lock(engine: AsyncEngine, name: str = "collect") -> AsyncIterator[None]:
    if engine.dialect.name == "sqlite":
        database = make_url(str(engine.url)).database
        if not database or database == ":memory:":
            yield
            return
        path = _lock_path(database, name)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
                raise Locked(
                    f"another run holds {path}" + (f" ({holder})" if holder else "")
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
            yield
        finally:
            os.close(fd)
        return
    async with _pg_table_lock(engine, name):
        yield


def lock_table(name: str) -> str:
    """The PostgreSQL table whose EXCLUSIVE lock is the run lock ``name``."""
    return "inventory_lock_" + hashlib.sha256(name.encode()).hexdigest()[:12]


def _sqlstate(exc: DBAPIError) -> str | None:
    orig = exc.orig
    return getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)


@asynccontextmanager
async def _pg_table_lock(engine: AsyncEngine, name: str) -> AsyncIterator[None]:
    table = lock_table(name)
    conn = await connect(engine)
    try:
        # Only a missing table is created (and commented): COMMENT would wait for the holder.
        if await conn.scalar(text("SELECT to_regclass(:t)"), {"t": table}) is None:
            try:
                await conn.exec_driver_sql(f"CREATE TABLE {table} ()")
                await conn.exec_driver_sql(f"COMMENT ON TABLE {table} IS 'inventory run lock'")
                await conn.commit()
            except DBAPIError as exc:
                await conn.rollback()
                if _sqlstate(exc) not in ("23505", "42P07"):  # another run created it meanwhile
                    raise
        else:
            await conn.commit()
        try:
            await conn.exec_driver_sql(f"LOCK TABLE {table} IN EXCLUSIVE MODE NOWAIT")
        except DBAPIError as exc:
            if _sqlstate(exc) != "55P03":  # lock_not_available
                raise
            await conn.rollback()
            holder = await conn.scalar(
                text(
                    "SELECT min(pid) FROM pg_locks WHERE relation = CAST(:t AS regclass) "
                    "AND mode = 'ExclusiveLock' AND granted"
                ),
                {"t": table},
            )
            raise Locked(
                f"another run holds the PostgreSQL lock {name!r} (table {table}"
                + (f", backend pid {holder})" if holder else ")")
            ) from None
        try:
            yield
        finally:
            await conn.rollback()
    finally:
        await conn.close()


async def wait_xact_lock(conn: AsyncConnection, name: str) -> None:
    """PostgreSQL: wait for the transaction-level advisory lock ``name`` (released at commit or
    rollback, or when the connection dies). Used where the second comer should wait and then
    see what the first one did, e.g. two queue workers starting at once."""
    key = _advisory_key(f"aws-inventory-collector:{name}")
    await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def shard_lock_name(index: int, count: int) -> str:
    """The run lock of shard ``index`` of ``count`` (one run per shard at a time)."""
    return f"collect-shard-{index}-of-{count}"
