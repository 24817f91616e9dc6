"""Media and streams: MediaConnect, MediaPackage VOD, MediaTailor, IVS, Kinesis Video,
Ground Station.

MediaConnect's entitlements, sources and VPC interfaces are only in DescribeFlow: one call per
flow for each of those types. Where a list returns tags (MediaPackage, MediaTailor, IVS) they
are read from it; elsewhere per item, there being no batch tag API.
"""

from __future__ import annotations

from collector.registry._common import (
    arn_tags_detail,
    in_subnet,
    joined,
    role,
    tags_detail,
    uses_sg,
)
from collector.registry.base import Item, Link, ResourceType


def _vpc_interface_arn(item: Item) -> str:
    """flow:<id>:<name>/vpcInterface/<name> (the Service Authorization Reference's format)."""
    return f"{item['FlowArn']}/vpcInterface/{item['Name']}"


_GONE = ("NotFoundException",)
_GS_TAGS = "list_tags_for_resource"

TYPES = (
    ResourceType(
        "AWS::MediaConnect::Flow", "mediaconnect", "list_flows", "Flows[]", id="FlowArn",
        arn="FlowArn", name="Name",
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "FlowArn"),), tags="Tags",
    ),
    ResourceType(
        "AWS::MediaConnect::FlowEntitlement", "mediaconnect", "describe_flow",
        "Flow.Entitlements[]", id="EntitlementArn", arn="EntitlementArn", name="Name",
        parent="AWS::MediaConnect::Flow", parent_params={"FlowArn": "FlowArn"},
        parent_absent_codes=_GONE,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "EntitlementArn"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::MediaConnect::FlowSource", "mediaconnect", "describe_flow", "Flow.Sources[]",
        id="SourceArn", arn="SourceArn", name="Name",
        parent="AWS::MediaConnect::Flow", parent_params={"FlowArn": "FlowArn"},
        parent_absent_codes=_GONE,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "SourceArn"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::MediaConnect::FlowVpcInterface", "mediaconnect", "describe_flow",
        "Flow.VpcInterfaces[]", id=joined("FlowArn", "Name"), arn=_vpc_interface_arn,
        name="Name", parent="AWS::MediaConnect::Flow", parent_params={"FlowArn": "FlowArn"},
        parent_absent_codes=_GONE,
        details=(arn_tags_detail("list_tags_for_resource", "ResourceArn"),), tags="Tags",
        links=(in_subnet("SubnetId"), uses_sg("SecurityGroupIds"),
               role("RoleArn", "uses_service_role")),
    ),
    ResourceType(
        "AWS::MediaConnect::Gateway", "mediaconnect", "list_gateways", "Gateways[]",
        id="GatewayArn", arn="GatewayArn", name="Name",
    ),
    ResourceType(
        "AWS::MediaPackage::PackagingGroup", "mediapackage-vod", "list_packaging_groups",
        "PackagingGroups[]", id="Id", arn="Arn", name="Id", created="CreatedAt", tags="Tags",
    ),
    ResourceType(
        "AWS::MediaPackage::PackagingConfiguration", "mediapackage-vod",
        "list_packaging_configurations", "PackagingConfigurations[]", id="Id", arn="Arn",
        name="Id", created="CreatedAt", tags="Tags",
        links=(Link("member_of", "AWS::MediaPackage::PackagingGroup", "PackagingGroupId",
                    "arn:{partition}:mediapackage-vod:{region}:{account}:packaging-groups/"
                    "{PackagingGroupId}"),),
    ),
    ResourceType(
        "AWS::MediaTailor::PlaybackConfiguration", "mediatailor",
        "list_playback_configurations", "Items[]", id="Name", arn="PlaybackConfigurationArn",
        name="Name", tags="Tags",
    ),
    ResourceType(
        "AWS::IVS::Channel", "ivs", "list_channels", "channels[]", id="arn", arn="arn",
        name="name", tags="tags",
        links=(Link("records_with", "AWS::IVS::RecordingConfiguration",
                    "recordingConfigurationArn"),),
    ),
    ResourceType(
        "AWS::IVS::PlaybackKeyPair", "ivs", "list_playback_key_pairs", "keyPairs[]", id="arn",
        arn="arn", name="name", tags="tags",
    ),
    ResourceType(
        "AWS::IVS::RecordingConfiguration", "ivs", "list_recording_configurations",
        "recordingConfigurations[]", id="arn", arn="arn", name="name", tags="tags",
    ),
    ResourceType(
        "AWS::KinesisVideo::SignalingChannel", "kinesisvideo", "list_signaling_channels",
        "ChannelInfoList[]", id="ChannelName", arn="ChannelARN", name="ChannelName",
        created="CreationTime",
        details=(tags_detail("list_tags_for_resource", "ResourceARN", "ChannelARN"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::KinesisVideo::Stream", "kinesisvideo", "list_streams", "StreamInfoList[]",
        id="StreamName", arn="StreamARN", name="StreamName", created="CreationTime",
        details=(tags_detail("list_tags_for_stream", "StreamARN", "StreamARN"),), tags="Tags",
    ),
    ResourceType(
        "AWS::GroundStation::Config", "groundstation", "list_configs", "configList[]",
        id="configId", arn="configArn", name="name",
        details=(tags_detail(_GS_TAGS, "resourceArn", "configArn", "tags"),), tags="Tags",
    ),
    ResourceType(
        "AWS::GroundStation::DataflowEndpointGroup", "groundstation",
        "list_dataflow_endpoint_groups", "dataflowEndpointGroupList[]",
        id="dataflowEndpointGroupId", arn="dataflowEndpointGroupArn",
        details=(tags_detail(_GS_TAGS, "resourceArn", "dataflowEndpointGroupArn", "tags"),),
        tags="Tags",
    ),
    ResourceType(
        "AWS::GroundStation::MissionProfile", "groundstation", "list_mission_profiles",
        "missionProfileList[]", id="missionProfileId", arn="missionProfileArn", name="name",
        details=(tags_detail(_GS_TAGS, "resourceArn", "missionProfileArn", "tags"),),
        tags="Tags",
    ),
)  # fmt: skip

NOT_IN_MOTO: dict[str, str] = {
    "AWS::MediaConnect::FlowVpcInterface": "moto's ListTagsForResource route refuses an ARN "
    "with a '/' (flow:<id>:<name>/vpcInterface/<name>)",
    "AWS::MediaConnect::Gateway": "moto does not implement MediaConnect ListGateways",
    "AWS::MediaPackage::PackagingGroup": "moto does not implement MediaPackage VOD",
    "AWS::MediaPackage::PackagingConfiguration": "moto does not implement MediaPackage VOD",
    "AWS::MediaTailor::PlaybackConfiguration": "moto does not implement MediaTailor",
    "AWS::IVS::PlaybackKeyPair": "moto does not implement IVS ListPlaybackKeyPairs",
    "AWS::IVS::RecordingConfiguration": "moto does not implement IVS "
    "ListRecordingConfigurations",
    "AWS::KinesisVideo::SignalingChannel": "moto does not implement Kinesis Video "
    "ListSignalingChannels",
    "AWS::KinesisVideo::Stream": "moto does not implement Kinesis Video ListTagsForStream",
    **{
        f"AWS::GroundStation::{kind}": "moto does not implement Ground Station"
        for kind in ("Config", "DataflowEndpointGroup", "MissionProfile")
    },
}
