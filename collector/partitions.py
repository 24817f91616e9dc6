"""AWS partitions (aws, aws-cn, aws-us-gov, the ISO partitions, aws-eusc) from botocore's data.

Nothing here is hard-coded: a partition botocore learns about is known here on the next
botocore upgrade. `partition_of` reads `partitions.json` (each partition's explicit regions,
then its `regionRegex`); `global_region` reads `endpoints.json` (the credential scope of a
global service's partition endpoint: IAM in aws-cn signs in cn-north-1, Route 53 and
Organizations in cn-northwest-1), falling back to the partition's `implicitGlobalRegion`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.loaders

DEFAULT = "aws"


@cache
def _data(name: str) -> Any:
    return botocore.loaders.create_loader().load_data(name)


@cache
def _partitions() -> tuple[tuple[str, frozenset[str], re.Pattern[str], str], ...]:
    out = []
    for p in _data("partitions")["partitions"]:
        out.append(
            (
                p["id"],
                frozenset(p.get("regions", {})),
                re.compile(p["regionRegex"]),
                p["outputs"]["implicitGlobalRegion"],
            )
        )
    return tuple(out)


def partitions() -> list[str]:
    """Every partition botocore knows, `aws` first."""
    return [p[0] for p in _partitions()]


@cache
def partition_of(region: str) -> str:
    """The partition of a region name (`cn-north-1` -> `aws-cn`); `aws` when none claims it."""
    for pid, regions, _, _ in _partitions():
        if region in regions:
            return pid
    for pid, _, regex, _ in _partitions():
        if regex.match(region):
            return pid
    return DEFAULT


@cache
def global_region(partition: str, service: str = "iam") -> str:
    """The region whose endpoint serves `service`'s global endpoint in `partition` (the region
    requests to IAM, Route 53 or Organizations are signed for)."""
    by_id = {p[0]: p for p in _partitions()}
    if partition not in by_id:
        raise ValueError(f"unknown partition {partition!r}")
    for p in _data("endpoints")["partitions"]:
        if p["partition"] != partition:
            continue
        svc = p.get("services", {}).get(service, {})
        endpoint = svc.get("partitionEndpoint")
        scope = svc.get("endpoints", {}).get(endpoint, {}).get("credentialScope", {})
        if endpoint and scope.get("region"):
            return str(scope["region"])
    return by_id[partition][3]
