"""Where logs and audit events go, and what acts on findings (issue 17, CloudFormation-only
types): CloudWatch Logs deliveries (vended logs of other services), CloudTrail Lake event data
stores and channels, Security Hub automation rules and custom insights."""

from __future__ import annotations

from typing import Any

from collector.registry._common import tags_detail
from collector.registry.base import BatchDetail, Item, Link, ResourceType

_SECURITYHUB_OFF = ("InvalidAccessException",)


def _cloudtrail_tags(arn_member: str) -> BatchDetail:
    """CloudTrail ListTags takes up to 20 ARNs of trails, event data stores and channels."""

    def params(items: list[Item]) -> dict[str, Any]:
        return {"ResourceIdList": [i[arn_member] for i in items]}

    return BatchDetail(
        "list_tags", params, size=20, result="ResourceTagList", key="ResourceId",
        item_key=arn_member, value="TagsList", into="Tags", default=[],
    )  # fmt: skip


TYPES = (
    # The answers carry their tags (a map) and ARNs.
    ResourceType(
        "AWS::Logs::DeliverySource", "logs", "describe_delivery_sources", "deliverySources[]",
        id="name", arn="arn", name="name", tags="tags", page_size=50,
    ),
    ResourceType(
        "AWS::Logs::DeliveryDestination", "logs", "describe_delivery_destinations",
        "deliveryDestinations[]", id="name", arn="arn", name="name", tags="tags", page_size=50,
        links=(
            Link("delivers_to_log_group", "AWS::Logs::LogGroup",
                 "[deliveryDestinationConfiguration.destinationResourceArn]"
                 "[?contains(@, ':log-group:')]"),
        ),
    ),
    ResourceType(
        # A delivery has no name: its id is what its ARN ends with.
        "AWS::Logs::Delivery", "logs", "describe_deliveries", "deliveries[]", id="id",
        arn="arn", tags="tags", page_size=50,
        links=(
            Link("delivers_from", "AWS::Logs::DeliverySource", "deliverySourceName"),
            Link("delivers_to", "AWS::Logs::DeliveryDestination", "deliveryDestinationArn"),
        ),
    ),
    ResourceType(
        "AWS::CloudTrail::EventDataStore", "cloudtrail", "list_event_data_stores",
        "EventDataStores[]", id="EventDataStoreArn", arn="EventDataStoreArn", name="Name",
        created="CreatedTimestamp", next_token="NextToken",
        details=(_cloudtrail_tags("EventDataStoreArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::CloudTrail::Channel", "cloudtrail", "list_channels", "Channels[]",
        id="ChannelArn", arn="ChannelArn", name="Name", next_token="NextToken",
        details=(_cloudtrail_tags("ChannelArn"),), tags="Tags",
    ),
    ResourceType(
        # Rules that rewrite or suppress findings before anyone sees them.
        "AWS::SecurityHub::AutomationRule", "securityhub", "list_automation_rules",
        "AutomationRulesMetadata[]", id="RuleArn", arn="RuleArn", name="RuleName",
        created="CreatedAt", next_token="NextToken", skip_codes=_SECURITYHUB_OFF,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "RuleArn"),),
        tags="Tags",
    ),
    ResourceType(
        # Without InsightArns, GetInsights answers the account's custom insights only.
        "AWS::SecurityHub::Insight", "securityhub", "get_insights", "Insights[]",
        id="InsightArn", arn="InsightArn", name="Name", page_size=100,
        skip_codes=_SECURITYHUB_OFF,
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::CloudTrail::EventDataStore": "moto does not implement ListEventDataStores",
    "AWS::CloudTrail::Channel": "moto does not implement ListChannels",
    "AWS::SecurityHub::AutomationRule": "moto does not implement ListAutomationRules",
    "AWS::SecurityHub::Insight": "moto does not implement GetInsights",
}
