"""IoT Core (authorizers, certificates, policies, Device Defender), IoT Wireless, Greengrass v2.

IoT has no batch tag API: tags are read per item with ListTagsForResource, as
CloudFormation says each of these types is taggable.
"""

from __future__ import annotations

from collector.registry._common import arn_tags_detail, tags_detail
from collector.registry.base import ResourceType

_IOT_ARN_TAGS = (arn_tags_detail("list_tags_for_resource", "resourceArn", "tags"),)
_WIRELESS_TAGS = (tags_detail("list_tags_for_resource", "ResourceArn", "Arn"),)
_GG_TAGS = (tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),)

TYPES = (
    ResourceType(
        "AWS::IoT::Authorizer", "iot", "list_authorizers", "authorizers[]", id="authorizerName",
        arn="authorizerArn", name="authorizerName",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "authorizerArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::CACertificate", "iot", "list_ca_certificates", "certificates[]",
        id="certificateId", arn="certificateArn", created="creationDate",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "certificateArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::CustomMetric", "iot", "list_custom_metrics", "metricNames[]",
        item_key="metricName", id="metricName", name="metricName",
        arn_template="arn:{partition}:iot:{region}:{account}:custommetric/{metricName}",
        details=_IOT_ARN_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::Dimension", "iot", "list_dimensions", "dimensionNames[]", item_key="name",
        id="name", name="name",
        arn_template="arn:{partition}:iot:{region}:{account}:dimension/{name}",
        details=_IOT_ARN_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::FleetMetric", "iot", "list_fleet_metrics", "fleetMetrics[]", id="metricName",
        arn="metricArn", name="metricName",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "metricArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::JobTemplate", "iot", "list_job_templates", "jobTemplates[]",
        id="jobTemplateId", arn="jobTemplateArn", name="jobTemplateId", created="createdAt",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "jobTemplateArn",
                             "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::MitigationAction", "iot", "list_mitigation_actions", "actionIdentifiers[]",
        id="actionName", arn="actionArn", name="actionName", created="creationDate",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "actionArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::Policy", "iot", "list_policies", "policies[]", id="policyName",
        arn="policyArn", name="policyName",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "policyArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::ProvisioningTemplate", "iot", "list_provisioning_templates", "templates[]",
        id="templateName", arn="templateArn", name="templateName", created="creationDate",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "templateArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::RoleAlias", "iot", "list_role_aliases", "roleAliases[]",
        item_key="roleAlias", id="roleAlias", name="roleAlias",
        arn_template="arn:{partition}:iot:{region}:{account}:rolealias/{roleAlias}",
        details=_IOT_ARN_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::ScheduledAudit", "iot", "list_scheduled_audits", "scheduledAudits[]",
        id="scheduledAuditName", arn="scheduledAuditArn", name="scheduledAuditName",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "scheduledAuditArn",
                             "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoT::SecurityProfile", "iot", "list_security_profiles",
        "securityProfileIdentifiers[]", id="name", arn="arn", name="name",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoTWireless::FuotaTask", "iotwireless", "list_fuota_tasks", "FuotaTaskList[]",
        id="Id", arn="Arn", name="Name", next_token="NextToken",
        details=_WIRELESS_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTWireless::MulticastGroup", "iotwireless", "list_multicast_groups",
        "MulticastGroupList[]", id="Id", arn="Arn", name="Name", next_token="NextToken",
        details=_WIRELESS_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTWireless::ServiceProfile", "iotwireless", "list_service_profiles",
        "ServiceProfileList[]", id="Id", arn="Arn", name="Name", next_token="NextToken",
        details=_WIRELESS_TAGS, tags="Tags",
    ),
    # The account's own components (scope PRIVATE); the public ones are AWS's.
    ResourceType(
        "AWS::GreengrassV2::Component", "greengrassv2", "list_components", "components[]",
        id="arn", arn="arn", name="componentName", params={"scope": "PRIVATE"},
    ),
    ResourceType(
        "AWS::GreengrassV2::ComponentVersion", "greengrassv2", "list_component_versions",
        "componentVersions[]", id="arn", arn="arn", name="componentVersion",
        parent="AWS::GreengrassV2::Component", parent_params={"arn": "arn"},
        parent_absent_codes=("ResourceNotFoundException",),
        details=_GG_TAGS, tags="Tags",
    ),
)  # fmt: skip

NOT_COLLECTED: dict[str, str] = {
    "AWS::IoT::AccountAuditConfiguration": "needs engine support: one setting per account and "
    "region; DescribeAccountAuditConfiguration answers with the setting itself, no list of "
    "items to read",
}

NOT_IN_MOTO: dict[str, str] = {
    **{
        f"AWS::IoT::{kind}": f"moto does not implement {op}"
        for kind, op in (
            ("Authorizer", "ListAuthorizers"), ("CustomMetric", "ListCustomMetrics"),
            ("Dimension", "ListDimensions"), ("FleetMetric", "ListFleetMetrics"),
            ("MitigationAction", "ListMitigationActions"),
            ("ProvisioningTemplate", "ListProvisioningTemplates"),
            ("ScheduledAudit", "ListScheduledAudits"),
            ("SecurityProfile", "ListSecurityProfiles"),
        )
    },
    "AWS::IoT::CACertificate": "moto does not implement ListCACertificates",
    "AWS::IoT::JobTemplate": "moto does not implement ListTagsForResource for job templates",
    "AWS::IoT::Policy": "moto does not implement ListTagsForResource for policies",
    "AWS::IoT::RoleAlias": "moto does not implement ListTagsForResource for role aliases",
    **{
        f"AWS::IoTWireless::{kind}": "moto does not implement IoT Wireless"
        for kind in ("FuotaTask", "MulticastGroup", "ServiceProfile")
    },
    "AWS::GreengrassV2::Component": "moto does not implement Greengrass v2",
    "AWS::GreengrassV2::ComponentVersion": "moto does not implement Greengrass v2",
}  # fmt: skip
