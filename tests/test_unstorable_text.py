"""Text neither backend can store (U+0000, lone surrogates) is cleaned in one place; a batch that
fails anyway is written record by record and costs only the bad record's pair."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.engine.normalize import normalize
from collector.records import Record, ScanResult, Scope, Status
from collector.registry import REGISTRY
from collector.store import Store
from collector.store import upsert as upsert_module
from collector.store.models import resources, scan_results
from tests.test_store import fetch, resource, tags_of

QUEUE = REGISTRY["AWS::SQS::Queue"]
A1, A2 = "111111111111", "222222222222"
REGION = "us-east-1"


def queue(account: str, name: str, tags: dict[str, str]) -> Record:
    item = {
        "QueueUrl": f"https://sqs.{REGION}.amazonaws.com/{account}/{name}",
        "Attributes": {"QueueArn": f"arn:aws:sqs:{REGION}:{account}:{name}"},
        "Tags": tags,
    }
    return normalize(QUEUE, Scope(account, REGION), item)


def ok(account: str, items: int) -> ScanResult:
    return ScanResult(account, REGION, QUEUE.resource_type, "sqs", Status.OK, item_count=items)


async def collect(engine: AsyncEngine, records: list[Record], results: list[ScanResult]) -> int:
    store = Store(engine)
    run_id = await store.start_run(config_summary={})
    async with store:
        for record in records:
            await store.put(record)
        for result in results:
            await store.put_result(result)
    await store.reconcile(run_id)
    await store.finish_run(run_id, "succeeded")
    return run_id


async def ledger(engine: AsyncEngine, run_id: int) -> dict[str, tuple[Any, ...]]:
    sr = scan_results.c
    rows = await fetch(
        engine, select(sr.account_id, sr.status, sr.error_code).where(sr.run_id == run_id)
    )
    return {r["account_id"]: (r["status"], r["error_code"]) for r in rows}


async def test_nul_and_lone_surrogates_are_stored_as_replacement_characters(
    engine: AsyncEngine,
) -> None:
    bad = queue(A1, "jobs", {"team": "a\x00b", "note\ud800": "fine", "Name": "q\x00"})
    good = queue(A1, "other", {"team": "blue"})
    run_id = await collect(engine, [bad, good], [ok(A1, 2)])
    assert await ledger(engine, run_id) == {A1: ("ok", None)}
    stored = await resource(engine, bad.arn)
    assert stored["tags"] == {"team": "a\ufffdb", "note\ufffd": "fine", "Name": "q\ufffd"}
    assert stored["raw"]["Tags"] == stored["tags"]
    assert stored["digest"] == bad.digest  # as received: stable from run to run
    assert await tags_of(engine, bad.arn) == stored["tags"]
    assert (await resource(engine, good.arn))["tags"] == {"team": "blue"}
    # The same item again: unchanged, nothing modified.
    again = await collect(engine, [bad, good], [ok(A1, 2)])
    rows = await fetch(engine, select(resources.c.last_seen_run_id))
    assert {r["last_seen_run_id"] for r in rows} == {again}


async def test_a_record_the_database_refuses_costs_only_its_pair(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the cleaning, the database refuses the bad record (PostgreSQL: U+0000 and the
    # surrogate; SQLite: the surrogate): the batch fails and is salvaged record by record.
    monkeypatch.setattr(upsert_module, "clean_record", lambda record: record)
    kept = [queue(A1, "one", {"k": "v"}), queue(A2, "three", {"k": "v"})]
    bad = queue(A2, "two", {"k": "x\x00\ud800"})
    run_id = await collect(engine, [kept[0], bad, kept[1]], [ok(A1, 1), ok(A2, 2)])
    found = await ledger(engine, run_id)
    assert found[A1] == ("ok", None)
    assert found[A2][0] == "error" and found[A2][1]
    stored = {r["arn"] for r in await fetch(engine, select(resources.c.arn))}
    assert stored == {r.arn for r in kept}


def test_clean_record_leaves_storable_records_alone() -> None:
    from collector.store.clean import clean_record

    record = queue(A1, "plain", {"k": "ünïcode ✓"})
    assert clean_record(record) is record
    assert clean_record(dataclasses.replace(record, name="\x00")).name == "\ufffd"


async def test_a_run_against_moto_stores_a_tag_value_with_nul_and_a_surrogate(
    moto: str, db_url: str
) -> None:
    import asyncio

    import boto3

    from collector.config import parse
    from collector.run.collect import Collector
    from collector.store import make_engine

    def seed() -> list[str]:
        sqs = boto3.client("sqs", endpoint_url=moto, region_name=REGION)
        sqs.create_queue(QueueName="hostile", tags={"team": "a\x00b", "note": "y\ud800z"})
        sqs.create_queue(QueueName="plain", tags={"team": "blue"})
        return sorted(sqs.list_queues()["QueueUrls"])

    urls = await asyncio.to_thread(seed)
    assert len(urls) == 2
    cfg = parse(
        {
            "aws": {"endpoint_url": moto},
            "regions": {"include": [REGION]},
            "resources": {"include": [QUEUE.resource_type]},
        }
    )
    summary = await Collector(cfg, db_url).run()
    assert (summary.status, summary.exit_code, summary.resources) == ("succeeded", 0, 2)
    engine = make_engine(db_url)
    try:
        rows = await fetch(engine, select(resources.c.resource_id, resources.c.tags))
    finally:
        await engine.dispose()
    assert {r["resource_id"]: r["tags"] for r in rows} == {
        "hostile": {"team": "a\ufffdb", "note": "y\ufffdz"},
        "plain": {"team": "blue"},
    }
