"""AWS wire protocols, driven by botocore's service models.

Output: a small serializer per protocol family (XML for ec2/query/rest-xml, JSON for
json/rest-json) that walks botocore output shapes. It understands two placeholders used to
render items cheaply:

* :class:`Slot` marks a value filled per item; compiling a value that contains slots gives a
  :class:`Template` (literal text + slot renderers), so an item costs one ``join``.
* :class:`Raw` is a list whose elements are already rendered (cached item fragments).

Input: query/ec2 form bodies, JSON bodies and REST paths/query strings are turned back into
botocore-style parameter dicts using the input shapes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import unquote

import botocore.session

# Markers inside template text: slot positions, and the account/region/partition of a
# collection.
SLOT_OPEN = "\ue000"
SLOT_CLOSE = "\ue001"
ACCOUNT = "\ue010"
REGION = "\ue011"
PARTITION = "\ue012"

Shape = Any  # botocore.model.Shape (untyped)
Render = Callable[[Any], str]


class Slot:
    """A per-item value in a template, looked up by ``name`` in the item's values."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


class Raw:
    """A list value whose elements are already rendered (XML: whole elements; JSON: values)."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[str]) -> None:
        self.parts = parts


@cache
def service_model(name: str) -> Any:
    return _session().get_service_model(name)


@cache
def paginator(service: str, operation: str) -> dict[str, Any] | None:
    try:
        cfg = _session().get_paginator_model(service).get_paginator(operation)
    except Exception:  # no paginator for this operation
        return None
    return dict(cfg)


@cache
def _session() -> Any:
    return botocore.session.get_session()


# -- scalars -----------------------------------------------------------------------------------
def iso(ts: dt.datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def xml_escape(s: str) -> str:
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    return s


def _xml_scalar(shape: Shape, v: Any) -> str:
    t = shape.type_name
    if t == "string":
        return xml_escape(v)
    if t == "boolean":
        return "true" if v else "false"
    if t in ("integer", "long"):
        return str(int(v))
    if t == "timestamp":
        return iso(v) if isinstance(v, dt.datetime) else str(v)
    if t == "blob":
        return base64.b64encode(v).decode() if isinstance(v, bytes) else str(v)
    return str(v)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json_scalar(shape: Shape, v: Any) -> str:
    t = shape.type_name
    if t == "string":
        return _dumps(v)
    if t == "boolean":
        return "true" if v else "false"
    if t in ("integer", "long"):
        return str(int(v))
    if t in ("float", "double"):
        return repr(float(v))
    if t == "timestamp":
        if shape.serialization.get("timestampFormat") == "iso8601":
            return _dumps(iso(v) if isinstance(v, dt.datetime) else str(v))
        if isinstance(v, dt.datetime):
            return f"{v.timestamp():.3f}"
        return str(v)
    if t == "blob":
        return _dumps(base64.b64encode(v).decode() if isinstance(v, bytes) else str(v))
    return _dumps(v)


# -- writers -------------------------------------------------------------------------------------
def xml_compile(shape: Shape) -> Render:
    """A fast renderer of the XML content of ``shape`` values (no slots, no Raw)."""
    t = shape.type_name
    if t == "structure":
        members = [(name, xml_member_compile(name, ms)) for name, ms in shape.members.items()]

        def structure(v: Any) -> str:
            return "".join([fn(v[n]) for n, fn in members if v.get(n) is not None])

        return structure
    if t == "list":
        el = xml_compile(shape.member)
        if shape.serialization.get("flattened"):
            tag = shape.member.serialization.get("name") or shape.serialization.get(
                "name", "member"
            )
        else:
            tag = shape.member.serialization.get("name", "member")
        o, c = f"<{tag}>", f"</{tag}>"
        return lambda v: "".join([f"{o}{el(e)}{c}" for e in v])
    if t == "map":
        k_tag = shape.key.serialization.get("name", "key")
        v_tag = shape.value.serialization.get("name", "value")
        val = xml_compile(shape.value)
        return lambda v: "".join(
            f"<entry><{k_tag}>{xml_escape(k)}</{k_tag}><{v_tag}>{val(x)}</{v_tag}></entry>"
            for k, x in v.items()
        )
    if t == "string":
        return xml_escape
    if t == "timestamp":
        return _memo(lambda v: _xml_scalar(shape, v))
    return lambda v: _xml_scalar(shape, v)


def _memo(fn: Render) -> Render:
    """Remembers the last value (a timestamp is often rendered at several places of an item)."""
    last: list[Any] = [None, ""]

    def render(v: Any) -> str:
        if v is not last[0]:
            last[0] = v
            last[1] = fn(v)
        return str(last[1])

    return render


def xml_member_compile(name: str, shape: Shape) -> Render:
    """Renders a member element (``<tag>...</tag>``); ``""`` for None."""
    inner = xml_compile(shape)
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        return lambda v: "" if v is None else inner(v)
    tag = shape.serialization.get("name", name)
    o, c = f"<{tag}>", f"</{tag}>"
    return lambda v: "" if v is None else f"{o}{inner(v)}{c}"


def json_compile(shape: Shape) -> Render:
    t = shape.type_name
    if t == "structure":
        members = [
            (name, _dumps(ms.serialization.get("name", name)) + ":", json_compile(ms))
            for name, ms in shape.members.items()
        ]

        def structure(v: Any) -> str:
            return (
                "{" + ",".join([k + fn(v[n]) for n, k, fn in members if v.get(n) is not None]) + "}"
            )

        return structure
    if t == "list":
        el = json_compile(shape.member)
        return lambda v: "[" + ",".join([el(e) for e in v]) + "]"
    if t == "map":
        val = json_compile(shape.value)
        return lambda v: "{" + ",".join([f"{_dumps(k)}:{val(x)}" for k, x in v.items()]) + "}"
    if t == "string":
        return _dumps
    return lambda v: _json_scalar(shape, v)


def _json_member(key: str, inner: Render) -> Render:
    return lambda x: "" if x is None else f",{key}:{inner(x)}"


class Writer:
    """Renders values of botocore shapes; collects slots when compiling templates."""

    def __init__(self) -> None:
        self.slots: list[tuple[str, Render]] = []
        self.slot_first = False  # JSON: an object starts with a slot (needs comma fix-up)

    def _slot(self, name: str, render: Render) -> str:
        self.slots.append((name, render))
        return f"{SLOT_OPEN}{len(self.slots) - 1}{SLOT_CLOSE}"

    def value(self, shape: Shape, v: Any) -> str:
        raise NotImplementedError

    def list_element(self, list_shape: Shape, v: Any) -> str:
        """One element of a list, as it appears inside the list (for Raw parts)."""
        raise NotImplementedError

    def compile(self, shape: Shape, v: Any, list_shape: Shape | None = None) -> Template:
        self.slots = []
        text = self.list_element(list_shape, v) if list_shape is not None else self.value(shape, v)
        return Template.from_text(text, self.slots, self.slot_first)


class XmlWriter(Writer):
    def member(self, name: str, shape: Shape, v: Any) -> str:
        if shape.type_name == "list" and shape.serialization.get("flattened"):
            return self.value(shape, v)
        tag = shape.serialization.get("name", name)
        return f"<{tag}>{self.value(shape, v)}</{tag}>"

    def list_element(self, list_shape: Shape, v: Any) -> str:
        if list_shape.serialization.get("flattened"):
            tag = list_shape.member.serialization.get("name") or list_shape.serialization.get(
                "name", "member"
            )
        else:
            tag = list_shape.member.serialization.get("name", "member")
        return f"<{tag}>{self.value(list_shape.member, v)}</{tag}>"

    def value(self, shape: Shape, v: Any) -> str:
        t = shape.type_name
        if t == "structure":
            out = []
            for name, ms in shape.members.items():
                mv = v.get(name)
                if mv is None:
                    continue
                if isinstance(mv, Slot):
                    out.append(self._slot(mv.name, xml_member_compile(name, ms)))
                else:
                    out.append(self.member(name, ms, mv))
            return "".join(out)
        if t == "list":
            if isinstance(v, Raw):
                return "".join(v.parts)
            return "".join(self.list_element(shape, e) for e in v)
        if t == "map":
            k_tag = shape.key.serialization.get("name", "key")
            v_tag = shape.value.serialization.get("name", "value")
            return "".join(
                f"<entry><{k_tag}>{xml_escape(k)}</{k_tag}>"
                f"<{v_tag}>{self.value(shape.value, val)}</{v_tag}></entry>"
                for k, val in v.items()
            )
        if isinstance(v, Slot):
            inner = xml_compile(shape)
            return self._slot(v.name, lambda x: "" if x is None else inner(x))
        return _xml_scalar(shape, v)


class JsonWriter(Writer):
    def list_element(self, list_shape: Shape, v: Any) -> str:
        return self.value(list_shape.member, v)

    def value(self, shape: Shape, v: Any) -> str:
        t = shape.type_name
        if t == "structure":
            plain = []
            slots = []
            for name, ms in shape.members.items():
                mv = v.get(name)
                if mv is None:
                    continue
                key = _dumps(ms.serialization.get("name", name))
                if isinstance(mv, Slot):
                    slots.append(self._slot(mv.name, _json_member(key, json_compile(ms))))
                else:
                    plain.append(f"{key}:{self.value(ms, mv)}")
            if slots and not plain:
                self.slot_first = True
            return "{" + ",".join(plain) + "".join(slots) + "}"
        if t == "list":
            parts = v.parts if isinstance(v, Raw) else [self.value(shape.member, e) for e in v]
            return "[" + ",".join(parts) + "]"
        if t == "map":
            return (
                "{"
                + ",".join(f"{_dumps(k)}:{self.value(shape.value, val)}" for k, val in v.items())
                + "}"
            )
        if isinstance(v, Slot):
            inner = json_compile(shape)
            return self._slot(v.name, lambda x: "null" if x is None else inner(x))
        return _json_scalar(shape, v)


def writer_for(protocol: str) -> Writer:
    return JsonWriter() if protocol in ("json", "rest-json") else XmlWriter()


_SLOT_RE = re.compile(f"{SLOT_OPEN}(\\d+){SLOT_CLOSE}")


class Template:
    """Literal text with slots: ``lits[0] slot0 lits[1] slot1 ... lits[n]``."""

    __slots__ = ("fix_commas", "lits", "pairs", "slots")

    def __init__(
        self, lits: list[str], slots: list[tuple[str, Render]], fix_commas: bool = False
    ) -> None:
        self.lits = lits
        self.slots = slots
        self.fix_commas = fix_commas
        self.pairs = [(name, fn, lit) for (name, fn), lit in zip(slots, lits[1:], strict=True)]

    @classmethod
    def from_text(
        cls, text: str, slot_table: list[tuple[str, Render]], fix_commas: bool = False
    ) -> Template:
        pieces = _SLOT_RE.split(text)
        lits = pieces[0::2]
        slots = [slot_table[int(i)] for i in pieces[1::2]]
        return cls(lits, slots, fix_commas)

    def specialize(self, account: str, region: str, partition: str = "aws") -> Template:
        lits = [
            s.replace(ACCOUNT, account).replace(REGION, region).replace(PARTITION, partition)
            for s in self.lits
        ]
        return Template(lits, self.slots, self.fix_commas)

    def render(self, values: Mapping[str, Any]) -> str:
        get = values.get
        out = [self.lits[0]]
        for name, fn, lit in self.pairs:
            out.append(fn(get(name)))
            out.append(lit)
        text = "".join(out)
        return text.replace("{,", "{") if self.fix_commas else text


# -- response envelopes --------------------------------------------------------------------------
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
REST_XML_ROOT = {
    "ListBuckets": "ListAllMyBucketsResult",
    "GetBucketTagging": "Tagging",
    "ListHostedZones": "ListHostedZonesResponse",
    "ListTagsForResource": "ListTagsForResourceResponse",
}
CONTENT_TYPE = {
    "ec2": "text/xml;charset=UTF-8",
    "query": "text/xml",
    "rest-xml": "application/xml",
    "rest-json": "application/json",
}


@cache
def _envelope(service: str, operation: str) -> tuple[Shape | None, str, str, str]:
    """(output shape, protocol, namespace, wrapper or root element) of an operation."""
    model = service_model(service)
    shape = model.operation_model(operation).output_shape
    protocol = model.protocol
    ns = model.metadata.get("xmlNamespace") or ""
    if isinstance(ns, dict):
        ns = ns.get("uri", "")
    wrapper = ""
    if protocol == "query":
        wrapper = shape.serialization.get("resultWrapper", f"{operation}Result") if shape else ""
    elif protocol == "rest-xml":
        wrapper = REST_XML_ROOT.get(operation, f"{operation}Result")
        if service == "s3":
            ns = "http://s3.amazonaws.com/doc/2006-03-01/"
        else:
            ns = f"https://{model.endpoint_prefix}.amazonaws.com/doc/{model.api_version}/"
    return shape, protocol, str(ns), wrapper


def render_output(service: str, operation: str, value: Mapping[str, Any], request_id: str) -> bytes:
    """The body of a successful response of ``operation`` with output ``value``."""
    shape, protocol, ns, wrapper = _envelope(service, operation)
    if protocol in ("json", "rest-json"):
        if shape is None:
            return b"{}"
        return JsonWriter().value(shape, value).encode()
    body = XmlWriter().value(shape, value) if shape is not None else ""
    if protocol == "ec2":
        return (
            f'{XML_DECL}<{operation}Response xmlns="{ns}"><requestId>{request_id}</requestId>'
            f"{body}</{operation}Response>"
        ).encode()
    if protocol == "query":
        return (
            f'<{operation}Response xmlns="{ns}"><{wrapper}>{body}</{wrapper}>'
            f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
            f"</{operation}Response>"
        ).encode()
    return f'{XML_DECL}<{wrapper} xmlns="{ns}">{body}</{wrapper}>'.encode()


def render_error(
    service: str, code: str, message: str, status: int, request_id: str
) -> tuple[int, dict[str, str], bytes]:
    model = service_model(service)
    protocol = model.protocol
    msg = xml_escape(message)
    headers = {"x-amzn-RequestId": request_id}
    if protocol == "ec2":
        body = (
            f"{XML_DECL}<Response><Errors><Error><Code>{code}</Code><Message>{msg}</Message>"
            f"</Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
        headers["Content-Type"] = CONTENT_TYPE["ec2"]
        return status, headers, body.encode()
    if protocol == "query" or (protocol == "rest-xml" and service != "s3"):
        kind = "Receiver" if status >= 500 else "Sender"
        ns = model.metadata.get("xmlNamespace") or ""
        body = (
            f'<ErrorResponse xmlns="{ns}"><Error><Type>{kind}</Type><Code>{code}</Code>'
            f"<Message>{msg}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        headers["Content-Type"] = "text/xml"
        return status, headers, body.encode()
    if protocol == "rest-xml":  # s3
        body = (
            f"{XML_DECL}<Error><Code>{code}</Code><Message>{msg}</Message>"
            f"<RequestId>{request_id}</RequestId><HostId>fake</HostId></Error>"
        )
        headers["Content-Type"] = "application/xml"
        headers["x-amz-request-id"] = request_id
        return status, headers, body.encode()
    if protocol == "rest-json":
        headers["x-amzn-ErrorType"] = f"{code}:http://internal.amazon.com/coral/com.amazonaws/"
        headers["Content-Type"] = "application/json"
        return status, headers, _dumps({"Type": "User", "message": message}).encode()
    # json
    prefix = model.metadata.get("targetPrefix", service)
    headers["Content-Type"] = f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}"
    if "awsQueryCompatible" in model.metadata:
        headers["x-amzn-query-error"] = f"{code};{'Receiver' if status >= 500 else 'Sender'}"
    body_d = {"__type": f"com.amazonaws.{prefix.lower()}#{code}", "message": message}
    return status, headers, _dumps(body_d).encode()


@cache
def content_type(service: str) -> str:
    model = service_model(service)
    if model.protocol == "json":
        return f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}"
    return CONTENT_TYPE[model.protocol]


# -- request parsing -----------------------------------------------------------------------------
def _query_name(shape: Shape, name: str, ec2: bool) -> str:
    ser = shape.serialization
    if ec2:
        if "queryName" in ser:
            return str(ser["queryName"])
        if "name" in ser:
            n = str(ser["name"])
            return n[0].upper() + n[1:]
        return name
    return str(ser.get("name", name))


@cache
def _top_scalars(service: str, operation: str) -> dict[str, tuple[str, Shape]]:
    """Wire name -> (member, shape) of the top-level scalar input members."""
    model = service_model(service)
    shape = model.operation_model(operation).input_shape
    ec2 = model.protocol == "ec2"
    out = {"Action": ("", None), "Version": ("", None)}
    if shape is not None:
        for name, ms in shape.members.items():
            if ms.type_name not in ("structure", "list", "map"):
                out[_query_name(ms, name, ec2)] = (name, ms)
    return out


def parse_query(service: str, operation: str, form: Mapping[str, str]) -> dict[str, Any]:
    """Form parameters of a query/ec2 request -> botocore-style parameters."""
    top = _top_scalars(service, operation)
    if all(k in top for k in form):  # the common case: only top-level scalars
        out: dict[str, Any] = {}
        for k, v in form.items():
            name, ms = top[k]
            if name:
                out[name] = _scalar_in(ms, v)
        return out
    model = service_model(service)
    shape = model.operation_model(operation).input_shape
    return parse_query_form(shape, form, model.protocol == "ec2")


def parse_query_form(shape: Shape | None, form: Mapping[str, str], ec2: bool) -> dict[str, Any]:
    """Form parameters (``Filter.1.Value.1=x``) -> a botocore-style parameter dict."""
    if shape is None:
        return {}
    prefixes: set[str] = set()
    for k in form:
        parts = k.split(".")
        for i in range(1, len(parts)):
            prefixes.add(".".join(parts[:i]))
    out = _de_query(shape, "", form, prefixes, ec2)
    return out if isinstance(out, dict) else {}


def _de_query(
    shape: Shape, key: str, form: Mapping[str, str], prefixes: set[str], ec2: bool
) -> Any:
    t = shape.type_name
    if t == "structure":
        if key and key not in prefixes:
            return None
        out: dict[str, Any] = {}
        for name, ms in shape.members.items():
            sub = _query_name(ms, name, ec2)
            v = _de_query(ms, f"{key}.{sub}" if key else sub, form, prefixes, ec2)
            if v is not None:
                out[name] = v
        return out
    if t == "list":
        if form.get(key) == "":
            return []
        if ec2 or shape.serialization.get("flattened"):
            base = key
        else:
            base = f"{key}.{shape.member.serialization.get('name', 'member')}"
        items = []
        i = 1
        while f"{base}.{i}" in form or f"{base}.{i}" in prefixes:
            items.append(_de_query(shape.member, f"{base}.{i}", form, prefixes, ec2))
            i += 1
        return items or None
    if t == "map":
        base = key if shape.serialization.get("flattened") else f"{key}.entry"
        kn = shape.key.serialization.get("name", "key")
        vn = shape.value.serialization.get("name", "value")
        m: dict[str, Any] = {}
        i = 1
        while f"{base}.{i}.{kn}" in form:
            m[form[f"{base}.{i}.{kn}"]] = _de_query(
                shape.value, f"{base}.{i}.{vn}", form, prefixes, ec2
            )
            i += 1
        return m or None
    raw = form.get(key)
    if raw is None:
        return None
    return _scalar_in(shape, raw)


def _scalar_in(shape: Shape, raw: str) -> Any:
    t = shape.type_name
    if t in ("integer", "long"):
        return int(raw)
    if t == "boolean":
        return raw.lower() == "true"
    if t in ("float", "double"):
        return float(raw)
    return raw


class RestRoute:
    __slots__ = ("greedy", "method", "operation", "query", "segments")

    def __init__(self, operation: str, method: str, uri: str) -> None:
        path, _, qs = uri.partition("?")
        self.operation = operation
        self.method = method
        self.segments = [s for s in path.split("/") if s]
        self.greedy = bool(self.segments) and self.segments[-1].endswith("+}")
        self.query: dict[str, str | None] = {}
        for part in filter(None, qs.split("&")):
            k, eq, v = part.partition("=")
            self.query[k] = v if eq else None

    def match(
        self, method: str, segs: list[str], query: Mapping[str, str]
    ) -> dict[str, str] | None:
        if method != self.method:
            return None
        tpl = self.segments
        if self.greedy:
            if len(segs) < len(tpl):
                return None
        elif len(segs) != len(tpl):
            return None
        for k, v in self.query.items():
            if k not in query or (v is not None and query[k] != v):
                return None
        params: dict[str, str] = {}
        for i, t in enumerate(tpl):
            if t.startswith("{"):
                name = t.strip("{}+")
                if t.endswith("+}"):
                    params[name] = "/".join(segs[i:])
                    break
                params[name] = segs[i]
            elif t != segs[i]:
                return None
        return params

    @property
    def specificity(self) -> tuple[int, int]:
        return (len(self.query), sum(not s.startswith("{") for s in self.segments))


@cache
def rest_routes(service: str, operations: frozenset[str]) -> list[RestRoute]:
    model = service_model(service)
    routes = []
    for name in sorted(operations):
        http = model.operation_model(name).http
        routes.append(RestRoute(name, http["method"], http["requestUri"]))
    routes.sort(key=lambda r: r.specificity, reverse=True)
    return routes


def parse_rest(
    service: str,
    operations: frozenset[str],
    method: str,
    raw_path: str,
    query: Mapping[str, str],
    body: bytes,
) -> tuple[str, dict[str, Any]] | None:
    """Match a REST request to one of ``operations``; returns (operation, params) or None."""
    path = raw_path.split("?", 1)[0]
    segs = [unquote(s) for s in path.split("/") if s]
    for route in rest_routes(service, operations):
        uri_params = route.match(method, segs, query)
        if uri_params is None:
            continue
        model = service_model(service)
        shape = model.operation_model(route.operation).input_shape
        params: dict[str, Any] = {}
        if body and model.protocol == "rest-json":
            params.update(json.loads(body))
        if shape is not None:
            for name, ms in shape.members.items():
                loc = ms.serialization.get("location")
                wire = ms.serialization.get("name", name)
                if loc == "uri" and wire in uri_params:
                    params[name] = uri_params[wire]
                elif loc == "querystring" and wire in query:
                    params[name] = _scalar_in(ms, query[wire])
        return route.operation, params
    return None
