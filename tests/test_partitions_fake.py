"""A China (`aws-cn`) organization collected end to end, against the simulated endpoint.

The fake answers as an `aws-cn` organization in cn-north-1/cn-northwest-1: its principals,
roles and resource ARNs are `arn:aws-cn:...`, it refuses AssumeRole into a role ARN of another
partition and, like AWS, any call signed for a region outside `aws-cn`. Expected values come from
the fake's world and its record of the calls (role ARNs asked for, the SigV4 region each call was
signed for) and from botocore's own signing (tests.test_references_partitions.signing_region),
never from the collector's formulas.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakeaws import FakeAWS, Scenario
from collector.config import parse
from collector.engine.plan import RunSummary
from collector.registry import REGISTRY
from collector.run.collect import CannotRun, Collector
from collector.run.queue_worker import QueueWorker
from tests.test_references_partitions import signing_region

PARTITION = "aws-cn"
REGIONS = ["cn-north-1", "cn-northwest-1"]
MEMBER = "200000000001"
ROLE = "InventoryReader"
TYPES = {
    "AWS::IAM::Role": 3,
    "AWS::IAM::User": 2,
    "AWS::Route53::HostedZone": 2,
    "AWS::S3::Bucket": 4,
    "AWS::SQS::Queue": 2,
}
# Organizations types are served by the fake's organization itself (management account only).
ORG_TYPES = ["AWS::Organizations::Account", "AWS::Organizations::Root"]


@pytest.fixture(scope="module")
async def fake() -> AsyncIterator[FakeAWS]:
    scenario = Scenario.simple(
        members=1,
        regions=list(REGIONS),
        items=dict(TYPES),
        partition=PARTITION,
        role_name=ROLE,
        not_opted_in_regions=[],
    )
    async with FakeAWS(scenario) as server:
        yield server


def config(fake: FakeAWS, region: str = REGIONS[0]) -> Any:
    return parse(
        {
            "aws": {"endpoint_url": fake.url, "region": region, "max_attempts": 2},
            "accounts": {"source": "organizations", "role_name": ROLE},
            "regions": {"include": ["enabled"]},
            "resources": {"include": sorted([*TYPES, *ORG_TYPES])},
            "throttle": {"default_rate": 500},
        }
    )


async def run(mode: str, fake: FakeAWS, tmp_path: Path, pg_url: str | None) -> tuple[RunSummary, str]:
    if mode == "queue":
        assert pg_url is not None
        summary = await QueueWorker(config(fake), pg_url).run()
        assert summary is not None
        return summary, pg_url
    db = f"sqlite:///{tmp_path / 'cn.db'}"
    processes = 2 if mode == "processes" else 1
    return await Collector(config(fake), db, processes=processes).run(), db


async def stored(db: str) -> list[tuple[str, str, str, str]]:
    from sqlalchemy import text

    from collector.store import make_engine

    engine = make_engine(db)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(
                text("SELECT arn, account_id, region, resource_type FROM resources")
            )
            return [(str(a), str(b), str(c), str(d)) for a, b, c, d in result]
    finally:
        await engine.dispose()


@pytest.fixture(params=["one process", "processes", pytest.param("queue", marks=pytest.mark.postgres)])
def mode(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    pg = request.getfixturevalue("pg_url") if request.param == "queue" else None
    return str(request.param), pg


async def test_an_aws_cn_organization_is_collected(
    fake: FakeAWS, tmp_path: Path, mode: tuple[str, str | None]
) -> None:
    fake.reset()
    summary, db = await run(mode[0], fake, tmp_path, mode[1])
    assert summary.exit_code == 0, [(e.account_id, e.resource_type, e.error_code) for e in summary.errors]
    rows = await stored(db)
    assert rows and all(arn.startswith(f"arn:{PARTITION}:") for arn, *_ in rows), rows[:3]

    # Everything the fake holds was collected, in both accounts, regions and global.
    world = fake.world
    for account in (fake.scenario.management.id, MEMBER):
        for rtype in TYPES:
            scopes = ["global"] if REGISTRY[rtype].global_ else REGIONS
            expected = sum(len(world.resource_ids(account, r, rtype)) for r in scopes)
            got = [r for r in rows if r[1] == account and r[3] == rtype]
            assert len(got) == expected > 0, (account, rtype)
    org_accounts = {r[0] for r in rows if r[3] == "AWS::Organizations::Account"}
    assert len(org_accounts) == 2  # listed once, by the management account

    # The member was reached through a role of the caller's partition, and only that.
    assert fake.role_requests
    assert set(fake.role_requests) == {f"arn:{PARTITION}:iam::{MEMBER}:role/{ROLE}"}

    # Global services were signed for the region botocore signs them for in aws-cn.
    stats = fake.stats
    for service, operation in (
        ("iam", "ListRoles"),
        ("route53", "ListHostedZones"),
        ("organizations", "ListRoots"),
    ):
        expected_region = signing_region(service, REGIONS[0])[0]
        assert stats.signed_regions(service, operation) == {expected_region}, service
    # Every call of the run was signed for a region of aws-cn (none refused by the fake).
    assert stats.signed_regions() <= set(REGIONS)


async def test_aws_region_of_another_partition_cannot_run(fake: FakeAWS, tmp_path: Path) -> None:
    """aws-cn keys against us-east-1 (the default `[aws] region`): STS refuses them, and the
    message says which setting to change."""
    with pytest.raises(CannotRun, match=r"InvalidClientTokenId.*\[aws\] region"):
        await Collector(config(fake, "us-east-1"), f"sqlite:///{tmp_path / 'x.db'}").run()


def test_old_queue_rows_without_partition_load_as_aws() -> None:
    from collector.aws.planning import PlannedAccount
    from collector.aws.sessions import AccountTarget
    from collector.records import AccountInfo
    from collector.run.work_queue import account_json, planned_from

    planned = PlannedAccount(AccountInfo(MEMBER), AccountTarget(MEMBER, role_arn="r"), PARTITION)
    assert planned_from(account_json(planned)) == planned
    old = account_json(planned)
    del old["partition"]
    assert planned_from(old).partition == "aws"


def test_aws_region_must_be_of_the_callers_partition() -> None:
    """Behind an endpoint that accepts any region (a proxy, a fake), the mismatch is still a
    configuration error naming a region of the caller's partition."""
    from collector.aws.planning import check_partition
    from collector.config import ConfigError

    with pytest.raises(ConfigError) as caught:
        check_partition("us-east-1", PARTITION)
    assert "[aws] region" in str(caught.value.problems) and "cn-" in str(caught.value.problems)
    check_partition(REGIONS[1], PARTITION)
    check_partition("us-gov-west-1", "aws-us-gov")
