"""Application platforms: Amplify, Lightsail, Mainframe Modernization (M2), Device Farm.

Amplify and Lightsail return tags in their lists; M2 and Device Farm only per item.
"""

from __future__ import annotations

from collector.registry._common import lower_tags, role, tags_detail
from collector.registry.base import ResourceType

_DEVICEFARM_TAGS = (tags_detail("list_tags_for_resource", "ResourceARN", "arn"),)

TYPES = (
    ResourceType(
        "AWS::Amplify::App", "amplify", "list_apps", "apps[]", id="appId", arn="appArn",
        name="name", created="createTime", tags="tags",
        links=(role("iamServiceRoleArn", "uses_service_role"),),
    ),
    ResourceType(
        "AWS::Amplify::Branch", "amplify", "list_branches", "branches[]", id="branchArn",
        arn="branchArn", name="branchName", created="createTime", tags="tags",
        parent="AWS::Amplify::App", parent_params={"appId": "appId"},
        parent_absent_codes=("NotFoundException",),
    ),
    ResourceType(
        "AWS::Lightsail::Disk", "lightsail", "get_disks", "disks[]", id="name", arn="arn",
        name="name", created="createdAt", tags=lower_tags(),
    ),
    ResourceType(
        "AWS::Lightsail::StaticIp", "lightsail", "get_static_ips", "staticIps[]", id="name",
        arn="arn", name="name", created="createdAt",
    ),
    # Lightsail's Get* calls page with pageToken and answer nextPageToken (no paginator).
    ResourceType(
        "AWS::Lightsail::Bucket", "lightsail", "get_buckets", "buckets[]", id="name",
        arn="arn", name="name", created="createdAt", tags=lower_tags(),
        next_token=("pageToken", "nextPageToken"),
    ),
    # The details (creation time) come in the same answer when asked for.
    ResourceType(
        "AWS::Lightsail::Certificate", "lightsail", "get_certificates", "certificates[]",
        id="certificateName", arn="certificateArn", name="certificateName",
        created="certificateDetail.createdAt", tags=lower_tags(),
        params={"includeCertificateDetails": True}, next_token=("pageToken", "nextPageToken"),
    ),
    ResourceType(
        "AWS::M2::Environment", "m2", "list_environments", "environments[]",
        id="environmentId", arn="environmentArn", name="name", created="creationTime",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "environmentArn",
                             "tags"),),
        tags="Tags",
    ),
    # Device Farm's endpoint is in us-west-2 only; its ids are ARNs.
    ResourceType(
        "AWS::DeviceFarm::InstanceProfile", "devicefarm", "list_instance_profiles",
        "instanceProfiles[]", id="arn", arn="arn", name="name", details=_DEVICEFARM_TAGS,
        tags="Tags",
    ),
    ResourceType(
        "AWS::DeviceFarm::Project", "devicefarm", "list_projects", "projects[]", id="arn",
        arn="arn", name="name", created="created", details=_DEVICEFARM_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::DeviceFarm::TestGridProject", "devicefarm", "list_test_grid_projects",
        "testGridProjects[]", id="arn", arn="arn", name="name", created="created",
        next_token="nextToken", details=_DEVICEFARM_TAGS, tags="Tags",
    ),
)  # fmt: skip

NOT_COLLECTED: dict[str, str] = {
    "AWS::Panorama::Package": "needs engine support: botocore's endpoint data lists no region "
    "for Panorama, and the engine calls a service only in the regions listed there",
    **{
        f"AWS::RoboMaker::{kind}": "AWS RoboMaker is discontinued: botocore no longer ships "
        "its API"
        for kind in ("RobotApplication", "RobotApplicationVersion", "SimulationApplication")
    },
}

NOT_IN_MOTO: dict[str, str] = {
    "AWS::Amplify::App": "moto does not implement Amplify",
    "AWS::Amplify::Branch": "moto does not implement Amplify",
    "AWS::Lightsail::Disk": "moto does not implement Lightsail",
    "AWS::Lightsail::StaticIp": "moto does not implement Lightsail",
    "AWS::Lightsail::Bucket": "moto does not implement Lightsail",
    "AWS::Lightsail::Certificate": "moto does not implement Lightsail",
    "AWS::M2::Environment": "moto does not implement Mainframe Modernization",
    **{
        f"AWS::DeviceFarm::{kind}": "moto does not implement Device Farm"
        for kind in ("InstanceProfile", "Project", "TestGridProject")
    },
}  # fmt: skip
