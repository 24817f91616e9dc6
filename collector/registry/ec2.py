"""EC2 and VPC resource types."""

from __future__ import annotations

from collector.registry._common import (
    SG,
    SUBNET,
    VPC,
    encrypted_with,
    in_vpc,
    network,
)
from collector.registry.base import Link, ResourceType

_ARN = "arn:{partition}:ec2:{region}:{account}:"

# EC2 describe calls accept MaxResults up to 1000 (volumes: 500, route tables: 100); fewer,
# larger pages keep us far from the per-account request buckets.
TYPES = (
    ResourceType(
        "AWS::EC2::Instance",
        "ec2",
        "describe_instances",
        "Reservations[].Instances[]",
        id="InstanceId",
        arn_template=_ARN + "instance/{InstanceId}",
        tags="Tags",
        created="LaunchTime",
        # Terminated instances linger for about an hour; they no longer exist for inventory.
        params={
            "Filters": [
                {
                    "Name": "instance-state-name",
                    "Values": ["pending", "running", "shutting-down", "stopping", "stopped"],
                }
            ]
        },
        page_size=1000,
        links=(
            *network("VpcId", "SubnetId", "SecurityGroups[].GroupId"),
            Link("attached_volume", "AWS::EC2::Volume", "BlockDeviceMappings[].Ebs.VolumeId"),
            Link("has_network_interface", "AWS::EC2::NetworkInterface",
                 "NetworkInterfaces[].NetworkInterfaceId"),
            Link("launched_from_image", "AWS::EC2::Image", "ImageId"),
            Link("uses_key_pair", "AWS::EC2::KeyPair", "KeyName"),
            Link("has_instance_profile", "AWS::IAM::InstanceProfile", "IamInstanceProfile.Arn"),
            Link("in_placement_group", "AWS::EC2::PlacementGroup", "Placement.GroupName"),
        ),
    ),
    ResourceType(
        "AWS::EC2::Volume",
        "ec2",
        "describe_volumes",
        "Volumes[]",
        id="VolumeId",
        arn_template=_ARN + "volume/{VolumeId}",
        tags="Tags",
        created="CreateTime",
        page_size=500,
        links=(
            Link("attached_to", "AWS::EC2::Instance", "Attachments[].InstanceId"),
            Link("created_from_snapshot", "AWS::EC2::Snapshot", "SnapshotId"),
            encrypted_with("KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::Snapshot",
        "ec2",
        "describe_snapshots",
        "Snapshots[]",
        id="SnapshotId",
        # Snapshot and image ARNs carry no account id.
        arn_template="arn:{partition}:ec2:{region}::snapshot/{SnapshotId}",
        tags="Tags",
        created="StartTime",
        params={"OwnerIds": ["self"]},
        owner="OwnerId",
        page_size=1000,
        links=(
            Link("snapshot_of", "AWS::EC2::Volume", "VolumeId"),
            encrypted_with("KmsKeyId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::SecurityGroup",
        "ec2",
        "describe_security_groups",
        "SecurityGroups[]",
        id="GroupId",
        arn_template=_ARN + "security-group/{GroupId}",
        name="GroupName",
        tags="Tags",
        page_size=1000,
        links=(
            in_vpc(),
            Link("allows_from_security_group", SG, "IpPermissions[].UserIdGroupPairs[].GroupId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::VPC",
        "ec2",
        "describe_vpcs",
        "Vpcs[]",
        id="VpcId",
        arn_template=_ARN + "vpc/{VpcId}",
        tags="Tags",
        page_size=1000,
        links=(
            Link("uses_dhcp_options", "AWS::EC2::DHCPOptions", "DhcpOptionsId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::Subnet",
        "ec2",
        "describe_subnets",
        "Subnets[]",
        id="SubnetId",
        arn="SubnetArn",
        arn_template=_ARN + "subnet/{SubnetId}",
        tags="Tags",
        page_size=1000,
        links=(
            in_vpc(),
        ),
    ),
    ResourceType(
        "AWS::EC2::NetworkInterface",
        "ec2",
        "describe_network_interfaces",
        "NetworkInterfaces[]",
        id="NetworkInterfaceId",
        arn_template=_ARN + "network-interface/{NetworkInterfaceId}",
        tags="TagSet",
        page_size=1000,
        links=(
            *network("VpcId", "SubnetId", "Groups[].GroupId"),
            Link("attached_to", "AWS::EC2::Instance", "Attachment.InstanceId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::Image",
        "ec2",
        "describe_images",
        "Images[]",
        id="ImageId",
        arn_template="arn:{partition}:ec2:{region}::image/{ImageId}",
        name="Name",
        tags="Tags",
        created="CreationDate",
        params={"Owners": ["self"]},
        owner="OwnerId",
        page_size=1000,
        links=(
            Link("backed_by_snapshot", "AWS::EC2::Snapshot",
                 "BlockDeviceMappings[].Ebs.SnapshotId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::EIP",
        "ec2",
        "describe_addresses",
        "Addresses[]",
        id="AllocationId",
        arn_template=_ARN + "elastic-ip/{AllocationId}",
        tags="Tags",
        links=(
            Link("attached_to", "AWS::EC2::Instance", "InstanceId"),
            Link("attached_to_network_interface", "AWS::EC2::NetworkInterface",
                 "NetworkInterfaceId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::InternetGateway",
        "ec2",
        "describe_internet_gateways",
        "InternetGateways[]",
        id="InternetGatewayId",
        arn_template=_ARN + "internet-gateway/{InternetGatewayId}",
        tags="Tags",
        page_size=1000,
        links=(
            Link("attached_to_vpc", VPC, "Attachments[].VpcId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::NatGateway",
        "ec2",
        "describe_nat_gateways",
        "NatGateways[]",
        id="NatGatewayId",
        arn_template=_ARN + "natgateway/{NatGatewayId}",
        tags="Tags",
        created="CreateTime",
        # Deleted NAT gateways stay visible for about an hour.
        params={
            "Filter": [
                {"Name": "state", "Values": ["pending", "failed", "available", "deleting"]}
            ]
        },
        page_size=1000,
        links=(
            *network("VpcId", "SubnetId", None),
            Link("uses_elastic_ip", "AWS::EC2::EIP", "NatGatewayAddresses[].AllocationId"),
            Link("has_network_interface", "AWS::EC2::NetworkInterface",
                 "NatGatewayAddresses[].NetworkInterfaceId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::RouteTable",
        "ec2",
        "describe_route_tables",
        "RouteTables[]",
        id="RouteTableId",
        arn_template=_ARN + "route-table/{RouteTableId}",
        tags="Tags",
        page_size=100,
        links=(
            in_vpc(),
            Link("associated_with_subnet", SUBNET, "Associations[].SubnetId"),
            Link("routes_to", "AWS::EC2::InternetGateway",
                 "Routes[].GatewayId | [?starts_with(@, 'igw-')]"),
            Link("routes_to", "AWS::EC2::VPNGateway",
                 "Routes[].GatewayId | [?starts_with(@, 'vgw-')]"),
            Link("routes_to", "AWS::EC2::NatGateway", "Routes[].NatGatewayId"),
            Link("routes_to", "AWS::EC2::VPCPeeringConnection", "Routes[].VpcPeeringConnectionId"),
            Link("routes_to", "AWS::EC2::TransitGateway", "Routes[].TransitGatewayId"),
            Link("routes_to", "AWS::EC2::NetworkInterface", "Routes[].NetworkInterfaceId"),
            Link("routes_to", "AWS::EC2::EgressOnlyInternetGateway",
                 "Routes[].EgressOnlyInternetGatewayId"),
        ),
    ),
    ResourceType(
        "AWS::EC2::KeyPair",
        "ec2",
        "describe_key_pairs",
        "KeyPairs[]",
        id="KeyPairId",
        # The Service Authorization Reference: key-pair/${KeyPairName}, not the key pair id.
        arn_template=_ARN + "key-pair/{KeyName}",
        name="KeyName",
        tags="Tags",
        created="CreateTime",
    ),
)
