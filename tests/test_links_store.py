"""``resource_links`` and the ledger rule, at the store (SQLite and PostgreSQL): an edge ends
only when its source is read completely without it, or is deleted by an ok listing."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.records import Edge, Record, Status, Unread
from collector.store.models import resource_links
from tests.test_store import VOLUME, fetch, rec, result, run_once

SG_A = "arn:aws:ec2:us-east-1:111111111111:security-group/sg-a"


def linked(record: Record, *edges: Edge) -> Record:
    return dataclasses.replace(record, links=tuple(sorted(edges)))


async def live(engine: AsyncEngine) -> dict[tuple[str, str, str], int]:
    """(source, kind, target) -> first run, of the live edges."""
    lc = resource_links.c
    query = select(lc.source_arn, lc.kind, lc.target_arn, lc.first_seen_run_id).where(
        lc.deleted_at.is_(None)
    )
    return {
        (r["source_arn"], r["kind"], r["target_arn"]): r["first_seen_run_id"]
        for r in await fetch(engine, query)
    }


async def test_edges_follow_the_ledger_rule(engine: AsyncEngine) -> None:
    inst, gone = rec("i-1"), rec("i-2")
    vol = rec("v-1", rtype=VOLUME)
    uses = Edge("uses_security_group", SG_A, "AWS::EC2::SecurityGroup")
    attached = Edge("attached_to", inst.arn, "AWS::EC2::Instance")
    run1, _, _ = await run_once(
        engine,
        [linked(inst, uses), linked(gone, uses), linked(vol, attached)],
        [result(), result(rtype=VOLUME)],
    )
    assert await live(engine) == {
        (inst.arn, uses.kind, SG_A): run1,
        (gone.arn, uses.kind, SG_A): run1,
        (vol.arn, attached.kind, inst.arn): run1,
    }

    # i-1 read with a detail call failed and no edges: not evidence of anything. i-2 not
    # listed by an ok listing: deleted, with its edges. The volumes' listing failed: as before.
    unread = dataclasses.replace(inst, unread=Unread(frozenset({"X"})))
    run2, _, _ = await run_once(
        engine,
        [unread],
        [result(), result(rtype=VOLUME, status=Status.ERROR, error_code="Throttling")],
    )
    assert await live(engine) == {
        (inst.arn, uses.kind, SG_A): run1,
        (vol.arn, attached.kind, inst.arn): run1,
    }
    lc = resource_links.c
    ended = await fetch(
        engine, select(lc.deleted_run_id).where(lc.source_arn == gone.arn)
    )
    assert [r["deleted_run_id"] for r in ended] == [run2]

    # Read completely without the edge: it ends. Then it comes back: a new row, a new span.
    run3, _, _ = await run_once(
        engine, [inst, linked(vol, attached)], [result(), result(rtype=VOLUME)]
    )
    assert (inst.arn, uses.kind, SG_A) not in await live(engine)
    run4, _, _ = await run_once(
        engine, [linked(inst, uses), linked(vol, attached)], [result(), result(rtype=VOLUME)]
    )
    assert await live(engine) == {
        (inst.arn, uses.kind, SG_A): run4,
        (vol.arn, attached.kind, inst.arn): run1,
    }
    # Seen again in every run that read its source: last seen at run 4, first seen at run 1.
    seen = await fetch(
        engine, select(lc.last_seen_run_id).where(lc.source_arn == vol.arn)
    )
    assert [r["last_seen_run_id"] for r in seen] == [run4]
    spans = await fetch(
        engine,
        select(lc.first_seen_run_id, lc.deleted_run_id)
        .where(lc.source_arn == inst.arn)
        .order_by(lc.id),
    )
    assert [(r["first_seen_run_id"], r["deleted_run_id"]) for r in spans] == [
        (run1, run3),
        (run4, None),
    ]
