"""Lint over every declared resource type, checked against botocore's own service models."""

from __future__ import annotations

import re
import string

import botocore.session
import jmespath
import pytest
from botocore import xform_name
from botocore.model import ListShape, OperationModel, ServiceModel, Shape, StructureShape

from collector.registry import CORE_TYPES, REGISTRY, ResourceType, select_types

_session = botocore.session.get_session()
_models: dict[str, ServiceModel] = {}


def model(service: str) -> ServiceModel:
    if service not in _models:
        _models[service] = _session.get_service_model(service)
    return _models[service]


def operation(service: str, name: str) -> OperationModel:
    by_python_name = {xform_name(op): op for op in model(service).operation_names}
    assert name in by_python_name, f"{service} has no operation {name}"
    return model(service).operation_model(by_python_name[name])


def item_shape(rtype: ResourceType) -> Shape | None:
    """Walk the items JMESPath (plain dotted path with [] flattening) through the output shape."""
    shape: Shape | None = operation(rtype.service, rtype.operation).output_shape
    for segment in rtype.items.split("."):
        name = segment.replace("[]", "")
        assert isinstance(shape, StructureShape), (
            f"{rtype.resource_type}: {segment} not in a structure"
        )
        assert name in shape.members, f"{rtype.resource_type}: output has no {name}"
        shape = shape.members[name]
        while isinstance(shape, ListShape):
            shape = shape.member
    return shape


ALL = sorted(REGISTRY.values(), key=lambda t: t.resource_type)


def test_core_types_are_all_registered() -> None:
    assert len(CORE_TYPES) == 27
    assert set(REGISTRY) >= CORE_TYPES


@pytest.mark.parametrize("rtype", ALL, ids=lambda t: t.resource_type)
def test_declaration_is_consistent(rtype: ResourceType) -> None:
    assert re.fullmatch(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+", rtype.resource_type)
    op = operation(rtype.service, rtype.operation)
    input_members = set(op.input_shape.members) if op.input_shape else set()
    assert set(rtype.params) <= input_members, f"unknown params {set(rtype.params) - input_members}"
    for expression in (rtype.items, rtype.tags, rtype.created, rtype.region):
        if expression is not None:
            jmespath.compile(expression)
    for field in (rtype.id, rtype.arn, rtype.name):
        if isinstance(field, str):
            jmespath.compile(field)
    assert rtype.arn is not None or rtype.arn_template is not None, "no way to build an ARN"

    shape = item_shape(rtype)
    if rtype.item_key is None:
        assert isinstance(shape, StructureShape), "items must be objects unless item_key is set"
        members = set(shape.members)
        if isinstance(rtype.id, str) and "." not in rtype.id:
            assert rtype.id in members, f"id field {rtype.id} not in the item shape"
        if rtype.tags and "." not in rtype.tags and not rtype.details:
            assert rtype.tags in members, f"tags field {rtype.tags} not in the item shape"
        if rtype.arn_template:
            fields = {f for _, f, _, _ in string.Formatter().parse(rtype.arn_template) if f}
            missing = fields - members - {"partition", "region", "account", "id"}
            assert not missing, f"ARN template needs {missing}, not in the item shape"

    paginators = _session.get_paginator_model(rtype.service)
    if rtype.page_size is not None:
        config = paginators._paginator_config.get(op.name)
        assert config and "limit_key" in config, "page_size set but the operation cannot page"
        limit = op.input_shape.members[config["limit_key"]]
        maximum = limit.metadata.get("max")
        assert maximum is None or rtype.page_size <= maximum, f"page size above max {maximum}"
    for detail in rtype.details:
        operation(rtype.service, detail.operation)
        jmespath.compile(detail.result)
    # The service must exist somewhere according to botocore's endpoint data.
    assert _session.get_available_regions(rtype.service) or rtype.global_


def test_select_types_patterns() -> None:
    ec2 = select_types(["AWS::EC2::*"], ["AWS::EC2::KeyPair"])
    assert {t.resource_type for t in ec2} == {
        n for n in REGISTRY if n.startswith("AWS::EC2::") and n != "AWS::EC2::KeyPair"
    }
    assert [t.resource_type for t in select_types(["aws::s3::bucket"], [])] == ["AWS::S3::Bucket"]


def test_unknown_type_pattern_suggests() -> None:
    from collector.registry import UnknownTypePattern

    with pytest.raises(UnknownTypePattern) as info:
        select_types(["AWS::EC2::Instanse"], [])
    assert "AWS::EC2::Instance" in info.value.suggestions
