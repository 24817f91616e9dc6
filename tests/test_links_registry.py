"""Lint over every relationship declaration (`Link`), against botocore's own output shapes, and
the coverage the relationships promise (issue 16)."""

from __future__ import annotations

import re
from typing import Any

import jmespath
import pytest
from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from collector.engine.links import id_placeholder, link_template
from collector.registry import REGISTRY, ResourceType
from collector.registry.base import BatchDetail, Detail, Link, ListingDetail
from tests.test_registry import item_shape, operation, walk

LINKED = sorted(
    (t for t in REGISTRY.values() if t.links), key=lambda t: t.resource_type
)
_UNKNOWN = None


def _detail_shape(
    rtype: ResourceType, detail: Detail | BatchDetail | ListingDetail
) -> Shape | None:
    """The shape a detail stores (or merges); None when its expression is not a plain path."""
    out = operation(rtype.service, detail.operation).output_shape
    result = detail.result
    if result.startswith("merge("):  # merge(taskDefinition, {tags: tags}): the first argument
        result = result[len("merge(") :].split(",", 1)[0]
    if isinstance(detail, BatchDetail | ListingDetail) and detail.value:
        result = f"{result.removesuffix('[]')}[].{detail.value}"
    if not re.fullmatch(r"[A-Za-z]+(\[\])?(\.[A-Za-z]+(\[\])?)*", result):
        return None
    return walk(out, result, detail.operation)


def root_members(rtype: ResourceType) -> dict[str, Shape | None]:
    """Member name -> shape of what the item holds when it is normalized."""
    shape = item_shape(rtype)
    members: dict[str, Shape | None] = {}
    if isinstance(shape, StructureShape):
        members.update(shape.members)
    if rtype.item_key is not None:
        members[rtype.item_key] = None
    members.update({name: None for name in rtype.parent_params})
    for detail in rtype.details:
        found = _detail_shape(rtype, detail)
        if detail.into is not None:
            members[detail.into] = found
        elif isinstance(found, StructureShape):
            members.update(found.members)
    return members


def _unwrap(shape: Shape | None) -> Shape | None:
    while isinstance(shape, ListShape):
        shape = shape.member
    return shape


def resolve(node: dict[str, Any], shape: Any, what: str, leaves: list[Shape | None]) -> Any:
    """The shape an expression yields from ``shape`` (a botocore shape, the root member map,
    or None: unknown); every member it names must exist. Lists are looked through."""
    kind, children = node["type"], node.get("children", [])
    if kind == "field":
        name = node["value"]
        if isinstance(shape, dict):
            assert name in shape, f"{what}: the item has no {name}"
            return shape[name]
        inner = _unwrap(shape)
        if inner is None:
            return None
        if isinstance(inner, MapShape):  # SQS Attributes: any key, string values
            return inner.value
        assert isinstance(inner, StructureShape), f"{what}: {name} read from a {inner.type_name}"
        assert name in inner.members, f"{what}: {inner.name} has no member {name}"
        return inner.members[name]
    if kind in ("subexpression", "projection", "pipe", "index_expression"):
        for child in children:  # a chain a.b.c is one subexpression of three
            shape = resolve(child, shape, what, leaves)
        return shape
    if kind == "filter_projection":
        left = resolve(children[0], shape, what, leaves)
        resolve(children[2], left, what, [])
        return resolve(children[1], left, what, leaves)
    if kind == "flatten":
        return resolve(children[0], shape, what, leaves)
    if kind in ("current", "identity"):
        return shape
    if kind == "multi_select_list":
        found = [resolve(c, shape, what, leaves) for c in children]
        return found[0] if len(found) == 1 else None
    if kind in ("and_expression", "or_expression"):
        resolve(children[0], shape, what, [])
        return resolve(children[1], shape, what, leaves)
    for child in children:  # comparators, functions, negation: check what they read
        if isinstance(child, dict):
            resolve(child, shape, what, [])
    return None


@pytest.mark.parametrize("rtype", LINKED, ids=lambda t: t.resource_type)
def test_link_paths_exist_in_the_output_shape(rtype: ResourceType) -> None:
    members = root_members(rtype)
    for link in rtype.links:
        what = f"{rtype.resource_type} {link.kind} {link.path}"
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", link.kind), what
        assert link.target in REGISTRY, f"{what}: unknown target type {link.target}"
        leaf = _unwrap(resolve(jmespath.compile(link.path).parsed, members, what, []))
        # An id or an ARN is a string: a path ending in a structure names no resource.
        assert leaf is None or isinstance(leaf, StringShape), f"{what}: ends in {leaf.type_name}"
        template = link_template(link)
        if template is not None:
            assert id_placeholder(template), f"{what}: {template} needs more than one id"


def test_the_lint_catches_a_misspelt_member() -> None:
    ec2 = REGISTRY["AWS::EC2::Instance"]
    bad = Link("in_vpc", "AWS::EC2::VPC", "SecurityGroups[].GroupIdd")
    with pytest.raises(AssertionError, match="no member GroupIdd"):
        resolve(jmespath.compile(bad.path).parsed, root_members(ec2), "bad", [])
    with pytest.raises(AssertionError, match="item has no Vpc"):
        resolve(jmespath.compile("Vpc").parsed, root_members(ec2), "bad", [])


def families() -> dict[str, set[tuple[str, str]]]:
    """Service family -> the (source type, kind) pairs declared."""
    out: dict[str, set[tuple[str, str]]] = {}
    for rtype in REGISTRY.values():
        family = rtype.resource_type.split("::")[1]
        for link in rtype.links:
            out.setdefault(family, set()).add((rtype.resource_type, link.kind))
    return out


def test_coverage_of_the_issue() -> None:
    pairs = {(t.resource_type, link.kind) for t in REGISTRY.values() for link in t.links}
    assert len(pairs) >= 80
    assert len({source for source, _ in pairs}) >= 40
    # The families the issue names, each with what it asks for.
    wanted = {
        "AWS::EC2::Instance": {"in_subnet", "in_vpc", "uses_security_group", "attached_volume",
                               "has_network_interface", "launched_from_image", "uses_key_pair",
                               "has_instance_profile"},
        "AWS::EC2::RouteTable": {"routes_to", "associated_with_subnet", "in_vpc"},
        "AWS::EC2::InternetGateway": {"attached_to_vpc"},
        "AWS::EC2::VPCEndpoint": {"in_vpc", "in_subnet"},
        "AWS::EC2::VPCPeeringConnection": {"peers_vpc"},
        "AWS::ElasticLoadBalancingV2::LoadBalancer": {"uses_security_group", "in_subnet"},
        "AWS::ElasticLoadBalancingV2::Listener": {"member_of", "forwards_to"},
        "AWS::Lambda::Function": {"assumes_role", "in_vpc", "in_subnet", "uses_security_group",
                                  "uses_layer", "encrypted_with"},
        "AWS::RDS::DBInstance": {"in_subnet_group", "uses_security_group", "encrypted_with",
                                 "member_of"},
        "AWS::ECS::Service": {"member_of", "uses_service_role", "in_subnet"},
        "AWS::EKS::Cluster": {"assumes_role", "in_subnet"},
        "AWS::IAM::InstanceProfile": {"contains_role"},
        "AWS::SQS::Queue": {"encrypted_with"},
        "AWS::KMS::Alias": {"alias_of"},
    }  # fmt: skip
    for source, kinds in wanted.items():
        assert kinds <= {k for s, k in pairs if s == source}, source


def test_the_migration_and_as_of_define_the_same_dangling_view() -> None:
    # Migration 0006 writes the view out (revisions describe themselves); --as-of recreates it
    # from collector.store.links: the two texts must not drift apart.
    import importlib.util
    from pathlib import Path

    from collector.store.links import DANGLING_VIEW

    path = Path(__file__).resolve().parents[1] / "migrations/versions/0006_resource_links.py"
    spec = importlib.util.spec_from_file_location("m0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DANGLING_VIEW == DANGLING_VIEW
    assert module.down_revision == "0005_type_names"
