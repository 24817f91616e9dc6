"""History across runs against moto: deleted, untouched when a scope fails, live again."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from collector.config import parse
from collector.demo.seed import Manifest, member_session, seed_organization
from collector.run.collect import Collector

REGION = "us-east-1"
TYPES = ["AWS::SQS::Queue", "AWS::S3::Bucket", "AWS::EC2::Volume"]


def run(url: str, db: str, accounts: dict[str, Any]) -> Any:
    cfg = parse(
        {
            "aws": {"endpoint_url": url},
            "accounts": accounts,
            "regions": {"include": [REGION]},
            "resources": {"include": TYPES},
        }
    )
    return asyncio.run(Collector(cfg, db).run())


def q(db_file: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def org(moto: str) -> Manifest:
    return seed_organization(moto, members=1, regions=[REGION], per_type=1)


def test_delete_fail_and_reappear(moto: str, org: Manifest, tmp_path: Path) -> None:
    db_file = tmp_path / "inv.db"
    db = f"sqlite:///{db_file}"
    member = org.member_account_ids[0]
    first = run(moto, db, {"source": "organizations"})
    assert first.exit_code == 0
    [queue] = [r for r in org.of_type("AWS::SQS::Queue") if r.account_id == member]
    [bucket] = [r for r in org.of_type("AWS::S3::Bucket") if r.account_id == member]

    # Run 2: a queue and a bucket are gone in the member account.
    session = member_session(moto, member, REGION)
    sqs = session.client("sqs", endpoint_url=moto)
    queue_url = sqs.get_queue_url(QueueName=queue.resource_id)["QueueUrl"]
    sqs.delete_queue(QueueUrl=queue_url)
    s3 = session.client("s3", endpoint_url=moto)
    s3.delete_bucket(Bucket=bucket.resource_id)
    second = run(moto, db, {"source": "organizations"})
    assert (second.exit_code, second.deleted, second.created) == (0, 2, 0)
    deleted = q(db_file, "SELECT arn FROM resources WHERE deleted_at IS NOT NULL")
    assert sorted(a for (a,) in deleted) == sorted([queue.arn, bucket.arn])
    changes = q(
        db_file,
        "SELECT arn, change FROM resource_changes WHERE run_id = ? ORDER BY arn",
        second.run_id,
    )
    assert changes == sorted([(queue.arn, "deleted"), (bucket.arn, "deleted")])

    # Run 3: the member account cannot be reached: its rows stay exactly as they were.
    before = q(db_file, "SELECT * FROM resources WHERE account_id = ? ORDER BY arn", member)
    sqs.create_queue(QueueName=queue.resource_id)  # comes back, but we cannot see it
    third = run(
        moto,
        db,
        {
            "source": "list",
            "list": [org.management_account_id, {"id": member, "profile": "no-such-profile"}],
        },
    )
    assert third.exit_code == 1 and third.scopes_error == 1 and third.deleted == 0
    assert q(db_file, "SELECT * FROM resources WHERE account_id = ? ORDER BY arn", member) == before
    ledger = q(
        db_file,
        "SELECT account_id, region, resource_type, status, error_code FROM scan_results "
        "WHERE run_id = ? AND status != 'ok'",
        third.run_id,
    )
    assert ledger == [(member, "*", "*", "error", "ProfileNotFound")]
    assert q(db_file, "SELECT status FROM runs WHERE id = ?", third.run_id) == [("partial",)]

    # Run 4: reachable again; the queue is live again with the same ARN.
    fourth = run(moto, db, {"source": "organizations"})
    assert fourth.exit_code == 0
    assert q(db_file, "SELECT deleted_at FROM resources WHERE arn = ?", queue.arn) == [(None,)]
    assert q(
        db_file,
        "SELECT change, detail FROM resource_changes WHERE run_id = ? AND arn = ?",
        fourth.run_id,
        queue.arn,
    ) == [("created", "reappeared")]
    assert q(db_file, "SELECT deleted_at IS NOT NULL FROM resources WHERE arn = ?", bucket.arn) == [
        (1,)
    ]


def test_skipped_when_service_not_in_region(moto: str, tmp_path: Path) -> None:
    # botocore's endpoint data has no EC2 in this made-up region name, so we never call it.
    from collector.aws.sessions import Sessions
    from collector.aws.throttle import Throttles
    from collector.engine.fetch import Fetcher, Job
    from collector.records import Scope, Status
    from collector.registry import REGISTRY

    cfg = parse({"aws": {"endpoint_url": moto}})

    async def go() -> Any:
        sessions = Sessions(cfg.aws, session_name="t", max_pool_connections=4)

        async def sink(_: Any) -> None:
            raise AssertionError("nothing should be fetched")

        fetcher = Fetcher(
            sessions, Throttles(cfg.throttle), max_concurrency=4, detail_concurrency=2, sink=sink
        )
        try:
            return await fetcher.run(
                Job(Scope("123456789012", "xx-nowhere-1"), REGISTRY["AWS::EC2::VPC"])
            )
        finally:
            await sessions.close()

    result = asyncio.run(go())
    assert (result.status, result.error_code, result.api_calls) == (
        Status.SKIPPED,
        "ServiceNotInRegion",
        0,
    )
