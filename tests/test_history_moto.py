"""History, saved queries, --as-of and reports on a demo-like inventory, SQLite and PostgreSQL.

One moto organization (the demo seed at its smallest: one member, one region, one of each
type) is collected into both databases; then boto3 deletes, modifies, tags and creates things
and both are collected again. Every command runs in-process through the CLI (typer's runner),
the way a person would run it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import secrets
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from collector.cli import app
from collector.config import parse
from collector.demo.seed import Manifest, management_session, member_session, seed_organization
from collector.registry import CORE_TYPES
from collector.reporting.saved import PROJECT_QUERIES, list_saved
from collector.run.collect import Collector
from collector.store import DatabaseUnavailable, make_engine
from tests.conftest_db import (
    PG_URL_ENV,
    _admin,
    create_reader_role,
    drop_reader_role,
    pg_server_url,
)

REGION = "us-east-1"
REQUIRED_TAGS = ["owner", "env"]
SAVED = sorted(list_saved([PROJECT_QUERIES]))


@dataclass
class Inventory:
    url: str
    # What query/diff/report connect with: on PostgreSQL a least-privilege reader role (they
    # refuse the superuser the collector writes with).
    reader: str = ""
    run_ids: list[int] = field(default_factory=list)
    live_after_run1: set[str] = field(default_factory=set)


@dataclass
class Scenario:
    manifest: Manifest
    arns: dict[str, str]
    dbs: dict[str, Inventory]
    config_path: Path
    stale_config_path: Path


def _config(endpoint: str, db: str) -> Any:
    return parse(
        {
            "database": {"url": db},
            "aws": {"endpoint_url": endpoint},
            "accounts": {"source": "organizations"},
            "regions": {"include": [REGION]},
            "resources": {"include": sorted(CORE_TYPES)},
        }
    )


def _collect(endpoint: str, inv: Inventory) -> None:
    summary = asyncio.run(Collector(_config(endpoint, inv.url), inv.url).run())
    assert summary.exit_code == 0, summary
    inv.run_ids.append(summary.run_id)


async def _live(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            got = await conn.execute(text("SELECT arn FROM resources WHERE deleted_at IS NULL"))
            return {arn for (arn,) in got}
    finally:
        await engine.dispose()


def _arn(kind: str, account: str, ident: str) -> str:
    return f"arn:aws:ec2:{REGION}:{account}:{kind}/{ident}"


def _mutate(endpoint: str, manifest: Manifest) -> dict[str, str]:
    """Delete, modify, retag and create things; return the ARNs that the checks look for."""
    mgmt, member = manifest.management_account_id, manifest.member_account_ids[0]

    def first(rtype: str, account: str) -> Any:
        return next(
            r for r in manifest.of_type(rtype) if r.account_id == account and not r.implicit
        )

    session = management_session(REGION)
    ec2 = session.client("ec2", endpoint_url=endpoint)
    arns: dict[str, str] = {}

    instance = first("AWS::EC2::Instance", mgmt)
    ec2.terminate_instances(InstanceIds=[instance.resource_id])
    arns["terminated_instance"] = instance.arn

    group = first("AWS::EC2::SecurityGroup", mgmt)
    ec2.authorize_security_group_ingress(
        GroupId=group.resource_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ],
    )  # fmt: skip
    arns["opened_group"] = group.arn

    volume = first("AWS::EC2::Volume", mgmt)
    ec2.delete_tags(Resources=[volume.resource_id], Tags=[{"Key": "team"}])
    ec2.create_tags(Resources=[volume.resource_id], Tags=[{"Key": "owner", "Value": "alice"}])
    arns["retagged_volume"] = volume.arn

    new_volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=7, VolumeType="gp3")
    arns["new_volume"] = _arn("volume", mgmt, new_volume["VolumeId"])
    address = ec2.allocate_address(Domain="vpc")
    arns["new_address"] = _arn("elastic-ip", mgmt, address["AllocationId"])

    s3 = session.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket="history-www-assets")
    s3.put_bucket_tagging(
        Bucket="history-www-assets", Tagging={"TagSet": [{"Key": "public", "Value": "true"}]}
    )
    arns["public_bucket"] = "arn:aws:s3:::history-www-assets"

    sqs = session.client("sqs", endpoint_url=endpoint)
    queue = first("AWS::SQS::Queue", mgmt)
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=queue.resource_id)["QueueUrl"])
    arns["deleted_queue"] = queue.arn

    stopped = first("AWS::EC2::Instance", member)
    member_ec2 = member_session(endpoint, member, REGION).client("ec2", endpoint_url=endpoint)
    member_ec2.stop_instances(InstanceIds=[stopped.resource_id])
    arns["stopped_instance"] = stopped.arn
    return arns


@pytest.fixture(scope="module")
def scenario(moto_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    request = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(request).close()
    manifest = seed_organization(moto_server, members=1, regions=(REGION,), per_type=1)
    tmp = tmp_path_factory.mktemp("history")
    dbs = {"sqlite": Inventory(f"sqlite:///{tmp}/inventory.db")}
    pg_name = f"inventory_history_{secrets.token_hex(5)}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{pg_name}"'))
    except DatabaseUnavailable:
        if os.environ.get("CI"):
            raise
    else:
        url = make_url(pg_server_url()).set(database=pg_name)
        dbs["postgresql"] = Inventory(url.render_as_string(hide_password=False))
    config_path = tmp / "config.toml"
    config_path.write_text(f"[report]\nrequired_tags = {json.dumps(REQUIRED_TAGS)}\n")
    stale_path = tmp / "stale.toml"
    stale_path.write_text("[report]\nstale_after_days = 0\n")
    role = ""
    try:
        for inv in dbs.values():
            _collect(moto_server, inv)
            inv.live_after_run1 = asyncio.run(_live(inv.url))
        arns = _mutate(moto_server, manifest)
        for inv in dbs.values():
            _collect(moto_server, inv)
            inv.reader = inv.url
        if "postgresql" in dbs:
            role, dbs["postgresql"].reader = asyncio.run(create_reader_role(dbs["postgresql"].url))
        yield Scenario(manifest, arns, dbs, config_path, stale_path)
    finally:
        if "postgresql" in dbs:
            if role:
                asyncio.run(drop_reader_role(dbs["postgresql"].url, role))
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def inv(request: pytest.FixtureRequest, scenario: Scenario) -> Inventory:
    if request.param not in scenario.dbs:
        pytest.skip(f"PostgreSQL not reachable (set {PG_URL_ENV})")
    return scenario.dbs[request.param]


def cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result


def ok_json(*args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- diff ---------------------------------------------------------------------------------------


def test_diff_lists_created_modified_deleted(scenario: Scenario, inv: Inventory) -> None:
    a = scenario.arns
    entries = ok_json("diff", "--db", inv.reader)
    by_arn = {e["arn"]: e for e in entries}
    assert {arn for arn, e in by_arn.items() if e["change"] == "created"} == {
        a["new_volume"],
        a["new_address"],
        a["public_bucket"],
    }
    deleted = {arn for arn, e in by_arn.items() if e["change"] == "deleted"}
    assert {a["terminated_instance"], a["deleted_queue"]} <= deleted
    assert by_arn[a["opened_group"]]["changed_fields"] == ["IpPermissions"]
    assert by_arn[a["retagged_volume"]]["changed_fields"] == ["Tags"]
    assert "State" in by_arn[a["stopped_instance"]]["changed_fields"]
    assert ok_json("diff", "--db", inv.reader, "--since", str(inv.run_ids[0])) == entries
    assert ok_json("diff", "--db", inv.reader, "--since", str(inv.run_ids[1])) == []
    # Since before the first run: everything alive is "created".
    everything = ok_json("diff", "--db", inv.reader, "--since", "2000-01-01")
    assert {e["change"] for e in everything} == {"created"}
    assert {e["arn"] for e in everything} == asyncio.run(_live(inv.url))

    table = cli("diff", "--db", inv.reader)
    assert table.exit_code == 0 and "IpPermissions" in table.stdout
    assert "3 created" in table.stdout
    md = cli("diff", "--db", inv.reader, "--format", "markdown")
    assert md.stdout.startswith("| change | account_id |")
    rows = list(csv.DictReader(io.StringIO(cli("diff", "--db", inv.reader, "-f", "csv").stdout)))
    assert {r["arn"] for r in rows} == set(by_arn)
    bad = cli("diff", "--db", inv.reader, "--since", "999")
    assert bad.exit_code == 2 and "no run 999" in bad.stderr


# -- --as-of --------------------------------------------------------------------------------------


def test_query_as_of_a_past_run(scenario: Scenario, inv: Inventory) -> None:
    a = scenario.arns
    run1, run2 = inv.run_ids
    sql = "SELECT arn FROM resources"
    then = {r["arn"] for r in ok_json("query", sql, "--db", inv.reader, "--as-of", str(run1))}
    assert then == inv.live_after_run1
    assert a["terminated_instance"] in then and a["new_volume"] not in then
    now = {r["arn"] for r in ok_json("query", sql, "--db", inv.reader, "--as-of", str(run2))}
    assert now == asyncio.run(_live(inv.url))

    tags_sql = f"SELECT key, value FROM resource_tags WHERE arn = '{a['retagged_volume']}'"
    old_tags = {r["key"] for r in ok_json("query", tags_sql, "--db", inv.reader, "--as-of", str(run1))}
    new_tags = {r["key"] for r in ok_json("query", tags_sql, "--db", inv.reader)}
    assert "team" in old_tags and "owner" not in old_tags
    assert "owner" in new_tags and "team" not in new_tags

    rules = "SELECT group_id FROM ec2_security_group_rules WHERE source = '0.0.0.0/0' AND from_port = 22"
    assert ok_json("query", rules, "--db", inv.reader, "--as-of", str(run1)) == []
    assert len(ok_json("query", rules, "--db", inv.reader)) == 1
    states = "SELECT arn, state FROM ec2_instances"
    assert {
        r["state"] for r in ok_json("query", states, "--db", inv.reader, "--as-of", str(run1))
    } == {"running"}

    # A date: the last run started by then (here: the future -> the latest run).
    by_date = cli("query", "SELECT count(*) AS n FROM resources", "--db", inv.reader, "--as-of",
                  "2999-01-01", "-f", "json")  # fmt: skip
    assert by_date.exit_code == 0 and f"as of run {run2}" in by_date.stderr
    too_early = cli("query", sql, "--db", inv.reader, "--as-of", "2000-01-01")
    assert too_early.exit_code == 2 and "no finished run" in too_early.stderr


# -- saved queries ----------------------------------------------------------------------------------


def test_saved_queries_are_listed_with_descriptions() -> None:
    assert len(SAVED) >= 10
    listed = ok_json("query", "--list")
    assert [q["name"] for q in listed] == SAVED
    assert all(q["description"] for q in listed)
    unknown = cli("query", "--saved", "open_ssh")
    assert unknown.exit_code == 2 and "did you mean open_ssh_rdp" in unknown.stderr
    both = cli("query", "SELECT 1", "--saved", "open_ssh_rdp")
    assert both.exit_code == 2


@pytest.mark.parametrize("name", SAVED)
def test_every_saved_query_runs(scenario: Scenario, inv: Inventory, name: str) -> None:
    cfg = str(scenario.config_path)
    now = ok_json("query", "--saved", name, "--db", inv.reader, "--config", cfg)
    then = ok_json("query", "--saved", name, "--db", inv.reader, "--config", cfg, "--as-of",
                   str(inv.run_ids[0]))  # fmt: skip
    EXPECT.get(name, lambda *_: None)(scenario, now, then)
    md = cli("query", "--saved", name, "--db", inv.reader, "--config", cfg, "-f", "markdown")
    assert md.exit_code == 0 and md.stdout.startswith("| "), md.output


def _ids(rows: list[dict[str, Any]], key: str) -> set[str]:
    return {str(r[key]) for r in rows}


def _expect_ssh(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    group = s.arns["opened_group"].rsplit("/", 1)[1]
    assert {(r["group_id"], r["exposed"], r["source"]) for r in now} == {
        (group, "SSH", "0.0.0.0/0"),
        (group, "RDP", "::/0"),
    }
    assert then == []


def _expect_volumes(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    new = s.arns["new_volume"].rsplit("/", 1)[1]
    assert new in _ids(now, "volume_id") and new not in _ids(then, "volume_id")
    assert next(r for r in now if r["volume_id"] == new)["size_gib"] == 7


def _expect_eips(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    assert _ids(now, "allocation_id") == {s.arns["new_address"].rsplit("/", 1)[1]}
    assert then == []


def _expect_stopped(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    assert _ids(now, "instance_id") == {s.arns["stopped_instance"].rsplit("/", 1)[1]}
    assert then == []


def _expect_buckets(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    assert {(r["bucket_name"], r["why"]) for r in now} == {
        ("history-www-assets", "tagged as public")
    }
    assert then == []


def _expect_changes(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    arns = {(r["arn"], r["change"]) for r in now}
    assert (s.arns["new_volume"], "created") in arns
    assert (s.arns["deleted_queue"], "deleted") in arns
    fields = {r["arn"]: r["changed_fields"] for r in now if r["change"] == "modified"}
    assert fields[s.arns["opened_group"]] in (["IpPermissions"], '["IpPermissions"]')


def _expect_missing(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    missing = {(r["resource_id"], r["missing_tag"]) for r in now}
    volume = s.arns["retagged_volume"].rsplit("/", 1)[1]
    assert (volume, "owner") not in missing and (volume, "owner") in {
        (r["resource_id"], r["missing_tag"]) for r in then
    }
    assert {tag for _, tag in missing} == {"owner", "env"}


def _expect_counts(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    assert all(r["resources"] > 0 for r in now)
    assert set(CORE_TYPES) - {r["resource_type"] for r in now} <= {"AWS::SQS::Queue"}
    assert {r["resource_type"] for r in then} == set(CORE_TYPES)


def _expect_accounts(s: Scenario, now: list[dict[str, Any]], then: list[dict[str, Any]]) -> None:
    assert _ids(now, "account_id") == set(s.manifest.account_ids)


EXPECT = {
    "open_ssh_rdp": _expect_ssh,
    "unattached_volumes": _expect_volumes,
    "unassociated_elastic_ips": _expect_eips,
    "stopped_instances": _expect_stopped,
    "public_s3_buckets": _expect_buckets,
    "changes_last_24h": _expect_changes,
    "missing_required_tags": _expect_missing,
    "resources_by_type": _expect_counts,
    "resources_by_account": _expect_accounts,
    "failed_scopes_last_run": lambda s, now, then: assert_empty(now),
    "stale_accounts": lambda s, now, then: assert_empty(now),
}


def assert_empty(rows: list[dict[str, Any]]) -> None:
    assert rows == []


def test_counts_agree_and_stale_accounts_follow_the_config(
    scenario: Scenario, inv: Inventory
) -> None:
    live = len(asyncio.run(_live(inv.url)))
    for name, key in (
        ("resources_by_account", "resources"),
        ("resources_by_region", "resources"),
        ("resources_by_type", "resources"),
    ):
        assert sum(r[key] for r in ok_json("query", "--saved", name, "--db", inv.reader)) == live
    stale = ok_json(
        "query", "--saved", "stale_accounts", "--db", inv.reader, "--config",
        str(scenario.stale_config_path),
    )  # fmt: skip
    assert _ids(stale, "account_id") == set(scenario.manifest.account_ids)
    assert {r["last_ok_run_id"] for r in stale} == {inv.run_ids[1]}


def _readme_queries() -> list[str]:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Typed views", 1)[1].split("### Saved queries", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```sql")[1:]]
    statements = [s.strip() for b in blocks for s in b.split(";")]
    return [
        s for s in statements if s and not all(line.startswith("--") for line in s.splitlines())
    ]


def test_readme_typed_view_examples_run(inv: Inventory) -> None:
    queries = _readme_queries()
    assert len(queries) >= 5
    for sql in queries:
        result = cli("query", "--db", inv.reader, "--format", "json", "--", sql)
        assert result.exit_code == 0, (sql, result.output)
        json.loads(result.stdout)


# -- reports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html"])
def test_report_in_every_format(
    scenario: Scenario, inv: Inventory, fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / f"report.{fmt}"
    result = cli(
        "report", "--db", inv.reader, "--config", str(scenario.config_path), "--format", fmt,
        "--output", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    body = out.read_text(encoding="utf-8")
    live = len(asyncio.run(_live(inv.url)))
    if fmt == "json":
        report = json.loads(body)
        assert report["summary"]["totals"]["resources"] == live
        assert report["changes"]["counts"]["created"] == 3
        assert report["changes"]["since_run"] == inv.run_ids[0]
        trend = report["trend"]["runs"]
        assert [r["run_id"] for r in trend] == inv.run_ids
        assert [r["resources"] for r in trend] == [len(inv.live_after_run1), live]
        tags = report["tags"]
        assert tags["required_tags"] == REQUIRED_TAGS
        assert tags["compliant"] == 1  # the volume that got an owner
        assert {t["key"] for t in tags["by_tag"]} == {"owner", "env"}
        assert report["health"]["status_counts"]["error"] == 0
        assert report["health"]["latest_run"]["id"] == inv.run_ids[1]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body)))
        sections = {r["section"] for r in rows}
        assert {
            "total",
            "by_account",
            "by_type",
            "change",
            "tag_missing",
            "ledger",
            "trend",
        } <= sections
        assert next(r for r in rows if r["section"] == "total" and r["key"] == "resources")[
            "value"
        ] == str(live)
    elif fmt == "md":
        for heading in ("## Summary", "## Changes since the previous run", "## Tag compliance",
                        "## Collection health", "## Trend"):  # fmt: skip
            assert heading in body
        assert "history-www-assets" in body
    else:
        assert body.startswith("<!DOCTYPE html>")
        assert body.count('<svg class="chart') >= 8
        assert "history-www-assets" in body
        # Self-contained: nothing fetched from anywhere (the SVG namespace is not a fetch).
        assert "src=" not in body and "<link" not in body and "<script" not in body
        assert body.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0


# -- prune (last: it changes the inventories) ----------------------------------------------------


def test_prune_then_history_still_answers(scenario: Scenario, inv: Inventory) -> None:
    run1, run2 = inv.run_ids
    before_live = asyncio.run(_live(inv.url))
    dry = cli("prune", "--db", inv.url, "--keep-runs", "1", "--dry-run")
    assert dry.exit_code == 0 and "would remove" in dry.stdout, dry.output
    assert ok_json("query", "SELECT arn FROM resources", "--db", inv.reader, "--as-of", str(run1))
    done = cli("prune", "--db", inv.url, "--keep-runs", "1")
    assert done.exit_code == 0 and f"history before run {run2}: removed" in done.stdout
    assert asyncio.run(_live(inv.url)) == before_live
    gone = cli("query", "SELECT 1", "--db", inv.reader, "--as-of", str(run1))
    assert gone.exit_code == 2 and "pruned" in gone.stderr
    now = {r["arn"] for r in ok_json("query", "SELECT arn FROM resources", "--db", inv.reader,
                                      "--as-of", str(run2))}  # fmt: skip
    assert now == before_live
    assert ok_json("diff", "--db", inv.reader, "--since", str(run2)) == []
    report = cli("report", "--db", inv.reader, "--format", "json")
    assert report.exit_code == 0
    assert [r["run_id"] for r in json.loads(report.stdout)["trend"]["runs"]] == [run2]
    usage = cli("prune", "--db", inv.url)
    assert usage.exit_code == 2
