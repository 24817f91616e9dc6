"""Where each type stands in AWS's own lists: AWS Config and CloudFormation.

AWS Config's resource types are read at run time from botocore's `config` model (the
`ResourceType` enum), so a botocore upgrade brings AWS's new types without a code change.
CloudFormation's schemas are a test dependency (cfn-lint); in the package a curated type is a
CloudFormation type unless `references.NOT_CLOUDFORMATION` explains otherwise (the tests
check every such claim against the schemas).
"""

from __future__ import annotations

from functools import cache

import botocore.session

from collector.registry.references import NOT_CLOUDFORMATION


@cache
def config_types() -> frozenset[str]:
    """Every resource type AWS Config records, from botocore's `config` service model."""
    model = botocore.session.get_session().get_service_model("config")
    return frozenset(model.shape_for("ResourceType").enum)


def in_config(resource_type: str) -> bool:
    return resource_type in config_types()


def in_cloudformation(resource_type: str) -> bool:
    return resource_type not in NOT_CLOUDFORMATION


def config_status(resource_type: str) -> str:
    return "recorded" if in_config(resource_type) else "not recorded"


def cloudformation_status(resource_type: str) -> str:
    if resource_type in NOT_CLOUDFORMATION:
        return f"no: {NOT_CLOUDFORMATION[resource_type][1]}"
    return "yes"


def service_of(resource_type: str) -> str:
    """The service part of a CloudFormation-style name (`AWS::EC2::VPC` -> `EC2`)."""
    parts = resource_type.split("::")
    return parts[1] if len(parts) == 3 else resource_type
