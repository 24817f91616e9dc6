"""Application integration: EventBridge endpoints and schemas, AppSync APIs, Cloud Map
services, SES (v2) contact lists and templates."""

from __future__ import annotations

from collector.registry._common import arn_tags_detail, joined, role, tags_detail
from collector.registry.base import Link, ResourceType

_SES = "arn:{partition}:ses:{region}:{account}:"
_REGISTRY = "AWS::EventSchemas::Registry"
_GRAPHQL = "AWS::AppSync::GraphQLApi"

TYPES = (
    ResourceType(
        "AWS::Events::Endpoint", "events", "list_endpoints", "Endpoints[]", id="Name",
        arn="Arn", name="Name", created="CreationTime", next_token="NextToken",
        links=(
            Link("routes_to", "AWS::Events::EventBus", "EventBuses[].EventBusArn"),
            role("RoleArn"),
        ),
    ),
    # Scope LOCAL: the account's registries, not AWS's (aws.events holds thousands of schemas).
    ResourceType(
        _REGISTRY, "schemas", "list_registries", "Registries[]", id="RegistryName",
        arn="RegistryArn", name="RegistryName", tags="Tags", params={"Scope": "LOCAL"},
    ),
    ResourceType(
        "AWS::EventSchemas::Schema", "schemas", "list_schemas", "Schemas[]",
        id=joined("RegistryName", "SchemaName"), arn="SchemaArn", name="SchemaName",
        tags="Tags", parent=_REGISTRY, parent_params={"RegistryName": "RegistryName"},
        parent_absent_codes=("NotFoundException",),
        links=(
            Link("member_of", _REGISTRY, "RegistryName",
                 "arn:{partition}:schemas:{region}:{account}:registry/{name}"),
        ),
    ),
    ResourceType(
        "AWS::EventSchemas::Discoverer", "schemas", "list_discoverers", "Discoverers[]",
        id="DiscovererId", arn="DiscovererArn", tags="Tags",
        links=(
            Link("discovers_from", "AWS::Events::EventBus", "SourceArn"),
        ),
    ),
    ResourceType(
        _GRAPHQL, "appsync", "list_graphql_apis", "graphqlApis[]", id="apiId", arn="arn",
        name="name", tags="tags",
        links=(
            Link("protected_by", "AWS::WAFv2::WebACL", "wafWebAclArn"),
        ),
    ),
    ResourceType(
        "AWS::ServiceDiscovery::Service", "servicediscovery", "list_services", "Services[]",
        id="Id", arn="Arn", name="Name", created="CreateDate",
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "Arn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::SES::ContactList", "sesv2", "list_contact_lists", "ContactLists[]",
        id="ContactListName", name="ContactListName",
        arn_template=_SES + "contact-list/{ContactListName}", next_token="NextToken",
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::SES::Template", "sesv2", "list_email_templates", "TemplatesMetadata[]",
        id="TemplateName", name="TemplateName", created="CreatedTimestamp",
        arn_template=_SES + "template/{TemplateName}", next_token="NextToken",
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn"),), tags="Tags",
    ),
)  # fmt: skip

_NO_ARN = "; needs engine support for resources without an ARN"
NOT_COLLECTED = {
    **{
        f"AWS::AppMesh::{kind}": "AWS App Mesh was discontinued on 30 September 2026 "
        "(https://aws.amazon.com/blogs/containers/migrating-from-aws-app-mesh-to-amazon-ecs-"
        "service-connect/)"
        for kind in ("Mesh", "VirtualNode", "VirtualRouter", "Route", "VirtualService",
                     "VirtualGateway", "GatewayRoute")
    },
    "AWS::AppSync::ApiCache": "has no ARN of its own (GetApiCache per API; the API's ARN is "
    "the AWS::AppSync::GraphQLApi's, and the store keys resources by ARN)" + _NO_ARN,
    "AWS::EventSchemas::RegistryPolicy": "one policy per registry (GetResourcePolicy), not a "
    "listed resource, and it has no ARN",
    "AWS::SES::ReceiptFilter": "has no ARN (AWS documents none)" + _NO_ARN,
    "AWS::SES::ReceiptRuleSet": "has no ARN (AWS documents none)" + _NO_ARN,
    "AWS::ServiceDiscovery::Instance": "has no ARN (AWS documents none; ListInstances per "
    "service)" + _NO_ARN,
}  # fmt: skip

NOT_IN_MOTO = {
    "AWS::Events::Endpoint": "moto does not implement ListEndpoints",
    "AWS::EventSchemas::Registry": "moto does not implement ListRegistries",
    "AWS::EventSchemas::Schema": "moto does not implement ListSchemas",
    "AWS::EventSchemas::Discoverer": "moto does not implement ListDiscoverers",
    "AWS::SES::Template": "moto does not implement ListEmailTemplates",
}
