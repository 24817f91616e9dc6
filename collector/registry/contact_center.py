"""Customer engagement: Amazon Connect instances and what they hold, Customer Profiles.

Connect's list calls return no tags and it has no batch tag call: one ListTagsForResource per
resource.
"""

from __future__ import annotations

from typing import Any

from collector.registry._common import joined, role, tags_detail
from collector.registry.base import Link, ResourceType

_INSTANCE = "AWS::Connect::Instance"
_PROFILE = "arn:{partition}:profile:{region}:{account}:domains/{DomainName}"


def _in_instance(
    name: str, operation: str, items: str, *, label: str, arn: str = "Arn", **kw: Any
) -> ResourceType:
    """A resource of a Connect instance; its ARN names the instance, so it is the id."""
    return ResourceType(
        f"AWS::Connect::{name}", "connect", operation, items, id=arn, arn=arn, name=label,
        parent=_INSTANCE, parent_params={"InstanceId": "Id"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=(tags_detail("list_tags_for_resource", "resourceArn", arn, "tags"),),
        tags="Tags", **kw,
    )  # fmt: skip


TYPES = (
    ResourceType(
        _INSTANCE, "connect", "list_instances", "InstanceSummaryList[]", id="Id", arn="Arn",
        name="InstanceAlias", created="CreatedTime",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "Arn", "tags"),),
        tags="Tags",
        links=(
            role("ServiceRole", "uses_role"),
        ),
    ),
    # Numbers claimed to any instance or traffic distribution group of the region.
    ResourceType(
        "AWS::Connect::PhoneNumber", "connect", "list_phone_numbers_v2",
        "ListPhoneNumbersSummaryList[]", id="PhoneNumberId", arn="PhoneNumberArn",
        name="PhoneNumber",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "PhoneNumberArn",
                             "tags"),),
        tags="Tags",
    ),
    _in_instance("QuickConnect", "list_quick_connects", "QuickConnectSummaryList[]",
                 label="Name"),
    _in_instance("Rule", "list_rules", "RuleSummaryList[]", label="Name",
                 arn="RuleArn", created="CreatedTime"),
    _in_instance("User", "list_users", "UserSummaryList[]", label="Username"),
    ResourceType(
        "AWS::CustomerProfiles::Domain", "customer-profiles", "list_domains", "Items[]",
        id="DomainName", arn_template=_PROFILE, name="DomainName", created="CreatedAt",
        tags="Tags", next_token="NextToken",
    ),
    # An object type's name is unique within its domain only.
    ResourceType(
        "AWS::CustomerProfiles::ObjectType", "customer-profiles", "list_profile_object_types",
        "Items[]", id=joined("DomainName", "ObjectTypeName"),
        arn_template=_PROFILE + "/object-types/{ObjectTypeName}", name="ObjectTypeName",
        created="CreatedAt", tags="Tags", next_token="NextToken",
        parent="AWS::CustomerProfiles::Domain", parent_params={"DomainName": "DomainName"},
        parent_absent_codes=("ResourceNotFoundException",),
        links=(
            Link("member_of", "AWS::CustomerProfiles::Domain", "DomainName"),
        ),
    ),
)  # fmt: skip

_PINPOINT_GONE = (
    "Amazon Pinpoint's engagement features reached end of support on 30 October 2026"
)

NOT_COLLECTED: dict[str, str] = {
    "AWS::Pinpoint::App": "needs engine support: GetApps pages with a token nested in its "
    "answer (ApplicationsResponse.NextToken) and named Token in the request",
    "AWS::Pinpoint::ApplicationSettings": "no list call: one GetApplicationSettings per app, "
    "and " + _PINPOINT_GONE,
    "AWS::Pinpoint::Campaign": _PINPOINT_GONE,
    "AWS::Pinpoint::EmailChannel": "no list call: one GetEmailChannel per app, and "
    + _PINPOINT_GONE,
    "AWS::Pinpoint::EmailTemplate": _PINPOINT_GONE,
    "AWS::Pinpoint::EventStream": "no list call: one GetEventStream per app, and "
    + _PINPOINT_GONE,
    "AWS::Pinpoint::InAppTemplate": _PINPOINT_GONE,
    "AWS::Pinpoint::Segment": _PINPOINT_GONE,
}

NOT_IN_MOTO: dict[str, str] = {
    "AWS::Connect::PhoneNumber": "moto does not implement ListPhoneNumbersV2",
    "AWS::Connect::QuickConnect": "moto does not implement ListQuickConnects",
    "AWS::Connect::Rule": "moto does not implement ListRules",
    "AWS::Connect::User": "moto does not implement ListUsers",
    "AWS::CustomerProfiles::Domain": "moto does not implement ListDomains",
    "AWS::CustomerProfiles::ObjectType": "moto does not implement ListDomains/"
    "ListProfileObjectTypes",
}
