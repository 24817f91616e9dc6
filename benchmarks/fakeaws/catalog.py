"""The 27 core resource types: how each list operation's items are generated.

Each :class:`TypeSpec` names the list operation and the output member holding the items. The
item template comes from botocore's item shape filled by :class:`fill.Filler`; ``values`` gives
the per-item values (ids, names, tags, dates, references to other items of the same account and
region) that are put into the template as slots, top level by member name, nested by
``slot_paths``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from .fill import BASE_TIME
from .wire import ACCOUNT, PARTITION

M64 = (1 << 64) - 1
Path = tuple[str | int, ...]

ENVS = ("prod", "staging", "dev", "test")
TEAMS = ("payments", "search", "platform", "data", "identity", "growth", "ml", "ops")
WORDS = (
    "orders", "billing", "users", "catalog", "events", "audit", "reports", "images", "search",
    "ledger", "gateway", "checkout", "inventory", "notify", "sessions", "metrics", "export",
    "ingest", "archive", "profile", "shipping", "pricing", "auth", "feeds", "media", "backup",
    "analytics", "queue", "worker", "scheduler", "web", "api",
)  # fmt: skip
INSTANCE_TYPES = ("t3.micro", "t3.medium", "m5.large", "m6i.xlarge", "c6g.large", "r5.2xlarge")
RUNTIMES = ("python3.12", "nodejs20.x", "python3.11", "java21", "provided.al2023")
ENGINES = (("postgres", "16.3"), ("mysql", "8.0.36"), ("aurora-postgresql", "15.4"))


def mix64(x: int) -> int:
    """splitmix64 finalizer: a bijection on 64-bit ints."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def _h64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")


class WorldLike(Protocol):
    regions: list[str]
    partition: str
    home_region: str  # where the partition's global services live

    def count(self, account: str, region: str, resource_type: str) -> int: ...

    def gen(self, account: str, region: str, resource_type: str) -> Gen: ...


class Gen:
    """Deterministic values for the items of one (account, region, type) collection."""

    def __init__(self, world: WorldLike, seed: int, account: str, region: str, rtype: str):
        self.world = world
        self.account = account
        self.region = region  # "global" for global types
        self.partition = world.partition
        self.aws_region = world.home_region if region == "global" else region
        self.rtype = rtype
        self.key = f"{seed}/{account}/{region}/{rtype}"
        self.base = _h64(self.key)
        self._salts: dict[str, int] = {}
        self.env_shift = _h64(account) % 4

    def _salt(self, salt: str) -> int:
        s = self._salts.get(salt)
        if s is None:
            s = self._salts[salt] = _h64(f"{self.key}/{salt}")
        return s

    def hex(self, i: int, salt: str = "", n: int = 17) -> str:
        """n hex digits, unique per (salt, i); 17-digit ids start with 0 like real ones."""
        x = mix64((self._salt(salt) + i) & M64)
        if n == 17:
            return f"0{x:016x}"
        return f"{x:016x}"[:n] if n <= 16 else f"{x:016x}{mix64(x):016x}"[:n]

    def upper(self, i: int, salt: str, n: int) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        x = mix64((self._salt(salt) + i) & M64) | (mix64(self._salt(salt) ^ i) << 64)
        return "".join(alphabet[(x >> (5 * k)) & 31] for k in range(n))

    def uuid(self, i: int, salt: str = "uuid") -> str:
        h = self.hex(i, salt, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"

    def time(self, i: int, salt: str = "t") -> dt.datetime:
        secs = mix64((self._salt(salt) + i) & M64) % (730 * 86400)
        return BASE_TIME - dt.timedelta(seconds=secs)

    def ip(self, i: int, salt: str = "ip") -> str:
        x = mix64((self._salt(salt) + i) & M64)
        return f"10.{(x >> 8) & 255}.{(x >> 16) & 255}.{4 + (x & 255) % 250}"

    def public_ip(self, i: int) -> str:
        x = mix64((self._salt("pip") + i) & M64)
        return f"{(3, 18, 34, 52, 54)[x % 5]}.{(x >> 8) & 255}.{(x >> 16) & 255}.{(x >> 24) & 255}"

    def env(self, i: int) -> str:
        return ENVS[(i + self.env_shift) % 4]

    def word(self, i: int, k: int = 0) -> str:
        return WORDS[(i * 7 + k * 13 + self.env_shift) % len(WORDS)]

    def tags(self, i: int, name: str | None) -> list[tuple[str, str]]:
        if i % 4 == 3:
            return []
        out = []
        if name:
            out.append(("Name", name))
        out += [("env", self.env(i)), ("team", TEAMS[i % len(TEAMS)])]
        if i % 4 != 2:
            out += [("cost-center", f"cc-{1000 + i % 37}"), ("managed-by", "terraform")]
        if i % 8 == 0:
            out.append(("owner", f"user{i % 50}@example.com"))
        return out

    def ref(self, rtype: str, i: int) -> str | None:
        """The resource id of item ``i % n`` of another type in this account and region."""
        n = self.world.count(self.account, self.region, rtype)
        if n == 0:
            return None
        return SPECS[rtype].ident(self.world.gen(self.account, self.region, rtype), i % n)

    def dns_name(self, ip: str) -> str:
        suffix = (
            "ec2.internal"
            if self.aws_region == "us-east-1"
            else f"{self.aws_region}.compute.internal"
        )
        return f"ip-{ip.replace('.', '-')}.{suffix}"


def kv(tags: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags]


@dataclass(frozen=True)
class TypeSpec:
    resource_type: str
    service: str
    operation: str
    result_key: str  # output member holding the list
    id_field: str  # the value name dropped for malformed items
    ident: Callable[[Gen, int], str]  # resource_id as the collector stores it
    values: Callable[[Gen, int], dict[str, Any]]
    tags: Callable[[Gen, int], list[tuple[str, str]]] | None = None  # for tag detail calls
    global_: bool = False
    skip: frozenset[str] = frozenset()
    fixed: Mapping[Path, Any] = field(default_factory=dict)
    slot_paths: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)
    max_depth: int = 3
    item_shape: str | None = None  # when the result list's member is not the item


# -- EC2 -------------------------------------------------------------------------------------------
def _name(g: Gen, i: int, kind: str) -> str:
    return f"{g.env(i)}-{g.word(i)}-{kind}-{i}"


def ec2_id(prefix: str, salt: str) -> Callable[[Gen, int], str]:
    return lambda g, i: f"{prefix}-{g.hex(i, salt)}"


def _vpc(g: Gen, i: int) -> str:
    return g.ref("AWS::EC2::VPC", i) or f"vpc-{g.hex(i % 3, 'vpc')}"


def _subnet(g: Gen, i: int) -> str:
    return g.ref("AWS::EC2::Subnet", i) or f"subnet-{g.hex(i % 6, 'subnet')}"


def _sg(g: Gen, i: int) -> str:
    return g.ref("AWS::EC2::SecurityGroup", i) or f"sg-{g.hex(i % 5, 'sg')}"


def instance_values(g: Gen, i: int) -> dict[str, Any]:
    ip = g.ip(i)
    running = i % 7 != 6
    public = running and i % 3 == 0
    pub = g.public_ip(i) if public else None
    launch = g.time(i)
    name = _name(g, i, "app")
    return {
        "InstanceId": f"i-{g.hex(i, 'i')}",
        "ReservationId": f"r-{g.hex(reservation_of(i), 'r')}",
        "InstanceType": INSTANCE_TYPES[i % len(INSTANCE_TYPES)],
        "ImageId": f"ami-{g.hex(i % 5, 'ami')}",
        "LaunchTime": launch,
        "State": {"Code": 16, "Name": "running"} if running else {"Code": 80, "Name": "stopped"},
        "StateTransitionReason": ""
        if running
        else f"User initiated ({launch:%Y-%m-%d %H:%M:%S} GMT)",
        "PrivateIpAddress": ip,
        "PrivateDnsName": g.dns_name(ip),
        "PublicIpAddress": pub,
        "PublicDnsName": f"ec2-{pub.replace('.', '-')}.compute-1.amazonaws.com" if pub else "",
        "Association": {"IpOwnerId": "amazon", "PublicIp": pub} if pub else None,
        "SubnetId": _subnet(g, i),
        "VpcId": _vpc(g, i),
        "KeyName": f"{g.env(i)}-key",
        "ClientToken": g.uuid(i, "ct"),
        "EniId": f"eni-{g.hex(i, 'eni')}",
        "EniAttachmentId": f"eni-attach-{g.hex(i, 'eniat')}",
        "MacAddress": mac(g.hex(i, "mac", 12)),
        "VolumeId": f"vol-{g.hex(i, 'vol')}",
        "GroupId": _sg(g, i),
        "Tags": kv(g.tags(i, name)),
    }


def mac(h: str) -> str:
    return ":".join([h[k : k + 2] for k in range(0, len(h), 2)])


def reservation_of(i: int) -> int:
    """Most reservations hold one instance; every tenth pair shares one."""
    return i - 1 if i % 10 == 9 else i


INSTANCE_SLOTS: dict[str, tuple[Path, ...]] = {
    "InstanceId": (("InstanceId",),),
    "PrivateIpAddress": (
        ("PrivateIpAddress",),
        ("NetworkInterfaces", 0, "PrivateIpAddress"),
        ("NetworkInterfaces", 0, "PrivateIpAddresses", 0, "PrivateIpAddress"),
    ),
    "PrivateDnsName": (
        ("PrivateDnsName",),
        ("NetworkInterfaces", 0, "PrivateDnsName"),
    ),
    "SubnetId": (("SubnetId",), ("NetworkInterfaces", 0, "SubnetId")),
    "VpcId": (("VpcId",), ("NetworkInterfaces", 0, "VpcId")),
    "EniId": (("NetworkInterfaces", 0, "NetworkInterfaceId"),),
    "EniAttachmentId": (("NetworkInterfaces", 0, "Attachment", "AttachmentId"),),
    "MacAddress": (("NetworkInterfaces", 0, "MacAddress"),),
    "LaunchTime": (
        ("LaunchTime",),
        ("NetworkInterfaces", 0, "Attachment", "AttachTime"),
        ("BlockDeviceMappings", 0, "Ebs", "AttachTime"),
    ),
    "VolumeId": (("BlockDeviceMappings", 0, "Ebs", "VolumeId"),),
    "GroupId": (("SecurityGroups", 0, "GroupId"), ("NetworkInterfaces", 0, "Groups", 0, "GroupId")),
    "PublicIpAddress": (("PublicIpAddress",),),
    "Association": (("NetworkInterfaces", 0, "Association"),),
}

INSTANCE_SKIP = frozenset(
    {
        "ElasticGpuAssociations", "ElasticInferenceAcceleratorAssociations", "Licenses",
        "OutpostArn", "SpotInstanceRequestId", "InstanceLifecycle", "KernelId", "RamdiskId",
        "CapacityBlockId", "CapacityReservationId", "Platform", "Ipv6Address", "ProductCodes",
        "StateReason", "Ipv4Prefixes", "Ipv6Prefixes", "Ipv6Addresses", "ConnectionTrackingConfiguration",
        "AssociatedSubnets", "Operator", "PublicIpDnsNameOptions", "EnaSrdSpecification",
        "ElasticGpuSpecification", "CapacityReservationTarget", "NetworkCardIndex",
        "Ipv6Native", "SourceDestCheck", "EbsCardIndex", "AssociatedResource",
        "MaintenanceOptions", "NetworkPerformanceOptions", "CurrentInstanceBootMode",
        "UsageOperationUpdateTime", "PrivateDnsNameOptions", "TpmSupport", "SriovNetSupport",
    }
)  # fmt: skip

INSTANCE_FIXED: dict[Path, Any] = {
    ("Placement", "Tenancy"): "default",
    ("Placement", "GroupName"): "",
    ("Monitoring", "State"): "disabled",
    ("RootDeviceName",): "/dev/xvda",
    ("BlockDeviceMappings", 0, "DeviceName"): "/dev/xvda",
    ("Hypervisor",): "xen",
    ("Architecture",): "x86_64",
    ("PlatformDetails",): "Linux/UNIX",
    ("UsageOperation",): "RunInstances",
    ("BootMode",): "uefi-preferred",
    ("IamInstanceProfile", "Arn"): f"arn:{PARTITION}:iam::{ACCOUNT}:instance-profile/ec2-default",
    ("NetworkInterfaces", 0, "Description"): "",
    ("NetworkInterfaces", 0, "InterfaceType"): "interface",
    ("NetworkInterfaces", 0, "Status"): "in-use",
    ("NetworkInterfaces", 0, "Attachment", "Status"): "attached",
    ("NetworkInterfaces", 0, "Attachment", "DeviceIndex"): 0,
    ("NetworkInterfaces", 0, "Attachment", "DeleteOnTermination"): True,
    ("NetworkInterfaces", 0, "PrivateIpAddresses", 0, "Primary"): True,
    ("BlockDeviceMappings", 0, "Ebs", "DeleteOnTermination"): True,
    ("SecurityGroups", 0, "GroupName"): "default",
    ("NetworkInterfaces", 0, "Groups", 0, "GroupName"): "default",
    ("MetadataOptions", "HttpTokens"): "required",
    ("MetadataOptions", "State"): "applied",
    ("MetadataOptions", "HttpProtocolIpv6"): None,
    ("MetadataOptions", "InstanceMetadataTags"): None,
    ("NetworkInterfaces", 0, "PrivateIpAddresses", 0, "PrivateDnsName"): None,
    ("Placement", "Affinity"): None,
    ("Placement", "PartitionNumber"): None,
    ("Placement", "HostId"): None,
    ("Placement", "SpreadDomain"): None,
    ("Placement", "HostResourceGroupArn"): None,
    ("Placement", "GroupId"): None,
    ("SriovNetSupport",): None,
    ("TpmSupport",): None,
    ("CpuOptions", "AmdSevSnp"): None,
    ("CpuOptions", "ThreadsPerCore"): 2,
    ("CapacityReservationSpecification", "CapacityReservationPreference"): "open",
    ("EnclaveOptions", "Enabled"): False,
    ("NetworkInterfaces", 0, "Attachment", "EnaQueueCount"): None,
    ("NetworkInterfaces", 0, "PrivateIpAddresses", 0, "Association"): None,
    ("NetworkInterfaces", 0, "Attachment", "NetworkCardIndex"): None,
    ("IamInstanceProfile", "Id"): "AIPAQX3DJLBJ4EXAMPLE1",
}


def volume_values(g: Gen, i: int) -> dict[str, Any]:
    attached = i % 5 != 4
    vid = f"vol-{g.hex(i, 'vol')}"
    created = g.time(i)
    inst = g.ref("AWS::EC2::Instance", i) or f"i-{g.hex(i, 'i')}"
    return {
        "VolumeId": vid,
        "Size": (8, 20, 50, 100, 500)[i % 5],
        "CreateTime": created,
        "State": "in-use" if attached else "available",
        "Attachments": [
            {
                "AttachTime": created,
                "Device": "/dev/xvda",
                "InstanceId": inst,
                "State": "attached",
                "VolumeId": vid,
                "DeleteOnTermination": True,
            }
        ]
        if attached
        else [],
        "Tags": kv(g.tags(i, _name(g, i, "vol"))),
    }


def snapshot_values(g: Gen, i: int) -> dict[str, Any]:
    return {
        "SnapshotId": f"snap-{g.hex(i, 'snap')}",
        "VolumeId": g.ref("AWS::EC2::Volume", i) or f"vol-{g.hex(i, 'vol')}",
        "StartTime": g.time(i, "snap"),
        "VolumeSize": (8, 20, 50, 100, 500)[i % 5],
        "Description": f"Created by CreateImage(i-{g.hex(i, 'i')}) for ami-{g.hex(i, 'ami')}",
        "Tags": kv(g.tags(i, _name(g, i, "snap"))),
    }


def sg_values(g: Gen, i: int) -> dict[str, Any]:
    return {
        "GroupId": f"sg-{g.hex(i, 'sg')}",
        "GroupName": "default" if i == 0 else f"{g.env(i)}-{g.word(i)}-sg-{i}",
        "Description": "default VPC security group" if i == 0 else f"{g.word(i)} service access",
        "VpcId": _vpc(g, i),
        "Tags": kv(g.tags(i, None)),
    }


def vpc_values(g: Gen, i: int) -> dict[str, Any]:
    cidr = f"10.{i % 256}.0.0/16"
    return {
        "VpcId": f"vpc-{g.hex(i, 'vpc')}",
        "CidrBlock": cidr,
        "IsDefault": i == 0,
        "Tags": kv(g.tags(i, _name(g, i, "vpc"))),
        "AssocId": f"vpc-cidr-assoc-{g.hex(i, 'vca')}",
    }


def subnet_values(g: Gen, i: int) -> dict[str, Any]:
    sid = f"subnet-{g.hex(i, 'subnet')}"
    return {
        "SubnetId": sid,
        "SubnetArn": f"arn:{g.partition}:ec2:{g.aws_region}:{g.account}:subnet/{sid}",
        "VpcId": _vpc(g, i),
        "CidrBlock": f"10.{i // 16 % 256}.{(i % 16) * 16}.0/20",
        "AvailabilityZone": f"{g.aws_region}{'abc'[i % 3]}",
        "AvailableIpAddressCount": 4000 + i % 90,
        "MapPublicIpOnLaunch": i % 2 == 0,
        "Tags": kv(g.tags(i, _name(g, i, "subnet"))),
    }


def eni_values(g: Gen, i: int) -> dict[str, Any]:
    ip = g.ip(i, "eniip")
    return {
        "NetworkInterfaceId": f"eni-{g.hex(i, 'eni2')}",
        "SubnetId": _subnet(g, i),
        "VpcId": _vpc(g, i),
        "PrivateIpAddress": ip,
        "PrivateDnsName": g.dns_name(ip),
        "MacAddress": mac(g.hex(i, "mac2", 12)),
        "InstanceId": g.ref("AWS::EC2::Instance", i) or f"i-{g.hex(i, 'i')}",
        "TagSet": kv(g.tags(i, None)),
    }


def image_values(g: Gen, i: int) -> dict[str, Any]:
    name = f"{g.word(i)}-base-{g.time(i, 'ami'):%Y%m%d}-{i}"
    return {
        "ImageId": f"ami-{g.hex(i, 'ami2')}",
        "Name": name,
        "CreationDate": f"{g.time(i, 'ami'):%Y-%m-%dT%H:%M:%S.000Z}",
        "Description": f"Golden image {name}",
        "SnapshotId": g.ref("AWS::EC2::Snapshot", i) or f"snap-{g.hex(i, 'snap')}",
        "Tags": kv(g.tags(i, name)),
    }


def eip_values(g: Gen, i: int) -> dict[str, Any]:
    assoc = i % 3 != 2
    return {
        "AllocationId": f"eipalloc-{g.hex(i, 'eip')}",
        "PublicIp": g.public_ip(i + 7919),
        "AssociationId": f"eipassoc-{g.hex(i, 'eipa')}" if assoc else None,
        "InstanceId": (g.ref("AWS::EC2::Instance", i) or f"i-{g.hex(i, 'i')}") if assoc else None,
        "NetworkInterfaceId": f"eni-{g.hex(i, 'eni')}" if assoc else None,
        "PrivateIpAddress": g.ip(i) if assoc else None,
        "Tags": kv(g.tags(i, _name(g, i, "eip"))),
    }


def igw_values(g: Gen, i: int) -> dict[str, Any]:
    return {
        "InternetGatewayId": f"igw-{g.hex(i, 'igw')}",
        "Attachments": [{"State": "available", "VpcId": _vpc(g, i)}],
        "Tags": kv(g.tags(i, _name(g, i, "igw"))),
    }


def nat_values(g: Gen, i: int) -> dict[str, Any]:
    return {
        "NatGatewayId": f"nat-{g.hex(i, 'nat')}",
        "SubnetId": _subnet(g, i),
        "VpcId": _vpc(g, i),
        "CreateTime": g.time(i, "nat"),
        "AllocationId": f"eipalloc-{g.hex(i, 'eip')}",
        "NetworkInterfaceId": f"eni-{g.hex(i, 'nateni')}",
        "PrivateIp": g.ip(i, "natip"),
        "PublicIp": g.public_ip(i + 104729),
        "Tags": kv(g.tags(i, _name(g, i, "nat"))),
    }


def rtb_values(g: Gen, i: int) -> dict[str, Any]:
    rid = f"rtb-{g.hex(i, 'rtb')}"
    return {
        "RouteTableId": rid,
        "VpcId": _vpc(g, i),
        "Associations": [
            {
                "Main": i % 4 == 0,
                "RouteTableAssociationId": f"rtbassoc-{g.hex(i, 'rtba')}",
                "RouteTableId": rid,
                "SubnetId": _subnet(g, i),
                "AssociationState": {"State": "associated"},
            }
        ],
        "Tags": kv(g.tags(i, _name(g, i, "rtb"))),
    }


def keypair_values(g: Gen, i: int) -> dict[str, Any]:
    return {
        "KeyPairId": f"key-{g.hex(i, 'key')}",
        "KeyName": f"{g.env(i)}-{g.word(i)}-key-{i}",
        "KeyFingerprint": mac(g.hex(i, "fp", 32)),
        "CreateTime": g.time(i, "key"),
        "Tags": kv(g.tags(i, None)),
    }


# -- global and other services --------------------------------------------------------------------
def bucket_name(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-{g.account}-{i:05d}"


def bucket_values(g: Gen, i: int) -> dict[str, Any]:
    regions = g.world.regions
    return {
        "Name": bucket_name(g, i),
        "CreationDate": g.time(i, "s3"),
        "BucketRegion": regions[i % len(regions)],
    }


def _iam_name(g: Gen, i: int, kind: str) -> str:
    if kind == "user":
        return f"{g.word(i)}.{g.word(i, 1)}{i}"
    return f"{g.env(i)}-{g.word(i)}-{kind}-{i}"


def iam_values(kind: str, prefix: str) -> Callable[[Gen, int], dict[str, Any]]:
    member = {"user": "UserName", "role": "RoleName", "group": "GroupName", "policy": "PolicyName"}[
        kind
    ]
    idf = {"user": "UserId", "role": "RoleId", "group": "GroupId", "policy": "PolicyId"}[kind]

    def values(g: Gen, i: int) -> dict[str, Any]:
        name = _iam_name(g, i, kind)
        v: dict[str, Any] = {
            member: name,
            idf: prefix + g.upper(i, kind, 17),
            "Arn": f"arn:{g.partition}:iam::{g.account}:{kind}/{name}",
            "CreateDate": g.time(i, kind),
        }
        if kind == "role":
            doc = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {
                            "Service": ("ec2.amazonaws.com", "lambda.amazonaws.com")[i % 2]
                        },
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            v["AssumeRolePolicyDocument"] = quote(json.dumps(doc, separators=(",", ":")), safe="")
            v["Description"] = f"Role for {g.word(i)}"
        if kind == "policy":
            v["UpdateDate"] = g.time(i, kind) + dt.timedelta(days=i % 30)
            v["AttachmentCount"] = i % 4
        return v

    return values


def iam_ident(kind: str) -> Callable[[Gen, int], str]:
    return lambda g, i: _iam_name(g, i, kind)


def iam_tags(kind: str) -> Callable[[Gen, int], list[tuple[str, str]]]:
    return lambda g, i: g.tags(i, None)


def lambda_name(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-{g.word(i, 1)}-{i}"


def lambda_values(g: Gen, i: int) -> dict[str, Any]:
    name = lambda_name(g, i)
    return {
        "FunctionName": name,
        "FunctionArn": f"arn:{g.partition}:lambda:{g.aws_region}:{g.account}:function:{name}",
        "Runtime": RUNTIMES[i % len(RUNTIMES)],
        "Role": f"arn:{g.partition}:iam::{g.account}:role/{name}-role",
        "Handler": "app.handler",
        "CodeSize": 1024 + (i * 7919) % 5_000_000,
        "Description": f"{g.word(i)} handler",
        "MemorySize": (128, 256, 512, 1024)[i % 4],
        "LastModified": f"{g.time(i, 'lm'):%Y-%m-%dT%H:%M:%S.000+0000}",
        "CodeSha256": g.hex(i, "sha", 32) + "AbCdEfGhIjK=",
        "RevisionId": g.uuid(i, "rev"),
    }


def rds_ident(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-db-{i}"


def rds_values(g: Gen, i: int) -> dict[str, Any]:
    ident = rds_ident(g, i)
    engine, version = ENGINES[i % len(ENGINES)]
    return {
        "DBInstanceIdentifier": ident,
        "DBInstanceArn": f"arn:{g.partition}:rds:{g.aws_region}:{g.account}:db:{ident}",
        "DbiResourceId": "db-" + g.upper(i, "dbi", 26),
        "InstanceCreateTime": g.time(i, "rds"),
        "Engine": engine,
        "EngineVersion": version,
        "DBInstanceClass": ("db.t3.medium", "db.r6g.large", "db.m6i.xlarge")[i % 3],
        "Endpoint": {
            "Address": f"{ident}.c{g.hex(i, 'ep', 11)}.{g.aws_region}.rds.amazonaws.com",
            "Port": 5432 if "postgres" in engine else 3306,
            "HostedZoneId": "Z2R2ITUGPM61AM",
        },
        "TagList": kv(g.tags(i, None)),
    }


def table_name(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-{i:05d}"


def table_values(g: Gen, i: int) -> dict[str, Any]:
    name = table_name(g, i)
    return {
        "TableName": name,
        "TableArn": f"arn:{g.partition}:dynamodb:{g.aws_region}:{g.account}:table/{name}",
        "TableId": g.uuid(i, "tbl"),
        "CreationDateTime": g.time(i, "ddb"),
        "ItemCount": (i * 7919) % 1_000_000,
        "TableSizeBytes": (i * 104729) % 100_000_000,
    }


def queue_name(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-{'queue' if i % 5 else 'dlq'}-{i}"


def queue_url(g: Gen, i: int) -> str:
    return f"https://sqs.{g.aws_region}.amazonaws.com/{g.account}/{queue_name(g, i)}"


def topic_name(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-events-{i}"


def topic_arn(g: Gen, i: int) -> str:
    return f"arn:{g.partition}:sns:{g.aws_region}:{g.account}:{topic_name(g, i)}"


def key_id(g: Gen, i: int) -> str:
    return g.uuid(i, "kms")


def key_values(g: Gen, i: int) -> dict[str, Any]:
    kid = key_id(g, i)
    return {
        "KeyId": kid,
        "KeyArn": f"arn:{g.partition}:kms:{g.aws_region}:{g.account}:key/{kid}",
        "CreationDate": g.time(i, "kms"),
        "Description": f"{g.word(i)} data key",
    }


def stack_name(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-stack-{i}"


def stack_values(g: Gen, i: int) -> dict[str, Any]:
    name = stack_name(g, i)
    return {
        "StackName": name,
        "StackId": f"arn:{g.partition}:cloudformation:{g.aws_region}:{g.account}:stack/{name}/{g.uuid(i, 'stk')}",
        "CreationTime": g.time(i, "cfn"),
        "StackStatus": "CREATE_COMPLETE" if i % 3 else "UPDATE_COMPLETE",
        "Description": f"{g.word(i)} service stack",
        "Tags": kv(g.tags(i, None)),
    }


def zone_id(g: Gen, i: int) -> str:
    return "Z" + g.upper(i, "zone", 20).replace("I", "J").replace("O", "P")


def zone_values(g: Gen, i: int) -> dict[str, Any]:
    return {
        "Id": f"/hostedzone/{zone_id(g, i)}",
        "Name": f"{g.word(i)}{i}.{g.env(i)}.example.com.",
        "CallerReference": g.uuid(i, "cref"),
        "ResourceRecordSetCount": 2 + i % 40,
        "Config": {"Comment": f"{g.word(i)} zone", "PrivateZone": i % 3 == 0},
    }


def lb_name(g: Gen, i: int) -> str:
    return f"{g.env(i)}-{g.word(i)}-lb-{i}"[:32]


def lb_values(g: Gen, i: int) -> dict[str, Any]:
    name = lb_name(g, i)
    kind = "app" if i % 4 else "net"
    return {
        "LoadBalancerName": name,
        "LoadBalancerArn": (
            f"arn:{g.partition}:elasticloadbalancing:{g.aws_region}:{g.account}:loadbalancer/"
            f"{kind}/{name}/{g.hex(i, 'lb', 16)}"
        ),
        "DNSName": f"{name}-{(i * 7919) % 10**9}.{g.aws_region}.elb.amazonaws.com",
        "CreatedTime": g.time(i, "lb"),
        "Type": "application" if kind == "app" else "network",
        "VpcId": _vpc(g, i),
        "SubnetId": _subnet(g, i),
        "GroupId": _sg(g, i),
    }


def _tags_fn(kind: str) -> Callable[[Gen, int], list[tuple[str, str]]]:
    return lambda g, i: g.tags(i, None)


def _named_tags(namefn: Callable[[Gen, int], str]) -> Callable[[Gen, int], list[tuple[str, str]]]:
    return lambda g, i: g.tags(i, namefn(g, i))


_EC2 = "ec2"
SPECS_LIST = [
    TypeSpec(
        "AWS::EC2::Instance", _EC2, "DescribeInstances", "Reservations", "InstanceId",
        ec2_id("i", "i"), instance_values, skip=INSTANCE_SKIP, fixed=INSTANCE_FIXED,
        slot_paths=INSTANCE_SLOTS, item_shape="Instance",
    ),
    TypeSpec(
        "AWS::EC2::Volume", _EC2, "DescribeVolumes", "Volumes", "VolumeId",
        ec2_id("vol", "vol"), volume_values,
        skip=frozenset({"OutpostArn", "FastRestored", "Operator", "SseType", "VolumeInitializationRate", "SourceVolumeId"}),
        fixed={("VolumeType",): "gp3", ("Encrypted",): True, ("Iops",): 3000},
    ),
    TypeSpec(
        "AWS::EC2::Snapshot", _EC2, "DescribeSnapshots", "Snapshots", "SnapshotId",
        ec2_id("snap", "snap"), snapshot_values,
        skip=frozenset({"OutpostArn", "RestoreExpiryTime", "StorageTier", "SseType", "DataEncryptionKeyId", "StateMessage", "OwnerAlias", "TransferType", "CompletionDurationMinutes", "CompletionTime", "FullSnapshotSizeInBytes", "AvailabilityZone"}),
        fixed={("State",): "completed", ("Progress",): "100%", ("Encrypted",): True},
    ),
    TypeSpec(
        "AWS::EC2::SecurityGroup", _EC2, "DescribeSecurityGroups", "SecurityGroups", "GroupId",
        ec2_id("sg", "sg"), sg_values, max_depth=2,
        fixed={("IpPermissions", 0, "IpProtocol"): "tcp", ("IpPermissions", 0, "FromPort"): 443, ("IpPermissions", 0, "ToPort"): 443,
               ("IpPermissionsEgress", 0, "IpProtocol"): "-1", ("IpPermissionsEgress", 0, "IpRanges", 0, "CidrIp"): "0.0.0.0/0"},
    ),
    TypeSpec(
        "AWS::EC2::VPC", _EC2, "DescribeVpcs", "Vpcs", "VpcId", ec2_id("vpc", "vpc"), vpc_values,
        skip=frozenset({"Ipv6CidrBlockAssociationSet", "EncryptionControl", "BlockPublicAccessStates"}),
        slot_paths={"CidrBlock": (("CidrBlock",), ("CidrBlockAssociationSet", 0, "CidrBlock")),
                    "AssocId": (("CidrBlockAssociationSet", 0, "AssociationId"),)},
        fixed={("InstanceTenancy",): "default", ("State",): "available"},
    ),
    TypeSpec(
        "AWS::EC2::Subnet", _EC2, "DescribeSubnets", "Subnets", "SubnetId",
        ec2_id("subnet", "subnet"), subnet_values,
        skip=frozenset({"OutpostArn", "Ipv6CidrBlockAssociationSet", "CustomerOwnedIpv4Pool", "EnableLniAtDeviceIndex", "MapCustomerOwnedIpOnLaunch", "BlockPublicAccessStates", "Type", "SubnetType", "Ipv6Native", "EnableDns64", "AssignIpv6AddressOnCreation", "MapPublicIpOnLaunch"}),
    ),
    TypeSpec(
        "AWS::EC2::NetworkInterface", _EC2, "DescribeNetworkInterfaces", "NetworkInterfaces",
        "NetworkInterfaceId", ec2_id("eni", "eni2"), eni_values, max_depth=2,
        skip=frozenset({"OutpostArn", "Ipv4Prefixes", "Ipv6Prefixes", "Ipv6Addresses", "AssociatedSubnets", "Operator", "ConnectionTrackingConfiguration", "PublicIpDnsNameOptions", "Ipv6Address", "Ipv6Native", "DenyAllIgwTraffic", "Association"}),
        slot_paths={"InstanceId": (("Attachment", "InstanceId"),),
                    "PrivateIpAddress": (("PrivateIpAddress",), ("PrivateIpAddresses", 0, "PrivateIpAddress"))},
        fixed={("Status",): "in-use", ("InterfaceType",): "interface"},
    ),
    TypeSpec(
        "AWS::EC2::Image", _EC2, "DescribeImages", "Images", "ImageId",
        ec2_id("ami", "ami2"), image_values,
        skip=frozenset({"ProductCodes", "KernelId", "RamdiskId", "Platform", "SriovNetSupport", "StateReason", "ImageOwnerAlias", "DeprecationTime", "TpmSupport", "ImdsSupport", "SourceInstanceId", "DeregistrationProtection", "LastLaunchedTime", "SourceImageId", "SourceImageRegion", "FreeTierEligible", "ImageAllowed"}),
        slot_paths={"SnapshotId": (("BlockDeviceMappings", 0, "Ebs", "SnapshotId"),)},
        fixed={("Public",): False, ("State",): "available", ("RootDeviceName",): "/dev/xvda", ("BlockDeviceMappings", 0, "DeviceName"): "/dev/xvda"},
    ),
    TypeSpec(
        "AWS::EC2::EIP", _EC2, "DescribeAddresses", "Addresses", "AllocationId",
        ec2_id("eipalloc", "eip"), eip_values,
        skip=frozenset({"CustomerOwnedIp", "CustomerOwnedIpv4Pool", "CarrierIp", "SubnetId", "ServiceManaged"}),
        fixed={("Domain",): "vpc"},
    ),
    TypeSpec(
        "AWS::EC2::InternetGateway", _EC2, "DescribeInternetGateways", "InternetGateways",
        "InternetGatewayId", ec2_id("igw", "igw"), igw_values,
    ),
    TypeSpec(
        "AWS::EC2::NatGateway", _EC2, "DescribeNatGateways", "NatGateways", "NatGatewayId",
        ec2_id("nat", "nat"), nat_values,
        skip=frozenset({"ProvisionedBandwidth", "FailureCode", "FailureMessage", "DeleteTime", "AutoScalingIps", "AutoProvisionZones", "AvailabilityMode", "RouteTableId", "AttachedAppliances"}),
        slot_paths={k: (("NatGatewayAddresses", 0, k),) for k in ("AllocationId", "NetworkInterfaceId", "PrivateIp", "PublicIp")},
        fixed={("State",): "available", ("ConnectivityType",): "public"},
    ),
    TypeSpec(
        "AWS::EC2::RouteTable", _EC2, "DescribeRouteTables", "RouteTables", "RouteTableId",
        ec2_id("rtb", "rtb"), rtb_values,
        fixed={("Routes", 0, "DestinationCidrBlock"): "0.0.0.0/0", ("Routes", 0, "Origin"): "CreateRoute"},
        skip=frozenset({"DestinationIpv6CidrBlock", "DestinationPrefixListId", "EgressOnlyInternetGatewayId", "InstanceId", "InstanceOwnerId", "TransitGatewayId", "LocalGatewayId", "CarrierGatewayId", "VpcPeeringConnectionId", "CoreNetworkArn", "NatGatewayId", "NetworkInterfaceId", "OdbNetworkArn", "PropagatingVgws"}),
    ),
    TypeSpec(
        "AWS::EC2::KeyPair", _EC2, "DescribeKeyPairs", "KeyPairs", "KeyPairId",
        ec2_id("key", "key"), keypair_values,
        skip=frozenset({"PublicKey"}), fixed={("KeyType",): "rsa"},
    ),
    TypeSpec(
        "AWS::S3::Bucket", "s3", "ListBuckets", "Buckets", "Name", bucket_name, bucket_values,
        tags=_named_tags(bucket_name), global_=True, skip=frozenset({"BucketArn"}),
    ),
    TypeSpec(
        "AWS::IAM::User", "iam", "ListUsers", "Users", "UserName", iam_ident("user"),
        iam_values("user", "AIDA"), tags=iam_tags("user"), global_=True,
        skip=frozenset({"Tags", "PermissionsBoundary", "PasswordLastUsed"}), fixed={("Path",): "/"},
    ),
    TypeSpec(
        "AWS::IAM::Role", "iam", "ListRoles", "Roles", "RoleName", iam_ident("role"),
        iam_values("role", "AROA"), tags=iam_tags("role"), global_=True,
        skip=frozenset({"Tags", "PermissionsBoundary", "RoleLastUsed"}),
        fixed={("Path",): "/", ("MaxSessionDuration",): 3600},
    ),
    TypeSpec(
        "AWS::IAM::Group", "iam", "ListGroups", "Groups", "GroupName", iam_ident("group"),
        iam_values("group", "AGPA"), global_=True, fixed={("Path",): "/"},
    ),
    TypeSpec(
        "AWS::IAM::ManagedPolicy", "iam", "ListPolicies", "Policies", "PolicyName",
        iam_ident("policy"), iam_values("policy", "ANPA"), tags=iam_tags("policy"), global_=True,
        skip=frozenset({"Tags", "Description"}),
        fixed={("Path",): "/", ("DefaultVersionId",): "v1", ("IsAttachable",): True, ("PermissionsBoundaryUsageCount",): 0},
    ),
    TypeSpec(
        "AWS::Lambda::Function", "lambda", "ListFunctions", "Functions", "FunctionName",
        lambda_name, lambda_values, tags=_tags_fn("lambda"),
        skip=frozenset({"MasterArn", "SigningProfileVersionArn", "SigningJobArn", "ImageConfigResponse", "FileSystemConfigs", "Layers", "State", "StateReason", "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason", "LastUpdateStatusReasonCode", "KMSKeyArn", "DeadLetterConfig", "RuntimeVersionConfig", "VpcConfig", "CapacityProviderConfig", "ConfigSha256", "DurableConfig", "TenancyConfig"}),
        fixed={("Version",): "$LATEST", ("PackageType",): "Zip", ("Timeout",): 30, ("Architectures",): ["x86_64"],
               ("EphemeralStorage", "Size"): 512, ("TracingConfig", "Mode"): "PassThrough",
               ("LoggingConfig", "LogFormat"): "Text", ("SnapStart", "ApplyOn"): "None", ("SnapStart", "OptimizationStatus"): "Off"},
    ),
    TypeSpec(
        "AWS::RDS::DBInstance", "rds", "DescribeDBInstances", "DBInstances", "DBInstanceIdentifier",
        rds_ident, rds_values, max_depth=2,
        skip=frozenset({"PendingModifiedValues", "ReadReplicaDBInstanceIdentifiers", "ReadReplicaDBClusterIdentifiers", "ReadReplicaSourceDBInstanceIdentifier", "ReadReplicaSourceDBClusterIdentifier", "ReplicaMode", "SecondaryAvailabilityZone", "StatusInfos", "DomainMemberships", "ProcessorFeatures", "AssociatedRoles", "ListenerEndpoint", "DBInstanceAutomatedBackupsReplications", "CustomerOwnedIpEnabled", "AwsBackupRecoveryPointArn", "ActivityStreamStatus", "ActivityStreamKmsKeyId", "ActivityStreamKinesisStreamName", "ActivityStreamMode", "ActivityStreamEngineNativeAuditFieldsIncluded", "AutomationMode", "ResumeFullAutomationModeTime", "CustomIamInstanceProfile", "BackupTarget", "CertificateDetails", "MasterUserSecret", "AdditionalStorageVolumes", "DBClusterIdentifier", "OptionGroupMemberships", "DBParameterGroups", "TdeCredentialArn", "NcharCharacterSetName", "Timezone", "SupportsGreenBlueDeployments", "MultiTenant", "DedicatedLogVolume", "IsStorageConfigUpgradeAvailable", "PercentProgress", "StorageVolumeStatus", "EngineLifecycleSupport", "DatabaseInsightsMode", "UpgradeRolloutOrder"}),
        fixed={("DBInstanceStatus",): "available", ("MultiAZ",): False, ("AllocatedStorage",): 100, ("StorageType",): "gp3"},
    ),
    TypeSpec(
        "AWS::DynamoDB::Table", "dynamodb", "ListTables", "TableNames", "TableName",
        table_name, table_values, tags=_tags_fn("ddb"),
    ),
    TypeSpec(
        "AWS::SQS::Queue", "sqs", "ListQueues", "QueueUrls", "QueueUrl", queue_name,
        lambda g, i: {"QueueUrl": queue_url(g, i)}, tags=_tags_fn("sqs"),
    ),
    TypeSpec(
        "AWS::SNS::Topic", "sns", "ListTopics", "Topics", "TopicArn", topic_name,
        lambda g, i: {"TopicArn": topic_arn(g, i)}, tags=_tags_fn("sns"),
    ),
    TypeSpec(
        "AWS::KMS::Key", "kms", "ListKeys", "Keys", "KeyId", key_id, key_values,
        tags=_named_tags(lambda g, i: f"{g.word(i)}-key"),
    ),
    TypeSpec(
        "AWS::CloudFormation::Stack", "cloudformation", "DescribeStacks", "Stacks", "StackName",
        stack_name, stack_values, max_depth=2,
        skip=frozenset({"ChangeSetId", "DeletionTime", "RollbackConfiguration", "ParentId", "RootId", "StackStatusReason", "DetailedStatus", "RetainExceptOnCreate", "DeletionMode", "TimeoutInMinutes", "LastUpdatedTime"}),
        fixed={("DisableRollback",): False, ("EnableTerminationProtection",): False, ("Capabilities",): ["CAPABILITY_IAM"],
               ("DriftInformation", "StackDriftStatus"): "NOT_CHECKED", ("RoleARN",): None},
    ),
    TypeSpec(
        "AWS::Route53::HostedZone", "route53", "ListHostedZones", "HostedZones", "Id",
        zone_id, zone_values, tags=_tags_fn("r53"), global_=True, skip=frozenset({"LinkedService", "Features"}),
    ),
    TypeSpec(
        "AWS::ElasticLoadBalancingV2::LoadBalancer", "elbv2", "DescribeLoadBalancers",
        "LoadBalancers", "LoadBalancerArn", lb_name, lb_values, tags=_tags_fn("lb"),
        skip=frozenset({"CustomerOwnedIpv4Pool", "IpamPools", "EnablePrefixForIpv6SourceNat", "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"}),
        slot_paths={"SubnetId": (("AvailabilityZones", 0, "SubnetId"),), "GroupId": (("SecurityGroups", 0),)},
        fixed={("Scheme",): "internet-facing", ("State", "Code"): "active", ("IpAddressType",): "ipv4",
               ("CanonicalHostedZoneId",): "Z35SXDOTRQ7X7K", ("AvailabilityZones", 0, "LoadBalancerAddresses"): None,
               ("AvailabilityZones", 0, "SourceNatIpv6Prefixes"): None, ("AvailabilityZones", 0, "OutpostId"): None},
    ),
]  # fmt: skip

SPECS: dict[str, TypeSpec] = {s.resource_type: s for s in SPECS_LIST}
BY_OPERATION: dict[tuple[str, str], TypeSpec] = {(s.service, s.operation): s for s in SPECS_LIST}
