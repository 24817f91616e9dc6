"""An account's global types start once it is entered, while its regions are asked for.

IAM, each account's long pole (one throttle key at 10 calls/s), used to wait for DescribeRegions,
itself held up in the event loop behind the jobs other accounts were starting meanwhile. The
order is read from the ledger's own start and end times; the inventory is checked against the
fake's world.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakeaws import AccessRule, FakeAWS, Faults, Scenario
from collector.config import parse
from collector.engine.plan import RunSummary
from collector.run.collect import Collector

MEMBER = "200000000001"
REGIONS = ["us-east-1", "eu-west-1"]
TYPES = ["AWS::IAM::User", "AWS::IAM::Role", "AWS::SQS::Queue"]
ITEMS = {"AWS::IAM::User": 4, "AWS::IAM::Role": 6, "AWS::SQS::Queue": 3}


def _scenario(**kw: Any) -> Scenario:
    return Scenario.simple(members=1, regions=REGIONS, not_opted_in_regions=[],
                           items=dict(ITEMS), **kw)  # fmt: skip


@pytest.fixture
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeAWS]:
    async with FakeAWS(request.param) as server:
        yield server


async def _collect(fake: FakeAWS, db: Path) -> RunSummary:
    config = parse({
        "aws": {"endpoint_url": fake.url, "region": "us-east-1", "max_attempts": 2},
        "accounts": {"source": "organizations"},
        "regions": {"include": ["enabled"]},  # DescribeRegions in every account
        "resources": {"include": TYPES},
        "throttle": {"default_rate": 500},
    })  # fmt: skip
    return await Collector(config, f"sqlite:///{db}").run()


def _ledger(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT account_id, region, resource_type, status, error_code, started_at,"
            " finished_at FROM scan_results"
        ).fetchall()


def _stored(db: Path, account: str) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    with sqlite3.connect(db) as conn:
        for region, rtype, rid in conn.execute(
            "SELECT scope_region, resource_type, resource_id FROM resources"
            " WHERE account_id = ? AND deleted_at IS NULL", (account,),
        ):  # fmt: skip
            out.setdefault((region, rtype), set()).add(rid)
    return out


def _world(fake: FakeAWS, account: str, regional: bool = True) -> dict[tuple[str, str], set[str]]:
    out = {
        ("global", t): set(fake.world.resource_ids(account, "global", t))
        for t in ("AWS::IAM::User", "AWS::IAM::Role")
    }
    if regional:
        for region in REGIONS:
            out[(region, "AWS::SQS::Queue")] = set(
                fake.world.resource_ids(account, region, "AWS::SQS::Queue")
            )
    return out


async def _collect_with_keys(
    fake: FakeAWS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Path]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    db = tmp_path / "inv.db"
    return await _collect(fake, db), db


SLOW_REGIONS = _scenario(service_latency_ms={"ec2": 1500.0})


@pytest.mark.parametrize("fake", [SLOW_REGIONS], indirect=True)
async def test_global_types_do_not_wait_for_the_accounts_regions(
    fake: FakeAWS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary, db = await _collect_with_keys(fake, tmp_path, monkeypatch)
    assert summary.exit_code == 0, summary.errors
    rows = _ledger(db)
    for account in (fake.scenario.management.id, MEMBER):
        mine = [r for r in rows if r[0] == account]
        iam_done = max(datetime.fromisoformat(r[6]) for r in mine if r[1] == "global")
        regional_start = min(datetime.fromisoformat(r[5]) for r in mine if r[1] != "global")
        # DescribeRegions takes 1.5 s here; IAM is listed within it.
        assert iam_done < regional_start, (account, iam_done, regional_start)
        assert _stored(db, account) == _world(fake, account)


DENIED_REGIONS = _scenario(
    faults=Faults(access_denied=[AccessRule(MEMBER, "ec2", operation="DescribeRegions")])
)


@pytest.mark.parametrize("fake", [DENIED_REGIONS], indirect=True)
async def test_an_account_without_its_regions_keeps_its_global_types(
    fake: FakeAWS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary, db = await _collect_with_keys(fake, tmp_path, monkeypatch)
    assert summary.exit_code == 1
    failed = [r[:5] for r in _ledger(db) if r[3] != "ok"]
    assert failed == [(MEMBER, "*", "*", "error", "UnauthorizedOperation")]
    assert _stored(db, MEMBER) == _world(fake, MEMBER, regional=False)
    management = fake.scenario.management.id
    assert _stored(db, management) == _world(fake, management)
    # The '*' row never deletes anything: a second run with the regions back sees all again.
    fake.scenario.faults.access_denied.clear()
    again = await _collect(fake, db)
    assert again.exit_code == 0 and again.deleted == 0
    assert _stored(db, MEMBER) == _world(fake, MEMBER)
