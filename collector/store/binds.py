"""A list of values bound as one parameter, for both backends."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Text, any_, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from collector.store.engine import json_dumps

__all__ = ["in_list"]


def in_list(dialect: str, column: ColumnElement[str], values: Sequence[str]) -> ColumnElement[bool]:
    """``column IN values`` with ``values`` bound as one parameter."""
    if dialect == "postgresql":
        return column == any_(literal(list(values), ARRAY(Text)))
    each = func.json_each(literal(json_dumps(list(values)), Text)).table_valued("value")
    return column.in_(select(each.c.value))
