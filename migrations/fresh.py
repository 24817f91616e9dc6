"""A new database at the head revision without running the revisions (SQLite files only).

``collector.store.migrate`` creates a new, empty SQLite file with :func:`create_at_head` instead
of running every revision through Alembic: the tables of ``collector.store.models`` (kept in
the order and with the names the revisions leave), the typed views and the dangling-links view
the revisions create, and Alembic's own version table, stamped. It lives here, next to the
revisions, because it must describe what they build: ``tests/test_migrations.py`` builds a file
both ways and compares them column by column, so a new revision that the models (or this) do
not follow fails there.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)
from sqlalchemy.sql.elements import conv

from collector.history.views import typed_view_ddl
from collector.store.links import DANGLING_VIEW
from collector.store.models import metadata


def create_at_head(connection: Connection, head: str) -> None:
    schema = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        copy = table.to_metadata(schema)
        for constraint in copy.constraints:
            if isinstance(constraint, CheckConstraint) and isinstance(constraint.name, str):
                # The revisions named their checks ck_<table>_<name> and the naming convention
                # prefixed that again: a new file gets the same names.
                prefix = f"ck_{table.name}_"
                name = constraint.name.removeprefix(prefix)
                constraint.name = conv(f"{prefix}{prefix}{name}")
    schema.create_all(connection)
    for statement in [*typed_view_ddl(connection.dialect), DANGLING_VIEW]:
        connection.exec_driver_sql(statement)
    version = Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )  # Alembic's own definition of its table
    version.create(connection)
    connection.execute(version.insert().values(version_num=head))
