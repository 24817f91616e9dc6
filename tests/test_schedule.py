"""The job scheduler: lanes per throttle key, long poles first, batches, children after parents.

The scheduler is driven with real asyncio jobs that record when they start and end (order,
never wall time); the children-after-parents path runs end to end against moto.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import boto3
import pytest

from collector.config import parse
from collector.engine.account import inherited
from collector.engine.fetch import Job
from collector.engine.schedule import Scheduler
from collector.records import GLOBAL_REGION, ScanResult, Scope, Status
from collector.registry import REGISTRY
from collector.run.collect import Collector

EC2 = [t for t in REGISTRY.values() if t.service == "ec2" and not t.details and not t.parent]
IAM = [t for t in REGISTRY.values() if t.service == "iam" and t.details]


def jobs_of(account: str, region: str, types: Sequence[object]) -> list[Job]:
    return [Job(Scope(account, region), t) for t in types]  # type: ignore[arg-type]


class Recorder:
    """A run function: records starts, the peak per key and overall, and can add children."""

    def __init__(self, follow: dict[str, list[Job]] | None = None, fail: str | None = None):
        self.started: list[Job] = []
        self.running: dict[tuple[str, str, str], int] = {}
        self.peak_key: dict[tuple[str, str, str], int] = {}
        self.total = 0
        self.peak = 0
        self.follow = follow or {}
        self.fail = fail
        self.release = asyncio.Event()

    async def __call__(self, job: Job) -> Sequence[Job]:
        key = (job.scope.account_id, job.client_region, job.rtype.service)
        self.started.append(job)
        self.running[key] = self.running.get(key, 0) + 1
        self.peak_key[key] = max(self.peak_key.get(key, 0), self.running[key])
        self.total += 1
        self.peak = max(self.peak, self.total)
        try:
            for _ in range(3):
                await asyncio.sleep(0)
            if job.rtype.resource_type == self.fail:
                raise RuntimeError("store is gone")
            return self.follow.pop(job.rtype.resource_type, [])
        finally:
            self.running[key] -= 1
            self.total -= 1


def scheduler(
    limit: int, idle: list[tuple[str, str]] | None = None, rate: float = 10.0
) -> Scheduler:
    return Scheduler(
        limit=limit,
        rate_of=lambda service: rate,
        on_group_idle=(lambda r, s: idle.append((r, s))) if idle is not None else None,
    )


def test_lanes_and_the_global_limit_hold() -> None:
    async def go() -> Recorder:
        run = Recorder()
        sched = scheduler(limit=5)
        jobs = [j for a in ("1", "2", "3") for j in jobs_of(a * 12, "us-east-1", EC2)]
        await sched.run_batch(jobs, run)
        assert len(run.started) == len(jobs)
        assert sched.lane("ec2") == 2
        return run

    run = asyncio.run(go())
    assert run.peak == 5  # three keys could run six
    assert max(run.peak_key.values()) == 2


def test_the_long_pole_starts_first() -> None:
    """IAM types with per-item details (the rate-limited long pole) start before the many
    quick EC2 listings submitted with them."""

    async def go() -> list[Job]:
        run = Recorder()
        jobs = jobs_of("111111111111", "us-east-1", EC2) + jobs_of(
            "111111111111", GLOBAL_REGION, IAM
        )
        await scheduler(limit=2).run_batch(jobs, run)
        return run.started

    started = asyncio.run(go())
    assert {j.rtype.service for j in started[:2]} == {"iam"}
    assert len(started) == len(EC2) + len(IAM)


def test_batches_interleave_and_fail_alone() -> None:
    async def go() -> tuple[BaseException | None, int, Recorder]:
        sched = scheduler(limit=4)
        good = Recorder()
        bad = Recorder(fail=EC2[0].resource_type)
        a = sched.run_batch(jobs_of("111111111111", "us-east-1", EC2), good)
        b = sched.run_batch(jobs_of("222222222222", "us-east-1", EC2), bad)
        results = await asyncio.gather(a, b, return_exceptions=True)
        assert results[0] is None
        err = results[1]
        return err if isinstance(err, BaseException) else None, len(good.started), bad

    err, good_started, bad = asyncio.run(go())
    assert isinstance(err, RuntimeError)
    assert good_started == len(EC2)
    assert len(bad.started) < len(EC2)  # the rest of the failed batch never ran


def test_children_run_in_the_batch_and_groups_go_idle_once() -> None:
    topic, sub = REGISTRY["AWS::SNS::Topic"], REGISTRY["AWS::SNS::Subscription"]
    scope = Scope("111111111111", "us-east-1")
    child = Job(scope, sub, ({"TopicArn": "arn:aws:sns:us-east-1:111111111111:t"},))

    async def go() -> tuple[Recorder, list[tuple[str, str]]]:
        idle: list[tuple[str, str]] = []
        run = Recorder(follow={topic.resource_type: [child]})
        await scheduler(limit=4, idle=idle).run_batch([Job(scope, topic)], run)
        return run, idle

    run, idle = asyncio.run(go())
    assert [j.rtype.resource_type for j in run.started] == [topic.resource_type, sub.resource_type]
    assert idle == [("us-east-1", "sns")]


def test_a_child_inherits_its_parents_failure() -> None:
    org = REGISTRY["AWS::Organizations::OrganizationalUnit"]
    sub = REGISTRY["AWS::SNS::Subscription"]
    base = ScanResult("111111111111", "us-east-1", "AWS::SNS::Topic", "sns", Status.ERROR,
                      error_code="AuthorizationError", error_message="denied", api_calls=1)  # fmt: skip
    denied = inherited(base, sub)
    assert (denied.status, denied.error_code, denied.resource_type, denied.api_calls) == (
        Status.ERROR, "AuthorizationError", "AWS::SNS::Subscription", 0)  # fmt: skip
    absent = ScanResult("111111111111", "us-east-1", "AWS::SNS::Topic", "sns", Status.SKIPPED,
                        error_code="ServiceNotInRegion", error_message="no sns")  # fmt: skip
    assert inherited(absent, sub).status is Status.SKIPPED
    # Outside the management account Organizations refuses: a skip code of the child too.
    not_mgmt = ScanResult("111111111111", GLOBAL_REGION, "AWS::Organizations::Root",
                          "organizations", Status.SKIPPED, error_code=org.skip_codes[0])  # fmt: skip
    assert inherited(not_mgmt, org).status is Status.SKIPPED


@pytest.fixture
def topics(moto: str) -> dict[str, int]:
    """Three topics with 0, 1 and 2 subscriptions, made in moto."""
    sns = boto3.client("sns", region_name="us-east-1", endpoint_url=moto)
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=moto)
    made: dict[str, int] = {}
    for n in range(3):
        arn = sns.create_topic(Name=f"t{n}")["TopicArn"]
        made[arn] = n
        for k in range(n):
            url = sqs.create_queue(QueueName=f"q{n}{k}")["QueueUrl"]
            qarn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
            sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn["Attributes"]["QueueArn"])
    return made


def test_children_reuse_the_parents_listed_in_the_run(
    moto: str, topics: dict[str, int], tmp_path: Path
) -> None:
    """Subscriptions are listed once per topic, from the topics the Topic job listed: the
    Subscription ledger row counts one ListSubscriptionsByTopic per topic and no ListTopics."""
    cfg = parse({
        "aws": {"endpoint_url": moto},
        "regions": {"include": ["us-east-1"]},
        "resources": {"include": ["AWS::SNS::Topic", "AWS::SNS::Subscription"]},
    })  # fmt: skip
    db = tmp_path / "inv.db"
    summary = asyncio.run(Collector(cfg, f"sqlite:///{db}").run())
    assert summary.scopes_error == 0
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute(
            "SELECT resource_type, api_calls FROM scan_results WHERE region = 'us-east-1'"
        ).fetchall())  # fmt: skip
        subs = conn.execute(
            "SELECT count(*) FROM resources WHERE resource_type = 'AWS::SNS::Subscription'"
        ).fetchone()[0]
    assert subs == sum(topics.values())
    assert rows["AWS::SNS::Subscription"] == len(topics)


def test_children_run_where_their_parent_ran() -> None:
    """One job at a time: a topic's subscriptions run right after the topic, not behind the
    EC2 listings of later regions queued before the topic finished."""
    topic, sub = REGISTRY["AWS::SNS::Topic"], REGISTRY["AWS::SNS::Subscription"]
    scope = Scope("111111111111", "ap-south-1")
    child = Job(scope, sub, ({"TopicArn": "arn:aws:sns:ap-south-1:111111111111:t"},))

    async def go() -> list[Job]:
        run = Recorder(follow={topic.resource_type: [child]})
        later = jobs_of("111111111111", "us-west-2", EC2)
        # At this rate no key has a second of work: every key ranks the same, order decides.
        await scheduler(limit=1, rate=1000.0).run_batch([Job(scope, topic), *later], run)
        return run.started

    started = asyncio.run(go())
    assert [j.rtype.resource_type for j in started[:2]] == [
        topic.resource_type, sub.resource_type]  # fmt: skip
