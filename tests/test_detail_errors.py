"""A failed per-item detail call costs that item's detail fields, never the item or the type.

The engine on a stub client (tests/test_fetch_children.py), and the store filling unread fields
from what it last knew, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import io
import logging
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.engine.progress import Reporter
from collector.records import Record, ScanResult, Status, Unread
from collector.registry import BatchDetail, Detail, ResourceType
from collector.store import Store
from collector.store.models import resource_changes, resource_versions
from tests.test_fetch_children import error, run
from tests.test_store import count, rec, resource, tags_of

TAGGED = ResourceType(
    "AWS::Test::Parent", "s3", "list_things", "things[]", id="Name",
    arn_template="arn:aws:test:::thing/{id}", tags="TagSet",
    details=(
        Detail("get_tags", lambda i: {"Name": i["Name"]}, "TagSet", into="TagSet",
               absent_codes=("NoSuchTagSet",), default=[]),
    ),
)  # fmt: skip


def things(denied: set[str], absent: set[str] = frozenset()) -> Any:  # type: ignore[assignment]
    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_things":
            return {"things": [{"Name": n} for n in ("a", "b", "c", "d")]}
        if params["Name"] in denied:
            return error("AccessDenied")
        if params["Name"] in absent:
            return error("NoSuchTagSet")
        return {"TagSet": [{"Key": "owner", "Value": params["Name"]}]}

    return answer


async def test_one_denied_detail_keeps_the_item_and_the_type() -> None:
    result, records, _ = await run(TAGGED, things({"b", "d"}, absent={"c"}))
    assert (result.status, result.item_count, result.detail_errors) == (Status.OK, 4, 2)
    assert result.skipped_items == 0 and result.error_code == "AccessDenied"
    assert result.error_message is not None and "get_tags for b" in result.error_message
    by_id = {r.resource_id: r for r in records}
    assert sorted(by_id) == ["a", "b", "c", "d"]
    # Read: tags; absent (NoSuchTagSet): no tags, known; denied: unread, not "no tags".
    assert by_id["a"].tags == {"owner": "a"} and by_id["a"].unread is None
    assert by_id["c"].tags == {} and by_id["c"].unread is None
    for name in ("b", "d"):
        assert by_id[name].unread == Unread(keys=frozenset({"TagSet"}), tags=True)
        assert "TagSet" not in by_id[name].raw
        assert "__inventory_unread__" not in by_id[name].raw


BATCHED = ResourceType(
    "AWS::Test::Parent", "elbv2", "list_lbs", "lbs[]", id="Name", arn="Arn", tags="Tags",
    details=(
        BatchDetail("describe_tags", lambda items: {"Arns": [i["Arn"] for i in items]}, size=2,
                    result="Tagged", key="Arn", item_key="Arn", value="Tags", into="Tags",
                    default=[]),
    ),
)  # fmt: skip


async def test_a_failed_batch_detail_keeps_its_chunk_and_a_malformed_item_blanks_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def answer(operation: str, params: dict[str, Any]) -> Any:
        if operation == "list_lbs":
            # "x" has no Arn: it cannot be asked about, and is dropped as malformed.
            return {"lbs": [{"Name": "x"}] + [{"Name": n, "Arn": f"arn:{n}"} for n in "abcd"]}
        if "arn:c" in params["Arns"]:
            return error("Throttling")
        return {"Tagged": [{"Arn": a, "Tags": [{"Key": "k", "Value": a}]} for a in params["Arns"]]}

    caplog.set_level(logging.INFO, logger="collector.engine.fetch")
    result, records, _ = await run(BATCHED, answer)
    assert (result.status, result.item_count, result.skipped_items) == (Status.OK, 4, 1)
    assert result.detail_errors == 2  # c and d shared the failed call
    assert result.error_code == "Throttling"
    assert result.error_message is not None and "without ARN" in result.error_message
    by_id = {r.resource_id: r for r in records}
    assert {n: by_id[n].tags for n in "ab"} == {"a": {"k": "arn:a"}, "b": {"k": "arn:b"}}
    assert all(by_id[n].unread is not None and by_id[n].unread.tags for n in "cd")  # type: ignore[union-attr]
    # Logged once per job: the dropped item by name, the failed reads with the first one.
    lines = [r.getMessage() for r in caplog.records if r.name == "collector.engine.fetch"]
    assert len(lines) == 2
    assert "dropped 1 malformed item(s): AWS::Test::Parent x: item without ARN" in lines[0]
    assert "2 item(s) stored without some detail fields" in lines[1]


async def test_an_unexpected_exception_in_a_detail_transform_fails_only_the_pair() -> None:
    broken = dataclasses.replace(
        TAGGED,
        details=(dataclasses.replace(TAGGED.details[0], transform=lambda v: 1 / 0),),  # type: ignore[arg-type]
    )
    result, _, _ = await run(broken, things(set()))
    assert (result.status, result.error_code) == (Status.ERROR, "ZeroDivisionError")


def unread_copy(record: Record, **changes: Any) -> Record:
    raw = {k: v for k, v in record.raw.items() if k != "Tags"}
    return dataclasses.replace(
        record,
        raw=raw,
        tags={},
        name=None,
        unread=Unread(keys=frozenset({"Tags"}), tags=True),
        **changes,
    )


async def write(engine: AsyncEngine, records: list[Record]) -> Store:
    store = Store(engine)
    run_id = await store.start_run(config_summary={})
    async with store:
        for record in records:
            await store.put(record)
        first = records[0]
        await store.put_result(
            ScanResult(first.account_id, first.scope_region, first.resource_type, "ec2", Status.OK)
        )
    await store.reconcile(run_id)
    await store.finish_run(run_id, "succeeded")
    return store


async def test_the_store_keeps_last_known_values_of_unread_fields(engine: AsyncEngine) -> None:
    from collector.engine.normalize import content

    raw = {"Id": "i-1", "State": "running", "Tags": [{"Key": "team", "Value": "red"}]}
    _, digest = content(raw)
    full = dataclasses.replace(rec("i-1", raw=raw, tags={"team": "red"}), digest=digest)
    await write(engine, [full])
    before = await resource(engine, full.arn)
    # The tag read fails: the listing's part is unchanged, so nothing changed at all.
    partial = unread_copy(full, digest="not-the-full-digest")
    second = await write(engine, [partial])
    after = await resource(engine, full.arn)
    assert after["tags"] == {"team": "red"} and after["raw"] == raw
    assert (after["digest"], after["name"]) == (before["digest"], before["name"])
    assert await tags_of(engine, full.arn) == {"team": "red"}
    assert second.counts.modified == 0 and second.counts.unchanged == 1
    assert await count(engine, resource_versions) == 1
    # The tag read fails while the listing shows a change: modified, tags still kept.
    moved = unread_copy(dataclasses.replace(full, raw={**raw, "State": "stopped"}))
    await write(engine, [moved])
    after = await resource(engine, full.arn)
    assert after["raw"] == {**raw, "State": "stopped"} and after["tags"] == {"team": "red"}
    assert await count(engine, resource_changes) == 2  # created, modified


async def test_a_new_resource_with_unread_fields_is_stored_as_listed(engine: AsyncEngine) -> None:
    partial = unread_copy(rec("i-2"))
    await write(engine, [partial])
    stored = await resource(engine, partial.arn)
    assert stored["raw"] == partial.raw and stored["digest"] == partial.digest


def test_error_text_is_printed_not_parsed_as_markup() -> None:
    stream = io.StringIO()
    reporter = Reporter(stream=stream)
    bad = ScanResult(
        "111111111111", "us-east-1", "AWS::S3::Bucket", "s3", Status.ERROR,
        error_code="AccessDenied", error_message="denied on [/bucket] and [bold]x[/bold]",
    )  # fmt: skip
    reporter.result(bad)
    assert "denied on [/bucket] and [bold]x[/bold]" in stream.getvalue()


def test_ok_rows_with_a_note_are_shown_once_and_never_in_quiet_mode() -> None:
    import json

    noted = ScanResult(
        "111111111111", "global", "AWS::S3::Bucket", "s3", Status.OK, item_count=3,
        detail_errors=1, error_code="AccessDenied", error_message="get_bucket_tagging for [b]",
    )  # fmt: skip
    plain = dataclasses.replace(noted, detail_errors=0, error_code=None, error_message=None)
    text, quiet, lines = io.StringIO(), io.StringIO(), io.StringIO()
    for reporter in (Reporter(stream=text), Reporter(quiet=True, stream=quiet)):
        reporter.result(noted)
        reporter.result(plain)
    json_reporter = Reporter(log_format="json", stream=lines)
    json_reporter.result(noted)
    json_reporter.result(plain)
    assert text.getvalue().splitlines() == [
        "note 111111111111 global AWS::S3::Bucket: AccessDenied: get_bucket_tagging for [b]"
    ]
    assert quiet.getvalue() == ""
    [event] = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert (event["event"], event["detail_errors"], event["error_code"]) == (
        "scope_note", 1, "AccessDenied"
    )


async def test_a_failed_merging_detail_keeps_every_stored_key_the_listing_lacks(
    engine: AsyncEngine,
) -> None:
    from collector.engine.normalize import content

    raw = {"KeyId": "k1", "KeyManager": "CUSTOMER", "Description": "payments"}
    _, digest = content(raw)
    full = dataclasses.replace(rec("k1", raw=raw, tags={}), digest=digest)
    await write(engine, [full])
    listed_only = dataclasses.replace(
        full,
        raw={"KeyId": "k1"},
        digest="listing-only",
        unread=Unread(keys=frozenset(), merged=True),
    )
    second = await write(engine, [listed_only])
    after = await resource(engine, full.arn)
    assert after["raw"] == raw and after["digest"] == digest
    assert second.counts.unchanged == 1


def test_aws_error_text_is_capped() -> None:
    from botocore.exceptions import ClientError

    from collector.engine.job_issues import error_parts

    body = "<Error><Message>" + "m" * 257_000 + "</Message></Error>"
    code, message = error_parts(ClientError({"Error": {"Code": "X" * 500, "Message": body}}, "Op"))
    assert len(message) <= 2048 and message.startswith("<Error><Message>mmm")
    assert len(code) <= 128


async def test_a_failure_before_the_listing_is_an_error_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.test_fetch_children import StubSessions

    def explode(self: Any, service: str) -> frozenset[str]:
        raise RuntimeError("endpoint data unreadable")

    monkeypatch.setattr(StubSessions, "available_regions", explode)
    result, records, _ = await run(TAGGED, things(set()))
    assert (result.status, result.error_code, records) == (Status.ERROR, "RuntimeError", [])
