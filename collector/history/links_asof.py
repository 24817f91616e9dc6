"""``resource_links`` as of a past run, for ``--as-of`` (see :mod:`collector.history.asof`).

An edge row is one lifespan: it existed at run N when it was first seen at or before N and had
not ended by N (``deleted_run_id`` NULL or after N). ``last_seen_*`` are capped at run N like
those of ``resources``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from collector.store.links import DANGLING_VIEW

__all__ = ["install_links_asof"]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def links_asof_sql(run_id: int, schema: str) -> str:
    n = int(run_id)  # an int, never text: it is written into the SQL
    links, runs = f"{_quote(schema)}.resource_links", f"{_quote(schema)}.runs"
    return (
        "SELECT l.id AS id, l.source_arn AS source_arn, l.kind AS kind, "
        "l.target_arn AS target_arn, l.target_type AS target_type, "
        "l.first_seen_at AS first_seen_at, "
        f"CASE WHEN l.last_seen_run_id > {n} THEN (SELECT started_at FROM {runs} "
        f"WHERE id = {n}) ELSE l.last_seen_at END AS last_seen_at, "
        "CAST(NULL AS TIMESTAMP) AS deleted_at, l.first_seen_run_id AS first_seen_run_id, "
        f"CASE WHEN l.last_seen_run_id > {n} THEN {n} ELSE l.last_seen_run_id END "
        "AS last_seen_run_id, CAST(NULL AS INTEGER) AS deleted_run_id "
        f"FROM {links} AS l WHERE l.first_seen_run_id <= {n} "
        f"AND (l.deleted_run_id IS NULL OR l.deleted_run_id > {n})"
    )


async def install_links_asof(conn: AsyncConnection, run_id: int, schema: str) -> None:
    """Temporary ``resource_links`` and ``resource_links_dangling`` over the past (the
    temporary ``resources`` view must exist already: the dangling view reads it)."""
    body = links_asof_sql(run_id, schema)
    await conn.exec_driver_sql(f"CREATE TEMPORARY VIEW resource_links AS {body}")
    await conn.exec_driver_sql(DANGLING_VIEW.replace("CREATE VIEW", "CREATE TEMPORARY VIEW", 1))
