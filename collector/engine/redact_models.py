"""Redaction paths generated from botocore's models.

botocore marks secret members with the ``sensitive`` trait (``shape.metadata['sensitive']``).
For every resource type (curated and generic), this walks the output shape of its list call
down to one item (``items``), and the output shapes of its detail calls down to where their
answers are stored in the item (``Detail.result``/``into``, ``BatchDetail.result``/``value``/
``into``), and yields a redaction path (see :mod:`collector.engine.redact`) for every sensitive member
reachable there. A sensitive map keeps its keys and loses its values (which environment
variables a function has is inventory; their values are not); anything else is replaced whole.

Detail results that are JMESPath projections are read as far as they are plain paths:
``{A: A, B: B}`` and ``merge(x, {A: A})`` are understood, anything else is reported by
:func:`unwalked` (tags lists only, today) so a test can keep it that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import botocore.session
from botocore import xform_name
from botocore.model import (
    ListShape,
    MapShape,
    OperationModel,
    ServiceModel,
    Shape,
    StructureShape,
)

from collector.registry.base import BatchDetail, Detail, ListingDetail, ResourceType

__all__ = [
    "generated_rules",
    "item_shapes",
    "rules_for",
    "sensitive_paths",
    "share_loader",
    "unwalked",
]

MAX_DEPTH = 12
_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[\]|\[\*\]|\[0\])?$")


_shared_loader: list[Any] = []


def share_loader(loader: Any) -> None:
    """Read the models through ``loader`` (the collector's clients' own, which caches every
    model it loads): a loader of its own would hold a second copy, ~90 MB for the curated
    types' services."""
    _shared_loader[:] = [loader]


def _loader() -> Any:
    # Not cached itself: a loader shared after a first look must still be the one used.
    return _shared_loader[0] if _shared_loader else _own_loader()


@cache
def _own_loader() -> Any:
    return botocore.session.get_session().get_component("data_loader")


@cache
def _operation(service: str, method: str) -> OperationModel | None:
    loader = _shared_loader[0] if _shared_loader else _loader()
    model = ServiceModel(loader.load_service_model(service, "service-2"), service_name=service)
    for name in model.operation_names:
        if xform_name(name) == method or name == method:
            return model.operation_model(name)
    return None


def _follow(shape: Shape | None, path: str) -> Shape | None:
    """The shape a plain JMESPath (``A.B[].C``) leads to; None when it cannot be followed."""
    for part in [p for p in path.split(".") if p]:
        match = _SIMPLE.match(part)
        if shape is None or match is None:
            return None
        key = part.split("[", 1)[0]
        if not isinstance(shape, StructureShape) or key not in shape.members:
            return None
        shape = shape.members[key]
        if match.group(1):
            if not isinstance(shape, ListShape):
                return None
            shape = shape.member
    return shape


def _split_top(text: str, sep: str = ",") -> list[str]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def _result_shapes(shape: Shape | None, expr: str) -> list[tuple[str, Shape]] | None:
    """(key under which the value lands, "" for merged; its shape) for a detail's result
    expression; None when the expression is not understood."""
    expr = expr.strip()
    if expr.startswith("merge(") and expr.endswith(")"):
        out: list[tuple[str, Shape]] = []
        for arg in _split_top(expr[6:-1]):
            part = _result_shapes(shape, arg)
            if part is None:
                return None
            out += part
        return out
    if expr.startswith("{") and expr.endswith("}"):
        out = []
        for pair in _split_top(expr[1:-1]):
            key, _, value = pair.partition(":")
            found = _follow(shape, value.strip())
            if found is None:
                return None
            out.append((key.strip(), found))
        return out
    found = _follow(shape, expr)
    return None if found is None else [("", found)]


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix and key else prefix or key


def item_shapes(rtype: ResourceType) -> Iterator[tuple[str, Shape | None, str]]:
    """(path prefix in the stored item, shape found there or None, where it comes from)."""
    list_op = _operation(rtype.service, rtype.operation)
    where = f"{rtype.service}:{rtype.operation} {rtype.items}"
    item = _follow(list_op.output_shape, rtype.items) if list_op else None
    yield "", item, where
    for detail in rtype.details:
        op = _operation(rtype.service, detail.operation)
        where = f"{rtype.service}:{detail.operation} {detail.result}"
        output = op.output_shape if op else None
        if isinstance(detail, BatchDetail | ListingDetail):
            # The entries: a batch's list, or a listing's projection (`Users[]`) of every page.
            listed = _follow(output, detail.result.removesuffix("[]"))
            answer = listed.member if isinstance(listed, ListShape) else None
            if answer is not None and detail.value:
                answer = _follow(answer, detail.value)
            yield detail.into or "", answer, where
            continue
        assert isinstance(detail, Detail)
        parts = _result_shapes(output, detail.result)
        if parts is None:
            yield detail.into or "", None, where
            continue
        for key, shape in parts:
            yield _join(detail.into or "", key), shape, where


def sensitive_paths(shape: Shape, prefix: str = "", seen: tuple[str, ...] = ()) -> Iterator[str]:
    """Redaction paths under ``prefix`` to every sensitive member of ``shape``."""
    if shape.metadata.get("sensitive"):
        if isinstance(shape, MapShape) and not shape.key.metadata.get("sensitive"):
            yield _join(prefix, "*")
        else:
            yield prefix
        return
    if shape.name in seen or len(seen) > MAX_DEPTH:
        return
    seen = (*seen, shape.name)
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            yield from sensitive_paths(member, _join(prefix, name), seen)
    elif isinstance(shape, ListShape):
        # "[]" belongs to the key before it; a list of lists is not in any model we call.
        if prefix and not prefix.endswith("[]"):
            yield from sensitive_paths(shape.member, prefix + "[]", seen)
    elif isinstance(shape, MapShape):
        yield from sensitive_paths(shape.value, _join(prefix, "*"), seen)


@cache
def _types() -> tuple[ResourceType, ...]:
    from collector.registry import REGISTRY, all_generic_types

    return (*REGISTRY.values(), *all_generic_types().values())


def _find(resource_type: str) -> ResourceType | None:
    from collector.registry import REGISTRY, all_generic_types

    if resource_type in REGISTRY:
        return REGISTRY[resource_type]
    if resource_type.startswith("generic:"):
        return all_generic_types().get(resource_type)
    return None


def _identity(rtype: ResourceType, path: str) -> bool:
    """The type's id, name and tags fields: stored in columns of their own whatever raw holds
    (botocore flags account names and some tag maps as sensitive), so never redacted."""
    fields = [f for f in (rtype.id, rtype.name, rtype.tags) if isinstance(f, str)]
    return any(path == f or path.startswith((f + ".", f + "[]")) for f in fields)


def paths_of(rtype: ResourceType) -> tuple[str, ...]:
    paths: list[str] = []
    for prefix, shape, _ in item_shapes(rtype):
        if shape is not None:
            paths += [p for p in sensitive_paths(shape, prefix) if p and not _identity(rtype, p)]
    return tuple(dict.fromkeys(paths))


@cache
def rules_for(resource_type: str) -> tuple[str, ...]:
    """The redaction paths of ``resource_type``'s sensitive members (cached per process;
    unknown types have none)."""
    rtype = _find(resource_type)
    return paths_of(rtype) if rtype is not None else ()


def generated_rules() -> dict[str, tuple[str, ...]]:
    """Every type (curated and generic) -> its paths; types without any are left out."""
    rules = {t.resource_type: rules_for(t.resource_type) for t in _types()}
    return {t: paths for t, paths in rules.items() if paths}


def unwalked() -> list[str]:
    """The list and detail results whose shape could not be followed."""
    return [
        f"{rtype.resource_type}: {where}"
        for rtype in _types()
        for _, shape, where in item_shapes(rtype)
        if shape is None and not rtype.item_key
    ]
