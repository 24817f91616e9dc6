"""Raw API items to `Record`s: pure functions, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from collector.engine import paths
from collector.engine.links import edges
from collector.engine.redact import DEFAULT as DEFAULT_REDACTOR
from collector.engine.redact import Redactor
from collector.partitions import partition_of
from collector.records import GLOBAL_REGION, Record, Scope
from collector.registry.base import Field, Item, ResourceType
from collector.store.rawjson import content


class MalformedItem(ValueError):
    """An item lacks what identifies it; it is skipped and counted, never stored half-made."""


def extract(field: Field | None, item: Item) -> Any:
    if field is None:
        return None
    if callable(field):
        try:
            return field(item)
        except (KeyError, TypeError, AttributeError, IndexError):
            return None
    return paths.search(field, item)


def tags_to_dict(tags: Any) -> dict[str, str]:
    """Either AWS tag shape (a list of Key/Value or TagKey/TagValue pairs, or a mapping)."""
    if not tags:
        return {}
    if isinstance(tags, Mapping):
        return {str(k): "" if v is None else str(v) for k, v in tags.items()}
    out: dict[str, str] = {}
    if isinstance(tags, list):
        for tag in tags:
            if not isinstance(tag, Mapping):
                continue
            key = tag.get("Key", tag.get("TagKey"))
            if key is None:
                continue
            value = tag.get("Value", tag.get("TagValue"))
            out[str(key)] = "" if value is None else str(value)
    return out


def to_utc(value: Any) -> datetime | None:
    """datetime, ISO 8601 text, or epoch seconds/milliseconds (SQS) -> aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000.0
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None  # out of range (year > 9999, inf, nan): an unknown time, not a crash
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return to_utc(parsed)
    return None


def normalize(
    rtype: ResourceType, scope: Scope, item: Item, redactor: Redactor = DEFAULT_REDACTOR
) -> Record:
    resource_id = extract(rtype.id, item)
    if resource_id in (None, ""):
        raise MalformedItem(f"{rtype.resource_type}: item without id ({rtype.id!r})")
    resource_id = str(resource_id)
    own_region = extract(rtype.region, item) if rtype.region else None
    region = str(own_region) if own_region else scope.region
    arn_region = "" if region == GLOBAL_REGION else region
    arn = extract(rtype.arn, item)
    if not arn:
        if rtype.arn_template is None:
            raise MalformedItem(f"{rtype.resource_type} {resource_id}: item without ARN")
        fields = {k: v for k, v in item.items() if isinstance(v, str | int)}
        fields.update(
            partition=partition_of(arn_region) if arn_region else scope.partition or "aws",
            region=arn_region,
            account=scope.account_id,
            id=resource_id,
        )
        try:
            arn = rtype.arn_template.format_map(fields)
        except KeyError as missing:
            raise MalformedItem(
                f"{rtype.resource_type} {resource_id}: ARN needs field {missing}"
            ) from None
    tags = tags_to_dict(extract(rtype.tags, item) if rtype.tags else None)
    name = extract(rtype.name, item) if rtype.name else None
    if name in (None, ""):
        name = tags.get("Name")
    # From the item as AWS sent it: redaction never touches what references another resource.
    links = edges(rtype, str(arn), scope.account_id, region, item)
    if redactor.applies_to(rtype.resource_type):
        item = redactor(rtype.resource_type, item)
    raw, digest = content(item, rtype.volatile)
    return Record(
        arn=str(arn),
        account_id=scope.account_id,
        region=region,
        scope_region=scope.region,
        service=rtype.service,
        resource_type=rtype.resource_type,
        resource_id=resource_id,
        name=None if name is None else str(name),
        tags=tags,
        created_at=to_utc(extract(rtype.created, item)) if rtype.created else None,
        raw=raw,
        digest=digest,
        links=links,
    )
