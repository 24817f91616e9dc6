"""The compiled response parsers (``collector.aws.fastparse``) against botocore's own.

botocore's stock parser is the reference: for every operation the registry calls on a
protocol the compiled parsers cover, a response filled from the operation's whole output
shape (every member, lists of one and of two elements, maps, every scalar type, empty
strings) and serialized by the simulated endpoint's writer (``benchmarks/fakeaws/wire.py``,
which neither parser shares) must parse to exactly what botocore makes of it, and so must
error responses. A moto-served call checks the parser a real client gets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import botocore.parsers
import pytest
from botocore import xform_name
from botocore.awsrequest import HeadersDict

from benchmarks.fakeaws import wire
from collector.aws import fastparse
from collector.aws.clientsetup import parse_time
from collector.registry import REGISTRY

MAX_DEPTH = 5


def _operations() -> list[tuple[str, str]]:
    ops: set[tuple[str, str]] = set()
    for rtype in REGISTRY.values():
        ops.add((rtype.service, rtype.operation))
        for detail in rtype.details:
            ops.add((rtype.service, detail.operation))
    covered = set()
    for service, method in ops:
        model = wire.service_model(service)
        if model.protocol in fastparse.FAST_PARSERS:
            names = {xform_name(name): name for name in model.operation_names}
            covered.add((service, names.get(method, method)))
    return sorted(covered)


OPERATIONS = _operations()
# SimpleDB is the one query service with flattened lists (repeated elements, no wrapper): not
# collected, but its operations are where that path of the parser is exercised.
_SDB = wire.service_model("sdb")
FLATTENED = [("sdb", n) for n in _SDB.operation_names if _SDB.operation_model(n).output_shape]


class _Fill:
    """A value for every member of a shape; ``n`` varies lists' lengths and scalars."""

    def __init__(self) -> None:
        self.n = 0

    def value(self, shape: Any, depth: int = 0) -> Any:
        self.n += 1
        kind = shape.type_name
        if kind == "structure":
            if depth > MAX_DEPTH:
                return None
            members = list(shape.members.items())
            if shape.is_tagged_union:
                members = members[: 1 + self.n % max(1, len(members))][-1:]
            out = {}
            for name, member in members:
                if member.serialization.get("location") or member.serialization.get("eventstream"):
                    continue  # headers and streams are not in the body
                v = self.value(member, depth + 1)
                if v is not None:
                    out[name] = v
            return out
        if kind == "list":
            if depth > MAX_DEPTH:
                return None
            elements = [self.value(shape.member, depth + 1) for _ in range(1 + self.n % 2)]
            return [e for e in elements if e is not None] or None
        if kind == "map":
            if depth > MAX_DEPTH:
                return None
            entries = {f"key{i}-{self.n}": self.value(shape.value, depth + 1) for i in range(2)}
            return {k: v for k, v in entries.items() if v is not None} or None
        return self.scalar(shape)

    def scalar(self, shape: Any) -> Any:
        kind = shape.type_name
        if kind == "string":
            if shape.enum:
                return shape.enum[self.n % len(shape.enum)]
            return "" if self.n % 7 == 0 else f"{shape.name}-{self.n} <&> é"
        if kind in ("integer", "long"):
            return self.n
        if kind in ("float", "double"):
            return self.n + 0.5
        if kind == "boolean":
            return self.n % 2 == 0
        if kind == "timestamp":
            return dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=self.n * 3607)
        if kind == "blob":
            return b"blob-%d" % self.n
        return None


def _response(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    return {"status_code": status, "headers": HeadersDict(headers or {}), "body": body, "context": {}}


def _parsers(protocol: str) -> tuple[Any, Any]:
    stock = botocore.parsers.create_parser(protocol)
    stock._timestamp_parser = parse_time  # the same timestamps as the collector's clients
    fast = fastparse.FAST_PARSERS[protocol](timestamp_parser=parse_time)
    return stock, fast


_HEADER_VALUES = {
    "string": "header <value>",
    "integer": "7",
    "long": "8",
    "boolean": "true",
    "timestamp": "Mon, 01 Jan 2024 10:00:00 GMT",
    "list": "a, b",
    "double": "1.5",
}


def _headers(shape: Any) -> dict[str, str]:
    """Values for the output members AWS sends as HTTP headers (rest protocols)."""
    headers = {}
    for name, member in (shape.members.items() if shape is not None else ()):
        if member.serialization.get("location") == "header":
            value = _HEADER_VALUES.get(member.type_name)
            if value is not None:
                headers[member.serialization.get("name", name)] = value
    return headers


def _with_headers() -> list[tuple[str, str]]:
    """rest-json operations of the registry's services whose output has header members (the
    registry's own list calls have none): where rest-json's header handling is exercised."""
    found = []
    for service in sorted({t.service for t in REGISTRY.values()}):
        model = wire.service_model(service)
        if model.protocol != "rest-json":
            continue
        for name in model.operation_names:
            shape = model.operation_model(name).output_shape
            streams = shape is not None and any(
                m.serialization.get("eventstream") for m in shape.members.values()
            )
            if _headers(shape) and not streams:
                found.append((service, name))
    return found


HEADERS = _with_headers()
ALL = OPERATIONS + FLATTENED + HEADERS


@pytest.mark.parametrize(("service", "operation"), ALL, ids=[f"{s}.{o}" for s, o in ALL])
async def test_parses_as_botocore_does(service: str, operation: str) -> None:
    model = wire.service_model(service)
    shape = model.operation_model(operation).output_shape
    stock, fast = _parsers(model.protocol)
    headers = _headers(shape)
    for _ in range(2):  # two fills: lists of one element where the first had two
        value = _Fill().value(shape) if shape is not None else {}
        body = wire.render_output(service, operation, value, "req-1")
        want = stock.parse(_response(body, headers=headers), shape)
        got = await fast.parse(_response(body, headers=headers), shape)
        assert got == want
        assert len(want) > 1 or shape is None or not shape.members  # the fill reached the body


def test_covers_the_big_protocols() -> None:
    protocols = {wire.service_model(s).protocol for s, _ in OPERATIONS}
    assert protocols == {"ec2", "query", "json", "rest-json"}
    assert ("ec2", "DescribeInstances") in OPERATIONS and len(OPERATIONS) > 300
    assert len(HEADERS) > 5  # header members are parsed too


@pytest.mark.parametrize("service", ["ec2", "iam", "sqs", "lambda"])
async def test_errors_parse_as_botocore_does(service: str) -> None:
    model = wire.service_model(service)
    shape = model.operation_model(model.operation_names[0]).output_shape
    status, headers, body = wire.render_error(service, "AccessDenied", "no <b>way</b>", 403, "r-9")
    stock, fast = _parsers(model.protocol)
    want = stock.parse(_response(body, status, headers), shape)
    got = await fast.parse(_response(body, status, headers), shape)
    assert got == want and want["Error"]["Code"] == "AccessDenied"
