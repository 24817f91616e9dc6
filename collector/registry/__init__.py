"""Every supported resource type, by CloudFormation name."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Sequence

from collector.registry import (
    access_grants,
    api_routes,
    app_platforms,
    appconfig,
    audit_trails,
    automation,
    cfn_left_out,
    compute,
    contact_center,
    containers,
    data,
    data_access,
    data_guard,
    data_stores,
    desktops,
    devtools,
    ec2,
    ec2_extra,
    edge_access,
    governance,
    governance_more,
    iam,
    integration,
    iot,
    iot_industrial,
    machine_learning,
    management,
    media,
    messaging,
    network,
    network_services,
    observability,
    route53_more,
    s3,
    s3_more,
    security,
    security_ops,
    services,
    streaming,
    traffic_more,
    transfer,
    waf_shield,
    workflows,
    workloads_more,
)
from collector.registry.base import BatchDetail, Detail, ListingDetail, ResourceType
from collector.registry.references import ALIASES

__all__ = [
    "ALIASES",
    "CORE_TYPES",
    "LEFT_OUT",
    "MODULE_NOT_IN_MOTO",
    "NOT_COLLECTED",
    "REGISTRY",
    "BatchDetail",
    "Detail",
    "ListingDetail",
    "ResourceType",
    "UnknownTypePattern",
    "all_generic_types",
    "select_types",
]

_MODULES = (
    ec2, iam, s3, services, network, compute, data, messaging, security, management,
    iot, iot_industrial, transfer, media, desktops, app_platforms,
    ec2_extra, route53_more, network_services, waf_shield, s3_more,
    appconfig, devtools, containers, security_ops, observability, integration,
    governance,
    data_stores, streaming, machine_learning, contact_center,
    api_routes, workflows, automation, audit_trails, data_access, edge_access, cfn_left_out,
    access_grants, governance_more, workloads_more, data_guard, traffic_more,
)  # fmt: skip
REGISTRY: dict[str, ResourceType] = {t.resource_type: t for m in _MODULES for t in m.TYPES}
if len(REGISTRY) != sum(len(m.TYPES) for m in _MODULES):  # pragma: no cover
    raise RuntimeError("a resource type is declared twice")

# A family module may also say which AWS Config types it does not collect (`NOT_COLLECTED`,
# type -> why: no list API, needs an identifier nobody can list, ...), which CloudFormation-only
# types people ask for it leaves out (`LEFT_OUT`, cfn_left_out.py) and which of its types moto
# cannot serve (`NOT_IN_MOTO`, type -> why; those are tested on the simulated endpoint).
NOT_COLLECTED: dict[str, str] = {
    k: v for m in _MODULES for k, v in getattr(m, "NOT_COLLECTED", {}).items()
}
LEFT_OUT: dict[str, str] = {k: v for m in _MODULES for k, v in getattr(m, "LEFT_OUT", {}).items()}
MODULE_NOT_IN_MOTO: dict[str, str] = {
    k: v for m in _MODULES for k, v in getattr(m, "NOT_IN_MOTO", {}).items()
}

# The types the demo seeds and the end-to-end tests check in every account and region.
CORE_TYPES = frozenset(
    {
        "AWS::EC2::Instance", "AWS::EC2::Volume", "AWS::EC2::Snapshot", "AWS::EC2::SecurityGroup",
        "AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::NetworkInterface", "AWS::EC2::Image",
        "AWS::EC2::EIP", "AWS::EC2::InternetGateway", "AWS::EC2::NatGateway",
        "AWS::EC2::RouteTable", "AWS::EC2::KeyPair", "AWS::S3::Bucket", "AWS::IAM::User",
        "AWS::IAM::Role", "AWS::IAM::Group", "AWS::IAM::ManagedPolicy", "AWS::Lambda::Function",
        "AWS::RDS::DBInstance", "AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::SNS::Topic",
        "AWS::KMS::Key", "AWS::CloudFormation::Stack", "AWS::Route53::HostedZone",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
    }
)  # fmt: skip


class UnknownTypePattern(ValueError):
    def __init__(self, pattern: str, suggestions: Sequence[str]) -> None:
        self.pattern = pattern
        self.suggestions = list(suggestions)
        super().__init__(pattern)


def _matches(pattern: str, names: Iterable[str]) -> list[str]:
    # Case-insensitive, because people type aws::ec2::instance as often as the canonical form.
    return [n for n in names if fnmatch.fnmatchcase(n.lower(), pattern.lower())]


def _expand(pattern: str, names: Sequence[str]) -> list[str]:
    """The names a pattern matches; a former type name (ALIASES) stands for its new ones."""
    found = _matches(pattern, names)
    for alias in _matches(pattern, ALIASES):
        found += [n for n in ALIASES[alias] if n in names and n not in found]
    return found


def all_generic_types() -> dict[str, ResourceType]:
    """The generic fallback types of every service the registry knows (made on demand)."""
    from collector.registry.generic import generic_types

    return {t.resource_type: t for t in generic_types(REGISTRY.values())}


def select_types(
    include: Sequence[str], exclude: Sequence[str], *, generic: bool = False
) -> list[ResourceType]:
    """The registry entries matching any include pattern and no exclude pattern, in a stable order.
    A pattern that matches nothing is an error: a typo must not silently shrink the inventory.

    With `generic`, the generic types (`generic:<service>:<Operation>`) of the services of the
    chosen curated types come too, and so do those an include pattern names; exclude patterns
    apply to them as well (`generic:ec2:*`).
    """

    names = sorted(REGISTRY)
    extra = all_generic_types() if generic else {}
    pool = [*names, *sorted(extra)]
    for pattern in [*include, *exclude]:
        if not _expand(pattern, pool):
            raise UnknownTypePattern(
                pattern, difflib.get_close_matches(pattern, pool, n=3, cutoff=0.5)
            )
    excluded = {n for p in exclude for n in _expand(p, pool)}
    chosen = {n for p in include for n in _expand(p, names)} - excluded
    out = [REGISTRY[n] for n in names if n in chosen]
    if generic:
        services = {t.service for t in out}
        wanted = {n for n, t in extra.items() if t.service in services}
        wanted |= {n for p in include for n in _matches(p, list(extra))}
        out += [extra[n] for n in sorted(wanted - excluded)]
    return out
