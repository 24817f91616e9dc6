"""`resource_id` is unique within (account, region, type): AWS's primary identifiers.

A property over the registry, on synthetic items made from botocore's output shapes: two
items that differ only in what scopes the id (the parent of a child type, a part of
CloudFormation's composite `primaryIdentifier`, or the field AWS's API reference says scopes
the name) must get two ids. tests/test_types_moto.py checks the same on moto's answers
(`test_ids_are_unique_within_scope_and_type`).
"""

from __future__ import annotations

from typing import Any

import pytest

from collector.engine.normalize import normalize
from collector.records import Scope
from collector.registry import REGISTRY, ResourceType
from tests.references import ACCOUNT, cfn_schemas, synthetic_item

# Child types whose own id is unique without the parent's.
UNIQUE_ALONE = {
    "AWS::Organizations::OrganizationalUnit": "ou-<root>-<random>, unique in the organization",
    # UUIDs; CloudFormation's primaryIdentifier is ProjectId / DashboardId alone.
    "AWS::IoTSiteWise::Project": "a UUID, unique in the account and region",
    "AWS::IoTSiteWise::Dashboard": "a UUID, unique in the account and region",
}
# Parts of CloudFormation's composite primaryIdentifier that the id leaves out, and why.
PARTS_NOT_IN_ID = {
    ("AWS::EC2::EIP", "PublicIp"): "the allocation id alone is unique",
    ("AWS::ECS::Service", "ServiceArn"): "the service name stands for it within its cluster",
    ("AWS::Glue::Table", "CatalogId"): "the account's own catalog: GetTables without CatalogId",
    ("AWS::SSO::PermissionSet", "InstanceArn"): "the id is the permission set's ARN, which "
    "names its instance (permissionSet/<instance id>/<id>)",
    ("AWS::ApiGateway::Authorizer", "AuthorizerId"): "the list item calls it id, which the id "
    "includes (restApiId/id)",
    ("AWS::GroundStation::MissionProfile", "Arn"): "the id (a UUID) is unique alone; the ARN "
    "is mission-profile/<id>",
    ("AWS::AppConfig::ConfigurationProfile", "ConfigurationProfileId"): "the list item calls "
    "it Id, which the id includes (ApplicationId/Id)",
    ("AWS::AppConfig::Environment", "EnvironmentId"): "the list item calls it Id, which the id "
    "includes (ApplicationId/Id)",
    ("AWS::ElasticBeanstalk::ApplicationVersion", "Id"): "the API has no version id: "
    "VersionLabel identifies a version within its application",
    **{
        (f"AWS::QuickSight::{kind}", "AwsAccountId"): "the scope's own account (the list call "
        "is sent with it), which scopes every record"
        for kind in ("DataSource", "Template", "Theme")
    },
    **{
        (f"AWS::WAFv2::{kind}", part): "Id (a UUID) is unique alone; Scope is REGIONAL"
        for kind in ("WebACL", "IPSet", "RuleGroup", "RegexPatternSet")
        for part in ("Name", "Scope")
    },
}
# Names unique only within another field that is neither a parent nor in CloudFormation's
# primaryIdentifier, with the AWS API page that says so.
SCOPED_BY = {
    "AWS::AutoScaling::ScalingPolicy": (
        "AutoScalingGroupName",
        "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html",
    ),
}

SCOPE = Scope(ACCOUNT, "eu-west-1")


def _id_is_arn(rtype: ResourceType) -> bool:
    return isinstance(rtype.id, str) and rtype.id == rtype.arn


def _vary(item: dict[str, Any], part: str) -> dict[str, Any]:
    """The item with every member naming `part` (cluster: cluster, clusterArn) changed."""
    changed = {k: f"{v}-other" for k, v in item.items() if part.lower() in k.lower()}
    assert changed, f"the item has no member for {part}"
    return {**item, **changed}


def _ids_differ(rtype: ResourceType, part: str) -> tuple[str, str]:
    item = synthetic_item(rtype, arns=True)
    first = normalize(rtype, SCOPE, item).resource_id
    second = normalize(rtype, SCOPE, _vary(item, part)).resource_id
    return first, second


CHILDREN = sorted(
    (t for t in REGISTRY.values() if t.parent and not _id_is_arn(t)),
    key=lambda t: t.resource_type,
)


@pytest.mark.parametrize("rtype", CHILDREN, ids=lambda t: t.resource_type)
def test_child_id_includes_the_parent(rtype: ResourceType) -> None:
    if rtype.resource_type in UNIQUE_ALONE:
        return
    for part in rtype.parent_params:
        first, second = _ids_differ(rtype, part)
        assert first != second, f"{rtype.resource_type}: id {first!r} ignores parent {part}"


def _composite() -> list[tuple[str, str]]:
    out = []
    for name in sorted(REGISTRY):
        schema = cfn_schemas().get(name, {})
        parts = [p.removeprefix("/properties/") for p in schema.get("primaryIdentifier", [])]
        if len(parts) > 1:
            out += [(name, p) for p in parts]
    out += [(name, part) for name, (part, _) in SCOPED_BY.items()]
    return out


@pytest.mark.parametrize(("name", "part"), _composite())
def test_id_includes_every_part_of_the_primary_identifier(name: str, part: str) -> None:
    if (name, part) in PARTS_NOT_IN_ID:
        return
    first, second = _ids_differ(REGISTRY[name], part)
    assert first != second, f"{name}: id {first!r} ignores {part}"


def test_exceptions_are_about_registered_types() -> None:
    assert {n for n, _ in PARTS_NOT_IN_ID} <= set(REGISTRY)
    assert set(UNIQUE_ALONE) | set(SCOPED_BY) <= set(REGISTRY)
    assert len(_composite()) >= 15
