"""Streaming and data integration: MSK configurations and VPC connections, MSK Connect,
Kinesis consumers, Managed Service for Apache Flink, AppFlow, AppIntegrations."""

from __future__ import annotations

from collector.registry._common import in_vpc, role, tags_detail
from collector.registry.base import Link, ResourceType

TYPES = (
    ResourceType(
        "AWS::MSK::Configuration", "kafka", "list_configurations", "Configurations[]",
        id="Name", arn="Arn", name="Name", created="CreationTime", page_size=100,
    ),
    # The account's client-side connections to clusters of other accounts (multi-VPC).
    ResourceType(
        "AWS::MSK::VpcConnection", "kafka", "list_vpc_connections", "VpcConnections[]",
        id="VpcConnectionArn", arn="VpcConnectionArn", created="CreationTime", page_size=100,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "VpcConnectionArn"),),
        tags="Tags",
        links=(
            in_vpc(),
            Link("connects_to", "AWS::MSK::Cluster", "TargetClusterArn"),
        ),
    ),
    ResourceType(
        "AWS::KafkaConnect::Connector", "kafkaconnect", "list_connectors", "connectors[]",
        id="connectorName", arn="connectorArn", name="connectorName", created="creationTime",
        page_size=100,
        details=(tags_detail("list_tags_for_resource", "resourceArn", "connectorArn",
                             "tags"),),
        tags="Tags",
        links=(
            role("serviceExecutionRoleArn"),
        ),
    ),
    # Enhanced fan-out consumers, registered on one stream each.
    ResourceType(
        "AWS::Kinesis::StreamConsumer", "kinesis", "list_stream_consumers", "Consumers[]",
        id="ConsumerARN", arn="ConsumerARN", name="ConsumerName",
        created="ConsumerCreationTimestamp", page_size=100,
        parent="AWS::Kinesis::Stream", parent_params={"StreamARN": "StreamARN"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "ConsumerARN"),),
        tags="Tags",
        links=(
            Link("consumer_of", "AWS::Kinesis::Stream", "StreamARN"),
        ),
    ),
    ResourceType(
        "AWS::KinesisAnalyticsV2::Application", "kinesisanalyticsv2", "list_applications",
        "ApplicationSummaries[]", id="ApplicationName", arn="ApplicationARN",
        name="ApplicationName", page_size=50,
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "ApplicationARN"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::AppFlow::Flow", "appflow", "list_flows", "flows[]", id="flowName",
        arn="flowArn", name="flowName", created="createdAt", tags="tags",
        next_token="nextToken", params={"maxResults": 100},
    ),
    ResourceType(
        "AWS::AppIntegrations::Application", "appintegrations", "list_applications",
        "Applications[]", id="Id", arn="Arn", name="Name", created="CreatedTime",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "Arn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::AppIntegrations::EventIntegration", "appintegrations",
        "list_event_integrations", "EventIntegrations[]", id="Name",
        arn="EventIntegrationArn", name="Name", tags="Tags",
    ),
)  # fmt: skip

NOT_COLLECTED: dict[str, str] = {
    "AWS::MSK::BatchScramSecret": "needs engine support: one record per cluster made from the "
    "cluster's ListScramSecrets answer (a list of secret ARNs, not of items)",
    "AWS::MSK::ClusterPolicy": "needs engine support: no list call; GetClusterPolicy answers "
    "one policy per cluster (a record made from a whole answer)",
}

NOT_IN_MOTO: dict[str, str] = {
    "AWS::MSK::Configuration": "moto does not implement ListConfigurations",
    "AWS::MSK::VpcConnection": "moto does not implement ListVpcConnections",
    "AWS::KafkaConnect::Connector": "moto does not implement ListConnectors/ListTagsForResource",
    "AWS::Kinesis::StreamConsumer": "moto does not implement ListTagsForResource",
    "AWS::AppFlow::Flow": "moto does not implement ListFlows",
    "AWS::AppIntegrations::Application": "moto does not implement ListApplications/"
    "ListTagsForResource",
    "AWS::AppIntegrations::EventIntegration": "moto does not implement ListEventIntegrations",
}
