"""The IAM permissions each resource type's calls need, derived from its declaration.

A call's action is `<IAM prefix>:<Operation>`: the operation as botocore's model spells it
(`describe_instances` -> `DescribeInstances`) under the service's IAM prefix, which is the
model's `signingName` (elbv2 signs as `elasticloadbalancing`, stepfunctions as `states`) unless
`IAM_PREFIX` says otherwise. Where IAM names a call differently, the declaration says so in its
`iam` field (S3 ListBuckets is s3:ListAllMyBuckets; API Gateway authorizes HTTP verbs on
paths), and the generic fallback's few such operations are in `GENERIC_ACTIONS`.

A type's calls are its list call, its detail calls, and the list calls of its parents (a child
type lists its parent's items to know whom to ask; the parent's details are not called).
tests/test_permissions.py checks every derived action against the Service Authorization
Reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import botocore.session
from botocore import xform_name

from collector.registry import REGISTRY
from collector.registry.base import Grant, ResourceType

# Services whose IAM prefix is not their botocore model's signingName.
IAM_PREFIX = {
    # CloudWatch signs requests as "monitoring"; its IAM actions are cloudwatch:*.
    "cloudwatch": "cloudwatch",
}

# Operations of the generic fallback whose IAM action is not <prefix>:<Operation> (curated
# types declare theirs in their `iam` field).
GENERIC_ACTIONS: dict[tuple[str, str], tuple[Grant, ...]] = {
    # Directory buckets belong to S3 Express One Zone, which has its own IAM prefix.
    ("s3", "list_directory_buckets"): (Grant("s3express:ListAllMyDirectoryBuckets"),),
    # IAM spells it DescribeAcls (action names are case-insensitive, the reference is not).
    ("memorydb", "describe_acls"): (Grant("memorydb:DescribeAcls"),),
}


@dataclass(frozen=True)
class Call:
    """One API call a type makes and what it needs: `role` is list, detail or parent."""

    resource_type: str
    service: str
    operation: str
    role: str
    grants: tuple[Grant, ...]


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def _operations(service: str) -> dict[str, str]:
    """botocore method name -> the model's operation name, for one service."""
    model = _session().get_service_model(service)
    return {xform_name(op): op for op in model.operation_names}


@cache
def iam_prefix(service: str) -> str:
    """The IAM service prefix of a botocore service (ec2 -> ec2, elbv2 -> elasticloadbalancing)."""
    if service in IAM_PREFIX:
        return IAM_PREFIX[service]
    metadata = _session().get_service_model(service).metadata
    return str(metadata.get("signingName") or metadata["endpointPrefix"])


def operation_name(service: str, operation: str) -> str:
    """The model's name of a botocore method (`describe_db_instances` -> `DescribeDBInstances`)."""
    return _operations(service)[operation]


def derived(service: str, operation: str) -> tuple[Grant, ...]:
    """The permission a call needs when its declaration says nothing: the action named after
    the operation, on every resource."""
    declared = GENERIC_ACTIONS.get((service, operation))
    if declared is not None:
        return declared
    return (Grant(f"{iam_prefix(service)}:{operation_name(service, operation)}"),)


def _grants(service: str, operation: str, declared: tuple[Grant, ...] | None) -> tuple[Grant, ...]:
    return declared if declared is not None else derived(service, operation)


def calls(rtype: ResourceType) -> list[Call]:
    """Every call a type makes when it is collected: its list call, its details, and the list
    calls of its parents up to the root."""
    name = rtype.resource_type
    out = [Call(name, rtype.service, rtype.operation, "list",
                _grants(rtype.service, rtype.operation, rtype.iam))]  # fmt: skip
    for detail in rtype.details:
        grants = _grants(rtype.service, detail.operation, detail.iam)
        out.append(Call(name, rtype.service, detail.operation, "detail", grants))
    parent_name = rtype.parent
    while parent_name is not None:
        parent = REGISTRY[parent_name]
        grants = _grants(parent.service, parent.operation, parent.iam)
        out.append(Call(name, parent.service, parent.operation, "parent", grants))
        parent_name = parent.parent
    return out


def type_grants(rtype: ResourceType) -> list[Grant]:
    """The permissions one type needs, without repeats, sorted."""
    return sorted({g for call in calls(rtype) for g in call.grants}, key=_order)


def grants_for(types: Iterable[ResourceType]) -> list[Grant]:
    """The permissions all of `types` need, without repeats, sorted."""
    return sorted({g for t in types for g in type_grants(t)}, key=_order)


def _order(grant: Grant) -> tuple[str, str]:
    return (grant.action.lower(), grant.resource)
