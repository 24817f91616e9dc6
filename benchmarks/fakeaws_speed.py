"""How much CPU the fake spends per returned EC2 instance, and the client per parsed instance.

    python -m benchmarks.fakeaws_speed [--instances 20000] [--page 1000] [--requests 2000]

The fake runs in its own process (its CPU is read from ``/_fake/stats``); the client side is
this process. Three passes over the same instances: cold (items generated and rendered), warm
(served from the fragment cache) and raw (warm, but the client only reads the bytes, so the
wall time is bounded by the server). Then many small calls, to show the per-request cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import urllib.request
from typing import Any

import aiobotocore.session
import aiohttp
from botocore.config import Config

from benchmarks.fakeaws import FakeAWSProcess, Scenario

KEY = "AKIAIOSFODNN7EXAMPLE"
INSTANCE = "AWS::EC2::Instance"


def server_cpu(url: str) -> float:
    with urllib.request.urlopen(f"{url}/_fake/stats", timeout=30) as r:
        return float(json.load(r)["process_cpu_s"])


async def paginate(client: Any, page: int) -> tuple[int, int]:
    n = pages = 0
    async for p in client.get_paginator("describe_instances").paginate(
        PaginationConfig={"PageSize": page}
    ):
        pages += 1
        n += sum(len(r["Instances"]) for r in p["Reservations"])
    return n, pages


async def raw_pass(url: str, total: int, page: int) -> tuple[int, int]:
    """Fetch every page without parsing (the token is cut out of the XML)."""
    headers = {
        "Authorization": f"AWS4-HMAC-SHA256 Credential={KEY}/20250101/us-east-1/ec2/aws4_request, "
        "SignedHeaders=host, Signature=0",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    token = ""
    nbytes = pages = 0
    async with aiohttp.ClientSession() as http:
        while True:
            body = f"Action=DescribeInstances&Version=2016-11-15&MaxResults={page}"
            if token:
                body += f"&NextToken={token}"
            async with http.post(url + "/", data=body, headers=headers) as r:
                data = await r.read()
            nbytes += len(data)
            pages += 1
            i = data.find(b"<nextToken>")
            if i < 0:
                return nbytes, pages
            token = data[i + 11 : data.index(b"</nextToken>")].decode()


async def small_calls(client: Any, n: int) -> None:
    sem = asyncio.Semaphore(20)

    async def one() -> None:
        async with sem:
            await client.describe_vpcs(MaxResults=5)

    await asyncio.gather(*(one() for _ in range(n)))


async def run(args: argparse.Namespace) -> dict[str, Any]:
    scenario = Scenario.simple(
        members=0,
        regions=["us-east-1"],
        items={INSTANCE: args.instances, "AWS::EC2::VPC": 3},
        throttle={},
    )
    out: dict[str, Any] = {"instances": args.instances, "page": args.page}
    with FakeAWSProcess(scenario) as fake:
        session = aiobotocore.session.get_session()
        async with session.create_client(
            "ec2",
            region_name="us-east-1",
            endpoint_url=fake.url,
            aws_access_key_id=KEY,
            aws_secret_access_key="x",
            config=Config(max_pool_connections=20),
        ) as ec2:
            await ec2.describe_vpcs(MaxResults=5)  # warm up the client
            for label in ("cold", "warm"):
                s0, c0, w0 = server_cpu(fake.url), time.process_time(), time.perf_counter()
                n, pages = await paginate(ec2, args.page)
                c1, w1, s1 = time.process_time(), time.perf_counter(), server_cpu(fake.url)
                assert n == args.instances, n
                out[label] = {
                    "pages": pages,
                    "wall_s": round(w1 - w0, 3),
                    "server_cpu_us_per_instance": round((s1 - s0) / n * 1e6, 1),
                    "client_cpu_us_per_instance": round((c1 - c0) / n * 1e6, 1),
                }
            s0, w0 = server_cpu(fake.url), time.perf_counter()
            nbytes, pages = await raw_pass(fake.url, args.instances, args.page)
            w1, s1 = time.perf_counter(), server_cpu(fake.url)
            out["raw_warm"] = {
                "pages": pages,
                "bytes_per_instance": nbytes // args.instances,
                "wall_s": round(w1 - w0, 3),
                "server_cpu_us_per_instance": round((s1 - s0) / args.instances * 1e6, 1),
            }
            s0, c0, w0 = server_cpu(fake.url), time.process_time(), time.perf_counter()
            await small_calls(ec2, args.requests)
            c1, w1, s1 = time.process_time(), time.perf_counter(), server_cpu(fake.url)
            out["small_calls"] = {
                "requests": args.requests,
                "server_cpu_us_per_request": round((s1 - s0) / args.requests * 1e6, 1),
                "client_cpu_us_per_request": round((c1 - c0) / args.requests * 1e6, 1),
                "wall_s": round(w1 - w0, 3),
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--instances", type=int, default=20000)
    ap.add_argument("--page", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=2000)
    print(json.dumps(asyncio.run(run(ap.parse_args())), indent=2))


if __name__ == "__main__":
    main()
