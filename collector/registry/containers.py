"""Containers and batch compute: Batch, ECS capacity providers and task sets, EKS identity
provider configs, App Runner, Elastic Beanstalk application versions."""

from __future__ import annotations

from collector.registry._common import (
    LOWER_TAGS,
    in_subnet,
    joined,
    last_segment,
    role,
    tags_detail,
    uses_sg,
)
from collector.registry.base import BatchDetail, Detail, Item, Link, ResourceType


def _task_set_id(item: Item) -> str:
    """cluster/service/task set id (a task set id is unique within its service)"""
    cluster = str(item["clusterArn"]).rsplit("/", 1)[-1]
    service = str(item["serviceArn"]).rsplit("/", 1)[-1]
    return f"{cluster}/{service}/{item['id']}"


def _identity_provider(item: Item) -> dict[str, object]:
    return {
        "clusterName": item["clusterName"],
        "identityProviderConfig": {"type": item["type"], "name": item["name"]},
    }


TYPES = (
    ResourceType(
        "AWS::Batch::ComputeEnvironment", "batch", "describe_compute_environments",
        "computeEnvironments[]", id="computeEnvironmentName", arn="computeEnvironmentArn",
        name="computeEnvironmentName", tags="tags",
        links=(
            role("serviceRole", "uses_service_role"),
            in_subnet("computeResources.subnets[]"),
            uses_sg("computeResources.securityGroupIds[]"),
            Link("runs_on", "AWS::ECS::Cluster", "ecsClusterArn"),
        ),
    ),
    ResourceType(
        "AWS::Batch::JobQueue", "batch", "describe_job_queues", "jobQueues[]",
        id="jobQueueName", arn="jobQueueArn", name="jobQueueName", tags="tags",
        links=(
            Link("uses_compute_environment", "AWS::Batch::ComputeEnvironment",
                 "computeEnvironmentOrder[].computeEnvironment"),
            Link("uses_scheduling_policy", "AWS::Batch::SchedulingPolicy",
                 "schedulingPolicyArn"),
        ),
    ),
    # The list holds ARNs only; DescribeSchedulingPolicies takes up to 100 of them.
    ResourceType(
        "AWS::Batch::SchedulingPolicy", "batch", "list_scheduling_policies",
        "schedulingPolicies[]", id=last_segment("/", "arn"), arn="arn", name="name",
        tags="tags",
        details=(
            BatchDetail(
                "describe_scheduling_policies",
                lambda items: {"arns": [i["arn"] for i in items]},
                size=100, result="schedulingPolicies", key="arn", item_key="arn", into=None,
                drop_missing=True,
            ),
        ),
    ),
    # FARGATE and FARGATE_SPOT are AWS's, listed in every account.
    ResourceType(
        "AWS::ECS::CapacityProvider", "ecs", "describe_capacity_providers",
        "capacityProviders[]", id="name", arn="capacityProviderArn", name="name",
        tags=LOWER_TAGS, params={"include": ["TAGS"]}, next_token="nextToken",
        where="!contains(['FARGATE', 'FARGATE_SPOT'], name)",
        links=(
            Link("scales_group", "AWS::AutoScaling::AutoScalingGroup",
                 "autoScalingGroupProvider.autoScalingGroupArn"),
        ),
    ),
    # Only services with the EXTERNAL deployment controller have task sets. For the others ECS
    # is expected to answer InvalidParameterException (not checked against AWS yet): "none".
    ResourceType(
        "AWS::ECS::TaskSet", "ecs", "describe_task_sets", "taskSets[]", id=_task_set_id,
        arn="taskSetArn", tags=LOWER_TAGS, created="createdAt", params={"include": ["TAGS"]},
        parent="AWS::ECS::Service",
        # The parent's list item (before its details): the cluster it was listed in, its ARN.
        parent_params={"cluster": "cluster", "service": "serviceArn"},
        parent_absent_codes=("ServiceNotFoundException", "ClusterNotFoundException",
                             "InvalidParameterException"),
        links=(
            Link("member_of", "AWS::ECS::Service", "serviceArn"),
            Link("runs_task_definition", "AWS::ECS::TaskDefinition", "taskDefinition"),
        ),
    ),
    # The list holds type and name; the ARN (with its UUID) and tags come from the describe.
    ResourceType(
        "AWS::EKS::IdentityProviderConfig", "eks", "list_identity_provider_configs",
        "identityProviderConfigs[]",
        id=joined("clusterName", "type", "identityProviderConfigName"),
        arn="identityProviderConfigArn", name="identityProviderConfigName", tags="tags",
        parent="AWS::EKS::Cluster", parent_params={"clusterName": "name"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(
            Detail("describe_identity_provider_config", _identity_provider,
                   "identityProviderConfig.oidc", into=None),
        ),
        links=(
            Link("member_of", "AWS::EKS::Cluster", "clusterName",
                 "arn:{partition}:eks:{region}:{account}:cluster/{name}"),
        ),
    ),
    ResourceType(
        "AWS::AppRunner::Service", "apprunner", "list_services", "ServiceSummaryList[]",
        id="ServiceId", arn="ServiceArn", name="ServiceName", created="CreatedAt",
        next_token="NextToken",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "ServiceArn"),),
        tags="Tags",
    ),
    # Every revision of a connector is listed, each with its own ARN.
    ResourceType(
        "AWS::AppRunner::VpcConnector", "apprunner", "list_vpc_connectors", "VpcConnectors[]",
        id="VpcConnectorArn", arn="VpcConnectorArn", name="VpcConnectorName",
        created="CreatedAt", next_token="NextToken",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "VpcConnectorArn"),),
        tags="Tags",
        links=(
            in_subnet("Subnets[]"), uses_sg("SecurityGroups[]"),
        ),
    ),
    ResourceType(
        "AWS::ElasticBeanstalk::ApplicationVersion", "elasticbeanstalk",
        "describe_application_versions", "ApplicationVersions[]",
        id=joined("ApplicationName", "VersionLabel"), arn="ApplicationVersionArn",
        name="VersionLabel", created="DateCreated",
        links=(
            Link("member_of", "AWS::ElasticBeanstalk::Application", "ApplicationName",
                 "arn:{partition}:elasticbeanstalk:{region}:{account}:application/{name}"),
        ),
    ),
)  # fmt: skip

NOT_COLLECTED = {
    "AWS::AutoScaling::WarmPool": "has no ARN of its own (part of its Auto Scaling group, "
    "DescribeWarmPool per group); needs engine support for resources without an ARN",
}

NOT_IN_MOTO = {
    "AWS::ECS::CapacityProvider": (
        "moto's DescribeCapacityProviders fails (TypeError) without capacityProviders"
    ),
    "AWS::EKS::IdentityProviderConfig": (
        "moto does not implement ListIdentityProviderConfigs/DescribeIdentityProviderConfig"
    ),
    "AWS::AppRunner::Service": "moto does not implement ListServices/ListTagsForResource",
    "AWS::AppRunner::VpcConnector": (
        "moto does not implement ListVpcConnectors/ListTagsForResource"
    ),
    "AWS::ElasticBeanstalk::ApplicationVersion": (
        "moto does not implement DescribeApplicationVersions"
    ),
}
