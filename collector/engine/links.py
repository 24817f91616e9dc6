"""Relationship declarations (`collector.registry.base.Link`) to edges: pure functions, no I/O.

One engine for every type: a link's JMESPath gives ids or ARNs; an ARN is kept as it is
(another account, region or partition stays what AWS said), an id becomes the target type's
ARN through its template, with the source's partition and account, and the source's region
unless the target type is global.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from collector.engine import paths
from collector.records import Edge
from collector.registry import REGISTRY
from collector.registry.base import Item, Link, ResourceType

__all__ = ["edges", "id_placeholder", "link_template"]

_BUILTINS = frozenset({"partition", "region", "account"})


def link_template(link: Link) -> str | None:
    """The template that turns an id into the target's ARN (None: only ARNs are understood)."""
    if link.template is not None:
        return link.template
    target = REGISTRY.get(link.target)
    return target.arn_template if target is not None else None


@lru_cache(maxsize=512)
def id_placeholder(template: str) -> str | None:
    """The one placeholder of ``template`` the id fills; None when there is not exactly one
    (a template that needs two fields of the target cannot be filled from a reference)."""
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f} - _BUILTINS
    return next(iter(names)) if len(names) == 1 else None


def _values(found: Any) -> Iterator[str]:
    """The non-empty strings of a JMESPath result (one value or a nested list of them)."""
    if isinstance(found, str):
        if found:
            yield found
    elif isinstance(found, list):
        for value in found:
            yield from _values(value)


def _target_arn(link: Link, value: str, partition: str, account: str, region: str) -> str | None:
    if value.startswith("arn:"):
        return value
    template = link_template(link)
    slot = id_placeholder(template) if template else None
    if template is None or slot is None:
        return None
    target = REGISTRY.get(link.target)
    own_region = "" if target is not None and target.global_ else region
    return template.format_map(
        {"partition": partition, "account": account, "region": own_region, slot: value}
    )


def edges(
    rtype: ResourceType, source_arn: str, account: str, region: str, item: Item
) -> tuple[Edge, ...]:
    """The edges of one item, sorted and without duplicates. ``region`` is the resource's own
    region (``global`` or empty for global types); the partition is the source ARN's."""
    if not rtype.links:
        return ()
    partition = source_arn.split(":", 2)[1] if source_arn.count(":") >= 2 else "aws"
    arn_region = "" if region in ("", "global") else region
    found: set[Edge] = set()
    for link in rtype.links:
        for value in _values(paths.search(link.path, item)):
            target = _target_arn(link, value, partition, account, arn_region)
            if target is not None and target != source_arn:
                found.add(Edge(link.kind, target, link.target))
    return tuple(sorted(found))
