"""History in the store: versions, changed fields, "as of" a run, diff and prune, on SQLite and
PostgreSQL, with synthetic records (no AWS): every rule of collector/history.py, exactly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.history.asof import (
    HistoryError,
    asof_select,
    install_asof_views,
    parse_point,
    resolve_run,
)
from collector.history.diff import diff
from collector.history.prune import prune
from collector.records import Record, ScanResult, Status, changed_fields
from collector.registry import REGISTRY
from collector.registry.views import BASE_COLUMNS, VIEWS, parse_path
from collector.store import Store, make_engine, upgrade
from collector.store.models import resource_changes, resource_versions, resources, runs

A1 = "111111111111"
SG = "AWS::EC2::SecurityGroup"


def rec(
    ident: str, digest: str = "d1", *, raw: dict[str, Any] | None = None, **tags: str
) -> Record:
    body = raw if raw is not None else {"GroupId": ident, "v": digest}
    return Record(
        arn=f"arn:aws:ec2:us-east-1:{A1}:security-group/{ident}",
        account_id=A1,
        region="us-east-1",
        scope_region="us-east-1",
        service="ec2",
        resource_type=SG,
        resource_id=ident,
        name=f"name-{ident}",
        tags=dict(tags),
        created_at=None,
        raw=body,
        digest=digest,
    )


def ok(rtype: str = SG) -> ScanResult:
    return ScanResult(A1, "us-east-1", rtype, "ec2", Status.OK, item_count=1)


async def collect(engine: AsyncEngine, records: Sequence[Record]) -> int:
    store = Store(engine)
    run_id = await store.start_run(config_summary={})
    async with store:
        for record in records:
            await store.put(record)
        await store.put_result(ok())
    await store.reconcile(run_id)
    await store.finish_run(run_id, "succeeded")
    return run_id


async def rows(engine: AsyncEngine, query: Any) -> list[Any]:
    async with engine.connect() as conn:
        return list(await conn.execute(query))


async def as_of(engine: AsyncEngine, run_id: int) -> dict[str, tuple[str, Any]]:
    """arn -> (digest, raw) of the inventory as of the run."""
    sub = asof_select(run_id).subquery()
    result = await rows(engine, select(sub.c.resource_id, sub.c.digest, sub.c.raw))
    return {rid: (digest, raw) for rid, digest, raw in result}


# -- pure parts -------------------------------------------------------------------------------


def test_changed_fields_are_top_level_keys() -> None:
    old = {"a": 1, "b": {"x": 1}, "c": [1], "gone": True}
    new = {"a": 1, "b": {"x": 2}, "c": [1], "new": None}
    assert changed_fields(old, new) == ["b", "gone", "new"]
    assert changed_fields(old, old) == []
    assert changed_fields("x", {"a": 1}) == ["*"]


def test_parse_point() -> None:
    now = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
    assert parse_point("42") == 42
    assert parse_point("2026-05-01") == datetime(2026, 5, 1, tzinfo=UTC)
    assert parse_point("2026-05-01T10:30:00") == datetime(2026, 5, 1, 10, 30, tzinfo=UTC)
    assert parse_point("2026-05-01T10:30:00+02:00") == datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
    assert parse_point("24h", now) == datetime(2026, 5, 9, 12, 0, tzinfo=UTC)
    assert parse_point("2w", now) == datetime(2026, 4, 26, 12, 0, tzinfo=UTC)
    with pytest.raises(HistoryError, match="relative time"):
        parse_point("last tuesday")


def test_view_declarations_are_consistent() -> None:
    """The lint of collector/registry/views.py: names, columns, levels, types."""
    names = [v.name for v in VIEWS]
    assert len(names) == len(set(names))
    covered = {v.resource_type for v in VIEWS}
    assert covered >= {
        "AWS::EC2::Instance", "AWS::EC2::Volume", "AWS::EC2::SecurityGroup", "AWS::S3::Bucket",
        "AWS::IAM::User", "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::RDS::DBInstance",
    }  # fmt: skip
    for view in VIEWS:
        assert view.resource_type in REGISTRY, view.name
        assert view.description and view.parts, view.name
        assert len(view.columns) == len(set(view.columns)), view.name
        first = [c.name for c in view.parts[0].columns]
        for part in view.parts:
            assert [c.name for c in part.columns] == first, view.name
            for column in part.columns:
                assert column.name not in BASE_COLUMNS, (view.name, column.name)
                assert 0 <= column.level <= len(part.each), (view.name, column.name)
                assert (column.path is None) != (column.constant is None) or (
                    column.path is None and column.constant is None
                ), (view.name, column.name)
                if column.path is not None:
                    assert parse_path(column.path), (view.name, column.name)
    assert parse_path("Attachments[0].InstanceId") == ("Attachments", 0, "InstanceId")


# -- the store writes history ---------------------------------------------------------------


async def test_versions_only_when_the_digest_changes(engine: AsyncEngine) -> None:
    run1 = await collect(engine, [rec("a"), rec("b")])
    run2 = await collect(engine, [rec("a"), rec("b", "d2", raw={"GroupId": "b", "v": "d2"})])
    run3 = await collect(engine, [rec("a"), rec("b", "d2", raw={"GroupId": "b", "v": "d2"})])
    v = resource_versions.c
    got = await rows(engine, select(v.arn, v.run_id, v.digest).order_by(v.id))
    assert [(arn.rsplit("/", 1)[1], run, d) for arn, run, d in got] == [
        ("a", run1, "d1"),
        ("b", run1, "d1"),
        ("b", run2, "d2"),
    ]
    assert run3 > run2  # an unchanged run writes no version at all
    c = resource_changes.c
    [(fields,)] = await rows(
        engine, select(c.changed_fields).where(c.run_id == run2, c.change == "modified")
    )
    assert fields == ["v"]
    created = await rows(engine, select(c.changed_fields).where(c.change == "created"))
    assert {f for (f,) in created} == {None}


async def test_reappeared_resource_keeps_its_version_unless_it_changed(
    engine: AsyncEngine,
) -> None:
    await collect(engine, [rec("a"), rec("b")])
    await collect(engine, [rec("b")])  # a deleted
    run3 = await collect(engine, [rec("a"), rec("b")])  # a back, same content
    v = resource_versions.c
    assert len(await rows(engine, select(v.id).where(v.arn.like("%/a")))) == 1
    c = resource_changes.c
    [(detail, fields)] = await rows(
        engine, select(c.detail, c.changed_fields).where(c.run_id == run3)
    )
    assert (detail, fields) == ("reappeared", [])
    await collect(engine, [rec("b")])
    run5 = await collect(engine, [rec("a", "d9", raw={"GroupId": "a", "v": "d9"}), rec("b")])
    assert len(await rows(engine, select(v.id).where(v.arn.like("%/a")))) == 2
    [(fields,)] = await rows(engine, select(c.changed_fields).where(c.run_id == run5))
    assert fields == ["v"]


async def test_as_of_every_run(engine: AsyncEngine) -> None:
    """Created, modified, deleted, reappeared: each past run is rebuilt exactly."""
    r1 = await collect(engine, [rec("a"), rec("b")])
    r2 = await collect(engine, [rec("a", "d2", raw={"GroupId": "a", "v": "d2"}), rec("b")])
    r3 = await collect(engine, [rec("b")])
    r4 = await collect(engine, [rec("a", "d4", raw={"GroupId": "a", "v": "d4"}), rec("c")])
    assert await as_of(engine, r1) == {
        "a": ("d1", {"GroupId": "a", "v": "d1"}),
        "b": ("d1", {"GroupId": "b", "v": "d1"}),
    }
    assert {k: d for k, (d, _) in (await as_of(engine, r2)).items()} == {"a": "d2", "b": "d1"}
    assert {k: d for k, (d, _) in (await as_of(engine, r3)).items()} == {"b": "d1"}
    assert {k: d for k, (d, _) in (await as_of(engine, r4)).items()} == {"a": "d4", "c": "d1"}
    assert await as_of(engine, 0) == {}
    # The latest run is the live inventory.
    live = await rows(
        engine,
        select(resources.c.resource_id, resources.c.digest).where(resources.c.deleted_at.is_(None)),
    )
    assert {k: d for k, (d, _) in (await as_of(engine, r4)).items()} == dict(live)

    async with engine.connect() as conn:
        result = await diff(conn, str(r1))
        assert {(e.resource_id, e.change, e.changed_fields) for e in result.entries} == {
            ("a", "modified", ("v",)),
            ("b", "deleted", ()),
            ("c", "created", ()),
        }
        assert (await diff(conn)).since_run == r3  # default: the run before the latest
        assert {(e.resource_id, e.change) for e in (await diff(conn)).entries} == {
            ("a", "created"),
            ("b", "deleted"),
            ("c", "created"),
        }
        assert (await diff(conn, str(r4))).entries == []
        with pytest.raises(HistoryError, match="no run 99"):
            await resolve_run(conn, "99")


async def test_as_of_views_shadow_the_real_ones(engine: AsyncEngine) -> None:
    r1 = await collect(engine, [rec("a", env="prod"), rec("b")])
    await collect(engine, [rec("a", "d2", raw={"GroupId": "a", "v": "d2"}, env="dev")])
    async with engine.connect() as conn:
        await install_asof_views(conn, r1)
        got = await conn.execute(text("SELECT resource_id FROM resources ORDER BY 1"))
        assert [r for (r,) in got] == ["a", "b"]
        tags = await conn.execute(text("SELECT key, value FROM resource_tags"))
        assert list(tags) == [("env", "prod")]
        groups = await conn.execute(text("SELECT group_id FROM ec2_security_groups ORDER BY 1"))
        assert [g for (g,) in groups] == ["a", "b"]
        await conn.rollback()
        # Gone with the transaction: the real tables again.
        got = await conn.execute(text("SELECT resource_id FROM resources WHERE deleted_at IS NULL"))
        assert [r for (r,) in got] == ["a"]
        await conn.rollback()


async def test_prune_keeps_what_the_kept_runs_need(engine: AsyncEngine) -> None:
    r1 = await collect(engine, [rec("a"), rec("b"), rec("z")])
    r2 = await collect(engine, [rec("a", "d2", raw={"GroupId": "a", "v": "d2"}), rec("b")])
    r3 = await collect(engine, [rec("a", "d3", raw={"GroupId": "a", "v": "d3"}), rec("b")])
    r4 = await collect(engine, [rec("a", "d3", raw={"GroupId": "a", "v": "d3"}), rec("b")])
    before = {r: await as_of(engine, r) for r in (r3, r4)}
    live_before = await rows(engine, select(resources).order_by(resources.c.arn))

    dry = await prune(engine, keep_runs=2, dry_run=True)
    assert (dry.cutoff_run, dry.runs, dry.versions, dry.dry_run) == (r3, 2, 2, True)
    assert await rows(engine, select(func.count()).select_from(resource_versions)) == [(5,)]

    stats = await prune(engine, keep_runs=2)
    assert (stats.cutoff_run, stats.runs, stats.versions) == (r3, 2, 2)
    assert stats.changes > 0 and stats.ledger_rows == 2
    # a: only d3 (at r3) is needed; b and z: their first (only) version stays.
    v = resource_versions.c
    left = await rows(engine, select(v.arn, v.run_id).order_by(v.arn, v.run_id))
    assert [(arn.rsplit("/", 1)[1], run) for arn, run in left] == [("a", r3), ("b", r1), ("z", r1)]
    assert {r: await as_of(engine, r) for r in (r3, r4)} == before
    assert await rows(engine, select(resources).order_by(resources.c.arn)) == live_before
    c = resource_changes.c
    assert await rows(engine, select(func.min(c.run_id))) == [(r3,)]
    pruned = await rows(engine, select(runs.c.id).where(runs.c.history_pruned_at.is_not(None)))
    assert sorted(i for (i,) in pruned) == [r1, r2]
    async with engine.connect() as conn:
        with pytest.raises(HistoryError, match="pruned"):
            await resolve_run(conn, str(r2))
        assert await resolve_run(conn, str(r3)) == r3
    again = await prune(engine, keep_runs=2)
    assert (again.runs, again.versions, again.changes) == (0, 0, 0)
    assert (await prune(engine, keep_runs=10)).cutoff_run is None
    everything = await prune(engine, older_than_days=0)
    assert everything.cutoff_run == r4
    assert {r: await as_of(engine, r) for r in (r4,)} == {r4: before[r4]}


async def test_typed_views_have_the_declared_columns(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        for view in VIEWS:
            result = await conn.execute(text(f"SELECT * FROM {view.name} WHERE 1 = 0"))
            assert tuple(result.keys()) == view.columns, view.name


async def test_typed_views_extract_typed_values(engine: AsyncEngine) -> None:
    raw = {
        "GroupId": "sg-1",
        "GroupName": "web",
        "VpcId": "vpc-1",
        "IpPermissions": [
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
                "UserIdGroupPairs": [],
            }
        ],
        "IpPermissionsEgress": None,
    }
    await collect(engine, [rec("sg-1", raw=raw)])
    async with engine.connect() as conn:
        got = await conn.execute(
            text(
                "SELECT direction, protocol, from_port, to_port, source_kind, source "
                "FROM ec2_security_group_rules ORDER BY source"
            )
        )
        assert [tuple(r) for r in got] == [
            ("ingress", "tcp", 22, 22, "IpRanges", "0.0.0.0/0"),
            ("ingress", "tcp", 22, 22, "IpRanges", "10.0.0.0/8"),
            ("ingress", "tcp", 22, 22, "Ipv6Ranges", "::/0"),
        ]


async def test_migration_backfills_versions(db_url: str) -> None:
    """An inventory made before revision 0002 gets one version per resource, recorded at the
    run of its latest created/modified change (else its first run)."""
    engine = make_engine(db_url)
    try:
        await upgrade(engine, "0001")
        now = datetime(2025, 1, 1, tzinfo=UTC)
        async with engine.begin() as conn:
            for run_id in (1, 2, 3):
                await conn.execute(
                    text("INSERT INTO runs (id, started_at, status) VALUES (:i, :t, 'succeeded')"),
                    {"i": run_id, "t": now},
                )
            for ident in ("x", "y"):
                await conn.execute(
                    insert(resources).values(
                        arn=f"arn:{ident}", account_id=A1, region="us-east-1",
                        scope_region="us-east-1", service="ec2", resource_type=SG,
                        resource_id=ident, name=None, tags={"k": ident}, raw={"id": ident},
                        digest=f"d-{ident}", first_seen_at=now, last_seen_at=now,
                        first_seen_run_id=1, last_seen_run_id=3,
                    )
                )  # fmt: skip
            await conn.execute(
                text(
                    "INSERT INTO resource_changes (run_id, arn, change, resource_type, "
                    "account_id, region, changed_at) VALUES (2, 'arn:x', 'modified', :t, :a, "
                    "'us-east-1', :n)"
                ),
                {"t": SG, "a": A1, "n": now},
            )
        await upgrade(engine)
        v = resource_versions.c
        got = await rows(engine, select(v.arn, v.run_id, v.digest, v.raw).order_by(v.arn))
        assert [tuple(r) for r in got] == [
            ("arn:x", 2, "d-x", {"id": "x"}),
            ("arn:y", 1, "d-y", {"id": "y"}),
        ]
    finally:
        await engine.dispose()
