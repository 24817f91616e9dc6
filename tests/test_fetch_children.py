"""The engine's child types, batch details, manual paging and skip codes, on a stub client."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botocore.exceptions import ClientError

from collector.aws.throttle import Throttles
from collector.config import ThrottleConfig
from collector.engine.fetch import Fetcher, Job
from collector.records import Record, Scope, Status
from collector.registry import BatchDetail, Detail, ResourceType

SCOPE = Scope("111122223333", "us-east-1")


def error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "Op")


class StubClient:
    """Answers `operation(**params)` from a function; tracks calls in flight."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.in_flight = 0
        self.peak = 0

    def can_paginate(self, operation: str) -> bool:
        return False

    def __getattr__(self, operation: str) -> Any:
        async def call(**params: Any) -> Any:
            self.calls.append((operation, params))
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            try:
                await asyncio.sleep(0.001)
                result = self.answer(operation, params)
                if isinstance(result, Exception):
                    raise result
                return result
            finally:
                self.in_flight -= 1

        return call


class StubSessions:
    def __init__(self, client: StubClient) -> None:
        self._client = client

    def available_regions(self, service: str) -> frozenset[str]:
        return frozenset({"us-east-1"})

    async def client(self, account_id: str, region: str, service: str) -> StubClient:
        return self._client


PARENT = ResourceType(
    "AWS::Test::Parent", "ecs", "list_parents", "parents[]", id="id", arn="arn",
    next_token="token",
)  # fmt: skip
CHILD = ResourceType(
    "AWS::Test::Child", "ecs", "list_children", "children[]", id="id",
    arn_template="arn:{partition}:test:{region}:{account}:child/{parent}/{id}",
    parent="AWS::Test::Parent", parent_params={"parent": "id"},
    parent_absent_codes=("ParentGone",),
)  # fmt: skip
TYPES = {t.resource_type: t for t in (PARENT, CHILD)}


async def run(rtype: ResourceType, answer: Any, detail_concurrency: int = 4) -> tuple[Any, list[Record], StubClient]:
    client = StubClient(answer)
    records: list[Record] = []

    async def sink(record: Record) -> None:
        records.append(record)

    fetcher = Fetcher(
        StubSessions(client),  # type: ignore[arg-type]
        Throttles(ThrottleConfig(default_rate=10_000, rates={})),
        max_concurrency=50,
        detail_concurrency=detail_concurrency,
        sink=sink,
        types=TYPES,
    )
    return await fetcher.run(Job(SCOPE, rtype)), records, client


def parents_and_children(operation: str, params: dict[str, Any]) -> Any:
    if operation == "list_parents":
        # Two pages through the manual token.
        if params.get("token") is None:
            return {"parents": [{"id": f"p{i}", "arn": f"arn:p{i}"} for i in range(5)], "token": "t"}
        return {"parents": [{"id": "p5", "arn": "arn:p5"}, {"id": "gone", "arn": "arn:gone"}]}
    if params["parent"] == "gone":
        return error("ParentGone")
    return {"children": [{"id": f"{params['parent']}-c{j}"} for j in range(2)]}


async def test_children_are_listed_per_parent_with_the_parents_identity() -> None:
    result, records, client = await run(CHILD, parents_and_children, detail_concurrency=2)
    assert result.status is Status.OK and result.resource_type == "AWS::Test::Child"
    assert result.item_count == 12
    assert {r.arn for r in records} == {
        f"arn:aws:test:us-east-1:111122223333:child/p{i}/p{i}-c{j}" for i in range(6) for j in range(2)
    }
    # The parent's id was merged into each child (that is what the ARN template used).
    assert all(r.raw["parent"] == r.resource_id.split("-")[0] for r in records)
    assert result.api_calls == 2 + 7
    # Child listings run at most detail_concurrency at a time.
    assert client.peak <= 2


@pytest.mark.parametrize("code", ["AccessDenied", "ThrottlingException"])
async def test_a_child_type_fails_when_its_parents_cannot_be_listed(code: str) -> None:
    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_parents":
            return error(code)
        raise AssertionError("no parent, no child listing")

    result, records, _ = await run(CHILD, answer)
    assert (result.status, result.error_code, result.item_count) == (Status.ERROR, code, 0)
    assert records == []


async def test_a_child_listing_error_other_than_parent_gone_fails_the_type() -> None:
    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_parents":
            return {"parents": [{"id": "p0", "arn": "arn:p0"}]}
        return error("AccessDeniedException")

    result, _, _ = await run(CHILD, answer)
    assert (result.status, result.error_code) == (Status.ERROR, "AccessDeniedException")


async def test_recursive_children_walk_the_tree() -> None:
    tree = {"r": ["a", "b"], "a": ["a1"], "a1": ["a11"], "b": [], "a11": []}
    root = ResourceType("AWS::Test::Parent", "ecs", "list_roots", "roots[]", id="Id", arn="Id")
    unit = ResourceType(
        "AWS::Test::Child", "ecs", "list_units", "units[]", id="Id", arn="Id",
        parent="AWS::Test::Parent", parent_params={"ParentId": "Id"}, recursive=True,
    )  # fmt: skip
    TYPES["AWS::Test::Parent"] = root
    try:

        def answer(operation: str, params: dict[str, Any]) -> Any:
            if operation == "list_roots":
                return {"roots": [{"Id": "r"}]}
            return {"units": [{"Id": u} for u in tree[params["ParentId"]]]}

        result, records, _ = await run(unit, answer)
    finally:
        TYPES["AWS::Test::Parent"] = PARENT
    assert result.status is Status.OK
    assert {r.resource_id: r.raw["ParentId"] for r in records} == {
        "a": "r", "b": "r", "a1": "a", "a11": "a1"
    }  # fmt: skip


async def test_batch_detail_matches_answers_and_drops_the_vanished() -> None:
    rtype = ResourceType(
        "AWS::Test::Parent", "ecs", "list_parents", "parents[]", item_key="arn", id="name",
        arn="arn", tags="Tags",
        details=(
            BatchDetail("describe", lambda items: {"arns": [i["arn"] for i in items]}, size=2,
                        result="things", key="arn", item_key="arn", into=None, drop_missing=True),
            BatchDetail("tags", lambda items: {"arns": [i["arn"] for i in items]}, size=3,
                        result="tagged", key="arn", item_key="arn", value="Tags", into="Tags",
                        default=[]),
        ),
    )  # fmt: skip

    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_parents":
            return {"parents": ["a", "b", "gone", "c", "d"]}
        if operation == "describe":
            return {"things": [{"arn": a, "name": a.upper()} for a in params["arns"] if a != "gone"]}
        return {"tagged": [{"arn": "a", "Tags": [{"Key": "k", "Value": "v"}]}]}

    result, records, client = await run(rtype, answer)
    assert result.status is Status.OK and result.item_count == 4
    assert {r.resource_id: r.tags for r in records} == {"A": {"k": "v"}, "B": {}, "C": {}, "D": {}}
    # 5 items in describe batches of 2 (3 calls), 4 survivors in tag batches of 3 (2 calls).
    assert [op for op, _ in client.calls].count("describe") == 3
    assert [op for op, _ in client.calls].count("tags") == 2


async def test_skip_codes_mean_skipped_not_ok() -> None:
    rtype = ResourceType(
        "AWS::Test::Parent", "organizations", "list_accounts", "Accounts[]", id="Id", arn="Arn",
        skip_codes=("AWSOrganizationsNotInUseException",),
    )  # fmt: skip
    result, _, _ = await run(rtype, lambda op, p: error("AWSOrganizationsNotInUseException"))
    assert (result.status, result.error_code) == (Status.SKIPPED, "AWSOrganizationsNotInUseException")
    result, _, _ = await run(rtype, lambda op, p: error("ThrottlingException"))
    assert result.status is Status.ERROR


async def test_skip_errors_tell_a_service_that_is_off_from_a_refusal() -> None:
    rtype = ResourceType(
        "AWS::Test::Parent", "macie2", "list_allow_lists", "allowLists[]", id="id", arn="arn",
        skip_errors=(("AccessDeniedException", "Macie is not enabled"),),
    )  # fmt: skip

    def answer(message: str) -> ClientError:
        return ClientError({"Error": {"Code": "AccessDeniedException", "Message": message}}, "Op")

    result, _, _ = await run(rtype, lambda op, p: answer("Macie is not enabled."))
    assert (result.status, result.error_code) == (Status.SKIPPED, "AccessDeniedException")
    refused = "User: arn:aws:iam::111122223333:user/x is not authorized to perform: macie2:List"
    result, _, _ = await run(rtype, lambda op, p: answer(refused))
    assert result.status is Status.ERROR


async def test_where_filters_items_out_without_counting_them_malformed() -> None:
    rtype = ResourceType(
        "AWS::Test::Parent", "ec2", "list_lists", "Lists[]", id="Id", arn="Id",
        where="OwnerId != 'AWS'",
    )  # fmt: skip
    answer = {"Lists": [{"Id": "mine", "OwnerId": "111122223333"}, {"Id": "aws", "OwnerId": "AWS"}]}
    result, records, _ = await run(rtype, lambda op, p: answer)
    assert [r.resource_id for r in records] == ["mine"]
    assert (result.item_count, result.skipped_items) == (1, 0)


async def test_account_param_sends_the_scopes_account_to_list_and_detail_calls() -> None:
    rtype = ResourceType(
        "AWS::Test::Parent", "s3control", "list_points", "Points[]", id="Name", arn="Arn",
        account_param="AccountId", tags="Tags",
        details=(Detail("tags", lambda i: {"ResourceArn": i["Arn"]}, "Tags", into="Tags",
                        account_param="AccountId"),),
    )  # fmt: skip

    def answer(op: str, params: dict[str, Any]) -> Any:
        if op == "list_points":
            return {"Points": [{"Name": "a", "Arn": "arn:a"}]}
        return {"Tags": [{"Key": "k", "Value": params["AccountId"]}]}

    result, records, client = await run(rtype, answer)
    assert result.status is Status.OK
    assert client.calls == [
        ("list_points", {"AccountId": "111122223333"}),
        ("tags", {"ResourceArn": "arn:a", "AccountId": "111122223333"}),
    ]
    assert records[0].tags == {"k": "111122223333"}


async def test_a_token_named_differently_in_request_and_answer_pages_through() -> None:
    rtype = ResourceType(
        "AWS::Test::Parent", "lightsail", "get_things", "things[]", id="name", arn="arn",
        next_token=("pageToken", "nextPageToken"),
    )  # fmt: skip
    pages = {None: ("p2", ["a", "b"]), "p2": ("p3", ["c"]), "p3": (None, ["d"])}

    def answer(op: str, params: dict[str, Any]) -> Any:
        token, names = pages[params.get("pageToken")]
        page: dict[str, Any] = {"things": [{"name": n, "arn": f"arn:{n}"} for n in names]}
        if token:
            page["nextPageToken"] = token
        return page

    result, records, client = await run(rtype, answer)
    assert result.status is Status.OK and result.item_count == 4
    assert [r.resource_id for r in records] == ["a", "b", "c", "d"]
    assert [p.get("pageToken") for _, p in client.calls] == [None, "p2", "p3"]
    # The answer's member name is never sent back as a parameter.
    assert all("nextPageToken" not in p for _, p in client.calls)
