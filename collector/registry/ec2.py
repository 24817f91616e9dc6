"""EC2 and VPC resource types."""

from __future__ import annotations

from collector.registry.base import ResourceType

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
    ),
    ResourceType(
        "AWS::EC2::EIP",
        "ec2",
        "describe_addresses",
        "Addresses[]",
        id="AllocationId",
        arn_template=_ARN + "elastic-ip/{AllocationId}",
        tags="Tags",
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
