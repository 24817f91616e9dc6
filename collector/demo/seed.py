"""Seed a running moto server with an AWS Organization and resources of every core type.

Used by ``inventory demo`` and by the test-suite. It talks to moto in *server* mode through
ordinary (sync) boto3 clients pointed at ``endpoint_url``; it never uses the in-process
``mock_aws`` decorator and never sets ``MOTO_ACCOUNT_ID``: member accounts are reached the way
a real collector reaches them, through ``sts:AssumeRole`` into
``arn:aws:iam::<account>:role/OrganizationAccountAccessRole`` (moto maps the returned keys to
that account).

What is created is deterministic (counts, names, tags, placement); the identifiers moto
assigns (account ids, instance ids, ...) are not, which is why every call returns a
:class:`Manifest` with the identity of everything created, following docs/CONVENTIONS.md.

Per account and region, with ``n = per_type``:

* EC2: ``n`` VPCs (``10.<i>.0.0/16``) each with an attached internet gateway and a custom route
  table; ``max(n, 2)`` subnets in VPC 0 spread over two AZs (load balancers need two); ``n``
  security groups, key pairs (ed25519), instances, volumes, snapshots (of volume 0), images
  (of instance ``i``), EIPs, NAT gateways (each using EIP ``i``), network interfaces.
* ``n`` Lambda functions, RDS instances, DynamoDB tables, SQS queues, SNS topics, KMS keys
  (even ``i`` symmetric, odd ``i`` ECC signing keys), CloudFormation stacks (whose only
  resource is an ``AWS::SSM::Parameter``, not a core type) and application load balancers.

Names are ``<tag_prefix>-<kind>-<i>``. Tags are ``env`` (by index), ``team`` (by account),
``cost-center`` (by account and index), ``seed`` (= ``tag_prefix``) and, for the types whose
name is the ``Name`` tag (EC2 except security groups and images, KMS keys), ``Name``. IAM
groups cannot be tagged.

Per account: ``n`` IAM users, roles (role 0 is the Lambda execution role), groups, customer
managed policies, Route53 hosted zones and S3 buckets (bucket ``i`` lives in
``regions[i % len(regions)]``; the *last* bucket of every account has no tags at all).

Some resources are created by AWS/moto as a side effect of another and are real resources of
a core type that a collector will list; they are in the manifest with ``implicit=True``, no
tags and no name (except the VPC's ``default`` security group, named by its GroupName):
the main route table and the ``default`` security group of every seeded VPC, the root volume
and primary network interface of every instance, the network interface of every NAT gateway
and the snapshot backing every image.

Not in the manifest, because the seed did not cause them: moto's per-account/region
defaults (default VPC with its subnets, security group, route table and network ACL; the
public AMIs and their snapshots, owned by other accounts) and the
``OrganizationAccountAccessRole`` that moto's ``CreateAccount`` puts in every member account.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
import botocore.session

PARTITION = "aws"
MANAGEMENT_ACCESS_KEY = "testing"
MANAGEMENT_SECRET_KEY = "testing"
HOME_REGION = "us-east-1"
DEFAULT_REGIONS: tuple[str, ...] = ("us-east-1", "eu-west-1")
# One of the AMIs moto loads in every region (moto/ec2/resources/amis.json). moto does not
# check AMI ids unless MOTO_ENABLE_AMI_VALIDATION is set, so this also works with
# MOTO_EC2_LOAD_DEFAULT_AMIS=false (not with both).
BASE_AMI_ID = "ami-1e749f67"

_ENVS = ("prod", "dev", "staging")
_TEAMS = ("platform", "data", "payments", "identity")

_LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


@dataclass(frozen=True)
class Seeded:
    """One resource the seed created, identified as docs/CONVENTIONS.md says."""

    account_id: str
    # The resource's own region: "global" for IAM/Route53, the bucket's region for S3.
    region: str
    resource_type: str
    resource_id: str
    arn: str
    tags: dict[str, str] = field(hash=False)
    name: str | None
    # Created by AWS/moto as a side effect of another seeded resource (see module docstring).
    implicit: bool = False


@dataclass
class Manifest:
    """Everything :func:`seed_organization` created."""

    management_account_id: str
    member_account_ids: list[str]
    regions: list[str]
    resources: list[Seeded]

    @property
    def account_ids(self) -> list[str]:
        return [self.management_account_id, *self.member_account_ids]

    def of_type(self, resource_type: str) -> list[Seeded]:
        return [r for r in self.resources if r.resource_type == resource_type]

    def by_arn(self) -> dict[str, Seeded]:
        return {r.arn: r for r in self.resources}


# --------------------------------------------------------------------------------------------
# Organization and sessions


@cache
def _shared_loader() -> Any:
    return botocore.session.get_session().get_component("data_loader")


def _session(**kwargs: Any) -> boto3.Session:
    """A boto3 session whose botocore data loader (service models) is shared by all of them.

    Loading service models is most of the cost of creating a client; the seed creates about
    two dozen clients per account, which without sharing costs ~0.5 s per account.
    """
    core = botocore.session.get_session()
    loader = _shared_loader()
    core.register_component("data_loader", loader)
    session = boto3.Session(botocore_session=core, **kwargs)
    # boto3 appends its own data directory to the (shared) loader's search path every time.
    paths = loader.search_paths
    paths[:] = list(dict.fromkeys(paths))
    return session


def management_session(region: str = HOME_REGION) -> boto3.Session:
    """A session for the management account (moto's default account, 123456789012)."""
    return _session(
        aws_access_key_id=MANAGEMENT_ACCESS_KEY,
        aws_secret_access_key=MANAGEMENT_SECRET_KEY,
        region_name=region,
    )


def create_organization(endpoint_url: str, member_names: Sequence[str]) -> tuple[str, list[str]]:
    """Create an organization (FeatureSet ALL) and one member account per name.

    OUs: Root > workloads > prod, and Root > sandbox. Member ``i`` is placed, cyclically, in
    prod (nested), sandbox, then left in Root. Returns ``(management_id, member_ids)``.
    """
    org = management_session().client("organizations", endpoint_url=endpoint_url)
    management_id = str(
        org.create_organization(FeatureSet="ALL")["Organization"]["MasterAccountId"]
    )
    root_id = str(org.list_roots()["Roots"][0]["Id"])

    def ou(parent_id: str, name: str) -> str:
        resp = org.create_organizational_unit(ParentId=parent_id, Name=name)
        return str(resp["OrganizationalUnit"]["Id"])

    workloads = ou(root_id, "workloads")
    prod = ou(workloads, "prod")
    sandbox = ou(root_id, "sandbox")
    placement = (prod, sandbox, None)

    member_ids: list[str] = []
    for i, name in enumerate(member_names):
        local = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or f"member-{i}"
        status = org.create_account(Email=f"{local}@example.com", AccountName=name)[
            "CreateAccountStatus"
        ]
        while status["State"] == "IN_PROGRESS":  # moto answers SUCCEEDED at once
            time.sleep(0.05)
            status = org.describe_create_account_status(CreateAccountRequestId=status["Id"])[
                "CreateAccountStatus"
            ]
        if status["State"] != "SUCCEEDED":
            raise RuntimeError(f"create_account {name!r} failed: {status}")
        account_id = str(status["AccountId"])
        target = placement[i % len(placement)]
        if target is not None:
            org.move_account(
                AccountId=account_id, SourceParentId=root_id, DestinationParentId=target
            )
        member_ids.append(account_id)
    return management_id, member_ids


def member_session(
    endpoint_url: str,
    account_id: str,
    region: str,
    role_name: str = "OrganizationAccountAccessRole",
) -> boto3.Session:
    """A session in ``account_id`` obtained by assuming ``role_name`` from the management account."""
    sts = management_session(region).client("sts", endpoint_url=endpoint_url)
    creds = sts.assume_role(
        RoleArn=f"arn:{PARTITION}:iam::{account_id}:role/{role_name}",
        RoleSessionName="inventory-demo-seed",
    )["Credentials"]
    return _session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )


# --------------------------------------------------------------------------------------------
# Per-account seeding


@cache
def _lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("handler.py", "def handler(event, context):\n    return {'ok': True}\n")
    return buf.getvalue()


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _tag_spec(resource_type: str, tags: dict[str, str]) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": _tag_list(tags)}]


class _Seeder:
    def __init__(
        self, endpoint_url: str, session: boto3.Session, account_id: str, per_type: int, prefix: str
    ) -> None:
        self.endpoint_url = endpoint_url
        self.session = session
        self.account_id = account_id
        self.n = per_type
        self.prefix = prefix
        self.out: list[Seeded] = []
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.session.client(
                service, region_name=region, endpoint_url=self.endpoint_url
            )
        return self._clients[key]

    def tags(self, i: int, name: str | None = None) -> dict[str, str]:
        acct = self.account_id
        tags = {
            "env": _ENVS[i % len(_ENVS)],
            "team": _TEAMS[int(acct) % len(_TEAMS)],
            "cost-center": f"cc-{acct[-4:]}-{i}",
            "seed": self.prefix,
        }
        if name is not None:
            tags["Name"] = name
        return tags

    def add(
        self,
        region: str,
        resource_type: str,
        resource_id: str,
        arn: str,
        tags: dict[str, str],
        name: str | None,
        *,
        implicit: bool = False,
    ) -> None:
        self.out.append(
            Seeded(
                account_id=self.account_id,
                region=region,
                resource_type=resource_type,
                resource_id=resource_id,
                arn=arn,
                tags=dict(tags),
                name=name,
                implicit=implicit,
            )
        )

    def ec2_arn(self, region: str, kind: str, rid: str, *, owned: bool = True) -> str:
        account = self.account_id if owned else ""
        return f"arn:{PARTITION}:ec2:{region}:{account}:{kind}/{rid}"

    # ---- global ------------------------------------------------------------------------

    def seed_iam(self) -> str:
        """IAM users, roles, groups, policies; returns role 0's ARN (Lambda execution role)."""
        iam = self.client("iam", HOME_REGION)
        p, g = self.prefix, "global"
        role_arns: list[str] = []
        for i in range(self.n):
            name = f"{p}-role-{i}"
            role = iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(_LAMBDA_TRUST),
                Description=f"{p} role {i}",
                Tags=_tag_list(self.tags(i)),
            )["Role"]
            role_arns.append(str(role["Arn"]))
            self.add(g, "AWS::IAM::Role", name, role["Arn"], self.tags(i), name)
        for i in range(self.n):
            name = f"{p}-user-{i}"
            user = iam.create_user(UserName=name, Tags=_tag_list(self.tags(i)))["User"]
            self.add(g, "AWS::IAM::User", name, user["Arn"], self.tags(i), name)
        for i in range(self.n):
            name = f"{p}-group-{i}"
            group = iam.create_group(GroupName=name)["Group"]  # groups cannot be tagged
            self.add(g, "AWS::IAM::Group", name, group["Arn"], {}, name)
        for i in range(self.n):
            name = f"{p}-policy-{i}"
            doc = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "s3:ListBucket",
                        "Resource": f"arn:aws:s3:::{p}-{i}",
                    }
                ],
            }
            policy = iam.create_policy(
                PolicyName=name, PolicyDocument=json.dumps(doc), Tags=_tag_list(self.tags(i))
            )["Policy"]
            self.add(g, "AWS::IAM::ManagedPolicy", name, policy["Arn"], self.tags(i), name)
        return role_arns[0]

    def seed_route53(self) -> None:
        r53 = self.client("route53", HOME_REGION)
        for i in range(self.n):
            zone = r53.create_hosted_zone(
                Name=f"{self.prefix}-{i}.a{self.account_id}.example.com",
                CallerReference=f"{self.prefix}-{self.account_id}-{i}",
            )["HostedZone"]
            zone_id = str(zone["Id"]).removeprefix("/hostedzone/")
            tags = self.tags(i)
            r53.change_tags_for_resource(
                ResourceType="hostedzone", ResourceId=zone_id, AddTags=_tag_list(tags)
            )
            self.add(
                "global",
                "AWS::Route53::HostedZone",
                zone_id,
                f"arn:{PARTITION}:route53:::hostedzone/{zone_id}",
                tags,
                zone["Name"],
            )

    def seed_s3(self, regions: Sequence[str]) -> None:
        for i in range(self.n):
            region = regions[i % len(regions)]
            s3 = self.client("s3", region)
            name = f"{self.prefix}-{self.account_id}-{i}-{region}"
            kwargs: dict[str, Any] = {"Bucket": name}
            if region != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
            s3.create_bucket(**kwargs)
            tags: dict[str, str] = {}
            if i != self.n - 1:  # the last bucket of every account stays untagged
                tags = self.tags(i)
                s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tag_list(tags)})
            self.add(region, "AWS::S3::Bucket", name, f"arn:{PARTITION}:s3:::{name}", tags, name)

    # ---- regional ----------------------------------------------------------------------

    def seed_ec2(self, region: str) -> None:
        ec2 = self.client("ec2", region)
        p, n = self.prefix, self.n
        zones = sorted(
            z["ZoneName"]
            for z in ec2.describe_availability_zones(
                Filters=[{"Name": "zone-type", "Values": ["availability-zone"]}]
            )["AvailabilityZones"]
        )[:2]

        def named(kind: str, i: int) -> tuple[str, dict[str, str]]:
            name = f"{p}-{kind}-{i}"
            return name, self.tags(i, name)

        # VPCs, plus the main route table and default security group each one gets.
        vpc_ids: list[str] = []
        for i in range(n):
            name, tags = named("vpc", i)
            vpc = ec2.create_vpc(
                CidrBlock=f"10.{i}.0.0/16", TagSpecifications=_tag_spec("vpc", tags)
            )
            vpc_id = str(vpc["Vpc"]["VpcId"])
            vpc_ids.append(vpc_id)
            self.add(
                region, "AWS::EC2::VPC", vpc_id, self.ec2_arn(region, "vpc", vpc_id), tags, name
            )
        vpc_filter = [{"Name": "vpc-id", "Values": vpc_ids}]
        for rt in ec2.describe_route_tables(
            Filters=[*vpc_filter, {"Name": "association.main", "Values": ["true"]}]
        )["RouteTables"]:
            rid = rt["RouteTableId"]
            arn = self.ec2_arn(region, "route-table", rid)
            self.add(region, "AWS::EC2::RouteTable", rid, arn, {}, None, implicit=True)
        for sg in ec2.describe_security_groups(
            Filters=[*vpc_filter, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"]:
            gid = sg["GroupId"]
            arn = self.ec2_arn(region, "security-group", gid)
            self.add(
                region, "AWS::EC2::SecurityGroup", gid, arn, {}, sg["GroupName"], implicit=True
            )

        # Subnets in VPC 0, over two AZs.
        subnet_ids: list[str] = []
        for i in range(max(n, 2)):
            name, tags = named("subnet", i)
            subnet = ec2.create_subnet(
                VpcId=vpc_ids[0],
                CidrBlock=f"10.0.{i}.0/24",
                AvailabilityZone=zones[i % len(zones)],
                TagSpecifications=_tag_spec("subnet", tags),
            )["Subnet"]
            sid = str(subnet["SubnetId"])
            subnet_ids.append(sid)
            self.add(
                region, "AWS::EC2::Subnet", sid, self.ec2_arn(region, "subnet", sid), tags, name
            )

        # Internet gateways (IGW i attached to VPC i) and custom route tables (RT i in VPC i).
        igw_ids: list[str] = []
        for i in range(n):
            name, tags = named("igw", i)
            igw = ec2.create_internet_gateway(TagSpecifications=_tag_spec("internet-gateway", tags))
            igw_id = str(igw["InternetGateway"]["InternetGatewayId"])
            ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_ids[i])
            igw_ids.append(igw_id)
            arn = self.ec2_arn(region, "internet-gateway", igw_id)
            self.add(region, "AWS::EC2::InternetGateway", igw_id, arn, tags, name)
        for i in range(n):
            name, tags = named("rtb", i)
            rt = ec2.create_route_table(
                VpcId=vpc_ids[i], TagSpecifications=_tag_spec("route-table", tags)
            )["RouteTable"]
            rid = str(rt["RouteTableId"])
            arn = self.ec2_arn(region, "route-table", rid)
            self.add(region, "AWS::EC2::RouteTable", rid, arn, tags, name)

        # Security groups (name = GroupName) in VPC 0.
        sg_ids: list[str] = []
        for i in range(n):
            name, tags = named("sg", i)
            sg = ec2.create_security_group(
                GroupName=name,
                Description=f"{p} security group {i}",
                VpcId=vpc_ids[0],
                TagSpecifications=_tag_spec("security-group", tags),
            )
            gid = str(sg["GroupId"])
            sg_ids.append(gid)
            arn = self.ec2_arn(region, "security-group", gid)
            self.add(region, "AWS::EC2::SecurityGroup", gid, arn, tags, name)

        # Key pairs (name = KeyName).
        key_names: list[str] = []
        for i in range(n):
            name, tags = named("key", i)
            # ed25519: moto generates RSA key pairs in Python, ~80 ms each.
            kp = ec2.create_key_pair(
                KeyName=name, KeyType="ed25519", TagSpecifications=_tag_spec("key-pair", tags)
            )
            kid = str(kp["KeyPairId"])
            key_names.append(name)
            self.add(
                region, "AWS::EC2::KeyPair", kid, self.ec2_arn(region, "key-pair", kid), tags, name
            )

        # Instances, each with an implicit root volume and primary network interface.
        instance_ids: list[str] = []
        for i in range(n):
            name, tags = named("instance", i)
            inst = ec2.run_instances(
                ImageId=BASE_AMI_ID,
                InstanceType="t3.micro",
                MinCount=1,
                MaxCount=1,
                SubnetId=subnet_ids[i % len(subnet_ids)],
                SecurityGroupIds=[sg_ids[0]],
                KeyName=key_names[0],
                TagSpecifications=_tag_spec("instance", tags),
            )["Instances"][0]
            iid = str(inst["InstanceId"])
            instance_ids.append(iid)
            self.add(
                region, "AWS::EC2::Instance", iid, self.ec2_arn(region, "instance", iid), tags, name
            )
            for bdm in inst.get("BlockDeviceMappings", []):
                vid = bdm["Ebs"]["VolumeId"]
                arn = self.ec2_arn(region, "volume", vid)
                self.add(region, "AWS::EC2::Volume", vid, arn, {}, None, implicit=True)
            for eni in inst.get("NetworkInterfaces", []):
                eid = eni["NetworkInterfaceId"]
                arn = self.ec2_arn(region, "network-interface", eid)
                self.add(region, "AWS::EC2::NetworkInterface", eid, arn, {}, None, implicit=True)

        # Volumes, and snapshots of volume 0 (owned by this account).
        volume_ids: list[str] = []
        for i in range(n):
            name, tags = named("volume", i)
            vol = ec2.create_volume(
                AvailabilityZone=zones[0],
                Size=1 + i,
                VolumeType="gp3",
                TagSpecifications=_tag_spec("volume", tags),
            )
            vid = str(vol["VolumeId"])
            volume_ids.append(vid)
            self.add(
                region, "AWS::EC2::Volume", vid, self.ec2_arn(region, "volume", vid), tags, name
            )
        for i in range(n):
            name, tags = named("snapshot", i)
            snap = ec2.create_snapshot(
                VolumeId=volume_ids[0],
                Description=f"{p} snapshot {i}",
                TagSpecifications=_tag_spec("snapshot", tags),
            )
            sid = str(snap["SnapshotId"])
            arn = self.ec2_arn(region, "snapshot", sid, owned=False)
            self.add(region, "AWS::EC2::Snapshot", sid, arn, tags, name)

        # Images of instance i (name = image Name), each backed by an implicit snapshot.
        image_ids: list[str] = []
        for i in range(n):
            name = f"{p}-image-{i}"
            tags = self.tags(i)
            img = ec2.create_image(
                InstanceId=instance_ids[i],
                Name=name,
                Description=f"{p} image {i}",
                TagSpecifications=_tag_spec("image", tags),
            )
            image_id = str(img["ImageId"])
            image_ids.append(image_id)
            arn = self.ec2_arn(region, "image", image_id, owned=False)
            self.add(region, "AWS::EC2::Image", image_id, arn, tags, name)
        for image in ec2.describe_images(ImageIds=image_ids)["Images"]:
            for bdm in image.get("BlockDeviceMappings", []):
                sid = bdm.get("Ebs", {}).get("SnapshotId")
                if sid:
                    arn = self.ec2_arn(region, "snapshot", sid, owned=False)
                    self.add(region, "AWS::EC2::Snapshot", sid, arn, {}, None, implicit=True)

        # Elastic IPs, and NAT gateways using EIP i (each with an implicit network interface).
        allocation_ids: list[str] = []
        for i in range(n):
            name, tags = named("eip", i)
            eip = ec2.allocate_address(
                Domain="vpc", TagSpecifications=_tag_spec("elastic-ip", tags)
            )
            aid = str(eip["AllocationId"])
            allocation_ids.append(aid)
            self.add(
                region, "AWS::EC2::EIP", aid, self.ec2_arn(region, "elastic-ip", aid), tags, name
            )
        for i in range(n):
            name, tags = named("nat", i)
            nat = ec2.create_nat_gateway(
                SubnetId=subnet_ids[i % len(subnet_ids)],
                AllocationId=allocation_ids[i],
                TagSpecifications=_tag_spec("natgateway", tags),
            )["NatGateway"]
            nid = str(nat["NatGatewayId"])
            self.add(
                region,
                "AWS::EC2::NatGateway",
                nid,
                self.ec2_arn(region, "natgateway", nid),
                tags,
                name,
            )
            for address in nat.get("NatGatewayAddresses", []):
                eid = address.get("NetworkInterfaceId")
                if eid:
                    arn = self.ec2_arn(region, "network-interface", eid)
                    self.add(
                        region, "AWS::EC2::NetworkInterface", eid, arn, {}, None, implicit=True
                    )

        # Stand-alone network interfaces.
        for i in range(n):
            name, tags = named("eni", i)
            eni = ec2.create_network_interface(
                SubnetId=subnet_ids[0],
                Groups=[sg_ids[0]],
                Description=f"{p} eni {i}",
                TagSpecifications=_tag_spec("network-interface", tags),
            )["NetworkInterface"]
            eid = str(eni["NetworkInterfaceId"])
            arn = self.ec2_arn(region, "network-interface", eid)
            self.add(region, "AWS::EC2::NetworkInterface", eid, arn, tags, name)

        # Application load balancers over the first two subnets (two AZs).
        elbv2 = self.client("elbv2", region)
        for i in range(n):
            name = f"{p}-alb-{i}"
            tags = self.tags(i)
            lb = elbv2.create_load_balancer(
                Name=name,
                Subnets=subnet_ids[:2],
                SecurityGroups=[sg_ids[0]],
                Scheme="internet-facing",
                Type="application",
                Tags=_tag_list(tags),
            )["LoadBalancers"][0]
            self.add(
                region,
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                name,
                lb["LoadBalancerArn"],
                tags,
                name,
            )

    def seed_services(self, region: str, lambda_role_arn: str) -> None:
        p, n = self.prefix, self.n

        lam = self.client("lambda", region)
        for i in range(n):
            name = f"{p}-function-{i}"
            tags = self.tags(i)
            fn = lam.create_function(
                FunctionName=name,
                Runtime="python3.12",
                Role=lambda_role_arn,
                Handler="handler.handler",
                Code={"ZipFile": _lambda_zip()},
                Description=f"{p} function {i}",
                Tags=tags,
            )
            self.add(region, "AWS::Lambda::Function", name, fn["FunctionArn"], tags, name)

        rds = self.client("rds", region)
        for i in range(n):
            name = f"{p}-db-{i}"
            tags = self.tags(i)
            db = rds.create_db_instance(
                DBInstanceIdentifier=name,
                Engine="postgres",
                DBInstanceClass="db.t3.micro",
                AllocatedStorage=20,
                MasterUsername="demo",
                MasterUserPassword="demo-password-1",
                Tags=_tag_list(tags),
            )["DBInstance"]
            self.add(region, "AWS::RDS::DBInstance", name, db["DBInstanceArn"], tags, name)

        ddb = self.client("dynamodb", region)
        for i in range(n):
            name = f"{p}-table-{i}"
            tags = self.tags(i)
            table = ddb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
                Tags=_tag_list(tags),
            )["TableDescription"]
            self.add(region, "AWS::DynamoDB::Table", name, table["TableArn"], tags, name)

        sqs = self.client("sqs", region)
        for i in range(n):
            name = f"{p}-queue-{i}"
            tags = self.tags(i)
            sqs.create_queue(QueueName=name, tags=tags)
            arn = f"arn:{PARTITION}:sqs:{region}:{self.account_id}:{name}"
            self.add(region, "AWS::SQS::Queue", name, arn, tags, name)

        sns = self.client("sns", region)
        for i in range(n):
            name = f"{p}-topic-{i}"
            tags = self.tags(i)
            arn = sns.create_topic(Name=name, Tags=_tag_list(tags))["TopicArn"]
            self.add(region, "AWS::SNS::Topic", name, arn, tags, name)

        kms = self.client("kms", region)
        for i in range(n):
            name = f"{p}-key-{i}"
            tags = self.tags(i, name)
            # Odd keys are ECC signing keys: moto makes an RSA-2048 private key for every
            # symmetric key (~70 ms each), an ECC one is cheap.
            spec: dict[str, str] = (
                {"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"} if i % 2 else {}
            )
            meta = kms.create_key(
                Description=f"{p} key {i}",
                Tags=[{"TagKey": k, "TagValue": v} for k, v in tags.items()],
                **spec,
            )["KeyMetadata"]
            self.add(region, "AWS::KMS::Key", meta["KeyId"], meta["Arn"], tags, name)

        cfn = self.client("cloudformation", region)
        for i in range(n):
            name = f"{p}-stack-{i}"
            tags = self.tags(i)
            template = {
                "AWSTemplateFormatVersion": "2010-09-09",
                "Description": f"{p} stack {i}",
                "Resources": {
                    "Parameter": {
                        "Type": "AWS::SSM::Parameter",
                        "Properties": {
                            "Name": f"/{p}/stack-{i}",
                            "Type": "String",
                            "Value": f"{p}-{i}",
                        },
                    }
                },
            }
            stack_id = cfn.create_stack(
                StackName=name, TemplateBody=json.dumps(template), Tags=_tag_list(tags)
            )["StackId"]
            self.add(region, "AWS::CloudFormation::Stack", name, stack_id, tags, name)


def seed_account(
    endpoint_url: str,
    session: boto3.Session,
    account_id: str,
    regions: Sequence[str],
    *,
    per_type: int = 2,
    tag_prefix: str = "demo",
) -> list[Seeded]:
    """Create ``per_type`` resources of every core type in one account; return what was created.

    ``session`` must already act in ``account_id`` (see :func:`member_session`). ``tag_prefix``
    prefixes every name and is the value of the ``seed`` tag; it must be valid in S3 bucket
    names (lowercase letters, digits, hyphens).
    """
    if per_type < 1:
        raise ValueError("per_type must be at least 1")
    if not regions:
        raise ValueError("at least one region is needed")
    seeder = _Seeder(endpoint_url, session, account_id, per_type, tag_prefix)
    role_arn = seeder.seed_iam()
    seeder.seed_route53()
    seeder.seed_s3(regions)
    for region in regions:
        seeder.seed_ec2(region)
        seeder.seed_services(region, role_arn)
    return seeder.out


def seed_organization(
    endpoint_url: str,
    *,
    members: int = 3,
    regions: Sequence[str] = DEFAULT_REGIONS,
    per_type: int = 2,
) -> Manifest:
    """Create an organization with ``members`` member accounts and seed every account.

    The manifest lists the management account's resources first, then each member's in
    creation order. Expects a fresh moto server (an organization is created once per server).
    Accounts are seeded one after the other: moto is CPU-bound, so threads make it slower.
    """
    region_list = list(regions)
    names = [f"member-{i + 1}" for i in range(members)]
    management_id, member_ids = create_organization(endpoint_url, names)
    resources = seed_account(
        endpoint_url,
        management_session(region_list[0]),
        management_id,
        region_list,
        per_type=per_type,
    )
    for account_id in member_ids:
        session = member_session(endpoint_url, account_id, region_list[0])
        resources += seed_account(endpoint_url, session, account_id, region_list, per_type=per_type)
    return Manifest(
        management_account_id=management_id,
        member_account_ids=member_ids,
        regions=region_list,
        resources=resources,
    )
