"""SQL objects built from declarations: the typed views, and the per-query helper tables.

Typed views (declared in :mod:`collector.registry.views`) compile to ``CREATE VIEW`` for the
connection's dialect, SQLite or PostgreSQL, through SQLAlchemy's JSON expressions
(``JSON_EXTRACT`` on SQLite, ``#>>`` on PostgreSQL) and each dialect's JSON array expansion
(``json_each`` / ``jsonb_array_elements``). The migrations create them; ``--as-of`` creates
temporary twins over the inventory as it was (see :mod:`collector.history`).

Helper tables are temporary tables a query may use, created on its own connection only when
the SQL names them (a read-only PostgreSQL replica refuses temporary tables):

* ``required_tags(key)``: ``[report] required_tags`` from the config;
* ``resource_types(resource_type, service, taggable, is_global)``: the type registry
  (``taggable`` is 1 when the collector reads the type's tags);
* ``query_params(now, since_24h, stale_before)``: the time the query runs, 24 hours before,
  and ``[report] stale_after_days`` before; timestamps typed like the inventory's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    FromClause,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    and_,
    case,
    func,
    insert,
    literal,
    null,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from collector.registry.views import BASE_COLUMNS, VIEWS, Part, TypedView, parse_path
from collector.registry.views import Column as ViewColumn
from collector.store.models import UTCDateTime, resources

__all__ = [
    "HELPER_TABLES",
    "QueryContext",
    "create_typed_views",
    "create_view_sql",
    "drop_typed_views",
    "drop_view_ddl",
    "install_helpers",
    "typed_view_ddl",
    "view_select",
    "wanted_helpers",
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


# -- helper tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryContext:
    """What the helper tables are filled with."""

    required_tags: tuple[str, ...] = ()
    stale_after_days: float = 7.0
    now: datetime | None = None


_helpers = MetaData()
_REQUIRED_TAGS = Table(
    "required_tags", _helpers, Column("key", Text, nullable=False), prefixes=["TEMPORARY"]
)
_RESOURCE_TYPES = Table(
    "resource_types",
    _helpers,
    Column("resource_type", Text, nullable=False),
    Column("service", Text, nullable=False),
    Column("taggable", Integer, nullable=False),
    Column("is_global", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)
_QUERY_PARAMS = Table(
    "query_params",
    _helpers,
    Column("now", UTCDateTime, nullable=False),
    Column("since_24h", UTCDateTime, nullable=False),
    Column("stale_before", UTCDateTime, nullable=False),
    prefixes=["TEMPORARY"],
)
HELPER_TABLES = {t.name: t for t in (_REQUIRED_TAGS, _RESOURCE_TYPES, _QUERY_PARAMS)}


def wanted_helpers(sql: str) -> list[str]:
    """The helper tables ``sql`` mentions (a word match: a mention in a comment counts)."""
    return [name for name in HELPER_TABLES if re.search(rf"\b{name}\b", sql, re.IGNORECASE)]


def _helper_rows(name: str, context: QueryContext) -> list[dict[str, Any]]:
    if name == "required_tags":
        return [{"key": key} for key in dict.fromkeys(context.required_tags)]
    if name == "resource_types":
        from collector.registry import REGISTRY

        return [
            {
                "resource_type": t.resource_type,
                "service": t.service,
                "taggable": int(t.tags is not None),
                "is_global": int(t.global_),
            }
            for t in sorted(REGISTRY.values(), key=lambda t: t.resource_type)
        ]
    now = context.now or datetime.now(UTC)
    return [
        {
            "now": now,
            "since_24h": now - timedelta(hours=24),
            "stale_before": now - timedelta(days=context.stale_after_days),
        }
    ]


async def install_helpers(
    conn: AsyncConnection, names: Sequence[str], context: QueryContext
) -> None:
    """Create and fill the named helper tables on ``conn`` (in its transaction: they are gone
    when it rolls back, and nothing else sees them)."""
    for name in names:
        table = HELPER_TABLES[name]
        await conn.run_sync(table.create)
        rows = _helper_rows(name, context)
        if rows:
            await conn.execute(insert(table), rows)
