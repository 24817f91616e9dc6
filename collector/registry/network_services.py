"""Network services beyond the VPC: Global Accelerator, Network Manager (global networks and
their sites, devices and links), and AWS Network Firewall."""

from __future__ import annotations

from collector.registry._common import describe, in_subnet, in_vpc, joined, tags_detail
from collector.registry.base import Link, ResourceType

# Global Accelerator and Network Manager answer from us-west-2; their ARNs carry no region.
_WEST = "us-west-2"
_GA = "AWS::GlobalAccelerator::"
_NM = "AWS::NetworkManager::"
_NM_ABSENT = ("ResourceNotFoundException",)


def _in_global_network(name: str, operation: str, items: str, stem: str) -> ResourceType:
    """A Network Manager type listed per global network: its id is unique within the network
    only (CloudFormation's primary identifier is the pair)."""
    return ResourceType(
        _NM + name, "networkmanager", operation, items, id=joined("GlobalNetworkId", stem + "Id"),
        arn=stem + "Arn", tags="Tags", created="CreatedAt", global_=True, home_region=_WEST,
        where="State != 'DELETING'", parent=_NM + "GlobalNetwork",
        parent_params={"GlobalNetworkId": "GlobalNetworkId"}, parent_absent_codes=_NM_ABSENT,
        links=(
            Link("member_of", _NM + "GlobalNetwork", "GlobalNetworkId"),
        ),
    )  # fmt: skip


TYPES = (
    ResourceType(
        _GA + "Accelerator", "globalaccelerator", "list_accelerators", "Accelerators[]",
        id="AcceleratorArn", arn="AcceleratorArn", name="Name", created="CreatedTime",
        global_=True, home_region=_WEST,
        details=(tags_detail("list_tags_for_resource", "ResourceArn", "AcceleratorArn"),),
        tags="Tags",
    ),
    ResourceType(
        _GA + "Listener", "globalaccelerator", "list_listeners", "Listeners[]",
        id="ListenerArn", arn="ListenerArn", global_=True, home_region=_WEST,
        parent=_GA + "Accelerator", parent_params={"AcceleratorArn": "AcceleratorArn"},
        parent_absent_codes=("AcceleratorNotFoundException",),
        links=(
            Link("member_of", _GA + "Accelerator", "AcceleratorArn"),
        ),
    ),
    ResourceType(
        _GA + "EndpointGroup", "globalaccelerator", "list_endpoint_groups", "EndpointGroups[]",
        id="EndpointGroupArn", arn="EndpointGroupArn", global_=True, home_region=_WEST,
        parent=_GA + "Listener", parent_params={"ListenerArn": "ListenerArn"},
        parent_absent_codes=("ListenerNotFoundException",),
        links=(
            Link("member_of", _GA + "Listener", "ListenerArn"),
        ),
    ),
    ResourceType(
        _NM + "GlobalNetwork", "networkmanager", "describe_global_networks", "GlobalNetworks[]",
        id="GlobalNetworkId", arn="GlobalNetworkArn",
        arn_template="arn:{partition}:networkmanager::{account}:global-network/{GlobalNetworkId}",
        tags="Tags", created="CreatedAt", global_=True, home_region=_WEST,
        where="State != 'DELETING'",
    ),
    _in_global_network("Site", "get_sites", "Sites[]", "Site"),
    _in_global_network("Device", "get_devices", "Devices[]", "Device"),
    _in_global_network("Link", "get_links", "Links[]", "Link"),
    # Connect peers of Cloud WAN core networks; the list has no ARN, the reference's format is
    # connect-peer/<id>.
    ResourceType(
        _NM + "ConnectPeer", "networkmanager", "list_connect_peers", "ConnectPeers[]",
        id="ConnectPeerId",
        arn_template="arn:{partition}:networkmanager::{account}:connect-peer/{ConnectPeerId}",
        tags="Tags", created="CreatedAt", global_=True, home_region=_WEST,
        where="ConnectPeerState != 'DELETING'",
    ),
    # The list calls return names and ARNs only; the describe call (one per item, as a tag
    # call would be) brings the tags with the placement and policy.
    ResourceType(
        "AWS::NetworkFirewall::Firewall", "network-firewall", "list_firewalls", "Firewalls[]",
        id="FirewallName", arn="FirewallArn", name="FirewallName",
        details=(describe("describe_firewall", "FirewallArn", "FirewallArn", "Firewall"),),
        tags="Tags",
        links=(
            in_vpc(),
            in_subnet("SubnetMappings[].SubnetId"),
            Link("uses_policy", "AWS::NetworkFirewall::FirewallPolicy", "FirewallPolicyArn"),
            Link("attached_to", "AWS::EC2::TransitGateway", "TransitGatewayId"),
        ),
    ),
    ResourceType(
        "AWS::NetworkFirewall::FirewallPolicy", "network-firewall", "list_firewall_policies",
        "FirewallPolicies[]", id="Name", arn="Arn", name="Name",
        details=(describe("describe_firewall_policy", "FirewallPolicyArn", "Arn",
                          "FirewallPolicyResponse"),),
        tags="Tags",
    ),
    # A stateful and a stateless rule group may share a name: the ARN tells them apart.
    ResourceType(
        "AWS::NetworkFirewall::RuleGroup", "network-firewall", "list_rule_groups",
        "RuleGroups[]", id="Arn", arn="Arn", name="Name",
        details=(describe("describe_rule_group", "RuleGroupArn", "Arn", "RuleGroupResponse"),),
        tags="Tags",
    ),
)  # fmt: skip

_NO_ARN = (
    "has no ARN (an association of a global network's device, link, customer gateway or "
    "transit gateway; the reference has no format for it); needs engine support for types "
    "without an ARN"
)
NOT_COLLECTED: dict[str, str] = {
    _NM + "LinkAssociation": _NO_ARN,
    _NM + "CustomerGatewayAssociation": _NO_ARN,
    _NM + "TransitGatewayRegistration": _NO_ARN,
    "AWS::CloudFront::StreamingDistribution": "RTMP distributions were discontinued on "
    "31 December 2020: there is nothing left to list",
}

# Tested on the simulated endpoint (benchmarks/fakeaws) instead of moto.
NOT_IN_MOTO: dict[str, str] = {
    "AWS::GlobalAccelerator::Accelerator": "moto does not implement globalaccelerator (ListAccelerators)",
    "AWS::GlobalAccelerator::Listener": "moto does not implement globalaccelerator (ListListeners)",
    "AWS::GlobalAccelerator::EndpointGroup": "moto does not implement globalaccelerator (ListEndpointGroups)",
    "AWS::NetworkManager::ConnectPeer": "moto does not implement ListConnectPeers",
    "AWS::NetworkFirewall::FirewallPolicy": "moto does not implement ListFirewallPolicies/DescribeFirewallPolicy",
    "AWS::NetworkFirewall::RuleGroup": "moto does not implement ListRuleGroups/DescribeRuleGroup",
}  # fmt: skip
