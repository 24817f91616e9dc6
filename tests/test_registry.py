"""Lint over every declared resource type, checked against botocore's own service models."""

from __future__ import annotations

import re
import string
from typing import Any

import botocore.session
import jmespath
import pytest
from botocore import xform_name
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from collector.registry import (
    _MODULES,
    CORE_TYPES,
    REGISTRY,
    BatchDetail,
    Detail,
    ListingDetail,
    ResourceType,
    select_types,
)

_session = botocore.session.get_session()
_models: dict[str, ServiceModel] = {}
_TEMPLATE_BUILTINS = {"partition", "region", "account", "id"}


def model(service: str) -> ServiceModel:
    if service not in _models:
        _models[service] = _session.get_service_model(service)
    return _models[service]


def operation(service: str, name: str) -> OperationModel:
    by_python_name = {xform_name(op): op for op in model(service).operation_names}
    assert name in by_python_name, f"{service} has no operation {name}"
    return model(service).operation_model(by_python_name[name])


def walk(shape: Shape | None, path: str, what: str) -> Shape | None:
    """Follow a plain dotted path (with [] flattening) through a shape."""
    for segment in path.split("."):
        name = segment.replace("[]", "")
        while isinstance(shape, ListShape):
            shape = shape.member
        assert isinstance(shape, StructureShape), f"{what}: {segment} not in a structure"
        assert name in shape.members, f"{what}: no member {name}"
        shape = shape.members[name]
    while isinstance(shape, ListShape):
        shape = shape.member
    return shape


def item_shape(rtype: ResourceType) -> Shape | None:
    return walk(operation(rtype.service, rtype.operation).output_shape, rtype.items, rtype.resource_type)


def root_fields(node: dict[str, Any]) -> set[str]:
    """The item members a JMESPath expression reads at its top level."""
    kind, children = node["type"], node.get("children", [])
    if kind == "field":
        return {node["value"]}
    if kind in ("subexpression", "index_expression", "projection", "flatten", "pipe",
                "filter_projection", "value_projection", "key_val_pair"):  # fmt: skip
        return root_fields(children[0]) if children else set()
    out: set[str] = set()
    for child in children:
        if isinstance(child, dict):
            out |= root_fields(child)
    return out


def fields_of(expression: str | None) -> set[str]:
    return root_fields(jmespath.compile(expression).parsed) if expression else set()


def result_members(service: str, detail: Detail | BatchDetail) -> set[str] | None:
    """Members a detail merges into the item (into=None), or None when they cannot be known."""
    out_shape = operation(service, detail.operation).output_shape
    node = jmespath.compile(detail.result).parsed

    def members(n: dict[str, Any], shape: Shape | None) -> set[str] | None:
        if n["type"] == "multi_select_dict":
            return {c["value"] for c in n["children"]}
        if n["type"] == "function_expression" and n["value"] == "merge":
            found: set[str] = set()
            for child in n["children"]:
                got = members(child, shape)
                if got is None:
                    return None
                found |= got
            return found
        if n["type"] == "current":
            return set(shape.members) if isinstance(shape, StructureShape) else None
        if n["type"] in ("field", "subexpression", "projection", "flatten"):
            path = detail.result if n is node else None
            target = walk(shape, path, detail.operation) if path else None
            if path is None and n["type"] == "field":
                target = walk(shape, n["value"], detail.operation)
            return set(target.members) if isinstance(target, StructureShape) else None
        return None

    return members(node, out_shape)


def available_members(rtype: ResourceType) -> set[str] | None:
    """What the item has when normalized: the list item's members, plus what details add."""
    shape = item_shape(rtype)
    if rtype.item_key is not None:
        members = {rtype.item_key}
    elif isinstance(shape, StructureShape):
        members = set(shape.members)
    else:
        return None
    members |= set(rtype.parent_params)
    for detail in rtype.details:
        if detail.into is not None:
            members.add(detail.into)
            continue
        merged = result_members(rtype.service, detail)
        if merged is None:
            return None
        members |= merged
    return members


ALL = sorted(REGISTRY.values(), key=lambda t: t.resource_type)


def test_core_types_are_all_registered() -> None:
    assert len(CORE_TYPES) == 27
    assert set(REGISTRY) >= CORE_TYPES


def test_names_are_unique_and_coverage_is_broad() -> None:
    declared = [t.resource_type for m in _MODULES for t in m.TYPES]
    assert len(declared) == len(set(declared)) == len(REGISTRY)
    assert len(REGISTRY) >= 100
    assert len({t.service for t in REGISTRY.values()}) >= 30


@pytest.mark.parametrize("rtype", ALL, ids=lambda t: t.resource_type)
def test_declaration_is_consistent(rtype: ResourceType) -> None:
    what = rtype.resource_type
    assert re.fullmatch(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+", what)
    op = operation(rtype.service, rtype.operation)
    input_members = set(op.input_shape.members) if op.input_shape else set()
    given = set(rtype.params) | set(rtype.parent_params)
    if rtype.account_param is not None:
        given.add(rtype.account_param)
    assert given <= input_members, f"unknown params {given - input_members}"
    required = set(op.input_shape.required_members) if op.input_shape else set()
    assert required <= given, f"required params {required - given} not given"
    for expression in (rtype.items, rtype.tags, rtype.created, rtype.region, rtype.where):
        if expression is not None:
            jmespath.compile(expression)
    for field in (rtype.id, rtype.arn, rtype.name, *rtype.parent_params.values()):
        if isinstance(field, str):
            jmespath.compile(field)
    assert rtype.arn is not None or rtype.arn_template is not None, "no way to build an ARN"

    shape = item_shape(rtype)
    if rtype.item_key is None:
        assert isinstance(shape, StructureShape), "items must be objects unless item_key is set"
    members = available_members(rtype)
    if members is not None:
        for name, expression in (("id", rtype.id), ("arn", rtype.arn), ("name", rtype.name),
                                 ("tags", rtype.tags), ("created", rtype.created),
                                 ("where", rtype.where)):  # fmt: skip
            if isinstance(expression, str):
                missing = fields_of(expression) - members
                assert not missing, f"{name} reads {missing}, not in the item"
        if rtype.arn_template:
            fields = {f for _, f, _, _ in string.Formatter().parse(rtype.arn_template) if f}
            missing = fields - members - _TEMPLATE_BUILTINS
            assert not missing, f"ARN template needs {missing}, not in the item shape"

    paginators = _session.get_paginator_model(rtype.service)._paginator_config
    config = paginators.get(op.name)
    if rtype.page_size is not None:
        assert config and "limit_key" in config, "page_size set but the operation cannot page"
        limit = op.input_shape.members[config["limit_key"]]
        maximum = limit.metadata.get("max")
        assert maximum is None or rtype.page_size <= maximum, f"page size above max {maximum}"
    if rtype.next_token is not None:
        assert config is None, "next_token is for operations botocore has no paginator for"
        token_in, token_out = (
            rtype.next_token if isinstance(rtype.next_token, tuple) else (rtype.next_token,) * 2
        )
        assert token_in in input_members and token_out in op.output_shape.members
    elif config is None:
        # One call and no paging: the output must not have a token we would ignore.
        tokens = {"NextToken", "nextToken", "NextMarker", "Marker", "position"}
        assert not tokens & set(op.output_shape.members), "unpaged call with a page token"
    for detail in rtype.details:
        detail_op = operation(rtype.service, detail.operation)
        jmespath.compile(detail.result)
        if isinstance(detail, BatchDetail):
            jmespath.compile(detail.key)
            if detail.value:
                jmespath.compile(detail.value)
            assert detail.size >= 1
        elif isinstance(detail, ListingDetail):
            jmespath.compile(detail.key)
            if detail.value:
                jmespath.compile(detail.value)
            assert set(detail.params) <= set(detail_op.input_shape.members)
            assert detail.page_size is None or _session.get_paginator_model(
                rtype.service
            )._paginator_config.get(detail_op.name), "page_size set but the listing cannot page"
            own = item_shape(rtype)
            if isinstance(detail.item_key, str) and isinstance(own, StructureShape):
                assert not fields_of(detail.item_key) - set(own.members), "item_key not listed"
        else:
            assert detail.arn_param is None or detail.arn_param in detail_op.input_shape.members
            if detail.skip_when is not None:
                jmespath.compile(detail.skip_when)
    if rtype.parent is not None:
        parent = REGISTRY.get(rtype.parent)
        assert parent is not None, f"parent {rtype.parent} is not registered"
        assert parent.global_ == rtype.global_, "a child lives in its parent's scopes"
        assert rtype.parent_params, "a child type needs parameters from its parent"
        parent_members = available_members(parent)
        for source in rtype.parent_params.values():
            if isinstance(source, str) and parent_members is not None:
                assert not fields_of(source) - parent_members, f"parent lacks {source}"
        if rtype.recursive:
            own = available_members(rtype)
            for source in rtype.parent_params.values():
                assert own is None or not (isinstance(source, str) and fields_of(source) - own)
    else:
        assert not rtype.parent_params and not rtype.recursive and not rtype.parent_absent_codes
    # The service must exist somewhere according to botocore's endpoint data.
    assert _session.get_available_regions(rtype.service) or rtype.global_


def test_tag_shapes_in_lowercase_apis_are_mapped() -> None:
    # tags_to_dict reads Key/Value (or a map); {key, value} lists must be rewritten by JMESPath.
    for rtype in ALL:
        shape = item_shape(rtype)
        if isinstance(shape, StructureShape) and isinstance(rtype.tags, str) and rtype.tags in shape.members:
            tag_shape = shape.members[rtype.tags]
            if isinstance(tag_shape, ListShape) and isinstance(tag_shape.member, StructureShape):
                assert {"Key", "Value"} & set(tag_shape.member.members) or {
                    "TagKey"
                } & set(tag_shape.member.members), rtype.resource_type
            else:
                assert isinstance(tag_shape, MapShape), rtype.resource_type


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


def test_generic_types_fill_the_gaps_only() -> None:
    from collector.registry import all_generic_types

    generic = all_generic_types()
    assert len(generic) > 100
    covered = {(t.service, t.operation) for t in REGISTRY.values()}
    for name, rtype in generic.items():
        service, op_name = name.removeprefix("generic:").split(":")
        assert (rtype.service, op_name) == (service, op_name)
        assert (rtype.service, rtype.operation) not in covered
        assert op_name.startswith(("List", "Describe"))
        op = operation(rtype.service, rtype.operation)
        assert not (op.input_shape and op.input_shape.required_members)
        assert op.name in _session.get_paginator_model(rtype.service)._paginator_config
        assert rtype.arn or (rtype.arn_template or "").startswith(f"generic:{service}:")
        jmespath.compile(rtype.items)
    assert not set(generic) & set(REGISTRY)


def test_generic_selection_follows_the_config() -> None:
    curated = select_types(["AWS::SNS::*"], [])
    assert all(t.resource_type.startswith("AWS::") for t in curated)
    with_generic = select_types(["AWS::SNS::*"], ["generic:sns:ListPhone*"], generic=True)
    names = [t.resource_type for t in with_generic]
    assert names[: len(curated)] == [t.resource_type for t in curated]
    extra = names[len(curated) :]
    assert extra and all(n.startswith("generic:sns:") for n in extra)
    assert "generic:sns:ListSubscriptions" in extra
    assert "generic:sns:ListPhoneNumbersOptedOut" not in extra
    # Without generic, a generic pattern is unknown; with it, it selects just that.
    from collector.registry import UnknownTypePattern

    with pytest.raises(UnknownTypePattern):
        select_types(["generic:sns:*"], [])
    only = select_types(["generic:kms:*"], [], generic=True)
    assert only and all(t.resource_type.startswith("generic:kms:") for t in only)


def test_choose_types_includes_generic_only_when_configured() -> None:
    from collector.config import parse
    from collector.engine.plan import choose_types

    plain = choose_types(parse({"resources": {"include": ["AWS::KMS::*"]}}))
    assert {t.resource_type for t in plain} == {"AWS::KMS::Key", "AWS::KMS::Alias"}
    both = choose_types(parse({"resources": {"include": ["AWS::KMS::*"], "generic": True}}))
    assert {t.resource_type for t in both} > {t.resource_type for t in plain}
    assert {t.service for t in both} == {"kms"}


def test_resources_doc_is_current() -> None:
    from collector.registry import docs

    assert docs.DOC.read_text(encoding="utf-8") == docs.render(), (
        "docs/resources.md is stale: run python -m collector.registry.docs"
    )
