"""How many API calls a run made against the fewest any collector could make for the same data.

``calls`` is what the fake served (``/_fake/stats``: every request it answered, throttled and
failed ones included, since AWS counts those against the rate limits too). ``calls_min`` comes
from the fake's world (how many items each (account, region, type) collection holds), never
from the collector's registry:

* the listing's pages at the largest page size that can be had (``LISTINGS``: AWS's maximum,
  from botocore's model where it declares one, otherwise the fake's server maximum, itself
  AWS's documented one), further capped by the scenario's server page cap;
* the detail calls AWS has no batch or inline alternative for (``DETAILS``), per item or per
  batch, each with why;
* the fixed set-up (``setup_min``).

IAM users, roles and groups are counted as read through GetAccountAuthorizationDetails (one
listing of them all with their tags, memberships and attached policies), plus ListUsers and
ListRoles pages for the fields it lacks (``minimum_with_authorization_details``); the
one-item-at-a-time minimum is given beside it as ``calls_min_per_item``. Not counted: the
Resource Groups Tagging API's GetResources, a region-wide tag index the fake does not serve
(eventually consistent, and its coverage differs per service).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from benchmarks.fakeaws import SPECS, Scenario, World

BOTOCORE = "botocore max"
FAKE = "fake's server max (botocore declares none)"
UNPAGED = "unpaged: one call returns every item"


@dataclass(frozen=True)
class Listing:
    service: str
    operation: str
    page: int | None  # largest page; None = the operation is not paged
    source: str  # where ``page`` comes from


@dataclass(frozen=True)
class PerItem:
    """A detail call per item (``batch`` = 1) or per ``batch`` items."""

    service: str
    operation: str
    batch: int
    why: str


# Largest page per listing. The test checks every BOTOCORE figure against botocore's model.
LISTINGS: dict[str, Listing] = {
    "AWS::EC2::Instance": Listing("ec2", "DescribeInstances", 1000, FAKE),
    "AWS::EC2::Volume": Listing("ec2", "DescribeVolumes", 1000, FAKE),
    "AWS::EC2::Snapshot": Listing("ec2", "DescribeSnapshots", 1000, FAKE),
    "AWS::EC2::Image": Listing("ec2", "DescribeImages", 1000, FAKE),
    "AWS::EC2::SecurityGroup": Listing("ec2", "DescribeSecurityGroups", 1000, BOTOCORE),
    "AWS::EC2::VPC": Listing("ec2", "DescribeVpcs", 1000, BOTOCORE),
    "AWS::EC2::Subnet": Listing("ec2", "DescribeSubnets", 1000, BOTOCORE),
    "AWS::EC2::NetworkInterface": Listing("ec2", "DescribeNetworkInterfaces", 1000, BOTOCORE),
    "AWS::EC2::InternetGateway": Listing("ec2", "DescribeInternetGateways", 1000, BOTOCORE),
    "AWS::EC2::NatGateway": Listing("ec2", "DescribeNatGateways", 1000, BOTOCORE),
    "AWS::EC2::RouteTable": Listing("ec2", "DescribeRouteTables", 100, BOTOCORE),
    "AWS::EC2::EIP": Listing("ec2", "DescribeAddresses", None, UNPAGED),
    "AWS::EC2::KeyPair": Listing("ec2", "DescribeKeyPairs", None, UNPAGED),
    "AWS::S3::Bucket": Listing("s3", "ListBuckets", 10000, BOTOCORE),
    "AWS::IAM::User": Listing("iam", "ListUsers", 1000, BOTOCORE),
    "AWS::IAM::Role": Listing("iam", "ListRoles", 1000, BOTOCORE),
    "AWS::IAM::Group": Listing("iam", "ListGroups", 1000, BOTOCORE),
    "AWS::IAM::ManagedPolicy": Listing("iam", "ListPolicies", 1000, BOTOCORE),
    # botocore allows MaxItems up to 10,000 but Lambda returns at most 50 per page (the fake too)
    "AWS::Lambda::Function": Listing("lambda", "ListFunctions", 50, "fake's server max (AWS: 50)"),
    "AWS::RDS::DBInstance": Listing("rds", "DescribeDBInstances", 100, FAKE),
    "AWS::DynamoDB::Table": Listing("dynamodb", "ListTables", 100, BOTOCORE),
    "AWS::SQS::Queue": Listing("sqs", "ListQueues", 1000, FAKE),
    "AWS::SNS::Topic": Listing("sns", "ListTopics", 100, FAKE),
    "AWS::KMS::Key": Listing("kms", "ListKeys", 1000, BOTOCORE),
    "AWS::CloudFormation::Stack": Listing("cloudformation", "DescribeStacks", 100, FAKE),
    "AWS::Route53::HostedZone": Listing("route53", "ListHostedZones", 100, FAKE),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": Listing(
        "elbv2", "DescribeLoadBalancers", 400, BOTOCORE
    ),
}

EC2_INLINE = "EC2 Describe* return tags inline"
S3_NO_BATCH = "S3 has no batch API: one bucket per call"
# The detail calls that cannot be avoided, per type (types absent need none: why in INLINE).
DETAILS: dict[str, tuple[PerItem, ...]] = {
    "AWS::S3::Bucket": (
        PerItem(
            "s3",
            "GetBucketTagging",
            1,
            S3_NO_BATCH + " (ListBuckets returns BucketRegion: no GetBucketLocation needed)",
        ),
        PerItem("s3", "GetBucketEncryption", 1, S3_NO_BATCH),
    ),
    "AWS::IAM::User": (
        PerItem("iam", "ListUserTags", 1, "ListUsers omits Tags"),
        PerItem("iam", "ListGroupsForUser", 1, "per user only"),
        PerItem("iam", "ListAttachedUserPolicies", 1, "per user only"),
    ),
    "AWS::IAM::Role": (
        PerItem("iam", "ListRoleTags", 1, "ListRoles omits Tags"),
        PerItem("iam", "ListAttachedRolePolicies", 1, "per role only"),
    ),
    "AWS::IAM::Group": (PerItem("iam", "ListAttachedGroupPolicies", 1, "per group only"),),
    "AWS::IAM::ManagedPolicy": (PerItem("iam", "ListPolicyTags", 1, "ListPolicies omits Tags"),),
    "AWS::Lambda::Function": (
        PerItem("lambda", "ListTags", 1, "ListFunctions omits tags; ListTags takes one ARN"),
    ),
    "AWS::DynamoDB::Table": (
        PerItem("dynamodb", "DescribeTable", 1, "ListTables returns names only"),
        PerItem("dynamodb", "ListTagsOfResource", 1, "one table ARN per call"),
    ),
    "AWS::SQS::Queue": (
        PerItem("sqs", "GetQueueAttributes", 1, "ListQueues returns URLs only"),
        PerItem("sqs", "ListQueueTags", 1, "one queue per call"),
    ),
    "AWS::SNS::Topic": (
        PerItem("sns", "GetTopicAttributes", 1, "ListTopics returns ARNs only"),
        PerItem("sns", "ListTagsForResource", 1, "one topic ARN per call"),
    ),
    "AWS::KMS::Key": (
        PerItem("kms", "DescribeKey", 1, "ListKeys returns ids only"),
        PerItem("kms", "ListResourceTags", 1, "one key per call"),
    ),
    "AWS::Route53::HostedZone": (
        PerItem(
            "route53",
            "ListTagsForResources",
            10,
            "ListTagsForResources takes 10 zone "
            "ids (botocore max; the fake serves only the one-zone ListTagsForResource)",
        ),
    ),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": (
        PerItem("elbv2", "DescribeTags", 20, "DescribeTags takes 20 ARNs"),
    ),
}
INLINE: dict[str, str] = {
    **{t: EC2_INLINE for t in LISTINGS if t.startswith("AWS::EC2::")},
    "AWS::RDS::DBInstance": "DescribeDBInstances returns TagList inline",
    "AWS::CloudFormation::Stack": "DescribeStacks returns Tags inline",
}
# Operations a collector may call for a type that the minimum does without (for attribution).
AVOIDABLE: dict[tuple[str, str], str] = {
    ("iam", "GetAccountAuthorizationDetails"): "AWS::IAM::*",
    ("s3", "GetBucketLocation"): "AWS::S3::Bucket",
    ("route53", "ListTagsForResource"): "AWS::Route53::HostedZone",
}
SETUP = "(setup)"
SETUP_OPS = {("sts", "GetCallerIdentity"), ("sts", "AssumeRole"), ("ec2", "DescribeRegions")}
ORG_PAGE = 20  # organizations:ListAccounts MaxResults, botocore max


def _owner() -> dict[tuple[str, str], str]:
    owner = dict(AVOIDABLE)
    for rtype, listing in LISTINGS.items():
        owner[(listing.service, listing.operation)] = rtype
    for rtype, details in DETAILS.items():
        for d in details:
            owner[(d.service, d.operation)] = rtype
    return owner


OWNER = _owner()


def owner_of(service: str, operation: str) -> str:
    """The type (or ``(setup)``, ``(other)``) an operation's calls count against."""
    if (service, operation) in SETUP_OPS or service == "organizations":
        return SETUP
    return OWNER.get((service, operation), "(other)")


def pages(n: int, page: int | None) -> int:
    """Calls to list ``n`` items; an empty listing still takes one call."""
    return 1 if page is None else max(1, math.ceil(n / page))


def listing_page(scenario: Scenario, listing: Listing) -> int | None:
    cap = scenario.page_cap(listing.service, listing.operation)
    if listing.page is None or cap is None:
        return listing.page
    return min(listing.page, cap)


def setup_min(scenario: Scenario) -> dict[tuple[str, str], int]:
    """Who am I, the organization's accounts, into each member, each account's regions."""
    active = [a for a in scenario.accounts if a.status == "ACTIVE"]
    return {
        ("sts", "GetCallerIdentity"): 1,
        ("organizations", "ListAccounts"): pages(len(scenario.accounts), ORG_PAGE),
        ("sts", "AssumeRole"): len(active) - 1,  # the management account is the caller's own
        ("ec2", "DescribeRegions"): len(active),
    }


def minimum(scenario: Scenario) -> dict[tuple[str, str, str], int]:
    """calls_min per (type or ``(setup)``, service, operation) for the whole scenario."""
    world = World(scenario)
    out: dict[tuple[str, str, str], int] = {}

    def add(key: tuple[str, str, str], n: int) -> None:
        out[key] = out.get(key, 0) + n

    for (service, op), n in setup_min(scenario).items():
        add((SETUP, service, op), n)
    for account in scenario.accounts:
        if account.status != "ACTIVE":
            continue
        for rtype, listing in LISTINGS.items():
            for region in ["global"] if SPECS[rtype].global_ else scenario.regions:
                n = world.count(account.id, region, rtype)
                add((rtype, listing.service, listing.operation),
                    pages(n, listing_page(scenario, listing)))  # fmt: skip
                for d in DETAILS.get(rtype, ()):
                    add((rtype, d.service, d.operation), math.ceil(n / d.batch))
    return out


def served(stats: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    """Calls the fake answered per (owner type, service, operation), from ``/_fake/stats``."""
    out: dict[tuple[str, str, str], int] = {}
    for o in stats["ops"]:
        key = (owner_of(o["service"], o["operation"]), o["service"], o["operation"])
        out[key] = out.get(key, 0) + o["calls"]
    return out


IAM_TYPES = ("AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::Group", "AWS::IAM::ManagedPolicy")
GAAD_PAGE = 1000  # GetAccountAuthorizationDetails MaxItems, botocore max


def minimum_with_authorization_details(scenario: Scenario) -> dict[tuple[str, str, str], int]:
    """``minimum`` with IAM read through GetAccountAuthorizationDetails (Filter User, Role,
    Group, LocalManagedPolicy): every user, role, group and local policy with their tags,
    group memberships and attached policies, 1,000 entities a page. It lacks users'
    PasswordLastUsed and roles' Description and MaxSessionDuration, so ListUsers and ListRoles
    pages still come on top; policies' tags (ManagedPolicyDetail has none) a call each."""
    world = World(scenario)
    keep = {"ListPolicyTags", "ListUsers", "ListRoles"}
    out = {
        key: n
        for key, n in minimum(scenario).items()
        if key[0] not in IAM_TYPES or key[2] in keep
    }
    gaad = ("AWS::IAM::*", "iam", "GetAccountAuthorizationDetails")
    for account in scenario.accounts:
        if account.status == "ACTIVE":
            entities = sum(world.count(account.id, "global", t) for t in IAM_TYPES)
            out[gaad] = out.get(gaad, 0) + pages(entities, GAAD_PAGE)
    return out


def compare(stats: dict[str, Any], scenario: Scenario, worst: int = 8) -> dict[str, Any]:
    """calls, calls_min, calls_ratio, and per type (worst first) where calls were wasted."""
    made, least = served(stats), minimum_with_authorization_details(scenario)
    by_type: dict[str, dict[str, Any]] = {}
    for key in sorted(set(made) | set(least)):
        row = by_type.setdefault(key[0], {"calls": 0, "calls_min": 0, "ops": {}})
        c, m = made.get(key, 0), least.get(key, 0)
        row["calls"] += c
        row["calls_min"] += m
        row["ops"][f"{key[1]}:{key[2]}"] = [c, m]
    calls, calls_min = sum(made.values()), sum(least.values())
    per_item = sum(minimum(scenario).values())
    wasted = [(t, row) for t, row in by_type.items() if row["calls"] != row["calls_min"]]
    wasted.sort(key=lambda kv: kv[1]["calls_min"] - kv[1]["calls"])
    return {
        "calls": calls,
        "calls_min": calls_min,
        "calls_ratio": round(calls / calls_min, 3) if calls_min else None,
        "calls_min_per_item": per_item,
        "throttled": stats["totals"]["throttled"],
        "worst": [
            {"type": t, **row, "wasted": row["calls"] - row["calls_min"]}
            for t, row in wasted[:worst]
        ],
    }


def waste_table(result: dict[str, Any]) -> str:
    """The worst offenders as text: type, calls, calls_min, wasted, per operation."""
    if not result["worst"]:
        return "no type made more calls than its minimum"
    lines = [f"{'type':<44}{'calls':>8}{'min':>8}{'wasted':>8}   per operation (calls/min)"]
    for row in result["worst"]:
        ops = ", ".join(f"{op} {c}/{m}" for op, (c, m) in row["ops"].items() if c != m)
        lines.append(f"{row['type']:<44}{row['calls']:>8}{row['calls_min']:>8}"
                     f"{row['wasted']:>8}   {ops}")  # fmt: skip
    return "\n".join(lines)
