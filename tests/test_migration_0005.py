"""Revision 0005_type_names rewrites stored identities to what the collector records now.

Rows are written at the revision before it, the way older collectors stored them; expected
values are written out from the AWS data in the rows (KeyName, cluster, bus), by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from collector.store import downgrade, make_engine, upgrade
from collector.store.models import (
    resource_changes,
    resource_tags,
    resource_versions,
    resources,
    runs,
    scan_results,
)

NOW = datetime(2026, 1, 2, tzinfo=UTC)
A = "arn:aws:ec2:eu-west-1:123456789012:"
KEY_OLD, KEY_NEW = A + "key-pair/key-0abc", A + "key-pair/deploy"
ECS = "arn:aws:ecs:eu-west-1:123456789012:service/prod/web"
RULE = "arn:aws:events:eu-west-1:123456789012:rule/orders/nightly"
DASH = "arn:aws:cloudwatch::123456789012:dashboard/ops"
NS = "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/"
SD = "AWS::ServiceDiscovery::"


def _resource(arn: str, rtype: str, rid: str, raw: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "arn": arn, "account_id": "123456789012", "region": region, "scope_region": region,
        "service": rtype.split("::")[1].lower(), "resource_type": rtype, "resource_id": rid,
        "name": None, "tags": {}, "created_at": None, "raw": raw, "digest": "d" * 64,
        "first_seen_at": NOW, "last_seen_at": NOW, "deleted_at": None,
        "first_seen_run_id": 1, "last_seen_run_id": 1,
    }  # fmt: skip


ROWS = [
    _resource(KEY_OLD, "AWS::EC2::KeyPair", "key-0abc",
              {"KeyPairId": "key-0abc", "KeyName": "deploy"}, "eu-west-1"),
    _resource(ECS, "AWS::ECS::Service", "web",
              {"serviceName": "web", "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
               "cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod"}, "eu-west-1"),
    _resource(RULE, "AWS::Events::Rule", "nightly",
              {"Name": "nightly", "EventBusName": "orders"}, "eu-west-1"),
    _resource(DASH, "AWS::CloudWatch::Dashboard", "ops", {"DashboardName": "ops"}, "us-west-2"),
    _resource(NS + "ns-h", SD + "Namespace", "ns-h", {"Id": "ns-h", "Type": "HTTP"}, "eu-west-1"),
    _resource(NS + "ns-p", SD + "Namespace", "ns-p", {"Id": "ns-p", "Type": "DNS_PRIVATE"},
              "eu-west-1"),
]  # fmt: skip


async def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.insert(runs).values(id=1, started_at=NOW, status="succeeded"))
            await conn.execute(sa.insert(resources), ROWS)
            await conn.execute(
                sa.insert(scan_results).values(
                    run_id=1, account_id="123456789012", region="eu-west-1",
                    resource_type=SD + "Namespace", service="servicediscovery", status="ok",
                    item_count=2, skipped_items=0, api_calls=3,
                )
            )  # fmt: skip
            await conn.execute(sa.insert(resource_tags).values(arn=KEY_OLD, key="team", value="a"))
            await conn.execute(
                sa.insert(resource_versions).values(
                    arn=KEY_OLD, run_id=1, digest="d" * 64, tags={}, raw={}, recorded_at=NOW
                )
            )
            await conn.execute(
                sa.insert(resource_changes).values(
                    run_id=1, arn=KEY_OLD, change="created", resource_type="AWS::EC2::KeyPair",
                    account_id="123456789012", region="eu-west-1", changed_at=NOW,
                )
            )
    finally:
        await engine.dispose()


async def _state(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            res = (await conn.execute(
                sa.select(resources.c.arn, resources.c.resource_id, resources.c.region,
                          resources.c.scope_region, resources.c.resource_type)
            )).all()  # fmt: skip
            scans = (await conn.execute(
                sa.select(scan_results.c.resource_type, scan_results.c.item_count,
                          scan_results.c.api_calls)
            )).all()  # fmt: skip
            refs = {
                t.name: sorted(r[0] for r in (await conn.execute(sa.select(t.c.arn))).all())
                for t in (resource_tags, resource_versions, resource_changes)
            }
    finally:
        await engine.dispose()
    return {
        "resources": {r.arn: (r.resource_id, r.region, r.scope_region) for r in res},
        "types": {r.arn: r.resource_type for r in res},
        "scans": sorted(tuple(s) for s in scans),
        **refs,
    }


async def test_upgrade_rewrites_identities_and_downgrade_restores_them(db_url: str) -> None:
    await upgrade(db_url, "0005_type_names-1")
    await _seed(db_url)
    await upgrade(db_url, "0005_type_names")
    state = await _state(db_url)
    assert state["resources"] == {
        KEY_NEW: ("key-0abc", "eu-west-1", "eu-west-1"),
        ECS: ("prod/web", "eu-west-1", "eu-west-1"),
        RULE: ("orders/nightly", "eu-west-1", "eu-west-1"),
        DASH: ("ops", "global", "global"),
        NS + "ns-h": ("ns-h", "eu-west-1", "eu-west-1"),
        NS + "ns-p": ("ns-p", "eu-west-1", "eu-west-1"),
    }
    assert state["resource_tags"] == state["resource_versions"] == [KEY_NEW]
    assert state["resource_changes"] == [KEY_NEW]
    assert state["types"][NS + "ns-h"] == SD + "HttpNamespace"
    assert state["types"][NS + "ns-p"] == SD + "PrivateDnsNamespace"
    # The run saw one namespace of each of two types; its API calls stay counted once.
    assert state["scans"] == [
        (SD + "HttpNamespace", 1, 3),
        (SD + "PrivateDnsNamespace", 1, 0),
        (SD + "PublicDnsNamespace", 0, 0),
    ]

    await downgrade(db_url, "0005_type_names-1")
    state = await _state(db_url)
    assert state["resources"][KEY_OLD][0] == "key-0abc"
    assert state["resources"][ECS][0] == "web"
    assert state["resources"][RULE][0] == "nightly"
    assert state["resource_tags"] == [KEY_OLD]
    assert state["types"][NS + "ns-p"] == SD + "Namespace"
    assert state["scans"] == [(SD + "Namespace", 2, 3)]
