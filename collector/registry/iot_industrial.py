"""Industrial IoT: SiteWise, TwinMaker, IoT Analytics, IoT Events.

None of these has a batch tag API; tags are read per item (CloudFormation says they are
taggable), with the ARN the list gives or, where it gives none, the documented format.
"""

from __future__ import annotations

from collector.registry._common import arn_tags_detail, joined, lower_tags, role, tags_detail
from collector.registry.base import ResourceType

_SITEWISE = "arn:{partition}:iotsitewise:{region}:{account}:"
_ANALYTICS = "arn:{partition}:iotanalytics:{region}:{account}:"
_EVENTS = "arn:{partition}:iotevents:{region}:{account}:"
_ARN_TAGS = (arn_tags_detail("list_tags_for_resource", "resourceArn", "tags"),)
_TWINMAKER_TAGS = (tags_detail("list_tags_for_resource", "resourceARN", "arn", "tags"),)
_LOWER = lower_tags("Tags")
_GONE = ("ResourceNotFoundException",)

TYPES = (
    ResourceType(
        "AWS::IoTSiteWise::AssetModel", "iotsitewise", "list_asset_models",
        "assetModelSummaries[]", id="id", arn="arn", name="name", created="creationDate",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "arn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::IoTSiteWise::Gateway", "iotsitewise", "list_gateways", "gatewaySummaries[]",
        id="gatewayId", name="gatewayName", created="creationDate",
        arn_template=_SITEWISE + "gateway/{gatewayId}", details=_ARN_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTSiteWise::Portal", "iotsitewise", "list_portals", "portalSummaries[]",
        id="id", name="name", created="creationDate", arn_template=_SITEWISE + "portal/{id}",
        details=_ARN_TAGS, tags="Tags", links=(role("roleArn", "uses_service_role"),),
    ),
    ResourceType(
        "AWS::IoTSiteWise::Project", "iotsitewise", "list_projects", "projectSummaries[]",
        id="id", name="name", created="creationDate", arn_template=_SITEWISE + "project/{id}",
        parent="AWS::IoTSiteWise::Portal", parent_params={"portalId": "id"},
        parent_absent_codes=_GONE, details=_ARN_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTSiteWise::Dashboard", "iotsitewise", "list_dashboards", "dashboardSummaries[]",
        id="id", name="name", created="creationDate", arn_template=_SITEWISE + "dashboard/{id}",
        parent="AWS::IoTSiteWise::Project", parent_params={"projectId": "id"},
        parent_absent_codes=_GONE, details=_ARN_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTTwinMaker::Workspace", "iottwinmaker", "list_workspaces",
        "workspaceSummaries[]", id="workspaceId", arn="arn", name="workspaceId",
        created="creationDateTime", next_token="nextToken", details=_TWINMAKER_TAGS,
        tags="Tags",
    ),
    # The built-in component types (com.amazon.*) are AWS's, listed in every workspace.
    ResourceType(
        "AWS::IoTTwinMaker::ComponentType", "iottwinmaker", "list_component_types",
        "componentTypeSummaries[]", id=joined("workspaceId", "componentTypeId"), arn="arn",
        name="componentTypeId", created="creationDateTime", next_token="nextToken",
        where="!starts_with(componentTypeId, 'com.amazon.')",
        parent="AWS::IoTTwinMaker::Workspace", parent_params={"workspaceId": "workspaceId"},
        parent_absent_codes=_GONE, details=_TWINMAKER_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTTwinMaker::Entity", "iottwinmaker", "list_entities", "entitySummaries[]",
        id=joined("workspaceId", "entityId"), arn="arn", name="entityName",
        created="creationDateTime", next_token="nextToken",
        parent="AWS::IoTTwinMaker::Workspace", parent_params={"workspaceId": "workspaceId"},
        parent_absent_codes=_GONE, details=_TWINMAKER_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTTwinMaker::Scene", "iottwinmaker", "list_scenes", "sceneSummaries[]",
        id=joined("workspaceId", "sceneId"), arn="arn", name="sceneId",
        created="creationDateTime", next_token="nextToken",
        parent="AWS::IoTTwinMaker::Workspace", parent_params={"workspaceId": "workspaceId"},
        parent_absent_codes=_GONE, details=_TWINMAKER_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTTwinMaker::SyncJob", "iottwinmaker", "list_sync_jobs", "syncJobSummaries[]",
        id=joined("workspaceId", "syncSource"), arn="arn", name="syncSource",
        created="creationDateTime", next_token="nextToken",
        parent="AWS::IoTTwinMaker::Workspace", parent_params={"workspaceId": "workspaceId"},
        parent_absent_codes=_GONE, details=_TWINMAKER_TAGS, tags="Tags",
    ),
    ResourceType(
        "AWS::IoTAnalytics::Channel", "iotanalytics", "list_channels", "channelSummaries[]",
        id="channelName", name="channelName", created="creationTime",
        arn_template=_ANALYTICS + "channel/{channelName}", details=_ARN_TAGS, tags=_LOWER,
    ),
    ResourceType(
        "AWS::IoTAnalytics::Dataset", "iotanalytics", "list_datasets", "datasetSummaries[]",
        id="datasetName", name="datasetName", created="creationTime",
        arn_template=_ANALYTICS + "dataset/{datasetName}", details=_ARN_TAGS, tags=_LOWER,
    ),
    ResourceType(
        "AWS::IoTAnalytics::Datastore", "iotanalytics", "list_datastores",
        "datastoreSummaries[]", id="datastoreName", name="datastoreName",
        created="creationTime", arn_template=_ANALYTICS + "datastore/{datastoreName}",
        details=_ARN_TAGS, tags=_LOWER,
    ),
    ResourceType(
        "AWS::IoTAnalytics::Pipeline", "iotanalytics", "list_pipelines", "pipelineSummaries[]",
        id="pipelineName", name="pipelineName", created="creationTime",
        arn_template=_ANALYTICS + "pipeline/{pipelineName}", details=_ARN_TAGS, tags=_LOWER,
    ),
    ResourceType(
        "AWS::IoTEvents::AlarmModel", "iotevents", "list_alarm_models", "alarmModelSummaries[]",
        id="alarmModelName", name="alarmModelName", created="creationTime",
        arn_template=_EVENTS + "alarmModel/{alarmModelName}", next_token="nextToken",
        details=_ARN_TAGS, tags=_LOWER,
    ),
    ResourceType(
        "AWS::IoTEvents::DetectorModel", "iotevents", "list_detector_models",
        "detectorModelSummaries[]", id="detectorModelName", name="detectorModelName",
        created="creationTime", arn_template=_EVENTS + "detectorModel/{detectorModelName}",
        next_token="nextToken", details=_ARN_TAGS, tags=_LOWER,
    ),
    ResourceType(
        "AWS::IoTEvents::Input", "iotevents", "list_inputs", "inputSummaries[]",
        id="inputName", arn="inputArn", name="inputName", created="creationTime",
        next_token="nextToken",
        details=(tags_detail("list_tags_for_resource", "resourceArn", "inputArn", "tags"),),
        tags=_LOWER,
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    t.resource_type: f"moto does not implement {t.resource_type.split('::')[1]}" for t in TYPES
}
