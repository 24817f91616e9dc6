"""Compute and containers: launch templates, Auto Scaling, Lambda extras, ECS, EKS, ECR, more."""

from __future__ import annotations

from collector.registry._common import (
    LOWER_TAGS,
    SG,
    arn_tags_detail,
    describe,
    encrypted_with,
    in_subnet,
    joined,
    network,
    role,
    tags_detail,
    uses_sg,
)
from collector.registry.base import BatchDetail, Detail, Item, Link, ResourceType

_ARN = "arn:{partition}:ec2:{region}:{account}:"


def _ecs_describe(operation: str, member: str, arn_field: str, size: int) -> BatchDetail:
    """DescribeClusters / DescribeServices: up to `size` ARNs a call, tags included."""

    def params(items: list[Item]) -> dict[str, object]:
        out: dict[str, object] = {member: [i[arn_field] for i in items], "include": ["TAGS"]}
        if "cluster" in items[0]:  # services are described per cluster (their parent)
            out["cluster"] = items[0]["cluster"]
        return out

    return BatchDetail(
        operation, params, size=size, result=member, key=arn_field, item_key=arn_field,
        into=None, drop_missing=True,
    )  # fmt: skip


def _ecs_service_id(item: Item) -> str:
    """cluster/serviceName (a service name is unique within its cluster only)"""
    cluster = str(item.get("clusterArn") or item["cluster"]).rsplit("/", 1)[-1]
    return f"{cluster}/{item['serviceName']}"


_EKS_CLUSTER = Link("member_of", "AWS::EKS::Cluster", "clusterName",
                    "arn:{partition}:eks:{region}:{account}:cluster/{name}")


def _eks_child(
    kind: str, list_op: str, items: str, name_key: str, arn_key: str, describe_op: str, result: str,
    links: tuple[Link, ...],
) -> ResourceType:
    """EKS node groups, Fargate profiles and add-ons: listed by name per cluster, then described."""

    def params(item: Item) -> dict[str, object]:
        return {"clusterName": item["clusterName"], name_key: item[name_key]}

    return ResourceType(
        f"AWS::EKS::{kind}", "eks", list_op, items, item_key=name_key,
        id=joined("clusterName", name_key),
        arn=arn_key, name=name_key, created="createdAt", tags="tags", page_size=100,
        parent="AWS::EKS::Cluster", parent_params={"clusterName": "name"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(
            Detail(describe_op, params, result, into=None,
                   absent_codes=("ResourceNotFoundException",)),
        ),
        links=(_EKS_CLUSTER, *links),
    )  # fmt: skip


TYPES = (
    ResourceType(
        "AWS::EC2::LaunchTemplate", "ec2", "describe_launch_templates", "LaunchTemplates[]",
        id="LaunchTemplateId", arn_template=_ARN + "launch-template/{LaunchTemplateId}",
        name="LaunchTemplateName", tags="Tags", created="CreateTime", page_size=200,
    ),
    ResourceType(
        "AWS::EC2::PlacementGroup", "ec2", "describe_placement_groups", "PlacementGroups[]",
        id="GroupId", arn="GroupArn", arn_template=_ARN + "placement-group/{GroupName}",
        name="GroupName", tags="Tags", where="State != 'deleted'",
    ),
    ResourceType(
        "AWS::AutoScaling::AutoScalingGroup", "autoscaling", "describe_auto_scaling_groups",
        "AutoScalingGroups[]", id="AutoScalingGroupName", arn="AutoScalingGroupARN",
        name="AutoScalingGroupName", tags="Tags", created="CreatedTime", page_size=100,
        links=(
            Link("has_member", "AWS::EC2::Instance", "Instances[].InstanceId"),
            Link("registers_in_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup",
                 "TargetGroupARNs[]"),
            Link("registers_in_load_balancer", "AWS::ElasticLoadBalancing::LoadBalancer",
                 "LoadBalancerNames[]"),
            Link("launches_from_template", "AWS::EC2::LaunchTemplate",
                 "LaunchTemplate.LaunchTemplateId"),
            role("ServiceLinkedRoleARN", "uses_service_role"),
        ),
    ),
    ResourceType(
        "AWS::AutoScaling::LaunchConfiguration", "autoscaling", "describe_launch_configurations",
        "LaunchConfigurations[]", id="LaunchConfigurationName", arn="LaunchConfigurationARN",
        name="LaunchConfigurationName", created="CreatedTime", page_size=100,
        links=(
            uses_sg("SecurityGroups[]"),
            Link("launches_image", "AWS::EC2::Image", "ImageId"),
            Link("uses_key_pair", "AWS::EC2::KeyPair", "KeyName"),
        ),
    ),
    ResourceType(
        "AWS::AutoScaling::ScalingPolicy", "autoscaling", "describe_policies",
        # A policy name is unique within its group only (PutScalingPolicy).
        "ScalingPolicies[]", id=joined("AutoScalingGroupName", "PolicyName"), arn="PolicyARN",
        name="PolicyName", page_size=50,
    ),
    ResourceType(
        "AWS::AutoScaling::ScheduledAction", "autoscaling", "describe_scheduled_actions",
        "ScheduledUpdateGroupActions[]", arn="ScheduledActionARN",
        id=joined("AutoScalingGroupName", "ScheduledActionName"),
        name="ScheduledActionName", page_size=100,
    ),
    ResourceType(
        "AWS::Lambda::LayerVersion", "lambda", "list_layer_versions", "LayerVersions[]",
        id="LayerVersionArn", arn="LayerVersionArn", name="LayerName", created="CreatedDate",
        page_size=50, parent="AWS::Lambda::Layer", parent_params={"LayerName": "LayerName"},
        parent_absent_codes=("ResourceNotFoundException",),
    ),
    # Layers have no tags; the layer is its name, each version is a resource of its own.
    ResourceType(
        "AWS::Lambda::Layer", "lambda", "list_layers", "Layers[]", id="LayerName",
        arn="LayerArn", name="LayerName", created="LatestMatchingVersion.CreatedDate",
        page_size=50,
    ),
    ResourceType(
        "AWS::Lambda::Alias", "lambda", "list_aliases", "Aliases[]", id="AliasArn",
        arn="AliasArn", name="Name", page_size=50, parent="AWS::Lambda::Function",
        parent_params={"FunctionName": "FunctionName"},
        parent_absent_codes=("ResourceNotFoundException",),
    ),
    ResourceType(
        "AWS::Lambda::EventSourceMapping", "lambda", "list_event_source_mappings",
        "EventSourceMappings[]", id="UUID", arn="EventSourceMappingArn",
        arn_template="arn:{partition}:lambda:{region}:{account}:event-source-mapping:{UUID}",
        page_size=100, tags="Tags", details=(arn_tags_detail("list_tags", "Resource"),),
        links=(
            Link("invokes", "AWS::Lambda::Function", "FunctionArn"),
            Link("reads_from", "AWS::SQS::Queue", "[EventSourceArn][?contains(@, ':sqs:')]"),
        ),
    ),
    ResourceType(
        "AWS::ECS::Cluster", "ecs", "list_clusters", "clusterArns[]", item_key="clusterArn",
        id="clusterName", arn="clusterArn", name="clusterName", tags=LOWER_TAGS, page_size=100,
        details=(_ecs_describe("describe_clusters", "clusters", "clusterArn", 100),),
    ),
    ResourceType(
        "AWS::ECS::Service", "ecs", "list_services", "serviceArns[]", item_key="serviceArn",
        id=_ecs_service_id, arn="serviceArn", name="serviceName", tags=LOWER_TAGS,
        created="createdAt", page_size=100, parent="AWS::ECS::Cluster",
        parent_params={"cluster": "clusterArn"},
        parent_absent_codes=("ClusterNotFoundException",),
        details=(_ecs_describe("describe_services", "services", "serviceArn", 10),),
        links=(
            Link("member_of", "AWS::ECS::Cluster", "clusterArn"),
            Link("runs_task_definition", "AWS::ECS::TaskDefinition", "taskDefinition"),
            role("roleArn", "uses_service_role"),
            in_subnet("networkConfiguration.awsvpcConfiguration.subnets[]"),
            uses_sg("networkConfiguration.awsvpcConfiguration.securityGroups[]"),
            Link("registers_in_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup",
                 "loadBalancers[].targetGroupArn"),
        ),
    ),
    # Every ACTIVE revision is a resource (family:revision); INACTIVE ones are history.
    ResourceType(
        "AWS::ECS::TaskDefinition", "ecs", "list_task_definitions", "taskDefinitionArns[]",
        item_key="taskDefinitionArn", id="join(':', [family, to_string(revision)])",
        arn="taskDefinitionArn", name="family", tags=LOWER_TAGS, created="registeredAt",
        params={"status": "ACTIVE"}, page_size=100,
        details=(
            Detail(
                "describe_task_definition",
                lambda i: {"taskDefinition": i["taskDefinitionArn"], "include": ["TAGS"]},
                "merge(taskDefinition, {tags: tags})", into=None,
            ),
        ),
        links=(
            role("taskRoleArn"),
            role("executionRoleArn", "executes_with_role"),
        ),
    ),
    ResourceType(
        "AWS::EKS::Cluster", "eks", "list_clusters", "clusters[]", item_key="name", id="name",
        arn="arn", name="name", tags="tags", created="createdAt", page_size=100,
        details=(describe("describe_cluster", "name", "name", "cluster"),),
        links=(
            role("roleArn"),
            *network("resourcesVpcConfig.vpcId", "resourcesVpcConfig.subnetIds[]",
                     "resourcesVpcConfig.securityGroupIds[]"),
            Link("has_cluster_security_group", SG, "resourcesVpcConfig.clusterSecurityGroupId"),
            encrypted_with("encryptionConfig[].provider.keyArn"),
        ),
    ),
    _eks_child("Nodegroup", "list_nodegroups", "nodegroups[]", "nodegroupName", "nodegroupArn",
               "describe_nodegroup", "nodegroup",
               (role("nodeRole", "nodes_assume_role"), in_subnet("subnets[]"))),
    _eks_child("FargateProfile", "list_fargate_profiles", "fargateProfileNames[]",
               "fargateProfileName", "fargateProfileArn", "describe_fargate_profile",
               "fargateProfile",
               (role("podExecutionRoleArn", "pods_assume_role"), in_subnet("subnets[]"))),
    _eks_child("Addon", "list_addons", "addons[]", "addonName", "addonArn", "describe_addon",
               "addon", (role("serviceAccountRoleArn"),)),
    ResourceType(
        "AWS::ECR::Repository", "ecr", "describe_repositories", "repositories[]",
        id="repositoryName", arn="repositoryArn", name="repositoryName", created="createdAt",
        page_size=1000,
        details=(tags_detail("list_tags_for_resource", "resourceArn", "repositoryArn", "tags"),),
        tags="Tags",
        links=(
            encrypted_with("encryptionConfiguration.kmsKey"),
        ),
    ),
    ResourceType(
        "AWS::ElasticBeanstalk::Application", "elasticbeanstalk", "describe_applications",
        "Applications[]", id="ApplicationName", arn="ApplicationArn", name="ApplicationName",
        created="DateCreated",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "ApplicationArn",
                             "ResourceTags", absent_codes=("ResourceNotFoundException",),
                             default=[]),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::ElasticBeanstalk::Environment", "elasticbeanstalk", "describe_environments",
        "Environments[]", id="EnvironmentName", arn="EnvironmentArn", name="EnvironmentName",
        created="DateCreated", params={"IncludeDeleted": False}, page_size=1000,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "EnvironmentArn",
                             "ResourceTags"),),
        tags="Tags",
        links=(
            Link("member_of", "AWS::ElasticBeanstalk::Application", "ApplicationName",
                 "arn:{partition}:elasticbeanstalk:{region}:{account}:application/{name}"),
        ),
    ),
    ResourceType(
        "AWS::SageMaker::NotebookInstance", "sagemaker", "list_notebook_instances",
        "NotebookInstances[]", id="NotebookInstanceName", arn="NotebookInstanceArn",
        name="NotebookInstanceName", created="CreationTime", page_size=100,
        details=(tags_detail("list_tags", "ResourceArn", "NotebookInstanceArn"),), tags="Tags",
    ),
)  # fmt: skip
