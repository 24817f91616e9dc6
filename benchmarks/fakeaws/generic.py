"""The generic mode: any list/describe/tag call answered from botocore's output shapes.

The 27 core types have hand-written handlers (catalog.py, server.py). For every other type a
test declares a `ListSpec` (operation, where the items are in the answer, the request's fixed
parameters, how many items); the fake then answers that list call with generated items
(shapes.py), paged with the operation's own token, and answers every other call of the
service that names one of its items (a describe by name, a tag call by ARN, a batch of ids)
from that call's output shape, with the same item's values. What was served is kept in
`items` for the test to compare with the collector's records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .shapes import PAGING, TOKEN, Item, ItemFiller, new_item
from .wire import JsonWriter, XmlWriter, paginator, rest_routes, service_model

PAGE = 2  # items per page at most: every list of three or more items is paged
# Signing names some operations use instead of their service's (S3 directory buckets), and
# the operation a request signed so is when its route is another's (botocore drops the `x-id`
# that tells ListDirectoryBuckets' GET / from ListBuckets').
SIGNING_ALIASES = {"s3express": "s3"}
SIGNED_AS = {("s3express", "ListBuckets"): "ListDirectoryBuckets"}


@dataclass(frozen=True)
class ListSpec:
    resource_type: str
    service: str
    operation: str  # botocore's name: ListRepositories
    result: str  # the items' path in the answer: `repositories`, `DistributionList.Items`
    params: Mapping[str, Any]  # fixed request parameters that select this type
    count: int = 3
    global_: bool = False
    # Members forced on every item of the type (Item.values).
    values: Mapping[str, Any] = field(default_factory=dict)


ArnMaker = Callable[[Item], str]


def default_arn(item: Item) -> str:
    service = item.resource_type.split("::")[1].lower()
    noun = item.resource_type.rsplit("::", 1)[-1].lower()
    return f"arn:{item.partition}:{service}:{item.region}:{item.account}:{noun}/{item.name}"


class GenericAWS:
    def __init__(self, specs: Sequence[ListSpec], arn: ArnMaker = default_arn) -> None:
        self.specs: dict[tuple[str, str], list[ListSpec]] = {}
        for s in specs:
            self.specs.setdefault((s.service, s.operation), []).append(s)
        self.arn = arn
        self.items: dict[str, list[Item]] = {}  # resource_type -> every item made
        self._by_token: dict[str, Item] = {}
        # ARNs without a token (one instance a region: S3 Access Grants' `access-grants/default`).
        self._by_arn: dict[str, Item] = {}
        self._collections: dict[tuple[Any, ...], list[Item]] = {}
        self.services = frozenset(s.service for s in specs)
        self.signing: dict[str, list[str]] = {}
        for svc in sorted(self.services):
            meta = service_model(svc).metadata
            name = meta.get("signingName") or meta.get("endpointPrefix") or svc
            self.signing.setdefault(name, []).append(svc)

    # -- routing ---------------------------------------------------------------------------
    def resolve(self, signing: str, headers: Mapping[str, str], form: Mapping[str, str],
                method: str, path: str, query: Mapping[str, str]) -> str | None:  # fmt: skip
        """The botocore service of a request signed for `signing`, among the specs' services
        (S3 and S3 Control both sign as `s3`: the most specific route decides)."""
        candidates = self.signing.get(SIGNING_ALIASES.get(signing, signing), [])
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        target = headers.get("X-Amz-Target", "").rpartition(".")[0]
        best: tuple[tuple[int, int, int], str] | None = None
        segs = [unquote(x) for x in path.split("?", 1)[0].split("/") if x]
        for svc in candidates:
            model = service_model(svc)
            if model.protocol == "json" and target == model.metadata.get("targetPrefix"):
                return svc
            if model.protocol in ("query", "ec2") and form.get("Version") == model.api_version:
                return svc
            if model.protocol.startswith("rest"):
                for route in rest_routes(svc, frozenset(model.operation_names)):
                    if route.match(method, segs, query) is not None:
                        rank = (not route.greedy, *route.specificity)
                        if best is None or rank > best[0]:
                            best = (rank, svc)
                        break
        return best[1] if best else candidates[0]

    @staticmethod
    def operation(signing: str, operation: str) -> str:
        return SIGNED_AS.get((signing, operation), operation)

    def claims(self, service: str, operation: str, params: Mapping[str, Any]) -> bool:
        return (service, operation) in self.specs or bool(self._named(params))

    # -- answers ---------------------------------------------------------------------------
    def handle(self, service: str, operation: str, params: dict[str, Any], account: str,
               region: str, partition: str) -> dict[str, Any] | bytes:  # fmt: skip
        specs = self._matching(service, operation, params)
        if specs:
            return self._list(service, operation, specs, params, account, region, partition)
        named = self._named(params)
        if not named:
            raise LookupError(f"{service}:{operation} names no generated item")
        return self._detail(service, operation, named)

    def _matching(self, service: str, operation: str, params: Mapping[str, Any]) -> list[ListSpec]:
        """The specs this request lists: fixed parameters all present, the most specific ones
        per result path (describe_alarms lists metric and composite alarms in one answer;
        ListLocations every kind of DataSync location, which the types tell apart by `where`)."""
        found = [
            s for s in self.specs.get((service, operation), [])
            if all(_same(params.get(k), v) for k, v in s.params.items())
        ]  # fmt: skip
        most = {s.result: max(len(o.params) for o in found if o.result == s.result) for s in found}
        return [s for s in found if len(s.params) == most[s.result]]

    def _named(self, params: Mapping[str, Any]) -> list[Item]:
        """The items a request names, in order, without the ancestors of another one."""
        found: list[Item] = []
        for token in TOKEN.findall(json.dumps(params, default=str)):
            item = self._by_token.get(token)
            if item is not None and item not in found:
                found.append(item)
        for text in _strings(params):
            item = self._by_arn.get(text)
            if item is not None and item not in found:
                found.append(item)
        ancestors = {id(a) for i in found for a in i.ancestors()}
        return [i for i in found if id(i) not in ancestors]

    def _collection(self, spec: ListSpec, key: tuple[Any, ...], params: Mapping[str, Any],
                    account: str, region: str, partition: str) -> list[Item]:  # fmt: skip
        items = self._collections.get(key)
        if items is not None:
            return items
        named = self._named(params)
        parent = named[-1] if named else None
        items = []
        fixed = {k: v for k, v in params.items() if k not in spec.params}
        # A tree (organizational units in units) ends under the first level of generated items.
        count = 0 if parent is not None and parent.resource_type == spec.resource_type else spec.count
        for _ in range(count):
            n = len(self._by_token) + 1
            item = new_item(n, spec.resource_type, account, region, partition)
            item.parent, item.params = parent, fixed
            item.arn = self.arn(item)
            item.values = {k: _per_item(v, item) for k, v in spec.values.items()}
            self._by_token[item.token] = item
            if not TOKEN.search(item.arn):
                self._by_arn[item.arn] = item
            items.append(item)
        self.items.setdefault(spec.resource_type, []).extend(items)
        self._collections[key] = items
        return items

    def _list(self, service: str, operation: str, specs: list[ListSpec], params: dict[str, Any],
              account: str, region: str, partition: str) -> dict[str, Any] | bytes:  # fmt: skip
        model = service_model(service)
        output = model.operation_model(operation).output_shape
        paging = _paging(service, operation)
        fixed = {k: v for k, v in params.items() if k not in paging.request}
        where = "global" if specs[0].global_ else region
        filler = ItemFiller(service)
        token = params.get(paging.token) if paging.token else None
        start = int(str(token).rsplit("-", 1)[-1]) if token else 0
        value: dict[str, Any] = {}
        more = False
        lists: dict[str, list[Item]] = {}
        for spec in specs:
            key = (spec.resource_type, account, where, json.dumps(fixed, sort_keys=True, default=str))
            items = self._collection(spec, key, fixed, account, region, partition)
            lists.setdefault(spec.result, []).extend(items)
        for result, items in lists.items():
            end = start + PAGE if paging.token else len(items)
            more = more or end < len(items)
            *path, last = result.split(".")
            shape, box = output, value
            for part in path:
                shape = shape.members[part]
                box = box.setdefault(part, {})
            listed = shape.members[last]
            if listed.member.type_name == "structure":
                box[last] = [filler.structure(listed.member, i, 1) for i in items[start:end]]
            else:
                box[last] = [filler.bare(last, i, listed.name, listed.member.name)
                             for i in items[start:end]]
        if more and paging.out_token:
            value[paging.out_token] = f"page-{start + PAGE}"
        if paging.more:
            value[paging.more] = more
        return _payload(service, operation, value)

    def _detail(self, service: str, operation: str, named: list[Item]) -> dict[str, Any] | bytes:
        model = service_model(service)
        output = model.operation_model(operation).output_shape
        if output is None:
            return {}
        filler = ItemFiller(service)
        first = named[0]
        value: dict[str, Any] = filler.structure(output, first, 0)
        if len(named) > 1:  # a batch: one answer per item named, in the request's order
            for mname, ms in output.members.items():
                if ms.type_name == "list" and ms.member.type_name == "structure":
                    value[mname] = [filler.structure(ms.member, i, 1) for i in named]
        return _payload(service, operation, value)


def _payload(service: str, operation: str, value: dict[str, Any]) -> dict[str, Any] | bytes:
    """The answer as the server renders it, or, where the output is one member's (REST
    `payload`: CloudFront's DistributionList), that member as the whole body."""
    model = service_model(service)
    output = model.operation_model(operation).output_shape
    payload = output.serialization.get("payload") if output is not None else None
    if not payload or not model.protocol.startswith("rest"):
        return value
    shape = output.members[payload]
    inner = value.get(payload, {})
    if model.protocol == "rest-json":
        return JsonWriter().value(shape, inner).encode()
    root = shape.serialization.get("name", payload)
    ns = f"https://{model.endpoint_prefix}.amazonaws.com/doc/{model.api_version}/"
    body = XmlWriter().value(shape, inner)
    return f'<?xml version="1.0"?>\n<{root} xmlns="{ns}">{body}</{root}>'.encode()


@dataclass(frozen=True)
class _Paging:
    token: str | None  # the request's token member
    out_token: str | None  # the answer's
    more: str | None  # IsTruncated-style flag
    request: frozenset[str]  # request members that only page


def _paging(service: str, operation: str) -> _Paging:
    cfg = paginator(service, operation)
    if cfg is not None:
        tin, tout, limit = cfg.get("input_token"), cfg.get("output_token"), cfg.get("limit_key")
        if isinstance(tin, str) and isinstance(tout, str) and tout.isidentifier():
            more = cfg.get("more_results")
            req = frozenset(x for x in (tin, limit) if isinstance(x, str))
            return _Paging(tin, tout, more if isinstance(more, str) else None, req)
        return _Paging(None, None, None, frozenset())
    # No paginator: a token member of the same name in the request and the answer.
    op = service_model(service).operation_model(operation)
    ins = set(op.input_shape.members) if op.input_shape is not None else set()
    outs = set(op.output_shape.members) if op.output_shape is not None else set()
    common = sorted((ins & outs) & PAGING)
    limits = {m for m in ins if m in ("MaxResults", "maxResults", "MaxItems", "Limit", "limit")}
    return _Paging(common[0] if common else None, common[0] if common else None, None,
                   frozenset(common) | limits)  # fmt: skip


def _per_item(value: Any, item: Item) -> Any:
    """A forced value; in a string, {arn}, {name} and {ident} are the item's."""
    if isinstance(value, str):
        return value.format(arn=item.arn, name=item.name, ident=item.ident)
    return value


def _strings(value: Any) -> list[str]:
    """Every string in a request's parameters, at any depth."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _same(got: Any, want: Any) -> bool:
    return json.dumps(got, sort_keys=True, default=str) == json.dumps(
        want, sort_keys=True, default=str
    )
