"""The benchmark's fake organizations: latency-bound, wide (many small accounts), every region,
CPU-bound. Plain data for ``benchmarks/fakeaws``; ``run.py`` measures the collector on them."""

from __future__ import annotations

from pathlib import Path

import boto3

from benchmarks.fakeaws import Bucket, Scenario

ROOT = Path(__file__).resolve().parents[1]
LARGE = ROOT / "benchmarks" / "scenarios" / "large.toml"
ALL_REGIONS = Scenario.from_toml(LARGE).regions

LATENCY_MS = 50.0
SERVICES = ("iam", "s3", "lambda", "rds", "dynamodb", "sqs", "sns", "kms", "cloudformation",
            "route53", "elbv2")  # fmt: skip

# Per (account, region) for regional types, per account for global ones.
ORG_ITEMS = {
    "AWS::EC2::Instance": 20, "AWS::EC2::Volume": 25, "AWS::EC2::Snapshot": 10,
    "AWS::EC2::SecurityGroup": 8, "AWS::EC2::VPC": 2, "AWS::EC2::Subnet": 6,
    "AWS::EC2::NetworkInterface": 22, "AWS::EC2::Image": 2, "AWS::EC2::EIP": 2,
    "AWS::EC2::InternetGateway": 2, "AWS::EC2::NatGateway": 1, "AWS::EC2::RouteTable": 4,
    "AWS::EC2::KeyPair": 2, "AWS::Lambda::Function": 5, "AWS::RDS::DBInstance": 1,
    "AWS::DynamoDB::Table": 3, "AWS::SQS::Queue": 3, "AWS::SNS::Topic": 2, "AWS::KMS::Key": 3,
    "AWS::CloudFormation::Stack": 3, "AWS::ElasticLoadBalancingV2::LoadBalancer": 1,
    "AWS::S3::Bucket": 10, "AWS::IAM::User": 15, "AWS::IAM::Role": 100, "AWS::IAM::Group": 5,
    "AWS::IAM::ManagedPolicy": 15, "AWS::Route53::HostedZone": 2,
}  # fmt: skip
# Server page caps (the collector asks for more): multi-page chains like real listings.
ORG_PAGE_CAPS = {
    "DescribeInstances": 5, "DescribeVolumes": 10, "DescribeNetworkInterfaces": 10,
    "ListRoles": 10, "ListFunctions": 2,
}  # fmt: skip

# A small account: IAM (2 pages of roles, then 2 detail calls per role: ~54 calls on a bucket
# refilled 10/s) is each account's long pole, ~5.4 s; everything else is a few calls a region.
# 24 of them run in one wave only if every account starts at once.
WIDE_ITEMS = {
    "AWS::EC2::Instance": 2, "AWS::EC2::Volume": 2, "AWS::EC2::SecurityGroup": 2,
    "AWS::EC2::VPC": 1, "AWS::EC2::Subnet": 2, "AWS::EC2::NetworkInterface": 2,
    "AWS::Lambda::Function": 1, "AWS::SQS::Queue": 1, "AWS::SNS::Topic": 1, "AWS::KMS::Key": 1,
    "AWS::S3::Bucket": 2, "AWS::IAM::Role": 20, "AWS::IAM::User": 2, "AWS::IAM::Group": 1,
    "AWS::IAM::ManagedPolicy": 2,
}  # fmt: skip


def aws_throttle() -> dict[str, Bucket]:
    """AWS-like token buckets per (account, region, service), what the collector's rates assume."""
    throttle = {"ec2": Bucket(100, 20), "ec2:unpaginated": Bucket(50, 10)}
    throttle.update({s: Bucket(20, 10) for s in SERVICES})
    return throttle


def latency_scenario(members: int, regions: int) -> Scenario:
    return Scenario.simple(
        members=members,
        regions=ALL_REGIONS[:regions],
        items=dict(ORG_ITEMS),
        page_size=dict(ORG_PAGE_CAPS),
        latency_ms=LATENCY_MS,
        throttle=aws_throttle(),
    )


def wide_scenario(accounts: int = 24, regions: int = 2) -> Scenario:
    """Many small accounts, the latency scenario's latency, rate limits and page caps."""
    return Scenario.simple(
        members=accounts - 1,
        regions=ALL_REGIONS[:regions],
        items=dict(WIDE_ITEMS),
        page_size=dict(ORG_PAGE_CAPS),
        latency_ms=LATENCY_MS,
        throttle=aws_throttle(),
    )


def partition_regions(partition: str = "aws") -> list[str]:
    """Every region of the partition (botocore's data: EC2 is in all of them)."""
    return sorted(boto3.Session().get_available_regions("ec2", partition))


def all_regions_scenario() -> Scenario:
    """One account (the management one) enabled in every region of ``aws``, the CPU scenario's
    items per region, no latency and no rate limits."""
    scenario = cpu_scenario(0)
    scenario.regions = partition_regions()
    scenario.not_opted_in_regions = []
    return scenario


def cpu_scenario(members: int) -> Scenario:
    scenario = Scenario.from_toml(LARGE)
    scenario.members = scenario.members[:members]
    scenario.throttle = {}
    scenario.latency_ms = 0.0
    return scenario
