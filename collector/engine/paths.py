"""The registry's JMESPath expressions, evaluated as JMESPath does, the common ones without it.

Most fields and nearly every relationship of the registry are key paths (``State.Name``) or
key paths with flatten projections (``SecurityGroups[].GroupId``,
``Reservations[].Instances[].InstanceId``). Those are answered here with dict and list
operations, exactly as JMESPath would (``tests/test_paths.py`` compares the two on random
data), ~10x faster: normalizing runs them for every item of every account. Anything else
(filters, functions, pipes) goes to JMESPath, compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jmespath
import jmespath.exceptions
from jmespath.visitor import TreeInterpreter

__all__ = ["search"]

_SIMPLE = re.compile(r"[A-Za-z_]\w*(\[\])?(\.[A-Za-z_]\w*(\[\])?)*", re.ASCII)


def _flatten(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


def _path(segments: tuple[tuple[str, bool], ...]) -> Callable[[Any], Any]:
    def evaluate(data: Any) -> Any:
        projected: list[Any] | None = None  # the values of a projection, once one began
        for key, flatten in segments:
            if projected is None:
                data = data.get(key) if isinstance(data, dict) else None
                if flatten:
                    if not isinstance(data, list):
                        return None
                    projected = _flatten(data)
            else:
                values = (v.get(key) for v in projected if isinstance(v, dict))
                projected = [v for v in values if v is not None]
                if flatten:
                    projected = _flatten(projected)
        if projected is None:
            return data
        return [v for v in projected if v is not None]  # a projection drops nulls

    return evaluate


@lru_cache(maxsize=2048)
def _compiled(expression: str) -> Callable[[Any], Any]:
    if _SIMPLE.fullmatch(expression):
        segments = tuple(
            (part.removesuffix("[]"), part.endswith("[]")) for part in expression.split(".")
        )
        return _path(segments)
    tree = jmespath.compile(expression).parsed
    # One interpreter for every search: ParsedResult.search builds a new one per call, and
    # each leaves a reference cycle for the garbage collector (~4% of a run's CPU).
    return lambda data: _INTERPRETER.visit(tree, data)


_INTERPRETER = TreeInterpreter()


def search(expression: str, data: Any) -> Any:
    """``jmespath.search(expression, data)``; None where JMESPath would raise (a function
    such as ``join()`` meeting a missing field: no value, not a crash)."""
    try:
        return _compiled(expression)(data)
    except jmespath.exceptions.JMESPathError:
        return None
