"""Response parsing alone: botocore's stock parsers against the collector's compiled ones.

Captures the pages of one account and region of the CPU scenario (the 27 core types' list
calls and their detail calls, as the simulated endpoint serves them), then parses each body
with both parsers, same timestamp parser for both (the C one; stock botocore would use
dateutil, slower still), and prints the CPU per page (fastest of ``--repeat``) and the ratio
per operation and in all, as JSON.

    python -m benchmarks.parsing [--repeat 20]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from typing import Any

import boto3
import botocore.parsers
import botocore.session
from botocore.awsrequest import HeadersDict
from botocore.config import Config

from benchmarks import orgs, plain
from benchmarks.fakeaws import FakeAWSProcess
from collector.aws import fastparse
from collector.aws.clientsetup import parse_time

Body = tuple[str, str, Any, bytes, dict[str, str]]  # service, operation, shape, body, headers


def capture(url: str, region: str = "us-east-1") -> list[Body]:
    """The bodies of the core types' list and detail calls in one account and region."""
    session = boto3.Session(region_name=region)
    config = Config(retries={"mode": "standard"})
    bodies: list[Body] = []
    for rtype in plain.core_types():
        client = session.client(rtype.service, endpoint_url=url, config=config)
        if client.meta.service_model.protocol not in fastparse.FAST_PARSERS:
            continue

        def keep(http_response: Any, model: Any, **_: Any) -> None:
            bodies.append((model.service_model.service_name, model.name, model.output_shape,
                           http_response.content, dict(http_response.headers)))  # fmt: skip

        client.meta.events.register("after-call", keep)
        pages = (
            client.get_paginator(rtype.operation).paginate(**plain.list_params(rtype))
            if client.can_paginate(rtype.operation)
            else [getattr(client, rtype.operation)(**dict(rtype.params))]
        )
        for page in pages:
            found = plain.items_of(rtype, page)
            for detail in rtype.details:
                for call in list(plain.detail_calls(detail, found)):
                    with contextlib.suppress(client.exceptions.ClientError):
                        plain.fold(call, getattr(client, detail.operation)(**call.params))
    return bodies


def _cpu(parse: Any, shape: Any, body: bytes, headers: dict[str, str], repeat: int) -> float:
    """The fastest of ``repeat`` parses (CPU seconds): the least disturbed by the machine and
    by garbage collections that a previous parse left due."""
    best = float("inf")
    for _ in range(repeat):
        response = {"status_code": 200, "headers": HeadersDict(headers), "body": body,
                    "context": {}}  # fmt: skip
        start = time.process_time()
        parse(response, shape)
        best = min(best, time.process_time() - start)
    return best


def measure(bodies: list[Body], repeat: int) -> dict[str, Any]:
    per_op: dict[str, dict[str, float]] = {}
    for service, operation, shape, body, headers in bodies:
        model_protocol = _MODELS.get_service_model(service).protocol
        stock = botocore.parsers.create_parser(model_protocol)
        stock._timestamp_parser = parse_time
        fast = fastparse.FAST_PARSERS[model_protocol](timestamp_parser=parse_time)
        fast_sync = _sync(fast)
        _cpu(fast_sync, shape, body, headers, 1)  # compile outside the timing
        row = per_op.setdefault(f"{service}.{operation}", {"pages": 0, "stock_ms": 0.0,
                                                          "compiled_ms": 0.0})  # fmt: skip
        row["pages"] += 1
        row["stock_ms"] += _cpu(stock.parse, shape, body, headers, repeat) * 1e3
        row["compiled_ms"] += _cpu(fast_sync, shape, body, headers, repeat) * 1e3
    stock_total = sum(r["stock_ms"] for r in per_op.values())
    fast_total = sum(r["compiled_ms"] for r in per_op.values())
    for row in per_op.values():
        row["ratio"] = round(row["stock_ms"] / row["compiled_ms"], 2) if row["compiled_ms"] else 0
        row["stock_ms"] = round(row["stock_ms"], 3)
        row["compiled_ms"] = round(row["compiled_ms"], 3)
    return {
        "pages": len(bodies),
        "stock_ms": round(stock_total, 2),
        "compiled_ms": round(fast_total, 2),
        "ratio": round(stock_total / fast_total, 2),
        "per_operation": per_op,
    }


def _sync(parser: Any) -> Any:
    """The compiled parser's result, without the event loop around aiobotocore's async
    ``parse`` (the same steps, so that only parsing is timed)."""

    def parse(response: dict[str, Any], shape: Any) -> Any:
        coroutine = parser.parse(response, shape)
        try:
            coroutine.send(None)
        except StopIteration as done:
            return done.value
        raise RuntimeError("parsing awaited something")

    return parse


_MODELS = botocore.session.get_session()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIAFAKEMANAGEMENT00")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "fake")
    with FakeAWSProcess(orgs.cpu_scenario(1), prewarm=True) as fake:
        bodies = capture(fake.url)
    print(json.dumps(measure(bodies, args.repeat), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
