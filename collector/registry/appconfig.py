"""AppConfig: applications, their environments, configuration profiles and hosted versions,
deployment strategies and extension associations."""

from __future__ import annotations

from collector.registry._common import arn_tags_detail, joined
from collector.registry.base import ResourceType

_APPCONFIG = "arn:{partition}:appconfig:{region}:{account}:"
_APPLICATION = "AWS::AppConfig::Application"
_PROFILE = "AWS::AppConfig::ConfigurationProfile"
# Tags are a map answered per ARN; no list call of AppConfig returns them.
_TAGS = (arn_tags_detail("list_tags_for_resource", "ResourceArn"),)
_GONE = ("ResourceNotFoundException",)

TYPES = (
    ResourceType(
        _APPLICATION, "appconfig", "list_applications", "Items[]", id="Id", name="Name",
        arn_template=_APPCONFIG + "application/{Id}", details=_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::AppConfig::Environment", "appconfig", "list_environments", "Items[]",
        id=joined("ApplicationId", "Id"), name="Name",
        arn_template=_APPCONFIG + "application/{ApplicationId}/environment/{Id}",
        parent=_APPLICATION, parent_params={"ApplicationId": "Id"}, parent_absent_codes=_GONE,
        details=_TAGS, tags="Tags",
    ),
    ResourceType(
        _PROFILE, "appconfig", "list_configuration_profiles", "Items[]",
        id=joined("ApplicationId", "Id"), name="Name",
        arn_template=_APPCONFIG + "application/{ApplicationId}/configurationprofile/{Id}",
        parent=_APPLICATION, parent_params={"ApplicationId": "Id"}, parent_absent_codes=_GONE,
        details=_TAGS, tags="Tags",
    ),
    # Only profiles stored in AppConfig ("hosted") have versions; others answer an empty list.
    ResourceType(
        "AWS::AppConfig::HostedConfigurationVersion", "appconfig",
        "list_hosted_configuration_versions", "Items[]",
        id=joined("ApplicationId", "ConfigurationProfileId", "VersionNumber"),
        name="VersionLabel",
        arn_template=_APPCONFIG + "application/{ApplicationId}/configurationprofile/"
        "{ConfigurationProfileId}/hostedconfigurationversion/{VersionNumber}",
        parent=_PROFILE,
        parent_params={"ApplicationId": "ApplicationId", "ConfigurationProfileId": "Id"},
        parent_absent_codes=_GONE,
    ),
    # AWS's predefined strategies (AppConfig.AllAtOnce, ...) are listed too: not the account's.
    ResourceType(
        "AWS::AppConfig::DeploymentStrategy", "appconfig", "list_deployment_strategies",
        "Items[]", id="Id", name="Name", arn_template=_APPCONFIG + "deploymentstrategy/{Id}",
        where="!starts_with(Id, 'AppConfig.')", details=_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::AppConfig::ExtensionAssociation", "appconfig", "list_extension_associations",
        "Items[]", id="Id", arn_template=_APPCONFIG + "extensionassociation/{Id}",
        details=_TAGS, tags="Tags",
    ),
)  # fmt: skip

NOT_IN_MOTO = {
    "AWS::AppConfig::Application": "moto does not implement ListApplications",
    "AWS::AppConfig::Environment": "moto does not implement ListEnvironments",
    "AWS::AppConfig::ConfigurationProfile": (
        "moto does not implement ListApplications (the parent's list)"
    ),
    "AWS::AppConfig::HostedConfigurationVersion": (
        "moto does not implement ListHostedConfigurationVersions"
    ),
    "AWS::AppConfig::DeploymentStrategy": "moto does not implement ListDeploymentStrategies",
    "AWS::AppConfig::ExtensionAssociation": "moto does not implement ListExtensionAssociations",
}
