"""Raw API items to `Record`s: pure functions, no I/O."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import jmespath
import jmespath.exceptions
from jmespath.parser import ParsedResult

from collector.records import GLOBAL_REGION, Record, Scope
from collector.redact import DEFAULT as DEFAULT_REDACTOR
from collector.redact import Redactor
from collector.registry.base import Field, Item, ResourceType


class MalformedItem(ValueError):
    """An item lacks what identifies it; it is skipped and counted, never stored half-made."""


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> ParsedResult:
    return jmespath.compile(expression)


_PLAIN_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


@lru_cache(maxsize=1024)
def _plain_path(expression: str) -> tuple[str, ...] | None:
    """The keys of a plain key path (``Tags``, ``State.Name``: most fields of the registry),
    which dict lookups answer exactly as JMESPath does, ~10x faster; None otherwise."""
    return tuple(expression.split(".")) if _PLAIN_PATH.fullmatch(expression) else None


def extract(field: Field | None, item: Item) -> Any:
    if field is None:
        return None
    if callable(field):
        try:
            return field(item)
        except (KeyError, TypeError, AttributeError, IndexError):
            return None
    keys = _plain_path(field)
    if keys is not None:
        data: Any = item
        for key in keys:
            if not isinstance(data, dict):
                return None
            data = data.get(key)
        return data
    try:
        return _compiled(field).search(item)
    except jmespath.exceptions.JMESPathError:
        # A function such as join() meeting a missing field: no value, not a crash.
        return None


def partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


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


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        utc = to_utc(value)
        assert utc is not None
        return utc.isoformat().replace("+00:00", "Z")
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "read"):  # a streaming body never belongs in an inventory
        return None
    return str(value)


def canonical_json(raw: Any) -> str:
    return json.dumps(
        raw, default=_json_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


class RawJSON(dict[str, Any]):
    """A record's ``raw``: plain JSON data that also carries its canonical JSON text.

    The store writes ``json_text`` as it is instead of serializing the dict a second time
    (``collector.store.engine.json_dumps``). Treat it as read-only: the text is not updated
    if the dict is changed.
    """

    __slots__ = ("json_text",)

    json_text: str


def jsonable(raw: Item) -> tuple[dict[str, Any], str]:
    """The item as plain JSON data (a :class:`RawJSON`) plus the SHA-256 of its canonical
    form."""
    text = canonical_json(raw)
    data = RawJSON(json.loads(text))
    data.json_text = text
    # surrogatepass: a lone surrogate in AWS's data must not fail the item (the store
    # replaces it, collector.store.clean); the bytes of any other text are plain UTF-8.
    return data, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def content(item: Item, volatile: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """The item as stored (:func:`jsonable`) and its digest, which leaves out the ``volatile``
    top-level keys (they change on their own)."""
    raw, digest = jsonable(item)
    if volatile:
        steady = {k: v for k, v in raw.items() if k not in volatile}
        steady_text = canonical_json(steady).encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(steady_text).hexdigest()
    return raw, digest


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
            partition=partition_of(arn_region or "us-east-1"),
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
    )
