"""`inventory demo`: a whole run against a local emulated organization, offline."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

from rich.console import Console

from collector.config import parse
from collector.engine.gcsettings import tune_for_collection
from collector.registry import REGISTRY
from collector.registry.docs import NOT_IN_MOTO
from collector.reporting.formats import render
from collector.reporting.query import run_sql
from collector.run.collect import Collector

DEMO_REGIONS = ("us-east-1", "eu-west-1")

EXAMPLES = (
    (
        "Resources per account",
        "SELECT account_id, count(*) AS resources FROM resources "
        "WHERE deleted_at IS NULL GROUP BY account_id ORDER BY account_id",
    ),
    (
        "EC2 instances without an 'owner' tag",
        "SELECT r.account_id, r.region, r.resource_id, r.name FROM resources r "
        "WHERE r.resource_type = 'AWS::EC2::Instance' AND r.deleted_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM resource_tags t WHERE t.arn = r.arn AND t.key = 'owner') "
        "ORDER BY r.account_id, r.region, r.resource_id",
    ),
    (
        "S3 buckets by region",
        "SELECT region, count(*) AS buckets FROM resources "
        "WHERE resource_type = 'AWS::S3::Bucket' AND deleted_at IS NULL "
        "GROUP BY region ORDER BY region",
    ),
)


# Types the run listed without an error, and types it found resources of.
TYPES_SQL = (
    "SELECT (SELECT count(DISTINCT resource_type) FROM scan_results WHERE run_id = {run} "
    "AND status = 'ok'), (SELECT count(DISTINCT resource_type) FROM resources "
    "WHERE deleted_at IS NULL)"
)


def _fake_credentials() -> None:
    # moto accepts any key; make sure a developer's real profile is never used by the demo.
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    os.environ["AWS_DEFAULT_REGION"] = DEMO_REGIONS[0]
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(var, None)
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    # moto otherwise gives every account ~1,300 snapshots of its public AMI catalogue, which
    # real accounts do not own.
    os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"


def run_demo(db_path: Path, *, members: int, console: Console) -> int:
    from moto.server import ThreadedMotoServer

    from collector.demo.seed import seed_organization

    _fake_credentials()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per moto request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        console.print(f"moto server on {endpoint}; seeding an organization ...")
        started = time.monotonic()
        manifest = seed_organization(endpoint, members=members, regions=DEMO_REGIONS)
        console.print(
            f"seeded {len(manifest.resources)} resources in {1 + len(manifest.member_account_ids)} "
            f"accounts x {len(DEMO_REGIONS)} regions in {time.monotonic() - started:.1f}s"
        )
        if db_path.exists():
            db_path.unlink()
        url = f"sqlite:///{db_path}"
        cfg = parse(
            {
                "database": {"url": url},
                "aws": {"endpoint_url": endpoint, "region": DEMO_REGIONS[0]},
                "accounts": {"source": "organizations"},
                "regions": {"include": list(DEMO_REGIONS)},
                # Every type moto can serve; the rest are listed in docs/resources.md.
                "resources": {"include": sorted(set(REGISTRY) - set(NOT_IN_MOTO))},
            },
            "demo",
        )
        started = time.monotonic()
        tune_for_collection()
        summary = asyncio.run(Collector(cfg, url).run())
        elapsed = time.monotonic() - started
        _, ((listed, seen),) = asyncio.run(run_sql(url, TYPES_SQL.format(run=summary.run_id)))
        console.print(
            f"collected run {summary.run_id}: {summary.resources} resources of {seen} types "
            f"({listed} of {len(REGISTRY)} types listed; the others moto cannot serve), "
            f"{summary.scopes_ok} ok / {summary.scopes_error} error / "
            f"{summary.scopes_skipped} skipped scopes in {elapsed:.1f}s into {db_path}",
            markup=False,
        )
        counts_sql = (
            "SELECT account_id, resource_type, count(*) AS n FROM resources "
            "WHERE deleted_at IS NULL GROUP BY account_id, resource_type "
            "ORDER BY account_id, resource_type"
        )
        columns, rows = asyncio.run(run_sql(url, counts_sql))
        console.print("\n[bold]Resources per account and type[/]")
        console.print(render(columns, rows, "table"), markup=False)
        for title, sql in EXAMPLES:
            columns, rows = asyncio.run(run_sql(url, sql))
            console.print(f"\n{title}", style="bold", markup=False)
            console.print(f'$ inventory query --db {db_path} "{sql}"', markup=False)
            console.print(render(columns, rows, "table"), markup=False)
        return summary.exit_code
    finally:
        server.stop()
