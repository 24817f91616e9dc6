"""Partitions and global regions, checked against what botocore itself does.

Expected values come from other botocore data than collector.partitions reads: the region
lists of `endpoints.json` for `partition_of` (the code reads partitions.json), and, for
`global_region`, the signing region botocore's endpoint rule sets (`endpoint-rule-set-1`)
choose when a client of a global service sends a request from a region of that partition.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import botocore.loaders
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse

from collector.engine.fetch import Job
from collector.engine.normalize import partition_of as normalize_partition_of
from collector.partitions import global_region, partition_of, partitions
from collector.records import GLOBAL_REGION, Scope
from collector.registry import REGISTRY

_ENDPOINTS = botocore.loaders.create_loader().load_data("endpoints")["partitions"]
REGIONS = [(p["partition"], r) for p in _ENDPOINTS for r in p["regions"]]
_SESSION = botocore.session.get_session()
# One call per global service that the registry lists in the partition's global region.
GLOBAL_CALLS = {"iam": "ListUsers", "route53": "ListHostedZones", "organizations": "ListRoots"}


def test_every_endpoints_partition_is_known() -> None:
    assert {p["partition"] for p in _ENDPOINTS} <= set(partitions())
    assert partitions()[0] == "aws"


@pytest.mark.parametrize(("partition", "region"), REGIONS)
def test_partition_of_every_region(partition: str, region: str) -> None:
    assert partition_of(region) == partition
    assert normalize_partition_of(region) == partition


def signing_region(service: str, region: str) -> tuple[str, str]:
    """The (signing region, host) botocore uses for one call of `service` made from `region`:
    the request is caught before it is sent."""
    seen: dict[str, Any] = {}

    def before_send(request: Any, **_: Any) -> AWSResponse:
        seen["host"] = request.url.split("/")[2]
        seen["auth"] = request.headers.get("Authorization", b"")
        return AWSResponse(request.url, 500, {}, None)

    client = _SESSION.create_client(
        service, region_name=region, aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret", config=botocore.config.Config(retries={"max_attempts": 0}),
    )  # fmt: skip
    client.meta.events.register("before-send", before_send)
    with contextlib.suppress(Exception):  # the 500 we answered ourselves
        getattr(client, botocore.xform_name(GLOBAL_CALLS[service]))()
    auth = seen["auth"].decode() if isinstance(seen["auth"], bytes) else seen["auth"]
    # Credential=AKID/20260101/<region>/<service>/aws4_request
    scope_region = auth.split("Credential=")[1].split("/")[2]
    return scope_region, seen["host"]


def _a_region(partition: str) -> str:
    return next(r for p, r in REGIONS if p == partition)


@pytest.mark.parametrize("service", sorted(GLOBAL_CALLS))
@pytest.mark.parametrize("partition", [p["partition"] for p in _ENDPOINTS])
def test_global_region_is_where_botocore_signs(partition: str, service: str) -> None:
    expected, host = signing_region(service, _a_region(partition))
    assert global_region(partition, service) == expected, host


def test_unknown_partition_is_an_error() -> None:
    with pytest.raises(ValueError):
        global_region("aws-moon")


@pytest.mark.parametrize("part", _ENDPOINTS, ids=lambda p: p["partition"])
def test_partition_of_a_region_not_listed_yet(part: dict[str, Any]) -> None:
    """A new region of a partition (botocore's regionRegex matches it, no list has it yet)."""
    region = re.sub(r"\d+$", "97", sorted(part["regions"])[0])
    assert re.match(part["regionRegex"], region)
    assert region not in {r for _, r in REGIONS}
    assert partition_of(region) == part["partition"]


@pytest.mark.parametrize("service", sorted(GLOBAL_CALLS))
@pytest.mark.parametrize("partition", [p["partition"] for p in _ENDPOINTS])
def test_a_global_job_calls_where_botocore_signs(partition: str, service: str) -> None:
    """A global type's job in an account of `partition` calls its service's global region."""
    rtype = next(t for t in REGISTRY.values() if t.service == service and t.global_)
    job = Job(Scope("123456789012", GLOBAL_REGION, partition), rtype)
    assert job.client_region == signing_region(service, _a_region(partition))[0]
    # A scope whose partition is not known yet (today's callers): the type's home region.
    assert Job(Scope("123456789012", GLOBAL_REGION), rtype).client_region == rtype.home_region
