"""End to end against a moto server: an organization, AssumeRole, every core type, SQLite.

The oracle is twofold: the seed's manifest (what we created, with ARNs and tags) and moto's
own defaults listed with plain boto3 (default VPCs and their parts, the role moto puts in
member accounts). The collected inventory must be exactly their union, each resource once.
"""

from __future__ import annotations

import sqlite3
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from collector.config import parse
from collector.demo.seed import Manifest, member_session, seed_organization
from collector.engine.plan import plan_jobs
from collector.registry import CORE_TYPES, REGISTRY
from collector.run.collect import Collector

REGIONS = ("us-east-1", "eu-west-1")
DEFAULT_PARTS = {
    "AWS::EC2::VPC": ("describe_vpcs", "Vpcs", "VpcId", "vpc"),
    "AWS::EC2::Subnet": ("describe_subnets", "Subnets", "SubnetId", "subnet"),
    "AWS::EC2::SecurityGroup": (
        "describe_security_groups",
        "SecurityGroups",
        "GroupId",
        "security-group",
    ),
    "AWS::EC2::RouteTable": ("describe_route_tables", "RouteTables", "RouteTableId", "route-table"),
    "AWS::EC2::InternetGateway": (
        "describe_internet_gateways",
        "InternetGateways",
        "InternetGatewayId",
        "internet-gateway",
    ),
    "AWS::EC2::NetworkInterface": (
        "describe_network_interfaces",
        "NetworkInterfaces",
        "NetworkInterfaceId",
        "network-interface",
    ),
}


def _reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    urllib.request.urlopen(request).close()


def config(url: str, db: str, **accounts: Any) -> Any:
    return parse(
        {
            "database": {"url": db},
            "aws": {"endpoint_url": url},
            "accounts": {"source": "organizations", **accounts},
            "regions": {"include": list(REGIONS)},
            "resources": {"include": sorted(CORE_TYPES)},
        }
    )


def rows(db_file: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql, params).fetchall()


def session_for(manifest: Manifest, url: str, account_id: str, region: str) -> boto3.Session:
    if account_id == manifest.management_account_id:
        return boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
        )
    return member_session(url, account_id, region)


def moto_defaults(manifest: Manifest, url: str) -> set[tuple[str, str, str, str]]:
    """(account, region, type, arn) of what moto made without being asked."""
    seeded = {r.arn for r in manifest.resources}
    out: set[tuple[str, str, str, str]] = set()
    for account in manifest.account_ids:
        for region in REGIONS:
            ec2 = session_for(manifest, url, account, region).client("ec2", endpoint_url=url)
            for rtype, (op, key, id_field, kind) in DEFAULT_PARTS.items():
                for item in getattr(ec2, op)()[key]:
                    arn = f"arn:aws:ec2:{region}:{account}:{kind}/{item[id_field]}"
                    if arn not in seeded:
                        out.add((account, region, rtype, arn))
        iam = session_for(manifest, url, account, REGIONS[0]).client("iam", endpoint_url=url)
        for role in iam.list_roles()["Roles"]:
            if role["Arn"] not in seeded:
                out.add((account, "global", "AWS::IAM::Role", role["Arn"]))
    return out


@pytest.fixture(scope="module")
def collected(
    moto_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Manifest, Path, Any]]:
    _reset(moto_server)
    manifest = seed_organization(moto_server, members=2, regions=REGIONS, per_type=2)
    db_file = tmp_path_factory.mktemp("inv") / "inventory.db"
    import asyncio

    summary = asyncio.run(
        Collector(config(moto_server, f"sqlite:///{db_file}"), f"sqlite:///{db_file}").run()
    )
    yield manifest, db_file, summary


def test_every_seeded_resource_exactly_once(collected: tuple[Manifest, Path, Any]) -> None:
    manifest, db_file, summary = collected
    assert summary.exit_code == 0 and summary.scopes_error == 0
    assert {r.resource_type for r in manifest.resources} == CORE_TYPES
    got = {
        arn: (account, region, rtype, rid)
        for arn, account, region, rtype, rid in rows(
            db_file,
            "SELECT arn, account_id, region, resource_type, resource_id FROM resources "
            "WHERE deleted_at IS NULL",
        )
    }
    for seeded in manifest.resources:
        assert got.get(seeded.arn) == (
            seeded.account_id,
            seeded.region,
            seeded.resource_type,
            seeded.resource_id,
        ), seeded


def test_nothing_but_seeded_and_moto_defaults(
    collected: tuple[Manifest, Path, Any], moto_server: str
) -> None:
    manifest, db_file, _ = collected
    got = set(rows(db_file, "SELECT account_id, region, resource_type, arn FROM resources"))
    expected = {(r.account_id, r.region, r.resource_type, r.arn) for r in manifest.resources}
    expected |= moto_defaults(manifest, moto_server)
    assert got == expected
    [(total, distinct)] = rows(db_file, "SELECT count(*), count(DISTINCT arn) FROM resources")
    assert total == distinct == len(expected)


def test_tags_as_json_and_as_rows(collected: tuple[Manifest, Path, Any]) -> None:
    import json

    manifest, db_file, _ = collected
    by_arn = {
        arn: json.loads(tags) for arn, tags in rows(db_file, "SELECT arn, tags FROM resources")
    }
    tag_rows: dict[str, dict[str, str]] = {}
    for arn, key, value in rows(db_file, "SELECT arn, key, value FROM resource_tags"):
        tag_rows.setdefault(arn, {})[key] = value
    untagged_buckets = 0
    for seeded in manifest.resources:
        assert by_arn[seeded.arn] == seeded.tags, seeded
        assert tag_rows.get(seeded.arn, {}) == seeded.tags, seeded
        if seeded.resource_type == "AWS::S3::Bucket" and not seeded.tags:
            untagged_buckets += 1
    assert untagged_buckets == len(manifest.account_ids)


def test_ledger_has_one_ok_row_per_scope_and_type(collected: tuple[Manifest, Path, Any]) -> None:
    manifest, db_file, summary = collected
    expected = {
        (a, job.scope.region, job.rtype.resource_type)
        for a in manifest.account_ids
        for job in plan_jobs(a, REGIONS, [REGISTRY[t] for t in sorted(CORE_TYPES)])
    }
    ledger = rows(
        db_file,
        "SELECT account_id, region, resource_type, status, item_count FROM scan_results "
        "WHERE run_id = ?",
        summary.run_id,
    )
    assert {(a, r, t) for a, r, t, _, _ in ledger} == expected
    assert len(ledger) == len(expected)
    assert {s for *_, s, _ in ledger} == {"ok"}
    live = dict(
        ((a, r, t), n)
        for a, r, t, n in rows(
            db_file,
            "SELECT account_id, scope_region, resource_type, count(*) FROM resources "
            "GROUP BY account_id, scope_region, resource_type",
        )
    )
    for a, r, t, _, count in ledger:
        assert live.get((a, r, t), 0) == count


def test_accounts_table_from_organizations(collected: tuple[Manifest, Path, Any]) -> None:
    manifest, db_file, _ = collected
    got = dict(rows(db_file, "SELECT account_id, source FROM accounts"))
    assert got == {a: "organizations" for a in manifest.account_ids}
