"""Plausible values for any botocore shape, used to build item templates.

The filler walks an output shape and fills every member (down to ``max_depth`` nested
structures, one element per list) with a value chosen from the member's name: ids get the
resource's id prefix and 17 hex digits, ARNs, IPs, CIDRs, DNS names, dates and enums look like
the real thing. Account, region and partition appear as the markers ``wire.ACCOUNT``/``wire.REGION``/
``wire.PARTITION`` so one template serves every collection. Per-item values are put in place afterwards as slots.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from .wire import ACCOUNT, PARTITION, REGION, Shape

BASE_TIME = dt.datetime(2025, 6, 1, 12, 0, 0, tzinfo=dt.UTC)

ID_PREFIX = {
    "InstanceId": "i-",
    "ImageId": "ami-",
    "VolumeId": "vol-",
    "SnapshotId": "snap-",
    "GroupId": "sg-",
    "VpcId": "vpc-",
    "SubnetId": "subnet-",
    "NetworkInterfaceId": "eni-",
    "AttachmentId": "eni-attach-",
    "AllocationId": "eipalloc-",
    "AssociationId": "eipassoc-",
    "RouteTableId": "rtb-",
    "RouteTableAssociationId": "rtbassoc-",
    "InternetGatewayId": "igw-",
    "NatGatewayId": "nat-",
    "GatewayId": "igw-",
    "KeyPairId": "key-",
    "ReservationId": "r-",
    "PrefixListId": "pl-",
    "NetworkAclId": "acl-",
    "DhcpOptionsId": "dopt-",
    "SecurityGroupRuleId": "sgr-",
    "CapacityReservationId": "cr-",
    "SpotInstanceRequestId": "sir-",
    "KernelId": "aki-",
    "RamdiskId": "ari-",
    "TransitGatewayId": "tgw-",
    "VpcPeeringConnectionId": "pcx-",
    "CarrierGatewayId": "cagw-",
    "LocalGatewayId": "lgw-",
    "EgressOnlyInternetGatewayId": "eigw-",
    "NetworkInsightsAnalysisId": "nia-",
    "CidrBlockAssociationId": "vpc-cidr-assoc-",
    "Ipv6CidrBlockAssociationId": "subnet-cidr-assoc-",
}

PREFERRED_ENUM = {
    "running",
    "available",
    "in-use",
    "active",
    "completed",
    "attached",
    "associated",
    "enabled",
    "ACTIVE",
    "Active",
    "Enabled",
    "ENABLED",
    "CREATE_COMPLETE",
    "Successful",
    "x86_64",
    "gp3",
    "hvm",
    "ebs",
    "xen",
    "default",
    "ipv4",
    "standard",
    "internet-facing",
    "application",
}


def hex_digits(seed: str, n: int) -> str:
    return hashlib.blake2b(seed.encode(), digest_size=(n + 1) // 2).hexdigest()[:n]


class Filler:
    def __init__(self, service: str, max_depth: int = 3, skip: frozenset[str] = frozenset()):
        self.service = service
        self.max_depth = max_depth
        self.skip = skip

    def fill(self, shape: Shape, name: str = "", depth: int = 0) -> Any:
        t = shape.type_name
        if t == "structure":
            if depth > self.max_depth:
                return None
            out: dict[str, Any] = {}
            for mname, ms in shape.members.items():
                if mname in self.skip or ms.metadata.get("deprecated"):
                    continue
                if ms.serialization.get("location") in ("header", "headers", "statusCode"):
                    continue
                if ms.type_name == "structure" and ms.metadata.get("union"):
                    continue
                v = self.fill(ms, mname, depth + 1)
                if v is not None:
                    out[mname] = v
            return out
        if t == "list":
            if depth > self.max_depth + 1:
                return None
            el = self.fill(shape.member, _singular(name), depth)
            return None if el is None or el == {} else [el]
        if t == "map":
            if depth > self.max_depth:
                return None
            val = self.fill(shape.value, "Value", depth + 1)
            return None if val is None else {"key": val}
        if t == "string":
            return self.string(shape, name)
        if t in ("integer", "long"):
            return self.integer(name, shape)
        if t == "boolean":
            return name.startswith(("Enable", "Ena", "Is", "Auto")) and "Delete" not in name
        if t in ("float", "double"):
            return 1.0
        if t == "timestamp":
            return BASE_TIME - dt.timedelta(days=30)
        if t == "blob":
            return b"fake"
        return None

    def integer(self, name: str, shape: Shape) -> int:
        low = name.lower()
        lo = shape.metadata.get("min")
        for key, val in (
            ("port", 443),
            ("size", 8),
            ("count", 1),
            ("iops", 3000),
            ("throughput", 125),
            ("code", 16),
            ("duration", 3600),
            ("timeout", 30),
            ("memory", 128),
            ("core", 1),
            ("thread", 2),
            ("hop", 2),
            ("index", 0),
        ):
            if key in low:
                return max(val, int(lo)) if lo is not None else val
        return int(lo) if lo is not None else 1

    def string(self, shape: Shape, name: str) -> str:
        enum = shape.enum
        if enum:
            for e in enum:
                if e in PREFERRED_ENUM:
                    return str(e)
            return str(enum[0])
        if name in ID_PREFIX:
            return ID_PREFIX[name] + "0" + hex_digits(name, 16)
        low = name.lower()
        svc = self.service
        if low.endswith("arn") or low == "role" or low.endswith("arns"):
            return f"arn:{PARTITION}:{svc}:{REGION}:{ACCOUNT}:{_kebab(name[:-3] or 'resource')}/{hex_digits(name, 8)}"
        if low in ("ownerid", "accountid", "requesterid", "userid") or low.endswith("ownerid"):
            return ACCOUNT
        if low.endswith("availabilityzone"):
            return f"{REGION}a"
        if low.endswith("availabilityzoneid"):
            return "use1-az1"
        if low.endswith("region") or low == "regionname":
            return REGION
        if "cidr" in low and "ipv6" in low:
            return "2600:1f18:4a3:6900::/56"
        if "cidr" in low:
            return "10.0.0.0/16"
        if "macaddress" in low:
            return "0a:1b:2c:3d:4e:5f"
        if "ipv6" in low:
            return "2600:1f18:4a3:6901:8c2f:1d2e:3f4a:5b6c"
        if low.endswith(("privateip", "privateipaddress")):
            return "10.0.1.23"
        if low.endswith(("publicip", "ipaddress", "ip")):
            return "54.210.17.9"
        if low.endswith("dnsname"):
            return f"ip-10-0-1-23.{REGION}.compute.internal"
        if low.endswith(("url", "uri")):
            return f"https://example-{hex_digits(name, 6)}.example.com"
        if low.endswith("date") or low.endswith("time"):
            return "2025-05-01T12:00:00.000Z"
        if low.endswith("id"):
            prefix = "".join(c for c in name[:-2] if c.isupper()).lower() or "id"
            return f"{prefix}-0{hex_digits(name, 16)}"
        if low.endswith("name"):
            return f"{_kebab(name[:-4] or 'item')}-example"
        if low.endswith("description") or low.endswith("message") or low.endswith("reason"):
            return "Managed by Terraform"
        if low.endswith("version"):
            return "1"
        if low == "key":
            return "Name"
        if low == "value":
            return "example"
        if low.endswith("token"):
            return hex_digits(name, 32)
        if low.endswith("path"):
            return "/"
        if low.endswith("email"):
            return "ops@example.com"
        if low.endswith("type"):
            return "standard"
        if low.endswith(("state", "status")):
            return "available"
        return _kebab(name) or "value"


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _kebab(name: str) -> str:
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i and not name[i - 1].isupper():
            out.append("-")
        out.append(c.lower())
    return "".join(out)
