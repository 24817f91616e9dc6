"""Small builders shared by the registry modules, so that a type stays a few lines of data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collector.registry.base import BatchDetail, Detail, Item


def tags_detail(
    operation: str,
    param: str,
    source: str,
    result: str = "Tags",
    *,
    extra: dict[str, Any] | None = None,
    absent_codes: tuple[str, ...] = (),
    default: Any = None,
) -> Detail:
    """A per-item tag call taking one parameter from one item field, stored under "Tags"."""
    fixed = dict(extra or {})

    def params(item: Item) -> dict[str, Any]:
        return {**fixed, param: item[source]}

    return Detail(operation, params, result, into="Tags", absent_codes=absent_codes, default=default)


def arn_tags_detail(
    operation: str, param: str, result: str = "Tags", *, absent_codes: tuple[str, ...] = ()
) -> Detail:
    """A tag call that wants the ARN the type builds from its template (the list lacks it)."""
    return Detail(
        operation, lambda _: {}, result, into="Tags", arn_param=param, absent_codes=absent_codes
    )


def describe(operation: str, param: str, source: str, result: str) -> Detail:
    """A per-item describe call whose answer (an object) is merged into the item."""

    def params(item: Item) -> dict[str, Any]:
        return {param: item[source]}

    return Detail(operation, params, result, into=None)


def elbv2_tags(arn_field: str) -> BatchDetail:
    """ELBv2 DescribeTags: up to 20 ARNs (load balancers, target groups, listeners, rules)."""
    return BatchDetail(
        "describe_tags",
        lambda items: {"ResourceArns": [i[arn_field] for i in items]},
        size=20,
        result="TagDescriptions",
        key="ResourceArn",
        item_key=arn_field,
        value="Tags",
        into="Tags",
        default=[],
    )


def last_segment(separator: str, source: str) -> Callable[[Item], str]:
    """A field: the last `separator`-separated part of `source` (a name cut out of an ARN)."""

    def field(item: Item) -> str:
        return str(item[source]).rsplit(separator, 1)[-1]

    field.__doc__ = f"{source} after its last {separator}"
    return field


def joined(*fields: str) -> Callable[[Item], str]:
    """A field: the item's `fields` joined by "/" (an id unique only within its parent: an
    EKS node group within its cluster, a rule within its event bus)."""

    def field(item: Item) -> str:
        return "/".join(str(item[f]) for f in fields)

    field.__doc__ = "/".join(fields)
    return field


def lower_tags(field: str = "tags") -> str:
    """Tags in the lower-case shape ({key, value}) some newer APIs use, as Key/Value pairs."""
    return field + "[].{Key: key, Value: value}"


LOWER_TAGS = lower_tags()
