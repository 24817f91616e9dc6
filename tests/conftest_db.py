"""Database fixtures (a pytest plugin, loaded from tests/conftest.py).

``db_url`` runs a test twice: on a new SQLite file in ``tmp_path`` and on PostgreSQL. The
PostgreSQL server comes from ``INVENTORY_TEST_PG_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``); the session creates its own database
``inventory_test_<random>`` there, empties its ``public`` schema before every test and drops the
database at the end. An unreachable server skips the PostgreSQL tests, except when ``CI`` is
set: then they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from typing import NoReturn

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.store import DatabaseUnavailable, make_engine, safe_url, upgrade
from collector.store.engine import connect

PG_URL_ENV = "INVENTORY_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def pg_server_url() -> str:
    return os.environ.get(PG_URL_ENV) or DEFAULT_PG_URL


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so PostgreSQL tests must not skip)", pytrace=False)
    pytest.skip(reason)


async def _admin(sql: str) -> None:
    engine = make_engine(pg_server_url()).execution_options(isolation_level="AUTOCOMMIT")
    try:
        conn = await connect(engine)
        try:
            await conn.execute(text(sql))
        finally:
            await conn.close()
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def pg_database() -> AsyncIterator[str]:
    """URL (sync style, password kept) of this session's own PostgreSQL database."""
    server = pg_server_url()
    name = f"inventory_test_{secrets.token_hex(6)}"
    try:
        await _admin(f'CREATE DATABASE "{name}"')
    except DatabaseUnavailable as exc:
        _unavailable(f"PostgreSQL not reachable at {safe_url(server)} (set {PG_URL_ENV}): {exc}")
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def pg_url(pg_database: str) -> str:
    """The session's PostgreSQL database with an empty ``public`` schema."""
    engine = make_engine(pg_database)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    return pg_database


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    return f"sqlite:///{os.fspath(tmp_path)}/inventory.db"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database: a SQLite file, then PostgreSQL."""
    return str(request.getfixturevalue("pg_url" if request.param == "postgresql" else "sqlite_url"))


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on ``db_url``, migrated to head."""
    eng = make_engine(db_url)
    await upgrade(eng)
    try:
        yield eng
    finally:
        await eng.dispose()


async def create_reader_role(admin_url: str) -> tuple[str, str]:
    """(role, URL as that role) of a new least-privilege reader of the inventory at
    ``admin_url`` (``inventory db create-reader``); drop it with :func:`drop_reader_role`."""
    from collector.store.reader_role import create_reader

    role = f"inventory_reader_{secrets.token_hex(4)}"
    await create_reader(admin_url, role)
    return role, make_url(admin_url).set(username=role, password=None).render_as_string(
        hide_password=False
    )


async def drop_reader_role(admin_url: str, role: str) -> None:
    engine = make_engine(admin_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP OWNED BY "{role}"'))
            await conn.execute(text(f'DROP ROLE "{role}"'))
    finally:
        await engine.dispose()


@pytest.fixture
async def pg_reader(pg_url: str) -> AsyncIterator[tuple[str, str]]:
    """(admin URL, reader URL) of this session's PostgreSQL database, migrated to head, with a
    least-privilege reader role (dropped at the end)."""
    engine = make_engine(pg_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    role, reader_url = await create_reader_role(pg_url)
    try:
        yield pg_url, reader_url
    finally:
        await drop_reader_role(pg_url, role)
