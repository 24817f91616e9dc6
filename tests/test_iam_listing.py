"""IAM users, roles and groups from GetAccountAuthorizationDetails (GAAD): a few calls a scope,
whatever the number of principals, and the `member_of` edges from the groups' own ARNs.

The engine runs the registry's declarations on a stub client (tests/test_fetch_children.py);
the expected ARNs are the ones the stub's groups carry (paths included), never built here with
the collector's templates. tests/test_collect_moto.py and tests/test_links_moto.py check the
same declarations against moto, and the paging against the fake endpoint is checked below.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiobotocore.session
import pytest
from sqlalchemy import text

from benchmarks.fakeaws import FakeAWS, Scenario
from collector.config import parse
from collector.records import Edge, Status, Unread
from collector.registry import REGISTRY
from collector.run.collect import Collector
from collector.store import make_engine
from tests.test_fetch_children import error, run

GROUPS = {
    # A path in the ARN: what a guess with path "/" would get wrong.
    "admins": "arn:aws:iam::123456789012:group/ops/admins",
    "dev": "arn:aws:iam::123456789012:group/dev",
}
POLICY = "arn:aws:iam::123456789012:policy/boundary/read"


def _user(name: str, groups: list[str]) -> dict[str, Any]:
    return {
        "Path": "/", "UserName": name, "UserId": f"AIDA{name.upper()}",
        "Arn": f"arn:aws:iam::123456789012:user/{name}", "CreateDate": "2024-01-02T03:04:05Z",
        "GroupList": groups, "Tags": [{"Key": "owner", "Value": name}],
        "AttachedManagedPolicies": [{"PolicyName": "read", "PolicyArn": POLICY}],
        "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": {"Version": "2012-10-17"}}],
    }  # fmt: skip


def _account(list_users_denied: bool = False) -> Any:
    users = [_user(f"u{i}", ["admins", "dev"] if i % 2 else []) for i in range(40)]
    users.append(_user("late", ["admins", "new-group"]))  # its group came after the listing

    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_users":
            if list_users_denied:
                return error("AccessDenied")
            return {"Users": [{"UserName": u["UserName"], "PasswordLastUsed": "2024-05-06T00:00:00Z"}
                              for u in users]}  # fmt: skip
        assert operation == "get_account_authorization_details", operation
        # One listing of users, roles and groups, whichever of them the job keeps.
        assert params["Filter"] == ["User", "Role", "Group"], params
        return {
            "UserDetailList": users,
            "GroupDetailList": [{"GroupName": n, "Arn": a} for n, a in GROUPS.items()],
            "RoleDetailList": [],
        }

    return answer


async def test_users_come_with_groups_tags_and_policies_in_two_calls() -> None:
    result, records, client = await run(REGISTRY["AWS::IAM::User"], _account())
    assert (result.status, result.item_count) == (Status.OK, 41)
    # One call a listing (GAAD for the users and their groups' ARNs, ListUsers), not three a
    # user: the job's own listing and its groups' listing are the same calls, made once.
    assert sorted(op for op, _ in client.calls) == [
        "get_account_authorization_details", "list_users",
    ]  # fmt: skip
    by_id = {r.resource_id: r for r in records}
    member = by_id["u1"]
    assert member.tags == {"owner": "u1"}
    assert member.raw["PasswordLastUsed"] == "2024-05-06T00:00:00Z"  # merged from ListUsers
    assert member.raw["UserPolicyList"][0]["PolicyDocument"] == {"Version": "2012-10-17"}
    assert set(member.links) == {
        Edge("member_of", GROUPS["admins"], "AWS::IAM::Group"),
        Edge("member_of", GROUPS["dev"], "AWS::IAM::Group"),
        Edge("has_policy", POLICY, "AWS::IAM::ManagedPolicy"),
    }
    assert {e.kind for e in by_id["u0"].links} == {"has_policy"}  # in no group: none, known
    assert by_id["u0"].unread is None
    # A group name the groups' listing lacks: its memberships are unknown, never guessed.
    late = by_id["late"]
    assert late.unread == Unread(keys=frozenset({"GroupArns"}))
    assert not [e for e in late.links if e.kind == "member_of"]
    assert result.detail_errors == 1 and result.error_code == "NotInListing"


async def test_a_denied_joined_listing_leaves_its_fields_unread_only() -> None:
    result, records, _ = await run(REGISTRY["AWS::IAM::User"], _account(list_users_denied=True))
    # 41 users without ListUsers' fields, and "late"'s group missing from the groups
    assert (result.status, result.item_count, result.detail_errors) == (Status.OK, 41, 42)
    for record in records:
        assert record.unread is not None and record.unread.merged
        assert "PasswordLastUsed" not in record.raw
        assert record.tags == {"owner": record.resource_id}
    assert {e.target_arn for e in next(r for r in records if r.resource_id == "u1").links} == {
        GROUPS["admins"], GROUPS["dev"], POLICY,
    }  # fmt: skip


USERS, ROLES = 25, 12


@pytest.fixture(scope="module")
async def fake() -> AsyncIterator[FakeAWS]:
    scenario = Scenario.simple(
        members=0, regions=["us-east-1"], not_opted_in_regions=[],
        items={"AWS::IAM::User": USERS, "AWS::IAM::Role": ROLES, "AWS::IAM::Group": 3},
        page_size={"GetAccountAuthorizationDetails": 10},
    )  # fmt: skip
    async with FakeAWS(scenario) as server:
        yield server


async def _old_answers(fake: FakeAWS) -> dict[str, dict[str, str]]:
    """ARN -> tags as the fake's ListUsers/ListRoles and tag calls serve them."""
    session = aiobotocore.session.get_session()
    out: dict[str, dict[str, str]] = {}
    async with session.create_client(
        "iam", region_name="us-east-1", endpoint_url=fake.url,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    ) as iam:  # fmt: skip
        for user in (await iam.list_users())["Users"]:
            tags = (await iam.list_user_tags(UserName=user["UserName"]))["Tags"]
            out[user["Arn"]] = {t["Key"]: t["Value"] for t in tags}
        for role in (await iam.list_roles())["Roles"]:
            tags = (await iam.list_role_tags(RoleName=role["RoleName"]))["Tags"]
            out[role["Arn"]] = {t["Key"]: t["Value"] for t in tags}
    return out


async def test_the_fake_pages_gaad_and_agrees_with_the_old_calls(
    fake: FakeAWS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    expected = await _old_answers(fake)
    fake.reset()
    config = parse({
        "aws": {"endpoint_url": fake.url, "region": "us-east-1", "max_attempts": 2},
        "accounts": {"source": "organizations"},
        "regions": {"include": ["us-east-1"]},
        "resources": {"include": ["AWS::IAM::Role", "AWS::IAM::User"]},
        "throttle": {"default_rate": 500},
    })  # fmt: skip
    db = f"sqlite:///{tmp_path / 'iam.db'}"
    summary = await Collector(config, db, processes=1).run()
    assert summary.exit_code == 0, summary.errors
    gaad = fake.stats.calls(service="iam", operation="GetAccountAuthorizationDetails")
    # 25 users, 12 roles and 3 groups in 4 pages of 10, read once for the users, the roles
    # and the users' groups (before: users in 3 pages, roles in 2, groups in 1).
    assert gaad == 4
    assert fake.stats.calls(service="iam") == gaad + 2  # + ListUsers, ListRoles: one page each
    engine = make_engine(db)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT arn, tags FROM resources"))).all()
    finally:
        await engine.dispose()
    assert {a: (json.loads(t) if isinstance(t, str) else t) for a, t in rows} == expected
