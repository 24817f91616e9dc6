"""Seed EC2 networking, compute and storage, and application load balancers, in one region.

:func:`seed_ec2` runs the steps in a fixed order, each step using identifiers created by the
earlier ones (VPC 0 holds the subnets and security groups, instances use security group 0 and
key pair 0, snapshots are of volume 0, images of instance ``i``, NAT gateway ``i`` uses EIP
``i``). Resources that AWS/moto creates as a side effect (main route tables, ``default``
security groups, instance root volumes and network interfaces, NAT gateway network interfaces,
image snapshots) are recorded with ``implicit=True``.
"""

from __future__ import annotations

from typing import Any

from collector.demo.seeder import Seeder, tag_list, tag_spec

# One of the AMIs moto loads in every region (moto/ec2/resources/amis.json). moto does not
# check AMI ids unless MOTO_ENABLE_AMI_VALIDATION is set, so this also works with
# MOTO_EC2_LOAD_DEFAULT_AMIS=false (not with both).
BASE_AMI_ID = "ami-1e749f67"


def seed_ec2(seeder: Seeder, region: str) -> None:
    """All the EC2 resources of one account and region, and its application load balancers."""
    ec2 = _Ec2Steps(seeder, region)
    zones = ec2.availability_zones()
    # Networking.
    vpc_ids = ec2.vpcs()
    subnet_ids = ec2.subnets(vpc_ids[0], zones)
    ec2.internet_gateways_and_route_tables(vpc_ids)
    sg_ids = ec2.security_groups(vpc_ids[0])
    # Compute and storage.
    key_names = ec2.key_pairs()
    instance_ids = ec2.instances(subnet_ids, sg_ids[0], key_names[0])
    ec2.volumes_and_snapshots(zones[0])
    ec2.images(instance_ids)
    # Addresses, NAT, interfaces and load balancers.
    ec2.elastic_ips_and_nat_gateways(subnet_ids)
    ec2.network_interfaces(subnet_ids[0], sg_ids[0])
    ec2.load_balancers(subnet_ids[:2], sg_ids[0])


class _Ec2Steps:
    """The steps of :func:`seed_ec2`, sharing one seeder, region and EC2 client."""

    def __init__(self, seeder: Seeder, region: str) -> None:
        self.seeder = seeder
        self.region = region
        self.ec2: Any = seeder.client("ec2", region)
        self.p = seeder.prefix
        self.n = seeder.n

    def named(self, kind: str, i: int) -> tuple[str, dict[str, str]]:
        name = f"{self.p}-{kind}-{i}"
        return name, self.seeder.tags(i, name)

    def arn(self, kind: str, rid: str, *, owned: bool = True) -> str:
        return self.seeder.ec2_arn(self.region, kind, rid, owned=owned)

    def add(
        self,
        resource_type: str,
        resource_id: str,
        arn: str,
        tags: dict[str, str],
        name: str | None,
        *,
        implicit: bool = False,
    ) -> None:
        self.seeder.add(self.region, resource_type, resource_id, arn, tags, name, implicit=implicit)

    def availability_zones(self) -> list[str]:
        """The first two availability zones of the region, by name."""
        return sorted(
            z["ZoneName"]
            for z in self.ec2.describe_availability_zones(
                Filters=[{"Name": "zone-type", "Values": ["availability-zone"]}]
            )["AvailabilityZones"]
        )[:2]

    def vpcs(self) -> list[str]:
        """VPCs, plus the main route table and default security group each one gets."""
        ec2 = self.ec2
        vpc_ids: list[str] = []
        for i in range(self.n):
            name, tags = self.named("vpc", i)
            vpc = ec2.create_vpc(
                CidrBlock=f"10.{i}.0.0/16", TagSpecifications=tag_spec("vpc", tags)
            )
            vpc_id = str(vpc["Vpc"]["VpcId"])
            vpc_ids.append(vpc_id)
            self.add("AWS::EC2::VPC", vpc_id, self.arn("vpc", vpc_id), tags, name)
        vpc_filter = [{"Name": "vpc-id", "Values": vpc_ids}]
        for rt in ec2.describe_route_tables(
            Filters=[*vpc_filter, {"Name": "association.main", "Values": ["true"]}]
        )["RouteTables"]:
            rid = rt["RouteTableId"]
            arn = self.arn("route-table", rid)
            self.add("AWS::EC2::RouteTable", rid, arn, {}, None, implicit=True)
        for sg in ec2.describe_security_groups(
            Filters=[*vpc_filter, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"]:
            gid = sg["GroupId"]
            arn = self.arn("security-group", gid)
            self.add("AWS::EC2::SecurityGroup", gid, arn, {}, sg["GroupName"], implicit=True)
        return vpc_ids

    def subnets(self, vpc_id: str, zones: list[str]) -> list[str]:
        """``max(n, 2)`` subnets in ``vpc_id``, over two AZs (load balancers need two)."""
        subnet_ids: list[str] = []
        for i in range(max(self.n, 2)):
            name, tags = self.named("subnet", i)
            subnet = self.ec2.create_subnet(
                VpcId=vpc_id,
                CidrBlock=f"10.0.{i}.0/24",
                AvailabilityZone=zones[i % len(zones)],
                TagSpecifications=tag_spec("subnet", tags),
            )["Subnet"]
            sid = str(subnet["SubnetId"])
            subnet_ids.append(sid)
            self.add("AWS::EC2::Subnet", sid, self.arn("subnet", sid), tags, name)
        return subnet_ids

    def internet_gateways_and_route_tables(self, vpc_ids: list[str]) -> None:
        """Internet gateways (IGW i attached to VPC i) and custom route tables (RT i in VPC i)."""
        ec2 = self.ec2
        for i in range(self.n):
            name, tags = self.named("igw", i)
            igw = ec2.create_internet_gateway(TagSpecifications=tag_spec("internet-gateway", tags))
            igw_id = str(igw["InternetGateway"]["InternetGatewayId"])
            ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_ids[i])
            arn = self.arn("internet-gateway", igw_id)
            self.add("AWS::EC2::InternetGateway", igw_id, arn, tags, name)
        for i in range(self.n):
            name, tags = self.named("rtb", i)
            rt = ec2.create_route_table(
                VpcId=vpc_ids[i], TagSpecifications=tag_spec("route-table", tags)
            )["RouteTable"]
            rid = str(rt["RouteTableId"])
            self.add("AWS::EC2::RouteTable", rid, self.arn("route-table", rid), tags, name)

    def security_groups(self, vpc_id: str) -> list[str]:
        """Security groups (name = GroupName) in ``vpc_id``."""
        sg_ids: list[str] = []
        for i in range(self.n):
            name, tags = self.named("sg", i)
            sg = self.ec2.create_security_group(
                GroupName=name,
                Description=f"{self.p} security group {i}",
                VpcId=vpc_id,
                TagSpecifications=tag_spec("security-group", tags),
            )
            gid = str(sg["GroupId"])
            sg_ids.append(gid)
            self.add("AWS::EC2::SecurityGroup", gid, self.arn("security-group", gid), tags, name)
        return sg_ids

    def key_pairs(self) -> list[str]:
        """Key pairs (name = KeyName); returns their names."""
        key_names: list[str] = []
        for i in range(self.n):
            name, tags = self.named("key", i)
            # ed25519: moto generates RSA key pairs in Python, ~80 ms each.
            kp = self.ec2.create_key_pair(
                KeyName=name, KeyType="ed25519", TagSpecifications=tag_spec("key-pair", tags)
            )
            kid = str(kp["KeyPairId"])
            key_names.append(name)
            self.add("AWS::EC2::KeyPair", kid, self.arn("key-pair", name), tags, name)
        return key_names

    def instances(self, subnet_ids: list[str], sg_id: str, key_name: str) -> list[str]:
        """Instances, each with an implicit root volume and primary network interface."""
        instance_ids: list[str] = []
        for i in range(self.n):
            name, tags = self.named("instance", i)
            inst = self.ec2.run_instances(
                ImageId=BASE_AMI_ID,
                InstanceType="t3.micro",
                MinCount=1,
                MaxCount=1,
                SubnetId=subnet_ids[i % len(subnet_ids)],
                SecurityGroupIds=[sg_id],
                KeyName=key_name,
                TagSpecifications=tag_spec("instance", tags),
            )["Instances"][0]
            iid = str(inst["InstanceId"])
            instance_ids.append(iid)
            self.add("AWS::EC2::Instance", iid, self.arn("instance", iid), tags, name)
            for bdm in inst.get("BlockDeviceMappings", []):
                vid = bdm["Ebs"]["VolumeId"]
                self.add("AWS::EC2::Volume", vid, self.arn("volume", vid), {}, None, implicit=True)
            for eni in inst.get("NetworkInterfaces", []):
                eid = eni["NetworkInterfaceId"]
                arn = self.arn("network-interface", eid)
                self.add("AWS::EC2::NetworkInterface", eid, arn, {}, None, implicit=True)
        return instance_ids

    def volumes_and_snapshots(self, zone: str) -> None:
        """Volumes in ``zone``, and snapshots of volume 0 (owned by this account)."""
        ec2 = self.ec2
        volume_ids: list[str] = []
        for i in range(self.n):
            name, tags = self.named("volume", i)
            vol = ec2.create_volume(
                AvailabilityZone=zone,
                Size=1 + i,
                VolumeType="gp3",
                TagSpecifications=tag_spec("volume", tags),
            )
            vid = str(vol["VolumeId"])
            volume_ids.append(vid)
            self.add("AWS::EC2::Volume", vid, self.arn("volume", vid), tags, name)
        for i in range(self.n):
            name, tags = self.named("snapshot", i)
            snap = ec2.create_snapshot(
                VolumeId=volume_ids[0],
                Description=f"{self.p} snapshot {i}",
                TagSpecifications=tag_spec("snapshot", tags),
            )
            sid = str(snap["SnapshotId"])
            arn = self.arn("snapshot", sid, owned=False)
            self.add("AWS::EC2::Snapshot", sid, arn, tags, name)

    def images(self, instance_ids: list[str]) -> None:
        """Images of instance i (name = image Name), each backed by an implicit snapshot."""
        ec2 = self.ec2
        image_ids: list[str] = []
        for i in range(self.n):
            name = f"{self.p}-image-{i}"
            tags = self.seeder.tags(i)
            img = ec2.create_image(
                InstanceId=instance_ids[i],
                Name=name,
                Description=f"{self.p} image {i}",
                TagSpecifications=tag_spec("image", tags),
            )
            image_id = str(img["ImageId"])
            image_ids.append(image_id)
            arn = self.arn("image", image_id, owned=False)
            self.add("AWS::EC2::Image", image_id, arn, tags, name)
        for image in ec2.describe_images(ImageIds=image_ids)["Images"]:
            for bdm in image.get("BlockDeviceMappings", []):
                sid = bdm.get("Ebs", {}).get("SnapshotId")
                if sid:
                    arn = self.arn("snapshot", sid, owned=False)
                    self.add("AWS::EC2::Snapshot", sid, arn, {}, None, implicit=True)

    def elastic_ips_and_nat_gateways(self, subnet_ids: list[str]) -> None:
        """Elastic IPs, and NAT gateways using EIP i (each with an implicit network interface)."""
        ec2 = self.ec2
        allocation_ids: list[str] = []
        for i in range(self.n):
            name, tags = self.named("eip", i)
            eip = ec2.allocate_address(Domain="vpc", TagSpecifications=tag_spec("elastic-ip", tags))
            aid = str(eip["AllocationId"])
            allocation_ids.append(aid)
            self.add("AWS::EC2::EIP", aid, self.arn("elastic-ip", aid), tags, name)
        for i in range(self.n):
            name, tags = self.named("nat", i)
            nat = ec2.create_nat_gateway(
                SubnetId=subnet_ids[i % len(subnet_ids)],
                AllocationId=allocation_ids[i],
                TagSpecifications=tag_spec("natgateway", tags),
            )["NatGateway"]
            nid = str(nat["NatGatewayId"])
            self.add("AWS::EC2::NatGateway", nid, self.arn("natgateway", nid), tags, name)
            for address in nat.get("NatGatewayAddresses", []):
                eid = address.get("NetworkInterfaceId")
                if eid:
                    arn = self.arn("network-interface", eid)
                    self.add("AWS::EC2::NetworkInterface", eid, arn, {}, None, implicit=True)

    def network_interfaces(self, subnet_id: str, sg_id: str) -> None:
        """Stand-alone network interfaces."""
        for i in range(self.n):
            name, tags = self.named("eni", i)
            eni = self.ec2.create_network_interface(
                SubnetId=subnet_id,
                Groups=[sg_id],
                Description=f"{self.p} eni {i}",
                TagSpecifications=tag_spec("network-interface", tags),
            )["NetworkInterface"]
            eid = str(eni["NetworkInterfaceId"])
            arn = self.arn("network-interface", eid)
            self.add("AWS::EC2::NetworkInterface", eid, arn, tags, name)

    def load_balancers(self, subnet_ids: list[str], sg_id: str) -> None:
        """Application load balancers over ``subnet_ids`` (the first two subnets: two AZs)."""
        elbv2 = self.seeder.client("elbv2", self.region)
        for i in range(self.n):
            name = f"{self.p}-alb-{i}"
            tags = self.seeder.tags(i)
            lb = elbv2.create_load_balancer(
                Name=name,
                Subnets=subnet_ids,
                SecurityGroups=[sg_id],
                Scheme="internet-facing",
                Type="application",
                Tags=tag_list(tags),
            )["LoadBalancers"][0]
            self.add(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                name,
                lb["LoadBalancerArn"],
                tags,
                name,
            )
