"""Hostile but legal data and faults (issue 12): a run never dies of one bad item, never
deletes what it could not see, never blinds a type.

Against the simulated endpoint (benchmarks/fakeaws), on SQLite and PostgreSQL where the backend
matters. Expected values come from the fake's own world, not from the collector.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from benchmarks.fakeaws import AccessRule, FakeAWS, Faults, Scenario
from collector.config import parse
from collector.engine import fetch
from collector.engine.normalize import to_utc
from collector.run.collect import Collector, RunSummary
from collector.store import make_engine

REGION = "us-east-1"
MEMBER = "200000000001"
LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
BUCKET = "AWS::S3::Bucket"
QUEUE = "AWS::SQS::Queue"
TYPES = [LB, BUCKET, QUEUE]


def scenario(**kw: Any) -> Scenario:
    return Scenario.simple(members=1, regions=[REGION], items={t: 3 for t in TYPES}, **kw)


async def started(plan: Scenario) -> FakeAWS:
    server = FakeAWS(plan)
    await server.start()
    return server


@pytest.fixture
async def fake() -> AsyncIterator[FakeAWS]:
    server = await started(scenario())
    try:
        yield server
    finally:
        await server.stop()


async def collect(fake: FakeAWS, db_url: str) -> RunSummary:
    cfg = parse(
        {
            "aws": {"endpoint_url": fake.url, "max_attempts": 2},
            "accounts": {"source": "organizations"},
            "regions": {"include": [REGION]},
            "resources": {"include": TYPES},
        }
    )
    return await Collector(cfg, db_url).run()


async def rows(db_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(text(sql), params)]
    finally:
        await engine.dispose()


def as_dict(value: Any) -> dict[str, str]:
    """A JSON column as read by a plain text query (a dict on PostgreSQL, text on SQLite)."""
    return value if isinstance(value, dict) else json.loads(value)


async def live_arns(db_url: str, rtype: str) -> set[str]:
    found = await rows(
        db_url,
        "SELECT arn FROM resources WHERE resource_type = :t AND deleted_at IS NULL",
        t=rtype,
    )
    return {arn for (arn,) in found}


async def ledger(db_url: str, run_id: int) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    found = await rows(
        db_url,
        "SELECT account_id, region, resource_type, status, error_code, error_message, "
        "item_count, skipped_items, detail_errors FROM scan_results WHERE run_id = :r",
        r=run_id,
    )
    return {(a, r, t): rest for a, r, t, *rest in found}


async def test_an_item_returned_without_its_arn_is_not_marked_deleted(db_url: str) -> None:
    first_server = await started(scenario())
    try:
        first = await collect(first_server, db_url)
    finally:
        await first_server.stop()
    assert first.exit_code == 0
    lbs = await live_arns(db_url, LB)
    assert len(lbs) == 3 * 2  # management and member account, 3 each
    # The same world, but one load balancer per collection comes back without its ARN.
    second_server = await started(scenario(faults=Faults(malformed_items={LB: 1})))
    try:
        second = await collect(second_server, db_url)
        readable = len(second_server.world.resource_ids(MEMBER, REGION, LB))
    finally:
        await second_server.stop()
    assert readable == 2  # the fake really sent one without its ARN
    assert second.exit_code == 0 and second.deleted == 0
    assert await live_arns(db_url, LB) == lbs  # the unreadable one is still there
    rows_lb = {k: v for k, v in (await ledger(db_url, second.run_id)).items() if k[2] == LB}
    assert len(rows_lb) == 2
    for status, code, message, items, skipped, detail_errors in rows_lb.values():
        assert (status, code, items, skipped, detail_errors) == ("ok", "MalformedItems", 2, 1, 0)
        assert "nothing of this pair is marked deleted" in message and "without ARN" in message


async def test_pairs_without_dropped_items_still_delete(fake: FakeAWS, db_url: str) -> None:
    """The control: the malformed-item rule does not stop ordinary deletions."""
    first = await collect(fake, db_url)
    assert first.exit_code == 0
    queues = await live_arns(db_url, QUEUE)
    member_queue = sorted(a for a in queues if f":{MEMBER}:" in a)[0]
    engine = make_engine(db_url)
    try:  # a resource the store knows but AWS no longer lists
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO resources SELECT :arn, account_id, region, scope_region, "
                    "service, resource_type, 'ghost', name, tags, created_at, raw, digest, "
                    "first_seen_at, last_seen_at, deleted_at, first_seen_run_id, "
                    "last_seen_run_id FROM resources WHERE arn = :old"
                ),
                {"arn": member_queue + "-ghost", "old": member_queue},
            )
    finally:
        await engine.dispose()
    second = await collect(fake, db_url)
    assert (second.exit_code, second.deleted) == (0, 1)
    assert await live_arns(db_url, QUEUE) == queues


async def test_one_denied_detail_call_costs_only_that_items_details(
    fake: FakeAWS, db_url: str
) -> None:
    first = await collect(fake, db_url)
    assert first.exit_code == 0
    buckets = await rows(
        db_url,
        "SELECT arn, resource_id, tags, digest FROM resources WHERE resource_type = :t "
        "AND account_id = :a ORDER BY arn",
        t=BUCKET,
        a=MEMBER,
    )
    assert len(buckets) == 3
    arn, name, tags, _ = buckets[1]
    tags = as_dict(tags)
    assert tags  # the fake tags every bucket: keeping them is observable
    fake.scenario.faults.access_denied.append(
        AccessRule(MEMBER, "s3", operation="GetBucketTagging", resource=name)
    )
    second = await collect(fake, db_url)
    assert second.exit_code == 0 and second.deleted == 0 and second.modified == 0
    status, code, message, items, skipped, detail_errors = (await ledger(db_url, second.run_id))[
        (MEMBER, "global", BUCKET)
    ]
    assert (status, code, items, skipped, detail_errors) == ("ok", "AccessDenied", 3, 0, 1)
    assert f"GetBucketTagging for {name}" in message or f"get_bucket_tagging for {name}" in message
    after = await rows(
        db_url,
        "SELECT arn, resource_id, tags, digest FROM resources WHERE resource_type = :t "
        "AND account_id = :a AND deleted_at IS NULL ORDER BY arn",
        t=BUCKET,
        a=MEMBER,
    )
    assert [(a, n, d) for a, n, _, d in after] == [(a, n, d) for a, n, _, d in buckets]
    assert as_dict(after[1][2]) == tags
    tag_rows = await rows(db_url, "SELECT count(*) FROM resource_tags WHERE arn = :a", a=arn)
    assert tag_rows == [(len(tags),)]


async def test_an_unexpected_exception_fails_one_pair_and_the_run_goes_on(
    fake: FakeAWS, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = fetch.normalize
    huge = "<Error>" + "x" * 300_000 + "</Error>"

    def broken(rtype: Any, scope: Any, item: Any, *args: Any) -> Any:
        if rtype.resource_type == QUEUE and scope.account_id == MEMBER:
            raise ValueError(huge)
        return real(rtype, scope, item, *args)

    monkeypatch.setattr(fetch, "normalize", broken)
    summary = await collect(fake, sqlite_url)
    assert (summary.status, summary.exit_code, summary.scopes_error) == ("partial", 1, 1)
    found = await ledger(sqlite_url, summary.run_id)
    bad = {k: v for k, v in found.items() if v[0] != "ok"}
    assert list(bad) == [(MEMBER, REGION, QUEUE)]
    status, code, message, *_ = bad[(MEMBER, REGION, QUEUE)]
    assert (status, code) == ("error", "ValueError")
    assert 100 < len(message) <= 2048 and message.endswith("characters cut]")
    # Every other pair listed everything.
    assert len(found) == 2 * len(TYPES)
    assert len(await live_arns(sqlite_url, LB)) == 6
    assert len(await live_arns(sqlite_url, QUEUE)) == 3  # the management account's


@pytest.mark.parametrize(
    "value", [1e20, 10**30, "99999999999999999999", float("inf"), float("nan"), -1e20]
)
def test_out_of_range_epochs_are_unknown_times(value: Any) -> None:
    assert to_utc(value) is None


async def test_an_unexpected_exception_entering_an_account_fails_that_account_only(
    fake: FakeAWS, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collector.engine import account as collect_module

    real = collect_module.account_regions

    async def broken(sessions: Any, account_id: str, *args: Any) -> Any:
        if account_id == MEMBER:
            raise KeyError("Regions")  # an answer of a shape nobody expected
        return await real(sessions, account_id, *args)

    monkeypatch.setattr(collect_module, "account_regions", broken)
    summary = await collect(fake, sqlite_url)
    assert (summary.status, summary.exit_code) == ("partial", 1)
    found = await ledger(sqlite_url, summary.run_id)
    assert tuple(found[(MEMBER, "*", "*")][:2]) == ("error", "KeyError")
    others = {k: v[0] for k, v in found.items() if k[0] != MEMBER}
    assert len(others) == len(TYPES) and set(others.values()) == {"ok"}
