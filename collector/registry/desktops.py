"""Desktops and streamed applications: AppStream 2.0, WorkSpaces, Cloud9.

Tags are read per item: none of these lists returns them and none has a batch tag API.
"""

from __future__ import annotations

from collector.registry._common import in_subnet, network, role, tags_detail
from collector.registry.base import BatchDetail, ResourceType

_APPSTREAM_TAGS = (tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),)

TYPES = (
    ResourceType(
        "AWS::AppStream::Application", "appstream", "describe_applications", "Applications[]",
        id="Name", arn="Arn", name="Name", created="CreatedTime", next_token="NextToken",
        details=_APPSTREAM_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::AppStream::Fleet", "appstream", "describe_fleets", "Fleets[]", id="Name",
        arn="Arn", name="Name", created="CreatedTime", details=_APPSTREAM_TAGS, tags="Tags",
        links=(role("IamRoleArn"),
               *network(None, "VpcConfig.SubnetIds", "VpcConfig.SecurityGroupIds")),
    ),
    ResourceType(
        "AWS::AppStream::Stack", "appstream", "describe_stacks", "Stacks[]", id="Name",
        arn="Arn", name="Name", created="CreatedTime", details=_APPSTREAM_TAGS, tags="Tags",
    ),
    # Aliases shared with this account by their owner are the owner's resources.
    ResourceType(
        "AWS::WorkSpaces::ConnectionAlias", "workspaces", "describe_connection_aliases",
        "ConnectionAliases[]", id="AliasId", name="ConnectionString",
        arn_template="arn:{partition}:workspaces:{region}:{account}:connectionalias/{AliasId}",
        owner="OwnerAccountId", next_token="NextToken",
        details=(tags_detail("describe_tags", "ResourceId", "AliasId", "TagList"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::WorkSpaces::Workspace", "workspaces", "describe_workspaces", "Workspaces[]",
        id="WorkspaceId", name="WorkspaceName",
        arn_template="arn:{partition}:workspaces:{region}:{account}:workspace/{WorkspaceId}",
        details=(tags_detail("describe_tags", "ResourceId", "WorkspaceId", "TagList"),),
        tags="Tags", links=(in_subnet("SubnetId"),),
    ),
    # ListEnvironments gives ids only; DescribeEnvironments reads up to 25 at once. SSH
    # environments (type "ssh") run on the user's own server, not EnvironmentEC2: the
    # describe answer leaves them out, and drop_missing drops them (`where` applies before
    # details, when the type is not known yet).
    ResourceType(
        "AWS::Cloud9::EnvironmentEC2", "cloud9", "list_environments", "environmentIds[]",
        item_key="id", id="id", arn="arn", name="name",
        arn_template="arn:{partition}:cloud9:{region}:{account}:environment:{id}",
        details=(
            BatchDetail(
                "describe_environments", lambda items: {"environmentIds": [i["id"] for i in items]},
                size=25, result="environments[?type == 'ec2']", key="id", item_key="id", into=None,
                drop_missing=True,
            ),
            tags_detail("list_tags_for_resource", "ResourceARN", "arn"),
        ),
        tags="Tags",
    ),
)  # fmt: skip

NOT_COLLECTED: dict[str, str] = {
    "AWS::AppStream::DirectoryConfig": "needs engine support: a directory config has no ARN "
    "(AppStream's API and the Service Authorization Reference have none), and every record "
    "is keyed by its ARN",
}

NOT_IN_MOTO: dict[str, str] = {
    **{
        f"AWS::AppStream::{kind}": "moto does not implement AppStream"
        for kind in ("Application", "Fleet", "Stack")
    },
    "AWS::WorkSpaces::ConnectionAlias": "moto does not implement DescribeConnectionAliases",
    "AWS::Cloud9::EnvironmentEC2": "moto does not implement Cloud9",
}  # fmt: skip
