"""Small builders shared by the registry modules, so that a type stays a few lines of data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collector.registry.base import BatchDetail, Detail, Item, Link


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


def route53_tags(resource_type: str, id_field: Callable[[Item], str]) -> BatchDetail:
    """Route 53 ListTagsForResources: up to 10 hosted zones or health checks a call, by bare id
    (the answer's ResourceId has no /hostedzone/ prefix either)."""

    def params(items: list[Item]) -> dict[str, Any]:
        return {"ResourceType": resource_type, "ResourceIds": [id_field(i) for i in items]}

    return BatchDetail(
        "list_tags_for_resources", params, size=10, result="ResourceTagSets", key="ResourceId",
        item_key=id_field, value="Tags", into="Tags", default=[],
    )  # fmt: skip


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


# Relationships (`Link`): the kinds and targets most types share, one line each at the type.
VPC, SUBNET, SG = "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::SecurityGroup"
ROLE, KMS_KEY = "AWS::IAM::Role", "AWS::KMS::Key"
# Ids (not ARNs) of keys and roles, for the types that reference them by id or name.
_KEY_ARN = "arn:{partition}:kms:{region}:{account}:key/{KeyId}"
_ROLE_ARN = "arn:{partition}:iam::{account}:role/{RoleName}"


def in_vpc(path: str = "VpcId") -> Link:
    return Link("in_vpc", VPC, path)


def in_subnet(path: str) -> Link:
    return Link("in_subnet", SUBNET, path)


def uses_sg(path: str) -> Link:
    return Link("uses_security_group", SG, path)


def encrypted_with(path: str) -> Link:
    """A KMS key by id or ARN; an alias name (``alias/aws/sqs``) is not a key and is left out."""
    return Link("encrypted_with", KMS_KEY, f"[{path}][] | [?!starts_with(@, 'alias/')]", _KEY_ARN)


def role(path: str, kind: str = "assumes_role") -> Link:
    return Link(kind, ROLE, path, _ROLE_ARN)


def network(vpc: str | None, subnets: str | None, groups: str | None) -> tuple[Link, ...]:
    """The usual trio of a resource placed in a VPC."""
    out = [in_vpc(vpc)] if vpc else []
    out += [in_subnet(subnets)] if subnets else []
    out += [uses_sg(groups)] if groups else []
    return tuple(out)
