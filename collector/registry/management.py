"""Management and governance: CloudTrail, CloudWatch, Logs, SSM, Organizations, developer tools,
Cloud Map."""

from __future__ import annotations

from collector.registry._common import (
    LOWER_TAGS,
    arn_tags_detail,
    encrypted_with,
    lower_tags,
    network,
    role,
    tags_detail,
)
from collector.registry.base import BatchDetail, Detail, Link, ResourceType

# Cloud Map namespaces, one CloudFormation type per namespace Type (until 0005 one type,
# AWS::ServiceDiscovery::Namespace, which stays an alias of the three).
NAMESPACE_TYPES = {
    "HttpNamespace": "HTTP",
    "PrivateDnsNamespace": "DNS_PRIVATE",
    "PublicDnsNamespace": "DNS_PUBLIC",
}


def _namespace(kind: str, value: str) -> ResourceType:
    return ResourceType(
        f"AWS::ServiceDiscovery::{kind}", "servicediscovery", "list_namespaces", "Namespaces[]",
        id="Id", arn="Arn", name="Name", created="CreateDate", page_size=100,
        params={"Filters": [{"Name": "TYPE", "Values": [value], "Condition": "EQ"}]},
        # The filter again: moto (and any API that ignores Filters) answers every namespace.
        where=f"Type == '{value}'",
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "Arn"),), tags="Tags",
    )  # fmt: skip


# Organizations answers these outside an organization's management (or delegated) account:
# the types do not apply there, which is not an error of the run.
_NOT_MANAGEMENT = (
    "AWSOrganizationsNotInUseException",
    "AccessDeniedException",
    "AccessDeniedForDependencyException",
)
_SSM = "arn:{partition}:ssm:{region}:{account}:"


def _ssm_tags(resource_type: str, source: str) -> tuple[Detail, ...]:
    return (
        tags_detail("list_tags_for_resource", "ResourceId", source, "TagList",
                    extra={"ResourceType": resource_type}),
    )  # fmt: skip


def _org_tags() -> tuple[Detail, ...]:
    return (tags_detail("list_tags_for_resource", "ResourceId", "Id"),)


TYPES = (
    # Trails whose home is this region (a multi-region trail shows up in every region).
    ResourceType(
        "AWS::CloudTrail::Trail", "cloudtrail", "describe_trails", "trailList[]", id="Name",
        arn="TrailARN", name="Name", params={"includeShadowTrails": False},
        details=(
            BatchDetail(
                "list_tags", lambda items: {"ResourceIdList": [i["TrailARN"] for i in items]},
                size=20, result="ResourceTagList", key="ResourceId", item_key="TrailARN",
                value="TagsList", into="Tags", default=[],
            ),
        ),
        tags="Tags",
        links=(
            Link("logs_to_bucket", "AWS::S3::Bucket", "S3BucketName"),
            encrypted_with("KmsKeyId"),
            Link("notifies", "AWS::SNS::Topic", "SnsTopicARN"),
            role("CloudWatchLogsRoleArn", "delivers_with_role"),
        ),
    ),
    ResourceType(
        "AWS::CloudWatch::Alarm", "cloudwatch", "describe_alarms", "MetricAlarms[]",
        id="AlarmName", arn="AlarmArn", name="AlarmName", page_size=100,
        params={"AlarmTypes": ["MetricAlarm"]},
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "AlarmArn"),),
        tags="Tags",
        links=(
            Link("notifies", "AWS::SNS::Topic", "AlarmActions[?contains(@, ':sns:')]"),
        ),
    ),
    ResourceType(
        "AWS::CloudWatch::CompositeAlarm", "cloudwatch", "describe_alarms", "CompositeAlarms[]",
        id="AlarmName", arn="AlarmArn", name="AlarmName", page_size=100,
        params={"AlarmTypes": ["CompositeAlarm"]},
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "AlarmArn"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::CloudWatch::Dashboard", "cloudwatch", "list_dashboards", "DashboardEntries[]",
        id="DashboardName", arn="DashboardArn", name="DashboardName", tags="Tags",
        details=(arn_tags_detail("list_tags_for_resource", "ResourceARN"),),
        # "All dashboards in your account are global": every region lists the same ones.
        global_=True,
    ),
    # The ARN without the ":*" that DescribeLogGroups' older `arn` member ends with.
    ResourceType(
        "AWS::Logs::LogGroup", "logs", "describe_log_groups", "logGroups[]",
        id="logGroupName", arn="logGroupArn",
        arn_template="arn:{partition}:logs:{region}:{account}:log-group:{logGroupName}",
        name="logGroupName", created="creationTime", page_size=50,
        details=(tags_detail("list_tags_log_group", "logGroupName", "logGroupName", "tags"),),
        tags="Tags",
        links=(
            encrypted_with("kmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::SSM::Document", "ssm", "list_documents", "DocumentIdentifiers[]", id="Name",
        arn_template=_SSM + "document/{Name}", name="Name", tags="Tags", created="CreatedDate",
        params={"Filters": [{"Key": "Owner", "Values": ["Self"]}]}, page_size=50,
    ),
    ResourceType(
        "AWS::SSM::MaintenanceWindow", "ssm", "describe_maintenance_windows",
        "WindowIdentities[]", id="WindowId", arn_template=_SSM + "maintenancewindow/{WindowId}",
        name="Name", page_size=100, details=_ssm_tags("MaintenanceWindow", "WindowId"),
        tags="Tags",
    ),
    ResourceType(
        "AWS::SSM::PatchBaseline", "ssm", "describe_patch_baselines", "BaselineIdentities[]",
        id="BaselineId", arn_template=_SSM + "patchbaseline/{BaselineId}", name="BaselineName",
        params={"Filters": [{"Key": "OWNER", "Values": ["Self"]}]}, page_size=100,
        details=_ssm_tags("PatchBaseline", "BaselineId"),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Organizations::Account", "organizations", "list_accounts", "Accounts[]",
        id="Id", arn="Arn", name="Name", created="JoinedTimestamp", global_=True,
        page_size=20, skip_codes=_NOT_MANAGEMENT,
        details=_org_tags(), tags="Tags",
    ),
    # Not a CloudFormation type: the root is listed as the parent of the OU tree.
    ResourceType(
        "AWS::Organizations::Root", "organizations", "list_roots", "Roots[]", id="Id",
        arn="Arn", name="Name", global_=True, skip_codes=_NOT_MANAGEMENT,
        details=_org_tags(), tags="Tags",
    ),
    ResourceType(
        "AWS::Organizations::OrganizationalUnit", "organizations",
        "list_organizational_units_for_parent", "OrganizationalUnits[]", id="Id", arn="Arn",
        name="Name", global_=True, page_size=20, skip_codes=_NOT_MANAGEMENT,
        parent="AWS::Organizations::Root", parent_params={"ParentId": "Id"}, recursive=True,
        parent_absent_codes=("ParentNotFoundException",),
        details=_org_tags(), tags="Tags",
    ),
    # Service control policies; the AWS-managed FullAWSAccess is everyone's, not the account's.
    ResourceType(
        "AWS::Organizations::Policy", "organizations", "list_policies", "Policies[]", id="Id",
        arn="Arn", name="Name", global_=True, page_size=20,
        params={"Filter": "SERVICE_CONTROL_POLICY"}, where="!AwsManaged",
        skip_codes=_NOT_MANAGEMENT, details=_org_tags(), tags="Tags",
    ),
    ResourceType(
        "AWS::CodeBuild::Project", "codebuild", "list_projects", "projects[]", item_key="name",
        id="name", arn="arn", name="name", created="created", tags=LOWER_TAGS,
        details=(
            BatchDetail(
                "batch_get_projects", lambda items: {"names": [i["name"] for i in items]},
                size=100, result="projects", key="name", item_key="name", into=None,
                drop_missing=True,
            ),
        ),
        links=(
            role("serviceRole", "uses_service_role"),
            *network("vpcConfig.vpcId", "vpcConfig.subnets[]", "vpcConfig.securityGroupIds[]"),
            encrypted_with("encryptionKey"),
        ),
    ),
    ResourceType(
        "AWS::CodePipeline::Pipeline", "codepipeline", "list_pipelines", "pipelines[]",
        id="name", arn_template="arn:{partition}:codepipeline:{region}:{account}:{name}",
        name="name", created="created", page_size=1000, tags=lower_tags("Tags"),
        details=(arn_tags_detail("list_tags_for_resource", "resourceArn", "tags"),),
    ),
    ResourceType(
        "AWS::CodeCommit::Repository", "codecommit", "list_repositories", "repositories[]",
        id="repositoryName", arn="Arn", name="repositoryName", created="creationDate",
        details=(
            # BatchGetRepositories takes 100 names (MaximumRepositoryNamesExceededException).
            # A name it cannot answer (gone, or its KMS key unusable: `errors`) leaves the item
            # without its Arn: dropped and named, as when GetRepository failed for it.
            BatchDetail(
                "batch_get_repositories",
                lambda items: {"repositoryNames": [i["repositoryName"] for i in items]},
                size=100, result="repositories", key="repositoryName",
                item_key="repositoryName", into=None,
            ),
            tags_detail("list_tags_for_resource", "resourceArn", "Arn", "tags"),
        ),
        tags="Tags",
    ),
    *(_namespace(kind, value) for kind, value in NAMESPACE_TYPES.items()),
)  # fmt: skip
