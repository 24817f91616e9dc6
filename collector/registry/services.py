"""Compute, data, messaging, networking and management types outside EC2, IAM and S3."""

from __future__ import annotations

from collector.registry._common import (
    elbv2_tags,
    encrypted_with,
    network,
    role,
    route53_tags,
)
from collector.registry.base import Detail, Item, Link, ResourceType


def _zone_id(item: Item) -> str:
    """Id without its /hostedzone/ prefix"""
    return str(item["Id"]).removeprefix("/hostedzone/")


def _queue_name(item: Item) -> str:
    """QueueUrl after its last /"""
    return str(item["QueueUrl"]).rsplit("/", 1)[-1]


def _topic_name(item: Item) -> str:
    """TopicArn after its last :"""
    return str(item["TopicArn"]).rsplit(":", 1)[-1]


TYPES = (
    ResourceType(
        "AWS::Lambda::Function",
        "lambda",
        "list_functions",
        "Functions[]",
        id="FunctionName",
        arn="FunctionArn",
        name="FunctionName",
        page_size=50,
        # ListFunctions omits tags; Lambda has no creation time, only LastModified.
        details=(
            Detail("list_tags", lambda i: {"Resource": i["FunctionArn"]}, "Tags", into="Tags"),
        ),
        tags="Tags",
        links=(
            role("Role"),
            *network("VpcConfig.VpcId", "VpcConfig.SubnetIds[]", "VpcConfig.SecurityGroupIds[]"),
            Link("uses_layer", "AWS::Lambda::LayerVersion", "Layers[].Arn"),
            encrypted_with("KMSKeyArn"),
        ),
    ),
    ResourceType(
        "AWS::RDS::DBInstance",
        "rds",
        "describe_db_instances",
        "DBInstances[]",
        id="DBInstanceIdentifier",
        arn="DBInstanceArn",
        name="DBInstanceIdentifier",
        tags="TagList",
        created="InstanceCreateTime",
        volatile=("LatestRestorableTime",),
        page_size=100,
        links=(
            *network("DBSubnetGroup.VpcId", "DBSubnetGroup.Subnets[].SubnetIdentifier",
                     "VpcSecurityGroups[].VpcSecurityGroupId"),
            Link("in_subnet_group", "AWS::RDS::DBSubnetGroup", "DBSubnetGroup.DBSubnetGroupName",
                 "arn:{partition}:rds:{region}:{account}:subgrp:{name}"),
            Link("member_of", "AWS::RDS::DBCluster", "DBClusterIdentifier",
                 "arn:{partition}:rds:{region}:{account}:cluster:{name}"),
            Link("uses_parameter_group", "AWS::RDS::DBParameterGroup",
                 "DBParameterGroups[].DBParameterGroupName",
                 "arn:{partition}:rds:{region}:{account}:pg:{name}"),
            encrypted_with("KmsKeyId"),
            role("MonitoringRoleArn", "monitors_with_role"),
        ),
    ),
    ResourceType(
        "AWS::DynamoDB::Table",
        "dynamodb",
        "list_tables",
        "TableNames[]",
        item_key="TableName",
        id="TableName",
        arn="TableArn",
        name="TableName",
        created="CreationDateTime",
        page_size=100,
        details=(
            Detail("describe_table", lambda i: {"TableName": i["TableName"]}, "Table", into=None),
            Detail(
                "list_tags_of_resource",
                lambda i: {"ResourceArn": i["TableArn"]},
                "Tags",
                into="Tags",
            ),
        ),
        tags="Tags",
        links=(
            encrypted_with("SSEDescription.KMSMasterKeyArn"),
        ),
    ),
    ResourceType(
        "AWS::SQS::Queue",
        "sqs",
        "list_queues",
        "QueueUrls[]",
        item_key="QueueUrl",
        id=_queue_name,
        arn="Attributes.QueueArn",
        name=_queue_name,
        created="Attributes.CreatedTimestamp",
        page_size=1000,
        details=(
            Detail(
                "get_queue_attributes",
                lambda i: {"QueueUrl": i["QueueUrl"], "AttributeNames": ["All"]},
                "Attributes",
                into="Attributes",
                absent_codes=("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"),
            ),
            Detail(
                "list_queue_tags",
                lambda i: {"QueueUrl": i["QueueUrl"]},
                "Tags",
                into="Tags",
                absent_codes=("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"),
                default={},
            ),
        ),
        tags="Tags",
        links=(
            encrypted_with("Attributes.KmsMasterKeyId"),
        ),
    ),
    ResourceType(
        "AWS::SNS::Topic",
        "sns",
        "list_topics",
        "Topics[]",
        id=_topic_name,
        arn="TopicArn",
        name=_topic_name,
        details=(
            # ListTopics returns ARNs only; the attributes carry the topic's KMS key.
            Detail(
                "get_topic_attributes",
                lambda i: {"TopicArn": i["TopicArn"]},
                "Attributes",
                into="Attributes",
                absent_codes=("NotFound",),
            ),
            Detail(
                "list_tags_for_resource",
                lambda i: {"ResourceArn": i["TopicArn"]},
                "Tags",
                into="Tags",
            ),
        ),
        tags="Tags",
        links=(encrypted_with("Attributes.KmsMasterKeyId"),),
    ),
    ResourceType(
        "AWS::KMS::Key",
        "kms",
        "list_keys",
        "Keys[]",
        id="KeyId",
        arn="KeyArn",
        created="KeyMetadata.CreationDate",
        page_size=1000,
        details=(
            Detail("describe_key", lambda i: {"KeyId": i["KeyId"]}, "KeyMetadata", into="KeyMetadata"),
            # AWS-managed keys cannot be tagged (TagResource's reference): not asked. They also
            # refuse ListResourceTags to most callers, should DescribeKey have failed.
            Detail(
                "list_resource_tags",
                lambda i: {"KeyId": i["KeyId"]},
                "Tags",
                into="Tags",
                absent_codes=("AccessDeniedException",),
                default=[],
                skip_when="KeyMetadata.KeyManager == 'AWS'",
            ),
        ),
        tags="Tags",
    ),
    ResourceType(
        "AWS::CloudFormation::Stack",
        "cloudformation",
        "describe_stacks",
        "Stacks[]",
        id="StackName",
        arn="StackId",
        name="StackName",
        tags="Tags",
        created="CreationTime",
    ),
    ResourceType(
        "AWS::Route53::HostedZone",
        "route53",
        "list_hosted_zones",
        "HostedZones[]",
        id=_zone_id,
        arn_template="arn:{partition}:route53:::hostedzone/{id}",
        name="Name",
        global_=True,
        page_size=100,
        details=(route53_tags("hostedzone", _zone_id),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "elbv2",
        "describe_load_balancers",
        "LoadBalancers[]",
        id="LoadBalancerName",
        arn="LoadBalancerArn",
        name="LoadBalancerName",
        created="CreatedTime",
        page_size=400,
        # DescribeTags takes 20 ARNs a call.
        details=(elbv2_tags("LoadBalancerArn"),),
        tags="Tags",
        links=(
            *network("VpcId", "AvailabilityZones[].SubnetId", "SecurityGroups[]"),
        ),
    ),
)
