"""One GetAccountAuthorizationDetails (GAAD) listing an account for IAM users, roles, groups and
the users' group memberships (collector.engine.shared), where each read its own before.

The counts come from the server (the fake endpoint counts every request it answers); the data
is checked against what the test seeded (moto) or what the fake's world holds, never against
the collector's own idea of it. The engine's sharing rules are driven on a stub client.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from benchmarks.fakeaws import FakeAWS, Scenario
from collector.aws.throttle import Throttles
from collector.config import ThrottleConfig, parse
from collector.engine.fetch import Fetcher, Job, share
from collector.records import GLOBAL_REGION, Record, ScanResult, Scope, Status
from collector.registry import ListingDetail, ResourceType
from collector.run.collect import Collector
from tests.test_fetch_children import StubClient, StubSessions, error

IAM_TYPES = ["AWS::IAM::User", "AWS::IAM::Role", "AWS::IAM::Group"]
GAAD = "GetAccountAuthorizationDetails"


def _config(url: str, source: str, types: list[str]) -> Any:
    return parse({
        "aws": {"endpoint_url": url, "region": "us-east-1", "max_attempts": 2},
        "accounts": {"source": source},
        "regions": {"include": ["us-east-1"]},
        "resources": {"include": types},
        "throttle": {"default_rate": 500},
    })  # fmt: skip


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


# -- against the fake: calls counted by the server, three accounts -----------------------------

USERS, ROLES, GROUPS, PAGE = 25, 12, 3, 10


@pytest.fixture(scope="module")
async def fake() -> AsyncIterator[FakeAWS]:
    scenario = Scenario.simple(
        members=2, regions=["us-east-1"], not_opted_in_regions=[],
        items={"AWS::IAM::User": USERS, "AWS::IAM::Role": ROLES, "AWS::IAM::Group": GROUPS},
        page_size={GAAD: PAGE, "ListRoles": 5},
    )  # fmt: skip
    async with FakeAWS(scenario) as server:
        yield server


async def test_gaad_is_read_once_an_account_for_users_roles_groups_and_memberships(
    fake: FakeAWS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    fake.reset()
    db = tmp_path / "iam.db"
    summary = await Collector(
        _config(fake.url, "organizations", IAM_TYPES), f"sqlite:///{db}"
    ).run()
    assert summary.exit_code == 0, summary.errors
    accounts = [a.id for a in fake.scenario.accounts]
    assert len(accounts) == 3
    pages = -(-(USERS + ROLES + GROUPS) // PAGE)  # every entity of the account, 10 a page
    for account in accounts:
        # Before: the users' pages, the roles', the groups' and the groups' again (memberships).
        assert fake.stats.calls(account=account, service="iam", operation=GAAD) == pages
        assert fake.stats.calls(account=account, service="iam", operation="ListUsers") == 1
        assert fake.stats.calls(account=account, service="iam", operation="ListRoles") == 3
        for rtype in IAM_TYPES:
            stored = _rows(db, f"SELECT resource_id FROM resources WHERE account_id = '{account}'"
                               f" AND resource_type = '{rtype}'")  # fmt: skip
            assert sorted(r for (r,) in stored) == sorted(
                fake.world.resource_ids(account, "global", rtype)
            ), (account, rtype)
    # Every reading ended ok, with the calls counted once (in the job that made them).
    ledger = _rows(db, "SELECT account_id, resource_type, status, api_calls FROM scan_results")
    assert {(a, t, s) for a, t, s, _ in ledger} == {(a, t, "ok") for a in accounts for t in IAM_TYPES}
    for account in accounts:
        assert sum(n for a, _, _, n in ledger if a == account) == pages + 1 + 3


async def test_one_type_alone_reads_its_listing_once_for_itself_and_its_details(
    fake: FakeAWS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    fake.reset()
    summary = await Collector(
        _config(fake.url, "current", ["AWS::IAM::User"]), f"sqlite:///{tmp_path / 'u.db'}"
    ).run()
    assert summary.exit_code == 0 and summary.resources == USERS
    # The users' listing and their groups' (a listing detail) are the same calls.
    assert fake.stats.calls(service="iam", operation=GAAD) == -(-(USERS + ROLES + GROUPS) // PAGE)


# -- against moto: memberships, paths, policies as seeded -------------------------------------


def _seed(url: str) -> dict[str, Any]:
    iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1")
    trust = json.dumps({"Version": "2012-10-17", "Statement": []})
    policy = iam.create_policy(
        PolicyName="read",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}]}),
    )["Policy"]["Arn"]  # fmt: skip
    groups = {
        name: iam.create_group(GroupName=name, Path=path)["Group"]["Arn"]
        for name, path in (("devs", "/teams/"), ("ops", "/"), ("empty", "/x/y/"))
    }
    members = {"alice": ["devs", "ops"], "bob": ["ops"], "carol": []}
    users = {}
    for name, in_groups in members.items():
        users[name] = iam.create_user(UserName=name, Tags=[{"Key": "who", "Value": name}])[
            "User"
        ]["Arn"]
        for group in in_groups:
            iam.add_user_to_group(GroupName=group, UserName=name)
    iam.attach_user_policy(UserName="bob", PolicyArn=policy)
    roles = {
        name: iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=trust, Description=f"the {name} role"
        )["Role"]["Arn"]
        for name in ("app", "batch")
    }
    iam.attach_role_policy(RoleName="app", PolicyArn=policy)
    edges = {(users[u], "member_of", groups[g]) for u, gs in members.items() for g in gs}
    edges |= {(users["bob"], "has_policy", policy), (roles["app"], "has_policy", policy)}
    return {"groups": groups, "users": users, "roles": roles, "edges": edges}


async def test_shared_gaad_keeps_memberships_paths_and_the_joined_fields(
    moto: str, tmp_path: Path
) -> None:
    seeded = _seed(moto)
    db = tmp_path / "moto.db"
    summary = await Collector(_config(moto, "current", IAM_TYPES), f"sqlite:///{db}").run()
    assert summary.exit_code == 0, summary.errors
    stored = dict(_rows(db, "SELECT arn, resource_type FROM resources"))
    expected = {a: "AWS::IAM::User" for a in seeded["users"].values()}
    expected |= {a: "AWS::IAM::Group" for a in seeded["groups"].values()}
    expected |= {a: "AWS::IAM::Role" for a in seeded["roles"].values()}
    assert {a: t for a, t in stored.items() if a in expected} == expected
    links = set(_rows(db, "SELECT source_arn, kind, target_arn FROM resource_links"))
    assert {e for e in links if e[0] in expected} == seeded["edges"]
    raw = dict(_rows(db, "SELECT arn, raw FROM resources"))
    app = json.loads(raw[seeded["roles"]["app"]])
    assert app["Description"] == "the app role"  # joined from ListRoles
    alice = json.loads(raw[seeded["users"]["alice"]])
    assert sorted(alice["GroupArns"]) == sorted([seeded["groups"]["devs"], seeded["groups"]["ops"]])
    # One GAAD call for the three types and the memberships, one ListUsers, one ListRoles.
    calls = _rows(db, "SELECT resource_type, api_calls FROM scan_results")
    assert sum(n for _, n in calls) == 3, calls


# -- the engine's rules, on a stub client ---------------------------------------------------------

SCOPE = Scope("111122223333", GLOBAL_REGION)
LISTING = {"Filter": ["A", "B"]}
A = ResourceType("AWS::Test::A", "iam", "list_all", "A[]", id="id", arn="arn", global_=True,
                 params=LISTING)  # fmt: skip
B = ResourceType(
    "AWS::Test::B", "iam", "list_all", "B[]", id="id", arn="arn", global_=True, params=LISTING,
    details=(ListingDetail("list_all", LISTING, "A[]", key="id", item_key="a", into="A",
                           value="arn"),),
)  # fmt: skip
ALONE = ResourceType("AWS::Test::Alone", "iam", "list_all", "A[]", id="id", arn="arn",
                     global_=True, params={"Filter": ["A"]})  # fmt: skip


def _answer(fail: bool = False) -> Any:
    def answer(operation: str, params: dict[str, Any]) -> Any:
        assert operation == "list_all"
        if fail:
            return error("AccessDenied")
        if params["Filter"] == ["A"]:
            return {"A": [{"id": "a1", "arn": "arn:a1"}]}
        return {"A": [{"id": "a1", "arn": "arn:a1"}, {"id": "a2", "arn": "arn:a2"}],
                "B": [{"id": "b1", "arn": "arn:b1", "a": "a2"}]}  # fmt: skip

    return answer


async def _run_shared(jobs: list[Job], answer: Any) -> tuple[list[ScanResult], list[Record], StubClient]:
    client = StubClient(answer)
    records: list[Record] = []

    async def sink(record: Record) -> None:
        records.append(record)

    fetcher = Fetcher(
        StubSessions(client),  # type: ignore[arg-type]
        Throttles(ThrottleConfig(default_rate=10_000, rates={})),
        max_concurrency=10, detail_concurrency=4, sink=sink,
    )  # fmt: skip
    shared = share(jobs)
    results = [(await fetcher.run_parent(job, (), shared))[0] for job in jobs]
    shared.close()
    return results, records, client


async def test_jobs_declaring_one_listing_share_it_and_others_do_not() -> None:
    jobs = [Job(SCOPE, A), Job(SCOPE, B), Job(SCOPE, ALONE)]
    results, records, client = await _run_shared(jobs, _answer())
    assert [(r.status, r.item_count) for r in results] == [(Status.OK, 2), (Status.OK, 1), (Status.OK, 1)]
    # A's listing, B's and B's detail: one call; ALONE asks another Filter: its own call.
    assert sorted(p["Filter"] for _, p in client.calls) == [["A"], ["A", "B"]]
    b1 = next(r for r in records if r.resource_id == "b1")
    assert b1.raw["A"] == "arn:a2"
    # Run in turn: the pages were kept for B after A was done with them (A counted the call).
    assert [r.api_calls for r in results] == [1, 0, 1]


async def test_a_failed_shared_listing_fails_every_reader_as_its_own_would() -> None:
    jobs = [Job(SCOPE, A), Job(SCOPE, B)]
    results, records, client = await _run_shared(jobs, _answer(fail=True))
    assert [(r.status, r.error_code) for r in results] == [(Status.ERROR, "AccessDenied")] * 2
    assert len(client.calls) == 1 and records == []


async def test_a_reader_that_never_reads_lets_the_listing_go() -> None:
    shared = share([Job(SCOPE, A), Job(SCOPE, B)])
    assert len(shared) == 1
    shared.done((SCOPE, A.resource_type))
    shared.done((SCOPE, B.resource_type))
    assert len(shared) == 0  # nothing kept for readers that are gone
