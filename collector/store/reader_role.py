"""`inventory db create-reader ROLE`: a PostgreSQL role that can read the inventory and do
nothing else.

The role gets CONNECT and TEMPORARY on the database (``--as-of`` views and the helper tables
are temporary objects), USAGE on the inventory's schema, SELECT on its tables and views and on
those the migrations create later (default privileges of the role that owns the inventory),
and a statement timeout (not ``default_transaction_read_only``: ``--as-of`` creates its
temporary views before the reader turns its transaction read-only). It is created NOSUPERUSER
NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS and is granted no role, so the reader
checks of :mod:`collector.store.readers` accept it. It cannot write, take the collect lock
(a table lock a SELECT-only role cannot take, see :mod:`collector.store.lock`), run programs or
read files on the server.

Run it as a role allowed to create roles and grant on the inventory (its owner or a
superuser). ``--print`` shows the SQL instead of running it.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from collector.store.engine import begin, make_engine

__all__ = ["create_reader", "reader_sql"]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reader_sql(
    role: str,
    *,
    database: str,
    schema: str = "public",
    owner: str | None = None,
    login: bool = True,
    exists: bool = False,
    statement_timeout_s: float = 60.0,
) -> list[str]:
    """The statements that create (or, ``exists``, re-grant) the reader ``role``."""
    r, db, s = _ident(role), _ident(database), _ident(schema)
    attrs = f"{'LOGIN' if login else 'NOLOGIN'} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    out = [f"ALTER ROLE {r} {attrs}" if exists else f"CREATE ROLE {r} {attrs}"]
    out += [
        f"ALTER ROLE {r} SET statement_timeout = '{int(statement_timeout_s * 1000)}ms'",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {r}",
    ]
    for_role = f" FOR ROLE {_ident(owner)}" if owner else ""
    out.append(f"ALTER DEFAULT PRIVILEGES{for_role} IN SCHEMA {s} GRANT SELECT ON TABLES TO {r}")
    return out


async def _facts(conn: AsyncConnection, role: str) -> tuple[str, str, str | None, bool]:
    database = str(await conn.scalar(text("SELECT current_database()")))
    schema = str(await conn.scalar(text("SELECT current_schema()")))
    owner = await conn.scalar(
        text(
            "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = 'resources'"
        )
    )
    exists = bool(await conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}))
    return database, schema, None if owner is None else str(owner), exists


async def create_reader(
    url: str, role: str, *, login: bool = True, dry_run: bool = False, statement_timeout_s: float = 60.0
) -> list[str]:
    """Create (or re-grant) ``role`` on the inventory at ``url``; return the SQL. With
    ``dry_run`` nothing is executed."""
    engine = make_engine(url)
    if engine.dialect.name != "postgresql":
        await engine.dispose()
        raise ValueError("create-reader is for PostgreSQL; SQLite readers open the file read-only")
    try:
        async with begin(engine) as conn:
            database, schema, owner, exists = await _facts(conn, role)
            statements = reader_sql(
                role, database=database, schema=schema, owner=owner, login=login,
                exists=exists, statement_timeout_s=statement_timeout_s,
            )  # fmt: skip
            if not dry_run:
                for statement in statements:
                    await conn.exec_driver_sql(statement)
        return statements
    finally:
        await engine.dispose()
