"""What watches and governs the accounts (issue 17, CloudFormation-only types): AWS Config
rules, conformance packs and aggregators, CloudFormation stack sets, Route 53 query logging
and CIDR collections, Incident Manager response plans, Shield Advanced protection groups."""

from __future__ import annotations

from collector.registry._common import last_segment, tags_detail
from collector.registry.base import Detail, Link, ResourceType

_CONFIG_TAGS = "list_tags_for_resource", "ResourceArn"


def _config_tags(arn_member: str) -> tuple[Detail, ...]:
    return (tags_detail(*_CONFIG_TAGS, arn_member),)


TYPES = (
    ResourceType(
        "AWS::Config::ConfigRule", "config", "describe_config_rules", "ConfigRules[]",
        id="ConfigRuleName", arn="ConfigRuleArn", name="ConfigRuleName",
    ),
    ResourceType(
        "AWS::Config::ConformancePack", "config", "describe_conformance_packs",
        "ConformancePackDetails[]", id="ConformancePackName", arn="ConformancePackArn",
        name="ConformancePackName", page_size=20,
        details=_config_tags("ConformancePackArn"), tags="Tags",
        links=(Link("delivers_to", "AWS::S3::Bucket", "DeliveryS3Bucket",
                    "arn:{partition}:s3:::{name}"),),
    ),
    ResourceType(
        # Which accounts and regions (or the whole organization) an aggregator reads.
        "AWS::Config::ConfigurationAggregator", "config", "describe_configuration_aggregators",
        "ConfigurationAggregators[]", id="ConfigurationAggregatorName",
        arn="ConfigurationAggregatorArn", name="ConfigurationAggregatorName",
        created="CreationTime", page_size=10,
        details=_config_tags("ConfigurationAggregatorArn"), tags="Tags",
        links=(
            Link("assumes_role", "AWS::IAM::Role", "OrganizationAggregationSource.RoleArn"),
        ),
    ),
    ResourceType(
        # StackSetId is <name>:<uuid>; the uuid alone is the id, and the ARN ends with both.
        # The summaries carry no tags.
        "AWS::CloudFormation::StackSet", "cloudformation", "list_stack_sets", "Summaries[]",
        id=last_segment(":", "StackSetId"), name="StackSetName", params={"Status": "ACTIVE"},
        page_size=100,
        arn_template="arn:{partition}:cloudformation:{region}:{account}:"
        "stackset/{StackSetName}:{id}",
        details=(
            Detail("describe_stack_set", lambda i: {"StackSetName": i["StackSetName"]},
                   "StackSet.Tags", into="Tags", absent_codes=("StackSetNotFoundException",)),
        ),
        tags="Tags",
    ),
    ResourceType(
        "AWS::Route53::QueryLoggingConfig", "route53", "list_query_logging_configs",
        "QueryLoggingConfigs[]", id="Id", global_=True, page_size=100,
        arn_template="arn:{partition}:route53:::queryloggingconfig/{Id}",
        links=(
            Link("logs_zone", "AWS::Route53::HostedZone", "HostedZoneId"),
            Link("delivers_to_log_group", "AWS::Logs::LogGroup", "CloudWatchLogsLogGroupArn"),
        ),
    ),
    ResourceType(
        "AWS::Route53::CidrCollection", "route53", "list_cidr_collections", "CidrCollections[]",
        id="Id", arn="Arn", name="Name", global_=True, page_size=100,
    ),
    ResourceType(
        "AWS::SSMIncidents::ResponsePlan", "ssm-incidents", "list_response_plans",
        "responsePlanSummaries[]", id="name", arn="arn", name="name", page_size=100,
        details=(tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        # Shield answers from us-east-1 for the whole account, as for its protections.
        "AWS::Shield::ProtectionGroup", "shield", "list_protection_groups",
        "ProtectionGroups[]", id="ProtectionGroupId", arn="ProtectionGroupArn",
        name="ProtectionGroupId", global_=True, next_token="NextToken",
        skip_codes=("ResourceNotFoundException",),
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "ProtectionGroupArn"),),
        tags="Tags",
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::Config::ConformancePack": "moto does not implement DescribeConformancePacks",
    "AWS::Route53::CidrCollection": "moto does not implement ListCidrCollections",
    "AWS::SSMIncidents::ResponsePlan": "moto does not implement Incident Manager",
    "AWS::Shield::ProtectionGroup": "moto does not implement ListProtectionGroups",
}
