"""calls_min (benchmarks/calls.py): the fewest calls for a scenario's data, worked out by hand
here from what the scenario declares; the page maxima it cites against botocore's model; and
the calls the fake served, attributed to their type."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import boto3
import botocore.session
import pytest

from benchmarks import calls
from benchmarks.fakeaws import SPECS, FakeAWSThread, Scenario
from benchmarks.fakeaws.server import PAGE_LIMITS

REGIONS = ["us-east-1", "eu-west-1"]
ITEMS = {
    "AWS::EC2::Instance": 7,  # server cap 5 below: 2 pages per (account, region)
    "AWS::IAM::Role": 25,  # server cap 10: 3 pages, then tags and attached policies per role
    "AWS::ElasticLoadBalancingV2::LoadBalancer": 21,  # DescribeTags takes 20 ARNs: 2 calls
    "AWS::Route53::HostedZone": 11,  # ListTagsForResources takes 10 zone ids: 2 calls
    "AWS::S3::Bucket": 3,  # tagging and encryption per bucket
    "AWS::Lambda::Function": 3,  # ListTags per function
}


def tiny() -> Scenario:
    return Scenario.simple(
        members=1,
        regions=list(REGIONS),
        items=dict(ITEMS),
        page_size={"DescribeInstances": 5, "ListRoles": 10},
    )


def test_calls_min_of_a_tiny_organization_by_hand() -> None:
    accounts, regions = 2, len(REGIONS)
    scopes = accounts * regions  # (account, region) pairs for regional types
    instances = scopes * math.ceil(7 / 5)
    roles = accounts * (math.ceil(25 / 10) + 25 + 25)
    lbs = scopes * (1 + math.ceil(21 / 20))
    zones = accounts * (1 + math.ceil(11 / 10))
    buckets = accounts * (1 + 3 + 3)
    functions = scopes * (1 + 3)
    # Every other type still takes one (empty) listing call per scope.
    global_types = sum(1 for s in SPECS.values() if s.global_)
    regional_types = len(SPECS) - global_types
    assert (len(SPECS), global_types) == (27, 6)  # the fake's catalog, as its README says
    empty = (regional_types - 3) * scopes + (global_types - 3) * accounts
    # GetCallerIdentity, one ListAccounts page, AssumeRole into the member, regions per account.
    setup = 1 + 1 + 1 + accounts
    expected = instances + roles + lbs + zones + buckets + functions + empty + setup
    assert expected == 8 + 106 + 12 + 6 + 14 + 16 + 72 + 6 + 5

    least = calls.minimum(tiny())
    assert sum(least.values()) == expected
    assert least[("AWS::IAM::Role", "iam", "ListRoles")] == 6
    assert least[("AWS::Route53::HostedZone", "route53", "ListTagsForResources")] == 4
    assert least[("AWS::EC2::Instance", "ec2", "DescribeInstances")] == 8
    assert ("AWS::S3::Bucket", "s3", "GetBucketLocation") not in least  # ListBuckets has it


def test_iam_through_authorization_details_by_hand() -> None:
    # Per account: ListRoles 3 pages + 2 x 25 role details + 3 empty IAM listings give way to
    # one GetAccountAuthorizationDetails page (25 entities), with ListRoles' 3 pages and one
    # (empty) ListUsers page still read for the fields it lacks; no policies, no policy tags.
    iam_per_account = 3 + 25 + 25 + 3
    expected = sum(calls.minimum(tiny()).values()) - 2 * iam_per_account + 2 * (1 + 3 + 1)
    assert sum(calls.minimum_with_authorization_details(tiny()).values()) == expected == 143


def test_minimum_skips_suspended_accounts() -> None:
    scenario = tiny()
    scenario.members[0].status = "SUSPENDED"
    per_account = (sum(calls.minimum(tiny()).values()) - 5) // 2
    # One account's collections; set-up: who am I, ListAccounts, the one account's regions.
    assert sum(calls.minimum(scenario).values()) == per_account + 3


def test_every_fake_type_has_a_declared_minimum() -> None:
    assert set(calls.LISTINGS) == set(SPECS)
    for rtype, listing in calls.LISTINGS.items():
        assert (listing.service, listing.operation) == (
            SPECS[rtype].service,
            SPECS[rtype].operation,
        )
        assert (rtype in calls.DETAILS) != (rtype in calls.INLINE), rtype
    assert all(d.why for details in calls.DETAILS.values() for d in details)


LIMIT_MEMBERS = ("MaxResults", "MaxItems", "Limit", "MaxRecords", "PageSize", "MaxBuckets")


@cache
def service_model(service: str) -> Any:
    return botocore.session.get_session().get_service_model(service)


def model_max(service: str, operation: str) -> int | None:
    shape = service_model(service).operation_model(operation).input_shape
    for name in LIMIT_MEMBERS:
        if shape is not None and name in shape.members:
            value = shape.members[name].metadata.get("max")
            return None if value is None else int(value)
    return None


@pytest.mark.parametrize("rtype", sorted(calls.LISTINGS))
def test_page_maxima_cite_their_source(rtype: str) -> None:
    listing = calls.LISTINGS[rtype]
    found = model_max(listing.service, listing.operation)
    if listing.source == calls.BOTOCORE:
        assert listing.page == found
    elif listing.source == calls.FAKE:
        assert found is None  # else botocore's maximum would be the one to cite
    elif listing.page is not None:  # a documented cap under botocore's (Lambda's 50)
        assert found is not None and listing.page < found
    if listing.operation in PAGE_LIMITS:  # never more than the fake would serve
        assert listing.page == PAGE_LIMITS[listing.operation][1]


def test_batch_sizes_are_botocores() -> None:
    ids = (
        service_model("route53")
        .operation_model("ListTagsForResources")
        .input_shape.members["ResourceIds"]
    )
    assert ids.metadata["max"] == 10
    assert calls.DETAILS["AWS::Route53::HostedZone"][0].batch == 10


def test_served_calls_are_attributed_to_their_type() -> None:
    scenario = tiny()
    with FakeAWSThread(scenario) as fake:
        kw = {"endpoint_url": fake.url, "region_name": "us-east-1",
              "aws_access_key_id": "AKIATESTMANAGEMENT00", "aws_secret_access_key": "x"}  # fmt: skip
        iam = boto3.client("iam", **kw)
        roles = [
            r["RoleName"]
            for page in iam.get_paginator("list_roles").paginate(
                PaginationConfig={"PageSize": 1000}
            )
            for r in page["Roles"]
        ]
        for name in roles:
            iam.list_role_tags(RoleName=name)
        r53 = boto3.client("route53", **kw)
        for zone in r53.list_hosted_zones()["HostedZones"]:
            r53.list_tags_for_resource(
                ResourceType="hostedzone", ResourceId=zone["Id"].split("/")[-1]
            )
        boto3.client("sts", **kw).get_caller_identity()
        stats = fake.stats_json()
    made = calls.served(stats)
    assert made[("AWS::IAM::Role", "iam", "ListRoles")] == 3  # 25 roles, 10 a page
    assert made[("AWS::IAM::Role", "iam", "ListRoleTags")] == 25
    assert made[("AWS::Route53::HostedZone", "route53", "ListTagsForResource")] == 11
    assert made[(calls.SETUP, "sts", "GetCallerIdentity")] == 1
    result = calls.compare(stats, scenario)
    assert result["calls"] == 3 + 25 + 1 + 11 + 1
    worst = {row["type"]: row for row in result["worst"]}
    # One zone tag call each where batches of 10 would do: 1 + 11 made, 1 + 2 needed (1 account).
    assert worst["AWS::Route53::HostedZone"]["ops"]["route53:ListTagsForResource"] == [11, 0]
