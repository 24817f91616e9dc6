"""The collector against the simulated AWS endpoint: paging, throttling and faults.

moto cannot page most APIs, throttle, or fail on purpose; the fake (benchmarks/fakeaws) can.
Every test asserts the exact inventory against the fake's own world, and that nothing was
wrongly marked deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from aiobotocore.session import AioSession
from botocore import xform_name

from benchmarks.fakeaws import AccessRule, Bucket, FakeAWS, Faults, Scenario
from collector.aws.account_client import Account, Pages
from collector.config import parse
from collector.engine.plan import RunSummary
from collector.registry import CORE_TYPES, REGISTRY
from collector.run.collect import Collector

REGIONS = ["us-east-1", "eu-west-1"]
MEMBER = "200000000001"
MANAGEMENT = "111111111111"
ITEMS = {t: 5 for t in CORE_TYPES}


def scenario(**kw: Any) -> Scenario:
    return Scenario.simple(members=1, regions=list(REGIONS), items=dict(ITEMS), **kw)


@pytest.fixture
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeAWS]:
    server = FakeAWS(request.param if hasattr(request, "param") else scenario())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def collect(fake: FakeAWS, db: Path, **sections: dict[str, Any]) -> RunSummary:
    data: dict[str, Any] = {
        "aws": {"endpoint_url": fake.url, "max_attempts": 10, "read_timeout": 5},
        "accounts": {"source": "organizations"},
        "regions": {"include": REGIONS},
        "resources": {"include": sorted(CORE_TYPES)},
        "throttle": {"default_rate": 200, "rates": {"ec2": 200}},
    }
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return await Collector(parse(data), f"sqlite:///{db}").run()


def live(db: Path) -> dict[tuple[str, str, str], set[str]]:
    out: dict[tuple[str, str, str], set[str]] = {}
    with sqlite3.connect(db) as conn:
        for account, scope_region, rtype, rid in conn.execute(
            "SELECT account_id, scope_region, resource_type, resource_id FROM resources "
            "WHERE deleted_at IS NULL"
        ):
            out.setdefault((account, scope_region, rtype), set()).add(rid)
    return out


def expected(fake: FakeAWS, skip: set[tuple[str, str, str]] | None = None) -> dict[tuple[str, str, str], set[str]]:
    out: dict[tuple[str, str, str], set[str]] = {}
    accounts = [fake.scenario.management.id, *(m.id for m in fake.scenario.members)]
    for account in accounts:
        for rtype in sorted(CORE_TYPES):
            regions = ["global"] if REGISTRY[rtype].global_ else REGIONS
            for region in regions:
                if skip and (account, region, rtype) in skip:
                    continue
                ids = set(fake.world.resource_ids(account, region, rtype))
                if ids:
                    out[(account, region, rtype)] = ids
    return out


def deleted_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM resources WHERE deleted_at IS NOT NULL").fetchone()[0])


def ledger(db: Path, run_id: int) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT account_id, region, resource_type, status, error_code, item_count, skipped_items "
            "FROM scan_results WHERE run_id = ? ORDER BY 1, 2, 3",
            (run_id,),
        ).fetchall()


def _operation_names() -> dict[str, str]:
    session = botocore.session.get_session()
    names: dict[str, str] = {}
    for rtype in CORE_TYPES:
        t = REGISTRY[rtype]
        model = session.get_service_model(t.service)
        by_python = {xform_name(op): op for op in model.operation_names}
        names[rtype] = by_python[t.operation]
    return names


PAGE_CAP = 2
PAGED = scenario(page_size={op: PAGE_CAP for op in _operation_names().values()})


@pytest.mark.parametrize("fake", [PAGED], indirect=True)
async def test_every_paging_type_collects_every_page(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    summary = await collect(fake, db)
    assert summary.exit_code == 0
    assert live(db) == expected(fake)
    # The server really paged: chains of several pages for every paginated list operation.
    paged_ops = {
        _operation_names()[t]
        for t in CORE_TYPES
        if botocore.session.get_session()
        .get_paginator_model(REGISTRY[t].service)
        ._paginator_config.get(_operation_names()[t], {})
        .get("limit_key")
    }
    chains = {op: 0 for op in paged_ops}
    for (_, _, _, op), stats in fake.stats.ops.items():
        if op in chains:
            chains[op] = max(chains[op], stats.max_chain)
    assert chains and all(n >= 5 // PAGE_CAP for n in chains.values()), chains


# Listings whose paginators stop on different rules: a token only (EC2), `more_results`
# (IAM's IsTruncated, KMS's Truncated), a token with a numeric limit (DynamoDB).
LAST_PAGE_CASES = [
    ("ec2", "describe_volumes"),
    ("iam", "list_policies"),
    ("kms", "list_keys"),
    ("dynamodb", "list_tables"),
    ("lambda", "list_functions"),
]


@pytest.mark.parametrize("fake", [PAGED], indirect=True)
@pytest.mark.parametrize(("service", "operation"), LAST_PAGE_CASES)
async def test_last_page_is_known_before_asking(
    fake: FakeAWS, service: str, operation: str
) -> None:
    """`Pages.last` says, before a throttle turn is taken for it, what botocore's paginator
    then does: stop without another request. botocore's own answers are the reference."""
    session = AioSession()
    async with session.create_client(
        service, region_name=REGIONS[0], endpoint_url=fake.url,
        aws_access_key_id="AKIAFAKEMANAGEMENT00", aws_secret_access_key="fake",
    ) as client:  # fmt: skip
        pages = Pages(client.get_paginator(operation).paginate(), Account(MANAGEMENT, None))
        said = [pages.last(page) async for page in pages]
    sent = fake.stats.calls(service=service)
    assert sent >= 3  # 5 items at 2 a page
    assert said == [False] * (sent - 1) + [True]


# Slow enough that the account's collection starts while its role is still being assumed.
@pytest.mark.parametrize("fake", [scenario(latency_ms=300.0)], indirect=True)
async def test_each_role_is_assumed_once(fake: FakeAWS, tmp_path: Path) -> None:
    """The first accounts' roles are assumed while the database is prepared; collecting the
    account takes those credentials up (or waits for them) instead of assuming the role
    again."""
    summary = await collect(fake, tmp_path / "inv.db")
    assert summary.exit_code == 0, summary.errors[:3]
    assert fake.stats.calls(service="sts", operation="AssumeRole") == len(fake.scenario.members)


@pytest.mark.parametrize(
    "fake",
    [scenario(throttle={s: Bucket(2, 3) for s in ("ec2", "iam", "s3", "lambda", "kms")})],
    indirect=True,
)
async def test_throttling_storm_loses_nothing(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    summary = await collect(fake, db, aws={"max_attempts": 20})
    assert summary.exit_code == 0, summary.errors[:3]
    assert live(db) == expected(fake)
    throttled, calls = fake.stats.throttled(), fake.stats.calls()
    # A real storm (buckets of 2 refilled 3/s against a configured 200/s), answered by
    # retrying each throttled call and by halving that key's rate.
    assert throttled >= 30, (throttled, calls)
    # Run again under the same storm: still exact, nothing marked deleted.
    again = await collect(fake, db, aws={"max_attempts": 20})
    assert again.exit_code == 0 and again.deleted == 0 and deleted_count(db) == 0


async def test_rate_per_account_region_service_is_respected(tmp_path: Path) -> None:
    # The server runs in its own process, so that it timestamps requests as they arrive
    # rather than when our event loop gets round to them.
    import asyncio

    from benchmarks.fakeaws import FakeAWSProcess
    from benchmarks.fakeaws.world import World

    plan = Scenario.simple(members=1, regions=list(REGIONS), items=dict(ITEMS))
    rate = 4
    with FakeAWSProcess(plan) as server:
        db = tmp_path / "inv.db"
        summary = await collect(
            server,  # type: ignore[arg-type]
            db,
            throttle={"default_rate": rate, "rates": {"ec2": rate}},
        )
        stats = await asyncio.to_thread(server.stats)
    assert summary.exit_code == 0
    world = World(plan)
    assert sum(len(v) for v in live(db).values()) == sum(
        len(world.resource_ids(a, r, t))
        for a in (plan.management.id, *(m.id for m in plan.members))
        for t in CORE_TYPES
        for r in (["global"] if REGISTRY[t].global_ else REGIONS)
    )
    # Setup calls (STS, Organizations, DescribeRegions) are not paced; every listing is.
    listing = {k: v for k, v in stats.max_rate.items() if k[2] not in ("sts", "organizations")}
    busiest = max(listing.values())
    # Requests are paced 1/rate apart when they leave the throttle; a busy event loop (two
    # cores shared with the server and the database) can still deliver two of them late and
    # together, so a 1 s window may see one or two more than the rate, never a burst.
    assert busiest <= rate + 2, sorted(listing.items(), key=lambda kv: -kv[1])[:5]
    assert busiest >= rate - 1  # and we were not needlessly slow


@pytest.mark.parametrize("fake", [scenario(faults=Faults(error_5xx_rate=0.3))], indirect=True)
async def test_5xx_bursts_are_retried(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    summary = await collect(fake, db, aws={"max_attempts": 15})
    assert summary.exit_code == 0, summary.errors[:3]
    assert live(db) == expected(fake)
    assert sum(s.errors for s in fake.stats.ops.values()) > 50  # the faults really happened


@pytest.mark.parametrize(
    "fake", [scenario(faults=Faults(slow_rate=0.05, slow_delay_s=3.0, services=["ec2"]))], indirect=True
)
async def test_slow_responses_past_the_read_timeout_are_retried(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    summary = await collect(fake, db, aws={"max_attempts": 10, "read_timeout": 1})
    assert summary.exit_code == 0, summary.errors[:3]
    assert live(db) == expected(fake)


async def test_access_denied_on_one_service_of_one_account(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    first = await collect(fake, db)
    assert first.exit_code == 0
    fake.scenario.faults.access_denied.append(AccessRule(MEMBER, "lambda"))
    second = await collect(fake, db)
    assert second.exit_code == 1 and second.deleted == 0
    failed = [row for row in ledger(db, second.run_id) if row[3] != "ok"]
    assert failed == [
        (MEMBER, region, "AWS::Lambda::Function", "error", "AccessDeniedException", 0, 0)
        for region in sorted(REGIONS)
    ]
    assert live(db) == expected(fake)  # the denied rows are still there, untouched
    assert deleted_count(db) == 0


@pytest.mark.parametrize("fake", [scenario(faults=Faults(assume_role_denied=[MEMBER]))], indirect=True)
async def test_assume_role_failure_skips_one_account_only(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    summary = await collect(fake, db)
    assert summary.exit_code == 1
    bad = [row for row in ledger(db, summary.run_id) if row[3] != "ok"]
    assert bad == [(MEMBER, "*", "*", "error", "AccessDenied", 0, 0)]
    skip = {k for k in expected(fake) if k[0] == MEMBER}
    assert live(db) == expected(fake, skip)


# Keys die after a number of calls, not seconds: a time-to-live raced the run on a fast host
# (the whole member account was listed within 0.5 s and nothing expired).
@pytest.mark.parametrize("fake", [scenario(faults=Faults(credential_ttl_calls=25))], indirect=True)
async def test_credentials_expiring_mid_run_are_refreshed(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    summary = await collect(fake, db)
    assert summary.exit_code == 0, summary.errors[:3]
    assert live(db) == expected(fake)
    # Only calls signed with a live key are counted, and each key signs at most 25 of them.
    member_calls = fake.stats.calls(account=MEMBER)
    assert member_calls > 3 * 25  # the member's key died several times during the run
    assert fake.stats.calls(service="sts", operation="AssumeRole") >= -(-member_calls // 25)


@pytest.mark.parametrize(
    "fake", [scenario(faults=Faults(malformed_items={"AWS::EC2::Volume": 2}))], indirect=True
)
async def test_malformed_items_are_skipped_and_counted(fake: FakeAWS, tmp_path: Path) -> None:
    db = tmp_path / "inv.db"
    summary = await collect(fake, db)
    assert summary.exit_code == 0
    rows = [r for r in ledger(db, summary.run_id) if r[2] == "AWS::EC2::Volume"]
    assert rows and all(r[3] == "ok" and r[6] == 2 for r in rows)
    got = live(db)
    for key, ids in expected(fake).items():
        assert got[key] == ids  # the world's ids are the well-formed items only
