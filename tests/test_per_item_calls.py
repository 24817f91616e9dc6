"""Issue 15, the fewest calls: every per-item detail call is explained, checked against botocore's
models where a model can tell (the list answer lacks the value, no call of the service answers
for several items), and every batch call is as large as AWS allows. The batch declarations
themselves run on a stub client here; tests/test_types_moto.py and tests/test_collect_moto.py
compare their tags with moto's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.model import StructureShape

from collector.records import Status
from collector.registry import REGISTRY, BatchDetail, Detail, ResourceType
from collector.registry.per_item import PER_ITEM
from tests.test_fetch_children import error, run
from tests.test_registry import (
    available_members,
    fields_of,
    item_shape,
    model,
    operation,
    result_members,
)

ALL = sorted(REGISTRY.values(), key=lambda t: t.resource_type)
PER_ITEM_DETAILS = [(t, d) for t in ALL for d in t.details if isinstance(d, Detail)]
BATCHES = [(t, d) for t in ALL for d in t.details if isinstance(d, BatchDetail)]

# Batch limits that botocore's models do not state, from the APIs' references.
DOCUMENTED_MAX = {
    # https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DescribeDomains.html
    ("opensearch", "describe_domains"): 5,
    # https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetApplications.html
    # ("The maximum number of application names you can specify is 100.")
    ("codedeploy", "batch_get_applications"): 100,
}
_LIMIT_TEXT = re.compile(r"(?:up to|limit of|this number is|maximum of)\s+(\d+)", re.IGNORECASE)


def _pair_id(pair: tuple[ResourceType, Any]) -> str:
    return f"{pair[0].resource_type}:{pair[1].operation}"


def test_every_per_item_call_says_why_it_has_no_cheaper_form() -> None:
    used = {(t.service, d.operation) for t, d in PER_ITEM_DETAILS}
    assert used - set(PER_ITEM) == set(), "per-item calls without a reason in per_item.PER_ITEM"
    assert set(PER_ITEM) - used == set(), "reasons for calls no type makes any more"


@pytest.mark.parametrize("pair", PER_ITEM_DETAILS, ids=_pair_id)
def test_a_per_item_call_asks_for_what_the_listing_lacks(pair: tuple[ResourceType, Detail]) -> None:
    rtype, detail = pair
    shape = item_shape(rtype)
    if not isinstance(shape, StructureShape):  # bare names or URLs: everything is missing
        return
    if detail.into is None:
        merged = result_members(rtype.service, detail)
        assert merged is None or merged - set(shape.members), "the describe adds nothing"
        return
    if detail.into in shape.members and not detail.skip_if_present:
        # The shape has the member but the API leaves it out (IAM's listings and their tags).
        doc = operation(rtype.service, rtype.operation).documentation
        assert "does not return" in doc and detail.into.lower() in doc.lower(), (
            f"{rtype.operation} already answers {detail.into}: read it inline or skip_if_present"
        )


def _reads_many(service: str, name: str) -> bool:
    op = model(service).operation_model(name)
    shape = op.input_shape
    return shape is not None and any(
        shape.members[m].type_name == "list" for m in shape.required_members
    )


@pytest.mark.parametrize("pair", PER_ITEM_DETAILS, ids=_pair_id)
def test_the_service_has_no_batch_form_of_a_per_item_call(
    pair: tuple[ResourceType, Detail],
) -> None:
    rtype, detail = pair
    names = set(model(rtype.service).operation_names)
    name = operation(rtype.service, detail.operation).name
    if "Tag" in name:
        readers = {n for n in names if "Tag" in n and n.startswith(("List", "Describe", "Get"))}
        batch = {n for n in readers if _reads_many(rtype.service, n)}
    else:
        noun = re.sub(r"^(Describe|Get|List)", "", name)
        plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
        batch = {
            n for n in (f"BatchGet{plural}", f"BatchGet{noun}", f"Describe{plural}",
                        f"BatchDescribe{plural}")
            if n in names and _reads_many(rtype.service, n)
        }  # fmt: skip
    assert not batch, f"{name} has a batch form: declare a BatchDetail"


def _dummy_items(n: int) -> list[dict[str, Any]]:
    class Item(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return f"x-{key}"

    return [Item() for _ in range(n)]


@pytest.mark.parametrize("pair", BATCHES, ids=_pair_id)
def test_a_batch_is_as_large_as_the_call_allows(pair: tuple[ResourceType, BatchDetail]) -> None:
    rtype, detail = pair
    op = operation(rtype.service, detail.operation)
    params = detail.params(_dummy_items(detail.size))
    lists = [k for k, v in params.items() if isinstance(v, list) and len(v) == detail.size]
    assert len(lists) == 1, f"which parameter carries the batch? {params}"
    member = op.input_shape.members[lists[0]]
    maximum = member.metadata.get("max")
    if maximum is None:
        texts = [member.documentation or ""] + [e.documentation or "" for e in op.error_shapes]
        found = [int(m) for t in texts for m in _LIMIT_TEXT.findall(re.sub("<[^>]+>", "", t))]
        maximum = min(found) if found else DOCUMENTED_MAX.get((rtype.service, detail.operation))
    assert maximum is not None, f"no documented limit for {op.name}.{lists[0]}"
    assert detail.size == maximum, f"batches of {detail.size}; {op.name} takes {maximum}"


def _zones(n: int) -> Any:
    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_hosted_zones":
            return {"HostedZones": [{"Id": f"/hostedzone/Z{i}", "Name": f"z{i}."} for i in range(n)]}
        assert operation == "list_tags_for_resources", operation
        assert params["ResourceType"] == "hostedzone" and len(params["ResourceIds"]) <= 10
        return {
            "ResourceTagSets": [
                # Z0 has no tags: Route 53 leaves its Tags out.
                {"ResourceType": "hostedzone", "ResourceId": z}
                | ({"Tags": [{"Key": "zone", "Value": z}]} if z != "Z0" else {})
                for z in params["ResourceIds"]
            ]
        }

    return answer


async def test_hosted_zone_tags_come_ten_zones_a_call() -> None:
    result, records, client = await run(REGISTRY["AWS::Route53::HostedZone"], _zones(23))
    assert (result.status, result.item_count, result.detail_errors) == (Status.OK, 23, 0)
    tag_calls = [p for op, p in client.calls if op == "list_tags_for_resources"]
    assert [len(p["ResourceIds"]) for p in tag_calls] == [10, 10, 3]
    assert {r.resource_id: r.tags for r in records} == {
        f"Z{i}": ({"zone": f"Z{i}"} if i else {}) for i in range(23)
    }


async def test_codecommit_repositories_come_a_hundred_a_call() -> None:
    # r7 is gone since the listing; r8's KMS key is unusable (BatchGetRepositories `errors`).
    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_repositories":
            return {"repositories": [{"repositoryName": f"r{i}"} for i in range(150)]}
        if operation == "batch_get_repositories":
            names = params["repositoryNames"]
            return {
                "repositories": [
                    {"repositoryName": n, "Arn": f"arn:aws:codecommit:us-east-1:1:{n}"}
                    for n in names if n not in ("r7", "r8")
                ],
                "repositoriesNotFound": [n for n in names if n == "r7"],
                "errors": [{"repositoryName": n, "errorCode": "EncryptionKeyDisabledException"}
                           for n in names if n == "r8"],
            }  # fmt: skip
        assert operation == "list_tags_for_resource", operation
        return {"tags": {"repo": params["resourceArn"].rsplit(":", 1)[1]}}

    result, records, client = await run(REGISTRY["AWS::CodeCommit::Repository"], answer)
    assert (result.item_count, result.skipped_items) == (148, 2)  # named, not silently lost
    batches = [p["repositoryNames"] for op, p in client.calls if op == "batch_get_repositories"]
    assert [len(b) for b in batches] == [100, 50]
    assert sum(op == "list_tags_for_resource" for op, _ in client.calls) == 148
    by_id = {r.resource_id: r for r in records}
    assert set(by_id) == {f"r{i}" for i in range(150)} - {"r7", "r8"}
    assert by_id["r9"].tags == {"repo": "r9"}
    assert by_id["r9"].arn == "arn:aws:codecommit:us-east-1:1:r9"


@pytest.mark.parametrize(
    "pair", [p for p in PER_ITEM_DETAILS if p[1].skip_when], ids=_pair_id
)
def test_a_skip_condition_reads_what_the_item_has(pair: tuple[ResourceType, Detail]) -> None:
    rtype, detail = pair
    members = available_members(rtype)
    assert detail.skip_when is not None and members is not None
    assert fields_of(detail.skip_when) <= members


async def test_aws_managed_keys_are_not_asked_for_tags() -> None:
    # k3's DescribeKey fails: its manager is unknown, so its tags are still asked for.
    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_keys":
            return {"Keys": [{"KeyId": k, "KeyArn": f"arn:aws:kms:us-east-1:1:key/{k}"}
                             for k in ("k1", "k2", "k3")]}  # fmt: skip
        if operation == "describe_key":
            if params["KeyId"] == "k3":
                return error("Throttling")
            manager = {"k1": "CUSTOMER", "k2": "AWS"}[params["KeyId"]]
            return {"KeyMetadata": {"KeyId": params["KeyId"], "KeyManager": manager}}
        assert operation == "list_resource_tags", operation
        return {"Tags": [{"TagKey": "key", "TagValue": params["KeyId"]}]}

    result, records, client = await run(REGISTRY["AWS::KMS::Key"], answer)
    asked = [p["KeyId"] for op, p in client.calls if op == "list_resource_tags"]
    assert sorted(asked) == ["k1", "k3"]
    by_id = {r.resource_id: r for r in records}
    assert {k: by_id[k].tags for k in by_id} == {"k1": {"key": "k1"}, "k2": {}, "k3": {"key": "k3"}}
    assert by_id["k2"].unread is None and result.detail_errors == 1
