"""Typed views built from declarations, for SQLite and PostgreSQL.

Typed views (declared in :mod:`collector.registry.views`) compile to ``CREATE VIEW`` for the
connection's dialect, SQLite or PostgreSQL, through SQLAlchemy's JSON expressions
(``JSON_EXTRACT`` on SQLite, ``#>>`` on PostgreSQL) and each dialect's JSON array expansion
(``json_each`` / ``jsonb_array_elements``). The migrations create them; ``--as-of`` creates
temporary twins over the inventory as it was (see :mod:`collector.history.asof`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    FromClause,
    Select,
    Text,
    and_,
    case,
    func,
    literal,
    null,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement

from collector.registry.views import BASE_COLUMNS, VIEWS, Part, TypedView, parse_path
from collector.registry.views import Column as ViewColumn
from collector.store.models import resources

__all__ = [
    "create_typed_views",
    "create_view_sql",
    "drop_typed_views",
    "drop_view_ddl",
    "typed_view_ddl",
    "view_select",
]


def _sqlite_path(path: tuple[str | int, ...]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else '."' + part.replace('"', '""') + '"'
    return out


def _value(source: Any, column: ViewColumn, dialect: str) -> ColumnElement[Any]:
    if column.path is None:
        return literal(column.constant, Text) if column.constant is not None else null()
    path = parse_path(column.path)
    doc: Any = type_coerce(source, JSONB if dialect == "postgresql" else JSON)[path]
    out: ColumnElement[Any]
    if column.type == "integer":
        out = doc.as_integer()
    elif column.type == "float":
        out = doc.as_float()
    elif column.type == "boolean":
        out = doc.as_boolean()
    else:
        out = doc.as_string()
    return out


def _expand(source: Any, path: str, dialect: str, name: str) -> tuple[FromClause, Any, Any]:
    """(the table-valued function, its element column, a condition) expanding ``source.path``."""
    parts = parse_path(path)
    if dialect == "postgresql":
        array = type_coerce(source, JSONB)[parts]
        # jsonb_array_elements fails on anything but an array (a JSON null included), and a
        # WHERE clause would come too late: the guard sits in the argument.
        only_array = case((func.jsonb_typeof(array) == "array", array), else_=null())
        fn = func.jsonb_array_elements(only_array).table_valued("value").alias(name)
        return fn, fn.c.value, true()
    json_path = _sqlite_path(parts)
    fn = func.json_each(source, json_path).table_valued("value").alias(name)
    return fn, fn.c.value, func.json_type(source, json_path) == "array"


def _part_select(view: TypedView, part: Part, dialect: str, source: FromClause) -> Select[Any]:
    levels: list[Any] = [source.c.raw]
    froms: list[FromClause] = [source]
    conditions: list[Any] = [
        source.c.resource_type == literal(view.resource_type, Text),
        source.c.deleted_at.is_(None),
    ]
    for depth, path in enumerate(part.each, start=1):
        fn, element, condition = _expand(levels[-1], path, dialect, f"e{depth}")
        froms.append(fn)
        levels.append(element)
        conditions.append(condition)
    columns = [source.c[name].label(name) for name in BASE_COLUMNS]
    columns += [_value(levels[c.level], c, dialect).label(c.name) for c in part.columns]
    return select(*columns).select_from(*froms).where(and_(*conditions))


def view_select(view: TypedView, dialect: str, source: FromClause = resources) -> Any:
    """The view's query for ``dialect`` over ``source`` (``resources`` or a stand-in with
    the same columns)."""
    selects = [_part_select(view, part, dialect, source) for part in view.parts]
    return selects[0] if len(selects) == 1 else union_all(*selects)


def _compile(statement: Any, dialect: Dialect) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def create_view_sql(
    view: TypedView, dialect: Dialect, *, source: FromClause = resources, temporary: bool = False
) -> str:
    body = _compile(view_select(view, dialect.name, source), dialect)
    return f"CREATE {'TEMPORARY ' if temporary else ''}VIEW {view.name} AS {body}"


def typed_view_ddl(dialect: Dialect, views: Sequence[TypedView] = VIEWS) -> list[str]:
    """``CREATE VIEW`` statements for every typed view (the migrations run them)."""
    return [create_view_sql(view, dialect) for view in views]


def drop_view_ddl(names: Iterable[str] | None = None) -> list[str]:
    return [
        f"DROP VIEW IF EXISTS {name}"
        for name in (names if names is not None else [v.name for v in VIEWS])
    ]


def create_typed_views(conn: Connection, views: Sequence[TypedView] = VIEWS) -> None:
    for sql in typed_view_ddl(conn.dialect, views):
        conn.exec_driver_sql(sql)


def drop_typed_views(conn: Connection, names: Iterable[str] | None = None) -> None:
    for sql in drop_view_ddl(names):
        conn.exec_driver_sql(sql)
