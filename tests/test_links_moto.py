"""Relationships end to end: seeded in moto, collected into SQLite and PostgreSQL, read back from
``resource_links``; then one edge is removed, the next run ends it, and ``--as-of`` still
shows it at the run where it existed.

The expected edges are the ones tests/seed_links.py wrote down from what it created.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pydot
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from collector.cli import app
from collector.config import parse
from collector.reporting.query import run_query
from collector.run.collect import Collector
from collector.store import make_engine
from tests.conftest_db import (
    PG_URL_ENV,
    _admin,
    create_reader_role,
    drop_reader_role,
    pg_server_url,
)
from tests.seed_links import LINK_TYPES, REGION, Edges, Seeded, seed, seed_databases_and_containers

FAMILIES = {
    "ec2": ("AWS::EC2::Instance", "AWS::EC2::Volume", "AWS::EC2::NetworkInterface",
            "AWS::EC2::SecurityGroup", "AWS::EC2::Subnet"),
    "vpc networking": ("AWS::EC2::InternetGateway", "AWS::EC2::RouteTable",
                       "AWS::EC2::VPCPeeringConnection", "AWS::EC2::VPCEndpoint"),
    "load balancing": ("AWS::ElasticLoadBalancingV2::LoadBalancer",
                       "AWS::ElasticLoadBalancingV2::TargetGroup",
                       "AWS::ElasticLoadBalancingV2::Listener"),
    "lambda": ("AWS::Lambda::Function",),
    "rds": ("AWS::RDS::DBInstance", "AWS::RDS::DBSubnetGroup"),
    "ecs and eks": ("AWS::ECS::Service", "AWS::ECS::TaskDefinition", "AWS::EKS::Cluster"),
    "iam": ("AWS::IAM::InstanceProfile", "AWS::IAM::Role", "AWS::IAM::User",
            "AWS::IAM::Group"),
    "kms encryption": ("AWS::KMS::Alias", "AWS::SQS::Queue", "AWS::SNS::Topic",
                       "AWS::S3::Bucket"),
}  # fmt: skip


@dataclass
class Scenario:
    seeded: Seeded
    types: dict[str, str]  # source ARN -> resource type
    urls: dict[str, str]
    runs: dict[str, list[int]] = field(default_factory=dict)
    # What the read commands connect with: on PostgreSQL a least-privilege reader role (they
    # refuse a superuser), on SQLite the file itself.
    readers: dict[str, str] = field(default_factory=dict)


def _config(endpoint: str, db: str) -> Any:
    return parse(
        {
            "database": {"url": db},
            "aws": {"endpoint_url": endpoint},
            "regions": {"include": [REGION]},
            "resources": {"include": LINK_TYPES},
        }
    )


def _collect(endpoint: str, url: str) -> int:
    summary = asyncio.run(Collector(_config(endpoint, url), url).run())
    assert summary.exit_code == 0, summary
    return summary.run_id


async def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(text(sql))]
    finally:
        await engine.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    return asyncio.run(_rows(url, sql))


def live_edges(url: str) -> Edges:
    out: Edges = {}
    sql = "SELECT source_arn, kind, target_arn FROM resource_links WHERE deleted_at IS NULL"
    for source, kind, target in rows(url, sql):
        out.setdefault(source, set()).add((kind, target))
    return out


@pytest.fixture(scope="module")
def scenario(moto_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    request = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")
    urllib.request.urlopen(request).close()
    seeded = seed(moto_server)
    seed_databases_and_containers(moto_server, seeded)
    urls = {"sqlite": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('links') / 'inv.db'}"}
    pg_name = f"inventory_links_{secrets.token_hex(4)}"
    if os.environ.get(PG_URL_ENV):  # CI runs them; a laptop without PostgreSQL may not
        asyncio.run(_admin(f'CREATE DATABASE "{pg_name}"'))
        urls["postgresql"] = (
            make_url(pg_server_url()).set(database=pg_name).render_as_string(hide_password=False)
        )
    sc = Scenario(seeded, {}, urls)
    role = None
    try:
        for name, url in urls.items():
            sc.runs[name] = [_collect(moto_server, url)]
        sc.readers = dict(urls)
        if "postgresql" in urls:
            role, sc.readers["postgresql"] = asyncio.run(create_reader_role(urls["postgresql"]))
        sc.types = dict(rows(urls["sqlite"], "SELECT arn, resource_type FROM resources"))
        yield sc
    finally:
        if role is not None:
            asyncio.run(drop_reader_role(urls["postgresql"], role))
        if "postgresql" in urls:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_stores_exactly_the_seeded_edges(scenario: Scenario, family: str) -> None:
    expected = {
        source: edges
        for source, edges in scenario.seeded.edges.items()
        if scenario.types.get(source) in FAMILIES[family]
    }
    assert expected, f"the seed made nothing of {family}, or it was not collected"
    for name, url in scenario.urls.items():
        got = live_edges(url)
        for source, edges in expected.items():
            assert got.get(source, set()) == edges, (name, source)


def test_every_seeded_source_was_collected(scenario: Scenario) -> None:
    missing = set(scenario.seeded.edges) - set(scenario.types)
    assert not missing


def test_dangling_view_marks_the_uncollected_image(scenario: Scenario) -> None:
    image = scenario.seeded.ids["image_arn"]  # moto's catalogue AMI: not owned, not collected
    for url in scenario.urls.values():
        got = rows(url, "SELECT source_arn, kind, target_arn, reason FROM resource_links_dangling")
        assert (scenario.seeded.ids["instance_arn"], "launched_from_image", image,
                "not_collected") in got  # fmt: skip
        # A collected target is never dangling.
        assert not [r for r in got if r[2] == scenario.seeded.ids["web_arn"]]


def graph_cli(*args: str) -> str:
    result = CliRunner().invoke(app, ["graph", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _expected_out(scenario: Scenario, source: str) -> set[tuple[str, str, str]]:
    return {(source, kind, target) for kind, target in scenario.seeded.edges[source]}


@pytest.mark.parametrize("fmt", ["json", "dot", "mermaid", "table"])
def test_graph_renders_the_instance_neighbourhood(scenario: Scenario, fmt: str) -> None:
    root = scenario.seeded.ids["instance_arn"]
    expected = _expected_out(scenario, root)
    targets = {t for _, _, t in expected}
    for url in scenario.readers.values():
        text_out = graph_cli(root, "--db", url, "--direction", "out", "--format", fmt)
        if fmt == "json":
            data = json.loads(text_out)
            assert data["root"] == root
            assert {(e["source"], e["kind"], e["target"]) for e in data["edges"]} == expected
            assert {n["arn"] for n in data["nodes"]} == targets | {root}
        elif fmt == "dot":
            with warnings.catch_warnings():  # pydot 4 still calls pyparsing's camelCase names
                warnings.simplefilter("ignore", DeprecationWarning)
                (parsed,) = pydot.graph_from_dot_data(text_out)
            got = {
                (e.get_source().strip('"'), e.get("label").strip('"'),
                 e.get_destination().strip('"'))
                for e in parsed.get_edges()
            }  # fmt: skip
            assert got == expected
            assert {n.get_name().strip('"') for n in parsed.get_nodes()} >= targets | {root}
        elif fmt == "mermaid":
            lines = text_out.strip().splitlines()
            assert lines[0] == "graph LR"
            edges = [ln for ln in lines if "-->" in ln]
            assert len(edges) == len(expected)
            assert all(re.fullmatch(r"  n\d+ -->\|[a-z_]+\| n\d+", ln) for ln in edges)
            assert len(lines) == 1 + len(targets | {root}) + len(expected)
        else:
            for kind in {k for _, k, _ in expected}:
                assert kind in text_out


def test_graph_follows_one_kind_inwards_two_hops(scenario: Scenario) -> None:
    ids = scenario.seeded.ids
    users = {s for s, edges in scenario.seeded.edges.items()
             if ("uses_security_group", ids["web_arn"]) in edges}  # fmt: skip
    for url in scenario.readers.values():
        data = json.loads(
            graph_cli(ids["instance_arn"], "--db", url, "--depth", "2", "--kind",
                      "uses_security_group", "--format", "json")
        )  # fmt: skip
        assert {e["source"] for e in data["edges"]} == users
        assert {e["target"] for e in data["edges"]} == {ids["web_arn"]}
        by_arn = {n["arn"]: n for n in data["nodes"]}
        assert by_arn[ids["web_arn"]]["depth"] == 1
        assert {a for a, n in by_arn.items() if n["depth"] == 2} == users - {ids["instance_arn"]}


def test_graph_refuses_an_unknown_start(scenario: Scenario) -> None:
    result = CliRunner().invoke(app, ["graph", "i-nothere", "--db", scenario.urls["sqlite"]])
    assert result.exit_code == 2
    assert "no resource" in result.output


NEW_QUERIES = [
    "dangling_references", "encrypted_with_key", "most_connected_resources",
    "resources_in_vpc", "roles_used_by_compute", "security_group_blast_radius",
    "volumes_of_stopped_instances",
]  # fmt: skip


def saved(url: str, name: str, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(
        app, ["query", "--saved", name, "--db", url, "-f", "json", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _sources(scenario: Scenario, kind: str, target: str) -> set[str]:
    return {s for s, edges in scenario.seeded.edges.items() if (kind, target) in edges}


@pytest.mark.parametrize("name", NEW_QUERIES)
def test_relationship_saved_queries(scenario: Scenario, name: str) -> None:
    ids, edges = scenario.seeded.ids, scenario.seeded.edges
    role = "arn:aws:iam::123456789012:role/app"
    for db, url in scenario.readers.items():
        got = saved(url, name)
        assert saved(url, name, "--as-of", str(scenario.runs[db][0])) == got, (db, name)
        if name == "security_group_blast_radius":
            web = {r["used_by"] for r in got if r["security_group"] == ids["web_arn"]}
            assert web == _sources(scenario, "uses_security_group", ids["web_arn"])
            assert {r["users"] for r in got if r["security_group"] == ids["web_arn"]} == {len(web)}
        elif name == "resources_in_vpc":
            subnets = _sources(scenario, "in_vpc", ids["vpc_arn"])
            inside = subnets | {s for s, e in edges.items() if {("in_subnet", n) for n in subnets} & e}
            found = {r["arn"] for r in got if r["vpc"] == ids["vpc_arn"]}
            # Besides the seed's: the VPC's own default security group and main route table.
            assert found & set(edges) == inside
            assert {scenario.types[a] for a in found - inside} <= {
                "AWS::EC2::SecurityGroup", "AWS::EC2::RouteTable"
            }
        elif name == "encrypted_with_key":
            assert {r["arn"] for r in got if r["kms_key"] == ids["key_arn"]} == _sources(
                scenario, "encrypted_with", ids["key_arn"]
            )
        elif name == "roles_used_by_compute":
            users = {(r["how"], r["used_by"]) for r in got if r["role_arn"] == role}
            expected = {(k, s) for s, e in edges.items() for k, t in e if t == role
                        and k != "contains_role"} | {("instance_profile", ids["instance_arn"])}
            assert users == expected
        elif name == "dangling_references":
            assert {(r["source_arn"], r["kind"], r["target_arn"], r["reason"]) for r in got} >= {
                (ids["instance_arn"], "launched_from_image", ids["image_arn"], "not_collected")
            }
        elif name == "most_connected_resources":
            by_arn = {r["arn"]: r for r in got}
            assert by_arn[ids["instance_arn"]]["outgoing"] == len(edges[ids["instance_arn"]])
        else:
            assert got == []  # nothing is stopped


def test_report_lists_most_connected_and_dangling_per_account(scenario: Scenario) -> None:
    ids = scenario.seeded.ids
    for url in scenario.readers.values():
        result = CliRunner().invoke(app, ["report", "--db", url, "--format", "json"])
        assert result.exit_code == 0, result.output
        rel = json.loads(result.stdout)["relationships"]
        top = saved(url, "most_connected_resources")[:5]
        assert [c["arn"] for c in rel["most_connected"]] == [t["arn"] for t in top]
        assert {c["account_id"] for c in rel["most_connected"]} == {"123456789012"}
        assert {
            "account_id": "123456789012", "region": REGION, "resource_type": "AWS::EC2::Instance",
            "source_arn": ids["instance_arn"], "kind": "launched_from_image",
            "target_arn": ids["image_arn"], "target_type": "AWS::EC2::Image",
            "reason": "not_collected",
        } in rel["dangling"]  # fmt: skip
        assert sum(n["edges"] for n in rel["dangling_counts"]) == len(
            saved(url, "dangling_references")
        )
        for fmt, heading in (("md", "## Relationships"), ("html", 'id="relationships"')):
            out = CliRunner().invoke(app, ["report", "--db", url, "--format", fmt])
            assert out.exit_code == 0 and heading in out.stdout, out.output
            assert ids["image_arn"] in out.stdout


def test_an_ended_edge_is_still_there_as_of_its_run(scenario: Scenario, moto_server: str) -> None:
    ids = scenario.seeded.ids
    ec2 = boto3.client("ec2", endpoint_url=moto_server, region_name=REGION)
    ec2.modify_instance_attribute(InstanceId=ids["instance"], Groups=[ids["db"]])
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=ids["pcx"])
    sql = (
        "SELECT target_arn FROM resource_links WHERE kind = 'uses_security_group' "
        f"AND source_arn = '{ids['instance_arn']}' AND deleted_at IS NULL"
    )
    for name, url in scenario.urls.items():
        first = scenario.runs[name][0]
        second = _collect(moto_server, url)
        reader = scenario.readers[name]
        now = asyncio.run(run_query(reader, sql)).rows
        then = asyncio.run(run_query(reader, sql, as_of=str(first))).rows
        assert now == [(ids["db_arn"],)], name
        assert then == [(ids["web_arn"],)], name
        for point, group in ((str(first), ids["web_arn"]), (None, ids["db_arn"])):
            args = ["--as-of", point] if point else []
            data = json.loads(
                graph_cli(ids["instance_arn"], "--db", reader, "--direction", "out", "--kind",
                          "uses_security_group", "--format", "json", *args)
            )  # fmt: skip
            assert [e["target"] for e in data["edges"]] == [group], (name, point)
        ended = rows(
            url,
            "SELECT deleted_run_id FROM resource_links WHERE target_arn = "
            f"'{ids['web_arn']}' AND source_arn = '{ids['instance_arn']}'",
        )
        assert ended == [(second,)], name
        # A deleted source ends all its edges, in the run that saw it gone.
        of_peering = rows(
            url,
            "SELECT deleted_run_id FROM resource_links WHERE source_arn = "
            f"'{ids['pcx_arn']}'",
        )
        assert of_peering and set(of_peering) == {(second,)}, name
        scenario.runs[name].append(second)


def test_prune_drops_only_edges_that_ended_before_the_cutoff(
    scenario: Scenario, moto_server: str
) -> None:
    from collector.history.prune import prune

    for name, url in scenario.urls.items():
        assert len(scenario.runs[name]) == 2, "runs after the --as-of test"
        third = _collect(moto_server, url)
        ended, live = rows(
            url,
            "SELECT count(deleted_run_id), count(*) - count(deleted_run_id) FROM resource_links",
        )[0]
        assert ended == 3  # the instance's old group, the peering's two VPCs

        async def go(url: str) -> int:
            engine = make_engine(url)
            try:
                return (await prune(engine, keep_runs=1)).links
            finally:
                await engine.dispose()

        assert asyncio.run(go(url)) == ended, name
        assert rows(url, "SELECT count(*) FROM resource_links") == [(live,)], name
        assert third > scenario.runs[name][1]


def test_readme_relationship_examples_run(scenario: Scenario) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Relationships", 1)[1].split("## History, queries and reports")[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```sql")[1:]]
    statements = [s.strip() for b in blocks for s in b.split(";") if s.strip()]
    assert len(statements) >= 5
    for url in scenario.readers.values():
        for sql in statements:
            result = CliRunner().invoke(app, ["query", "--db", url, "-f", "json", "--", sql])
            assert result.exit_code == 0, (sql, result.output)
            json.loads(result.stdout)
