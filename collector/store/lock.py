"""One collection run at a time per database.

SQLite: an exclusive `flock` on a file beside the database (`inventory.db.lock`); the kernel
drops it when the process dies, however it dies. PostgreSQL: a session advisory lock held on a
dedicated connection; the server drops it when that connection goes away.
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
    conn = await connect(engine)
    try:
        key = _advisory_key(f"aws-inventory-collector:{name}")
        got = (await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})).scalar()
        await conn.commit()
        if not got:
            raise Locked(f"another run holds the PostgreSQL advisory lock {name!r} ({key})")
        try:
            yield
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            await conn.commit()
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
