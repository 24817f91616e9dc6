"""Monitoring and observability: Managed Prometheus, Managed Grafana, CloudWatch metric streams
and RUM, CloudWatch Logs destinations, Resource Explorer indexes."""

from __future__ import annotations

from collector.registry._common import arn_tags_detail, last_segment, role, tags_detail
from collector.registry.base import Link, ResourceType

TYPES = (
    # Not an AWS Config type: the parent of rule groups namespaces (ListRuleGroupsNamespaces
    # takes a workspace id).
    ResourceType(
        "AWS::APS::Workspace", "amp", "list_workspaces", "workspaces[]", id="workspaceId",
        arn="arn", name="alias", created="createdAt", tags="tags",
    ),
    ResourceType(
        "AWS::APS::RuleGroupsNamespace", "amp", "list_rule_groups_namespaces",
        "ruleGroupsNamespaces[]", id="arn", arn="arn", name="name", created="createdAt",
        tags="tags", parent="AWS::APS::Workspace", parent_params={"workspaceId": "workspaceId"},
        parent_absent_codes=("ResourceNotFoundException",),
    ),
    ResourceType(
        "AWS::Grafana::Workspace", "grafana", "list_workspaces", "workspaces[]", id="id",
        name="name", created="created", tags="tags",
        arn_template="arn:{partition}:grafana:{region}:{account}:/workspaces/{id}",
    ),
    ResourceType(
        "AWS::CloudWatch::MetricStream", "cloudwatch", "list_metric_streams", "Entries[]",
        id="Name", arn="Arn", name="Name", created="CreationDate", next_token="NextToken",
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "Arn"),), tags="Tags",
        links=(
            Link("delivers_to", "AWS::KinesisFirehose::DeliveryStream", "FirehoseArn"),
        ),
    ),
    ResourceType(
        "AWS::RUM::AppMonitor", "rum", "list_app_monitors", "AppMonitorSummaries[]",
        id="Name", name="Name", created="Created",
        arn_template="arn:{partition}:rum:{region}:{account}:appmonitor/{Name}",
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::Logs::Destination", "logs", "describe_destinations", "destinations[]",
        id="destinationName", arn="arn", name="destinationName", created="creationTime",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),),
        tags="Tags",
        links=(
            role("roleArn"),
        ),
    ),
    # ListIndexes answers every region's index from any region: listed once, each in its own
    # region. Their tags would take a call in each index's own region (see TAGS_DIFFER).
    ResourceType(
        "AWS::ResourceExplorer2::Index", "resource-explorer-2", "list_indexes", "Indexes[]",
        id=last_segment("/", "Arn"), arn="Arn", region="Region", global_=True,
    ),
)  # fmt: skip

NOT_COLLECTED = {
    **{
        f"AWS::Evidently::{kind}": "CloudWatch Evidently was discontinued on 16 October 2025 "
        "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Evidently"
        ".html)"
        for kind in ("Project", "Launch", "Segment")
    },
    "AWS::XRay::EncryptionConfig": "one setting per account and region (GetEncryptionConfig), "
    "not a listed resource, and it has no ARN",
}

NOT_IN_MOTO = {
    "AWS::Grafana::Workspace": "moto does not implement ListWorkspaces",
    "AWS::CloudWatch::MetricStream": "moto does not implement ListMetricStreams",
    "AWS::RUM::AppMonitor": "moto does not implement ListAppMonitors/ListTagsForResource",
    "AWS::ResourceExplorer2::Index": "moto does not implement ListIndexes",
}
