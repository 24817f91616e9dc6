"""Values for any botocore output shape, made for one generated item (the generic mode).

Every value is a function of the item and the member's name, so the item reads the same in
its list answer, its describe answer and its tag answer: members ending in `Name` carry the
item's name, members ending in `Id` its id (UUID-long, for the APIs that want one), ARN
members its ARN, timestamps its creation time, tag members its tags (in whatever form the
shape has: a map, or a list of key/value structures), and a member named like a parameter of
the list call that found it (`clusterName`) the parent's value; `values` forces members (the
kind of a DataSync location, the `type` a filter keeps). Other strings are plausible values,
made unique per item where they are not (`sync-source-<token>`). The token (`fk00012`) is
unique in the server and is how a later call (a describe by name, a tag call by ARN) finds
its item.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .fill import PREFERRED_ENUM, Filler, _kebab, _singular
from .wire import ACCOUNT, PARTITION, REGION, Shape

TOKEN = re.compile(r"fk\d{5}")
BASE = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)
# Paging members of answers: the generic list handler sets its own, details never page.
PAGING = frozenset({"NextToken", "nextToken", "Marker", "NextMarker", "nextMarker",
                    "IsTruncated", "Truncated", "NextPageToken", "nextPageToken"})  # fmt: skip
_HIDDEN = ("header", "headers", "statusCode")
# The item's own identity members: never the parent's value, even when the list call that
# found the item took a parameter of that name (Greengrass lists versions by the component's
# `arn`).
_OWN = frozenset({"arn", "id", "name"})


@dataclass
class Item:
    """One generated resource: what the fake served for it, for tests to compare."""

    token: str
    resource_type: str
    account: str
    region: str
    partition: str
    name: str
    created: dt.datetime
    tags: dict[str, str]
    parent: Item | None = None
    # The list call's parameters that found it (the parent's identity): members of that name
    # carry the same value.
    params: dict[str, Any] = field(default_factory=dict)
    arn: str = ""
    # Members forced to a value (None: left out), whatever their name says.
    values: dict[str, Any] = field(default_factory=dict)
    # Every scalar the fake rendered for the item, by member name (first value wins).
    served: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> int:
        return int(self.token[2:])

    @property
    def ident(self) -> str:
        return f"{self.token}0-0000-4000-8000-{self.number:012d}"

    def ancestors(self) -> list[Item]:
        out, p = [], self.parent
        while p is not None:
            out.append(p)
            p = p.parent
        return out


def new_item(n: int, resource_type: str, account: str, region: str, partition: str) -> Item:
    token = f"fk{n:05d}"
    noun = _kebab(resource_type.rsplit("::", 1)[-1])
    return Item(
        token=token,
        resource_type=resource_type,
        account=account,
        region=region,
        partition=partition,
        name=f"{noun}-{token}",
        created=BASE + dt.timedelta(hours=n),
        tags={"team": f"team-{token}", "env": "test"},
    )


_LATER = ("modif", "updat", "expir", "last", "delet", "stop", "validto", "notafter", "end")


def when(item: Item, member: str) -> dt.datetime:
    """The item's creation time, or a day later for the times that come after it (last
    modified, expiry): a type reading the wrong one is seen."""
    later = any(w in member.lower() for w in _LATER)
    return item.created + dt.timedelta(days=1) if later else item.created


def is_tags(name: str, shape: Shape) -> bool:
    """A tag collection: named for tags (or a list of `Tag` shapes, CloudFront's Tags.Items),
    as a string map or a list of key/value structures."""
    of_tags = shape.type_name == "list" and "tag" in str(getattr(shape.member, "name", "")).lower()
    if "tag" not in name.lower() and not of_tags:
        return False
    if shape.type_name == "map":
        return bool(shape.key.type_name == "string" and shape.value.type_name == "string")
    if shape.type_name == "list" and shape.member.type_name == "structure":
        return _tag_members(shape.member) is not None
    return False


def _tag_members(shape: Shape) -> tuple[str, str] | None:
    names = list(shape.members)
    key = next((m for m in names if m.lower() in ("key", "tagkey")), None)
    value = next((m for m in names if m.lower() in ("value", "tagvalue")), None)
    return (key, value) if key and value else None


class ItemFiller:
    """Fills shapes with one item's values (or several items' for a batch answer's list)."""

    def __init__(self, service: str, max_depth: int = 3) -> None:
        self.service = service
        self.max_depth = max_depth
        self._plain = Filler(service)

    def fill(self, shape: Shape, item: Item, name: str = "", depth: int = 0) -> Any:
        t = shape.type_name
        if t == "structure":
            return self.structure(shape, item, depth)
        if is_tags(name, shape):
            return self.tags(shape, item)
        if t == "list":
            if depth > self.max_depth + 1:
                return None
            el = self.fill(shape.member, item, _singular(name), depth)
            return None if el is None or el == {} else [el]
        if t == "map":
            if depth > self.max_depth:
                return None
            val = self.fill(shape.value, item, "Value", depth + 1)
            return None if val is None else {"key": val}
        return self.scalar(shape, item, name)

    def structure(self, shape: Shape, item: Item, depth: int, skip: frozenset[str] = PAGING) -> Any:
        if depth > self.max_depth:
            return None
        out: dict[str, Any] = {}
        members = list(shape.members.items())
        if shape.metadata.get("union"):
            members = members[:1]  # a union holds exactly one member
        for mname, ms in members:
            if mname in skip or ms.serialization.get("location") in _HIDDEN:
                continue
            if mname in item.values:
                if item.values[mname] is not None:
                    out[mname] = item.values[mname]
                    item.served.setdefault(mname, out[mname])
                continue
            if ms.type_name == "structure" and ms.metadata.get("union") and depth >= self.max_depth:
                continue
            v = self.fill(ms, item, mname, depth + 1)
            if v is not None:
                out[mname] = v
                if not isinstance(v, dict | list):
                    item.served.setdefault(mname, v)
        return out

    def tags(self, shape: Shape, item: Item) -> Any:
        if shape.type_name == "map":
            return dict(item.tags)
        key, value = _tag_members(shape.member) or ("Key", "Value")
        out = []
        for k, v in item.tags.items():
            el = self.structure(shape.member, item, self.max_depth)
            el.update({key: k, value: v})
            out.append(el)
        return out

    def scalar(self, shape: Shape, item: Item, name: str) -> Any:
        t = shape.type_name
        if t == "timestamp":
            return when(item, name)
        if t in ("integer", "long"):
            if name.lower().endswith(("time", "date", "timestamp")):
                return int(when(item, name).timestamp() * 1000)  # epoch ms (CloudWatch Logs)
            if name.lower().endswith(("number", "version", "revision")):
                return item.number  # a version's identity (AppConfig, ECS task definitions)
            return self._plain.integer(name, shape)
        if t == "boolean":
            return name.startswith(("Enable", "Ena", "Is", "Auto")) and "Delete" not in name
        if t in ("float", "double"):
            return 1.0
        if t == "blob":
            return b"fake"
        if t != "string":
            return None
        text = self.string(shape, item, name)
        low = shape.metadata.get("min")
        return text if low is None or len(text) >= low else text + "0" * (int(low) - len(text))

    def string(self, shape: Shape, item: Item, name: str) -> str:
        if shape.enum:
            return str(next((e for e in shape.enum if e in PREFERRED_ENUM), shape.enum[0]))
        low = name.lower()
        if low not in _OWN:
            for param, value in item.params.items():
                if param.lower() == low and isinstance(value, str):
                    return value
        if low.endswith(("arn", "arns")) or low == "serialnumber":
            return item.arn
        if low in ("owner", "awsaccountid") or low.endswith(("ownerid", "accountid", "owneraccount")):
            return item.account
        if low.endswith("name") and not low.endswith(("dnsname", "hostname", "keyname")):
            return item.name
        if low.endswith(("url", "uri")):
            return self.url(item)
        if low.endswith(("date", "time", "timestamp", "created", "updated", "modified", "at")):
            return when(item, name).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if low.endswith("identifier"):  # RDS's and Redshift's names
            return item.name
        if low.endswith(("id", "ids")):
            return item.ident
        text = self._plain.string(shape, name)
        if text in (_kebab(name), "value", "standard", "available", "1", "/", "example"):
            return f"{_kebab(name) or 'value'}-{item.token}"  # unique per item
        return text.replace(ACCOUNT, item.account).replace(REGION, item.region).replace(
            PARTITION, item.partition
        )

    def url(self, item: Item) -> str:
        return f"https://{self.service}.{item.region}.amazonaws.com/{item.account}/{item.name}"

    def bare(self, list_name: str, item: Item, shape_name: str = "", element: str = "") -> str:
        """An element of a list of bare strings (names, ARNs, URLs) standing for the item; the
        list's member, shape or element shape name says which (`reportGroups` is a
        `ReportGroupArns`, `PermissionSets` a list of `PermissionSetArn`)."""
        low = list_name.lower()
        if shape_name.lower().endswith(("arns", "arnlist", "ids", "idlist", "urls")):
            low = shape_name.lower()
        elif element.lower().endswith("arn"):
            low = "arns"
        if low.endswith(("arns", "arnlist")):
            value = item.arn
        elif low.endswith(("urls", "uris")):
            value = self.url(item)
        elif low.endswith(("ids", "idlist")):
            value = item.ident
        else:
            value = item.name
        item.served.setdefault(list_name, value)
        return value

