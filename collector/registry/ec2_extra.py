"""EC2 beyond the core and VPC plumbing: capacity, fleets, hosts, IPAM, Reachability Analyzer,
traffic mirroring, Client VPN, endpoint services and transit gateway extras."""

from __future__ import annotations

from typing import Any

from collector.registry._common import VPC, in_vpc, network
from collector.registry.base import Link, ResourceType

_ARN = "arn:{partition}:ec2:{region}:{account}:"
# IPAM ARNs carry no region (arn:aws:ec2::<account>:ipam/<id>): an IPAM spans regions.
_IPAM_ARN = "arn:{partition}:ec2::{account}:"
_GONE = "!contains(['deleted', 'deleting'], State)"
_DELETED = "!contains(['delete-complete', 'delete-failed'], State)"


def _ec2(
    type_name: str, operation: str, items: str, id_: str, kind: str, **kw: Any
) -> ResourceType:
    """An EC2 type whose items carry Tags and whose ARN is {kind}/{id} in the account."""
    return ResourceType(
        f"AWS::EC2::{type_name}", "ec2", operation, items, id=id_,
        arn_template=_ARN + kind + "/{" + id_ + "}", tags="Tags", **kw,
    )  # fmt: skip


def _ipam(name: str, operation: str, items: str, stem: str, kind: str, **kw: Any) -> ResourceType:
    """An IPAM type: the item has its own ARN ({stem}Arn) and OwnerId (pools and discoveries
    shared through RAM are listed too: only the account's own are kept)."""
    return ResourceType(
        f"AWS::EC2::{name}", "ec2", operation, items, id=stem + "Id", arn=stem + "Arn",
        arn_template=_IPAM_ARN + kind + "/{" + stem + "Id}", tags="Tags", owner="OwnerId",
        page_size=1000, **kw,
    )  # fmt: skip


TYPES = (
    # Reservations shared through RAM are listed too; cancelled and expired ones linger.
    ResourceType(
        "AWS::EC2::CapacityReservation", "ec2", "describe_capacity_reservations",
        "CapacityReservations[]", id="CapacityReservationId", arn="CapacityReservationArn",
        arn_template=_ARN + "capacity-reservation/{CapacityReservationId}", tags="Tags",
        created="CreateDate", owner="OwnerId", page_size=1000,
        where="!contains(['cancelled', 'expired', 'failed'], State)",
    ),
    _ec2("CarrierGateway", "describe_carrier_gateways", "CarrierGateways[]", "CarrierGatewayId",
         "carrier-gateway", owner="OwnerId", page_size=1000, where=_GONE, links=(in_vpc(),)),
    _ec2("ClientVpnEndpoint", "describe_client_vpn_endpoints", "ClientVpnEndpoints[]",
         "ClientVpnEndpointId", "client-vpn-endpoint", created="CreationTime", page_size=1000,
         where="Status.Code != 'deleted'",
         links=(
             *network("VpcId", None, "SecurityGroupIds[]"),
             Link("uses_certificate", "AWS::CertificateManager::Certificate",
                  "ServerCertificateArn"),
         )),
    _ec2("EC2Fleet", "describe_fleets", "Fleets[]", "FleetId", "fleet", created="CreateTime",
         where="!contains(['deleted', 'failed'], FleetState)",
         links=(
             Link("runs_instance", "AWS::EC2::Instance", "Instances[].InstanceIds[]"),
         )),
    _ec2("SpotFleet", "describe_spot_fleet_requests", "SpotFleetRequestConfigs[]",
         "SpotFleetRequestId", "spot-fleet-request", created="CreateTime",
         where="!contains(['cancelled', 'failed'], SpotFleetRequestState)",
         links=(
             Link("uses_role", "AWS::IAM::Role", "SpotFleetRequestConfig.IamFleetRole"),
         )),
    # Dedicated hosts shared through RAM are listed too; released hosts linger.
    _ec2("Host", "describe_hosts", "Hosts[]", "HostId", "dedicated-host",
         created="AllocationTime", owner="OwnerId",
         where="!contains(['released', 'released-permanent-failure'], State)",
         links=(
             Link("hosts_instance", "AWS::EC2::Instance", "Instances[].InstanceId"),
         )),
    _ipam("IPAM", "describe_ipams", "Ipams[]", "Ipam", "ipam", where=_DELETED),
    _ipam("IPAMScope", "describe_ipam_scopes", "IpamScopes[]", "IpamScope", "ipam-scope",
          where=_DELETED,
          links=(
              Link("member_of", "AWS::EC2::IPAM", "IpamArn"),
          )),
    _ipam("IPAMPool", "describe_ipam_pools", "IpamPools[]", "IpamPool", "ipam-pool",
          where=_DELETED,
          links=(
              Link("in_scope", "AWS::EC2::IPAMScope", "IpamScopeArn"),
              Link("member_of", "AWS::EC2::IPAM", "IpamArn"),
          )),
    _ipam("IPAMResourceDiscovery", "describe_ipam_resource_discoveries",
          "IpamResourceDiscoveries[]", "IpamResourceDiscovery", "ipam-resource-discovery",
          where=_DELETED),
    _ipam("IPAMResourceDiscoveryAssociation", "describe_ipam_resource_discovery_associations",
          "IpamResourceDiscoveryAssociations[]", "IpamResourceDiscoveryAssociation",
          "ipam-resource-discovery-association", where=_DELETED,
          links=(
              Link("member_of", "AWS::EC2::IPAM", "IpamArn"),
          )),
    ResourceType(
        "AWS::EC2::InstanceConnectEndpoint", "ec2", "describe_instance_connect_endpoints",
        "InstanceConnectEndpoints[]", id="InstanceConnectEndpointId",
        arn="InstanceConnectEndpointArn",
        arn_template=_ARN + "instance-connect-endpoint/{InstanceConnectEndpointId}",
        tags="Tags", created="CreatedAt", page_size=50, where=_DELETED,
        links=network("VpcId", "SubnetId", "SecurityGroupIds[]"),
    ),
    # Reachability Analyzer: paths and access scopes, and the analyses run on them.
    ResourceType(
        "AWS::EC2::NetworkInsightsPath", "ec2", "describe_network_insights_paths",
        "NetworkInsightsPaths[]", id="NetworkInsightsPathId", arn="NetworkInsightsPathArn",
        arn_template=_ARN + "network-insights-path/{NetworkInsightsPathId}", tags="Tags",
        created="CreatedDate",
    ),
    ResourceType(
        "AWS::EC2::NetworkInsightsAnalysis", "ec2", "describe_network_insights_analyses",
        "NetworkInsightsAnalyses[]", id="NetworkInsightsAnalysisId",
        arn="NetworkInsightsAnalysisArn",
        arn_template=_ARN + "network-insights-analysis/{NetworkInsightsAnalysisId}",
        tags="Tags", created="StartDate",
        links=(
            Link("analyzes", "AWS::EC2::NetworkInsightsPath", "NetworkInsightsPathId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::NetworkInsightsAccessScope", "ec2", "describe_network_insights_access_scopes",
        "NetworkInsightsAccessScopes[]", id="NetworkInsightsAccessScopeId",
        arn="NetworkInsightsAccessScopeArn",
        arn_template=_ARN + "network-insights-access-scope/{NetworkInsightsAccessScopeId}",
        tags="Tags", created="CreatedDate",
    ),
    ResourceType(
        "AWS::EC2::NetworkInsightsAccessScopeAnalysis", "ec2",
        "describe_network_insights_access_scope_analyses", "NetworkInsightsAccessScopeAnalyses[]",
        id="NetworkInsightsAccessScopeAnalysisId", arn="NetworkInsightsAccessScopeAnalysisArn",
        arn_template=_ARN + "network-insights-access-scope-analysis/"
        "{NetworkInsightsAccessScopeAnalysisId}",
        tags="Tags", created="StartDate",
        links=(
            Link("analyzes", "AWS::EC2::NetworkInsightsAccessScope",
                 "NetworkInsightsAccessScopeId"),
        ),
    ),
    _ec2("TrafficMirrorFilter", "describe_traffic_mirror_filters", "TrafficMirrorFilters[]",
         "TrafficMirrorFilterId", "traffic-mirror-filter", page_size=1000),
    _ec2("TrafficMirrorTarget", "describe_traffic_mirror_targets", "TrafficMirrorTargets[]",
         "TrafficMirrorTargetId", "traffic-mirror-target", owner="OwnerId", page_size=1000,
         links=(
             Link("mirrors_to", "AWS::EC2::NetworkInterface", "NetworkInterfaceId"),
             Link("mirrors_to", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                  "NetworkLoadBalancerArn"),
         )),
    _ec2("TrafficMirrorSession", "describe_traffic_mirror_sessions", "TrafficMirrorSessions[]",
         "TrafficMirrorSessionId", "traffic-mirror-session", owner="OwnerId", page_size=1000,
         links=(
             Link("mirrors", "AWS::EC2::NetworkInterface", "NetworkInterfaceId"),
             Link("uses_target", "AWS::EC2::TrafficMirrorTarget", "TrafficMirrorTargetId"),
             Link("uses_filter", "AWS::EC2::TrafficMirrorFilter", "TrafficMirrorFilterId"),
         )),
    # A Connect attachment is a transit gateway attachment: its ARN says so.
    _ec2("TransitGatewayConnect", "describe_transit_gateway_connects", "TransitGatewayConnects[]",
         "TransitGatewayAttachmentId", "transit-gateway-attachment", created="CreationTime",
         page_size=1000, where=_GONE,
         links=(
             Link("attached_to", "AWS::EC2::TransitGateway", "TransitGatewayId"),
         )),
    ResourceType(
        "AWS::EC2::TransitGatewayMulticastDomain", "ec2",
        "describe_transit_gateway_multicast_domains", "TransitGatewayMulticastDomains[]",
        id="TransitGatewayMulticastDomainId", arn="TransitGatewayMulticastDomainArn",
        arn_template=_ARN + "transit-gateway-multicast-domain/{TransitGatewayMulticastDomainId}",
        tags="Tags", created="CreationTime", owner="OwnerId", page_size=1000, where=_GONE,
        links=(
            Link("member_of", "AWS::EC2::TransitGateway", "TransitGatewayId"),
        ),
    ),
    _ec2("VPCBlockPublicAccessExclusion", "describe_vpc_block_public_access_exclusions",
         "VpcBlockPublicAccessExclusions[]", "ExclusionId", "vpc-block-public-access-exclusion",
         created="CreationTimestamp", next_token="NextToken", where=_DELETED,
         links=(
             Link("excludes_vpc", VPC, "[ResourceArn][?contains(@, ':vpc/')]"),
             Link("excludes_subnet", "AWS::EC2::Subnet", "[ResourceArn][?contains(@, ':subnet/')]"),
         )),
    # The endpoint services this account provides (DescribeVpcEndpointServices would also
    # list every AWS and marketplace service it could connect to).
    _ec2("VPCEndpointService", "describe_vpc_endpoint_service_configurations",
         "ServiceConfigurations[]", "ServiceId", "vpc-endpoint-service", name="ServiceName",
         page_size=1000, where="!contains(['Deleting', 'Deleted', 'Failed'], ServiceState)",
         links=(
             Link("fronts", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                  "NetworkLoadBalancerArns[]"),
             Link("fronts", "AWS::ElasticLoadBalancingV2::LoadBalancer",
                  "GatewayLoadBalancerArns[]"),
         )),
)  # fmt: skip

_NO_ARN = "has no ARN of its own (AWS names it by the pair it links); "
NOT_COLLECTED: dict[str, str] = {
    "AWS::EC2::EIPAssociation": _NO_ARN + "the association is in the EIP's record "
    "(AssociationId, InstanceId, NetworkInterfaceId)",
    "AWS::EC2::SubnetRouteTableAssociation": _NO_ARN + "the association is in the route "
    "table's record (Associations) and its associated_with_subnet edges",
    "AWS::EC2::VPNConnectionRoute": _NO_ARN + "the routes are in the VPN connection's record "
    "(Routes)",
    "AWS::EC2::ClientVpnTargetNetworkAssociation": _NO_ARN + "the associations are in the "
    "Client VPN endpoint's record (AssociatedTargetNetworks)",
    "AWS::EC2::VPCEndpointConnectionNotification": "has no ARN of its own (the ARN in "
    "DescribeVpcEndpointConnectionNotifications is the SNS topic's); needs engine support for "
    "types without an ARN",
    "AWS::EC2::SnapshotBlockPublicAccess": "a per-region account setting "
    "(GetSnapshotBlockPublicAccessState answers one state, not a list); needs engine support "
    "for settings",
    "AWS::EC2::VPCBlockPublicAccessOptions": "a per-region account setting "
    "(DescribeVpcBlockPublicAccessOptions answers one object, not a list); needs engine "
    "support for settings",
    "AWS::EC2::RegisteredHAInstance": "no operation of botocore's EC2 model lists it; AWS Config "
    "records it from its own sources",
}

# Tested on the simulated endpoint (benchmarks/fakeaws) instead of moto.
NOT_IN_MOTO: dict[str, str] = {
    "AWS::EC2::CapacityReservation": "moto does not implement DescribeCapacityReservations",
    "AWS::EC2::ClientVpnEndpoint": "moto does not implement DescribeClientVpnEndpoints",
    "AWS::EC2::IPAM": "moto does not implement DescribeIpams",
    "AWS::EC2::IPAMScope": "moto does not implement DescribeIpamScopes",
    "AWS::EC2::IPAMPool": "moto does not implement DescribeIpamPools",
    "AWS::EC2::IPAMResourceDiscovery": "moto does not implement DescribeIpamResourceDiscoveries",
    "AWS::EC2::IPAMResourceDiscoveryAssociation": "moto does not implement DescribeIpamResourceDiscoveryAssociations",
    "AWS::EC2::InstanceConnectEndpoint": "moto does not implement DescribeInstanceConnectEndpoints",
    "AWS::EC2::NetworkInsightsPath": "moto does not implement DescribeNetworkInsightsPaths",
    "AWS::EC2::NetworkInsightsAnalysis": "moto does not implement DescribeNetworkInsightsAnalyses",
    "AWS::EC2::NetworkInsightsAccessScope": "moto does not implement DescribeNetworkInsightsAccessScopes",
    "AWS::EC2::NetworkInsightsAccessScopeAnalysis": "moto does not implement DescribeNetworkInsightsAccessScopeAnalyses",
    "AWS::EC2::TransitGatewayConnect": "moto does not implement DescribeTransitGatewayConnects",
    "AWS::EC2::TransitGatewayMulticastDomain": "moto does not implement DescribeTransitGatewayMulticastDomains",
    "AWS::EC2::VPCBlockPublicAccessExclusion": "moto does not implement DescribeVpcBlockPublicAccessExclusions",
}  # fmt: skip
