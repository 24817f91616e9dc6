"""The plain way: one boto3 loop, one call at a time, over the collector's operations.

Lists the organization's ACTIVE accounts, assumes the role in each member (the management
account is read directly), asks each account for its enabled regions, then for every region
and resource type makes the calls the collector makes (same list parameters, page sizes and
detail calls, see ``benchmarks/plain.py``), page after page, item after item. Nothing is
normalized or stored; items are only counted.

    python -m benchmarks.sequential --url URL    # prints one JSON object
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from benchmarks import plain

ROLE = "OrganizationAccountAccessRole"
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 6})


def paginate(client: Any, rtype: Any) -> Any:
    if client.can_paginate(rtype.operation):
        yield from client.get_paginator(rtype.operation).paginate(**plain.list_params(rtype))
    else:
        yield getattr(client, rtype.operation)(**dict(rtype.params))


def inventory_account(session: boto3.Session, url: str, home: str) -> tuple[int, int]:
    clients: dict[tuple[str, str], Any] = {}

    def client(service: str, region: str) -> Any:
        if (service, region) not in clients:
            clients[(service, region)] = session.client(
                service, region_name=region, endpoint_url=url, config=CONFIG
            )
        return clients[(service, region)]

    regions = client("ec2", home).describe_regions(
        Filters=[{"Name": "opt-in-status", "Values": ["opt-in-not-required", "opted-in"]}]
    )
    items = calls = 0
    for rtype in plain.core_types():
        scopes = [rtype.home_region] if rtype.global_ else [r["RegionName"] for r in regions["Regions"]]
        for region in sorted(scopes):
            c = client(rtype.service, region)
            for page in paginate(c, rtype):
                calls += 1
                found = plain.items_of(rtype, page)
                for detail in rtype.details:
                    for call in list(plain.detail_calls(detail, found)):
                        calls += 1
                        try:
                            response = getattr(c, detail.operation)(**call.params)
                        except ClientError as e:
                            if not plain.absent(call, e):
                                raise
                            response = None
                        plain.fold(call, response)
                items += len(found)
    return items, calls


def run(url: str, home: str = "us-east-1", sample: int | None = None) -> dict[str, Any]:
    base = boto3.Session(region_name=home)
    sts = base.client("sts", endpoint_url=url, config=CONFIG)
    me = sts.get_caller_identity()["Account"]
    org = base.client("organizations", endpoint_url=url, config=CONFIG)
    accounts = [
        a["Id"]
        for page in org.get_paginator("list_accounts").paginate()
        for a in page["Accounts"]
        if (a.get("State") or a.get("Status")) == "ACTIVE"
    ]
    chosen = sorted(accounts)[-sample:] if sample else sorted(accounts)
    items = calls = 0
    for account in chosen:
        if account == me:
            session = base
        else:
            creds = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="sequential"
            )["Credentials"]
            session = boto3.Session(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
                region_name=home,
            )
        n, c = inventory_account(session, url, home)
        items += n
        calls += c
    return {"accounts": len(accounts), "accounts_run": len(chosen), "resources": items,
            "calls": calls}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--sample", type=int, help="only the last N accounts (quick runs)")
    args = parser.parse_args(argv)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAFAKEMANAGEMENT00")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "fake")
    started = time.perf_counter()
    out = run(args.url, sample=args.sample)
    out["wall_s"] = round(time.perf_counter() - started, 3)
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
