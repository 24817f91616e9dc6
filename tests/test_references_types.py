"""Type names and taggability against CloudFormation's resource schemas (as cfn-lint ships
them) and AWS Config's resource types (botocore's `config` model)."""

from __future__ import annotations

import pytest

from collector.registry import ALIASES, REGISTRY, select_types
from collector.registry.references import NOT_CLOUDFORMATION, TAGS_DIFFER
from tests.references import cfn_schemas, cfn_taggable, config_types

ALL = sorted(REGISTRY)


def test_references_are_there() -> None:
    assert len(cfn_schemas()) > 1000 and "AWS::EC2::KeyPair" in cfn_schemas()
    assert "AWS::EC2::Instance" in config_types()


@pytest.mark.parametrize("name", ALL)
def test_type_name_is_cloudformation_or_config_or_explained(name: str) -> None:
    if name in NOT_CLOUDFORMATION:
        assert name not in cfn_schemas(), "a CloudFormation type now: drop the explanation"
        status, reason = NOT_CLOUDFORMATION[name]
        assert reason
        assert status == ("AWS Config" if name in config_types() else "neither")
    else:
        # docs/resources.md says "CloudFormation" for every type not explained.
        assert name in cfn_schemas(), f"{name}: not a CloudFormation type (AWS Config: "\
            f"{name in config_types()}); explain it in NOT_CLOUDFORMATION"


@pytest.mark.parametrize("name", ALL)
def test_taggable_agrees_with_collected_tags(name: str) -> None:
    taggable = cfn_taggable(name)
    collected = REGISTRY[name].tags is not None
    if name in TAGS_DIFFER:
        assert taggable is not None and taggable != collected, "no difference left to explain"
        assert TAGS_DIFFER[name]
    elif taggable is not None:
        assert collected == taggable, f"CloudFormation says taggable={taggable}"


def test_explanations_name_registered_types() -> None:
    assert set(NOT_CLOUDFORMATION) <= set(REGISTRY)
    assert set(TAGS_DIFFER) <= set(REGISTRY)


def test_former_names_select_their_new_types() -> None:
    new = {f"AWS::ServiceDiscovery::{k}" for k in ("HttpNamespace", "PrivateDnsNamespace",
                                                  "PublicDnsNamespace")}  # fmt: skip
    assert {t.resource_type for t in select_types(["AWS::ServiceDiscovery::Namespace"], [])} == new
    assert {t.resource_type for t in select_types(["aws::servicediscovery::namespace"], [])} == new
    rest = select_types(["AWS::ServiceDiscovery::*"], ["AWS::ServiceDiscovery::Namespace"])
    assert not {t.resource_type for t in rest} & new
    kept = select_types(["AWS::*"], ["AWS::ServiceDiscovery::Namespace"])
    assert len(kept) == len(REGISTRY) - 3
    for old, targets in ALIASES.items():
        assert old not in REGISTRY and set(targets) <= set(REGISTRY)
