"""Run the collector's real engine (Sessions + Fetcher) over a list of jobs against an endpoint
(moto or the simulated one) and keep every record and ledger entry: what the per-type tests
compare with what the endpoint served."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from collector.aws.sessions import AccountTarget, Sessions
from collector.aws.throttle import Throttles
from collector.config import AwsConfig, ThrottleConfig
from collector.engine.fetch import Fetcher, Job
from collector.records import Record, ScanResult


async def fetch_all(
    url: str, account: str, jobs: Sequence[Job], *, max_attempts: int | None = None
) -> tuple[list[Record], list[ScanResult]]:
    aws = AwsConfig(endpoint_url=url)
    if max_attempts is not None:
        aws = AwsConfig(endpoint_url=url, max_attempts=max_attempts)
    sessions = Sessions(aws, session_name="t", max_pool_connections=32)
    records: list[Record] = []

    async def sink(record: Record) -> None:
        records.append(record)

    try:
        await sessions.open_account(AccountTarget(account))
        fetcher = Fetcher(
            sessions,
            Throttles(ThrottleConfig(default_rate=10_000, rates={})),
            max_concurrency=32,
            detail_concurrency=4,
            sink=sink,
        )
        results = await asyncio.gather(*(fetcher.run(j) for j in jobs))
    finally:
        await sessions.close()
    return records, list(results)
