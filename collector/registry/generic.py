"""The generic fallback (`[resources] generic = true`): breadth on top of the curated depth.

For the services the registry knows, every paginated List*/Describe* operation that needs no
parameter and that no curated type already calls becomes a type named
`generic:<service>:<Operation>`. Its identity is a best effort read from botocore's output
shape: the item's own ARN member when it has an unambiguous one (`Arn`, `<Noun>Arn`), else the
synthetic `generic:<service>:<region>:<account>:<Operation>/<id>`, where the id is the item's
`<Noun>Id`/`Id`/`<Noun>Name`/`Name` member, or a digest of the item when it has none.
These types are made on demand and never enter REGISTRY: `inventory types` lists the curated
ones unless asked for `--generic`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from typing import Any

import botocore.session
from botocore import xform_name
from botocore.model import ListShape, Shape, StructureShape

from collector.registry.base import Item, ResourceType

PREFIX = "generic:"

# Catalogues and public data sets, not what an account owns (and some of them are huge).
NOT_INVENTORY = frozenset(
    {
        ("ec2", "DescribeSpotPriceHistory"), ("ec2", "DescribeInstanceTypes"),
        ("ec2", "DescribeInstanceTypeOfferings"), ("ec2", "DescribeReservedInstancesOfferings"),
        ("ec2", "DescribeFpgaImages"), ("ec2", "DescribeCapacityBlockOfferings"),
        ("ec2", "DescribePrefixLists"), ("ec2", "DescribeVpcEndpointServices"),
        ("ec2", "DescribeImageReferences"),
        ("rds", "DescribeDBEngineVersions"), ("rds", "DescribeReservedDBInstancesOfferings"),
        ("rds", "DescribeCertificates"), ("rds", "DescribeSourceRegions"),
        ("elasticache", "DescribeReservedCacheNodesOfferings"),
        ("elasticache", "DescribeServiceUpdates"),
        ("redshift", "DescribeReservedNodeOfferings"), ("redshift", "DescribeClusterVersions"),
        ("redshift", "DescribeOrderableClusterOptions"),
        ("iam", "ListPolicies"), ("kafka", "ListKafkaVersions"),
        ("opensearch", "ListVersions"), ("ssm", "DescribeAvailablePatches"),
        ("ssm", "ListDocuments"), ("elasticbeanstalk", "ListPlatformVersions"),
        ("sagemaker", "ListModelCardExportJobs"),
        # Glue's catalogue of connectors, and the entities of a connection's remote data source
        # (browsing third-party data, "Permissions management" in IAM's reference).
        ("glue", "ListConnectionTypes"), ("glue", "ListEntities"),
        # A search over the account's resources of every service: the inventory itself.
        ("resource-explorer-2", "ListResources"),
    }
)  # fmt: skip

_TAGS = ("Tags", "TagList", "TagSet", "tags")


def _noun(operation: str) -> str:
    """ListWidgets -> Widget, DescribeDBClusters -> DBCluster (a guess that only ranks names)."""
    noun = operation.removeprefix("List").removeprefix("Describe")
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("s", "")):
        if noun.endswith(suffix):
            return noun[: -len(suffix)] + repl
    return noun


def _digest_id(item: Item) -> str:
    text = json.dumps(item, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _first(members: dict[str, Shape], names: Iterable[str], type_name: str = "string") -> str | None:
    for name in names:
        shape = members.get(name)
        if shape is not None and shape.type_name == type_name:
            return name
    return None


def _walk(shape: Shape | None, path: str) -> Shape | None:
    for part in path.split("."):
        while isinstance(shape, ListShape):
            shape = shape.member
        if not isinstance(shape, StructureShape) or part not in shape.members:
            return None
        shape = shape.members[part]
    while isinstance(shape, ListShape):
        shape = shape.member
    return shape


_Scope = tuple[bool, str, tuple[str, ...]]  # global_, home_region, skip_codes


def _declare(
    service: str, operation: str, result_key: str, shape: Shape | None, like: _Scope
) -> ResourceType:
    noun = _noun(operation)
    kw: dict[str, Any] = {}
    id_field: Any
    if isinstance(shape, StructureShape):
        members = dict(shape.members)
        lower = noun[:1].lower() + noun[1:]
        id_field = _first(members, (f"{noun}Id", f"{lower}Id", "Id", "id", f"{noun}Identifier",
                                    f"{noun}Name", f"{lower}Name", "Name", "name"))  # fmt: skip
        arn = _first(members, (f"{noun}Arn", f"{noun}ARN", f"{lower}Arn", "Arn", "ARN", "arn"))
        if id_field is None:
            id_field = arn or _digest_id
        if arn is not None:
            kw["arn"] = arn
        kw["name"] = _first(members, (f"{noun}Name", f"{lower}Name", "Name", "name"))
        kw["tags"] = next(
            (t for t in _TAGS if t in members and members[t].type_name in ("list", "map")), None
        )
        kw["created"] = next(
            (m for m, s in members.items() if s.type_name == "timestamp" and "creat" in m.lower()),
            None,
        )
    else:
        # Bare strings (names, ARNs): the value is the id.
        kw["item_key"] = "Value"
        id_field = "Value"
    return ResourceType(
        f"{PREFIX}{service}:{operation}",
        service,
        xform_name(operation),
        result_key + "[]",
        id=id_field,
        arn_template=f"generic:{service}:{{region}}:{{account}}:{operation}/{{id}}",
        global_=like[0],
        home_region=like[1],
        skip_codes=like[2],
        description=f"generic listing of {service} {operation}",
        **kw,
    )


@cache
def _types_of(service: str, covered: frozenset[str], like: _Scope) -> tuple[ResourceType, ...]:
    session = _session()
    model = session.get_service_model(service)
    loader = session.get_component("data_loader")
    try:
        paginators = loader.load_service_model(service, "paginators-1")["pagination"]
    except Exception:  # a service without paginators
        return ()
    out: list[ResourceType] = []
    for operation in sorted(model.operation_names):
        if not operation.startswith(("List", "Describe")) or operation not in paginators:
            continue
        if (service, operation) in NOT_INVENTORY or xform_name(operation) in covered:
            continue
        op = model.operation_model(operation)
        if op.deprecated or (op.input_shape is not None and op.input_shape.required_members):
            continue
        result_key = paginators[operation].get("result_key")
        if isinstance(result_key, list):
            result_key = result_key[0]
        if not isinstance(result_key, str) or not result_key:
            continue
        shape = _walk(op.output_shape, result_key)
        if shape is None:
            continue
        out.append(_declare(service, operation, result_key, shape, like))
    return tuple(out)


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def generic_types(curated: Iterable[ResourceType]) -> list[ResourceType]:
    """The generic types of the services of `curated` (the whole registry, usually)."""
    by_service: dict[str, list[ResourceType]] = {}
    for rtype in curated:
        by_service.setdefault(rtype.service, []).append(rtype)
    out: list[ResourceType] = []
    for service in sorted(by_service):
        types = by_service[service]
        covered = frozenset(t.operation for t in types)
        # A global service (IAM, Route 53, Organizations) stays global, with its endpoint
        # region and the error codes meaning "not here" (Organizations outside management).
        like = types[0]
        if any(t.global_ != like.global_ for t in types):
            like = next(t for t in types if not t.global_)
        out.extend(_types_of(service, covered, (like.global_, like.home_region, like.skip_codes)))
    return out


def is_generic(name: str) -> bool:
    return name.startswith(PREFIX)
