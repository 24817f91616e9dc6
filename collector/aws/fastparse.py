"""Response parsers that walk a shape through a function compiled for it once.

botocore parses a response by interpreting the service model at every node: for each XML
element it looks up the handler by name (``getattr(self, "_handle_" + type)``), strips the
namespace with a regular expression, rebuilds the member's XML name from its serialization
dict, and for every structure walks all of the shape's members (60 for an EC2 instance, most
absent). That walk is about a third of the SDK's CPU on a page of EC2 instances, and the
collector pays it for every item of every account.

Here each shape is compiled, on first use, into a closure that knows its members' XML names
and their own compiled parsers: the same decisions as botocore's, taken once per shape
instead of once per node. Whatever the compiled path does not cover (error responses, maps,
XML attributes, tagged unions, event streams, a member repeated where one was expected) is
handed to botocore's own method, so the result is botocore's in every case;
``tests/test_fastparse.py`` checks that on every operation the registry calls, against
botocore's stock parser.

Only the parsers whose protocols carry the bulk of an inventory are compiled: ``ec2`` and
``query`` (XML), ``json`` and ``rest-json`` bodies.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from aiobotocore.parsers import (
    PROTOCOL_PARSERS,
    AioEC2QueryParser,
    AioJSONParser,
    AioQueryParser,
    AioResponseParserFactory,
    AioRestJSONParser,
)

__all__ = ["FastParserFactory", "install"]

Parse = Callable[[Any], Any]
Shape = Any  # botocore.model.Shape (untyped)


def _tag(tag: str) -> str:
    # Element names cannot hold braces, so this is botocore's `re.sub("{.*}", "", tag)`.
    return tag.rpartition("}")[2]


class _Compiled:
    """Compiled shapes, shared by every parser of one flavour (class, timestamp and blob
    parsers): a run builds a client per (region, service), and each would otherwise compile
    EC2's shapes anew.

    Kept per service model (its shape resolver, weakly: a model that is dropped takes its
    parsers along) and in it by shape name and serialization traits, not by shape object:
    botocore makes a new object for every reference to a shape, so a recursive shape (a
    structure that contains itself) would never end compiling. A placeholder goes in first,
    so that such a shape finds its own parser while it is being compiled. The parser's own
    entry points (an operation's output shape, the same object every time) are remembered
    by object as well.
    """

    def __init__(self, flavour: tuple[Any, ...]) -> None:
        self.flavour = flavour
        self.roots: dict[int, tuple[Shape, Parse]] = {}
        self.own: dict[tuple[Any, ...], Parse] = {}  # shapes without a resolver

    def root(self, shape: Shape, compile_: Callable[[Shape], Parse]) -> Parse:
        hit = self.roots.get(id(shape))
        if hit is None:
            hit = self.roots[id(shape)] = (shape, self.get(shape, compile_))
        return hit[1]

    def get(self, shape: Shape, compile_: Callable[[Shape], Parse]) -> Parse:
        resolver = getattr(shape, "_shape_resolver", None)
        table = self.own if resolver is None else _TABLES.setdefault(resolver, {})
        key = (self.flavour, shape.name, shape.type_name, repr(sorted(shape.serialization.items())))
        parse = table.get(key)
        if parse is not None:
            return parse
        slot: list[Parse] = []
        table[key] = lambda value: slot[0](value)
        parse = compile_(shape)
        slot.append(parse)
        table[key] = parse
        return parse


_TABLES: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Parse]] = weakref.WeakKeyDictionary()


def _compiled(parser: Any) -> _Compiled:
    blob = parser._blob_parser
    return _Compiled((type(parser), parser._timestamp_parser, getattr(blob, "__func__", blob)))


class _Compiles:
    """What both flavours share: the compiled shapes of the parser's flavour."""

    _compiled: _Compiled

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled = _compiled(self)

    def _parse_shape(self, shape: Shape, node: Any) -> Any:
        return self._compiled.root(shape, self._compile)(node)

    def _compile(self, shape: Shape) -> Parse:
        raise NotImplementedError

    def _botocore_handler(self, kind: str) -> Callable[[Shape, Any], Any] | None:
        """botocore's own handler of a type (the parser class after this one), if it has one."""
        base: Any = super()
        handler: Callable[[Shape, Any], Any] | None = getattr(base, f"_handle_{kind}", None)
        return handler

    def _generic(self, shape: Shape) -> Callable[[Shape, Any], Any]:
        base: Any = super()
        default: Callable[[Shape, Any], Any] = base._default_handle
        return self._botocore_handler(shape.type_name) or default


class _FastXML(_Compiles):
    """For botocore's query-protocol XML parsers (``query`` and ``ec2``)."""
    _timestamp_parser: Callable[[str], Any]
    _blob_parser: Callable[[str], Any]
    _member_key_name: Callable[[Shape, str], str]

    def _node_tag(self, node: Any) -> str:
        return _tag(node.tag)

    def _build_name_to_xml_node(self, parent_node: Any) -> dict[str, Any]:
        if isinstance(parent_node, list):
            parent_node = parent_node[0]
        xml_dict: dict[str, Any] = {}
        for item in parent_node:
            key = _tag(item.tag)
            have = xml_dict.get(key)
            if have is None:
                xml_dict[key] = item
            elif isinstance(have, list):
                have.append(item)
            else:
                xml_dict[key] = [have, item]
        return xml_dict

    def _compile(self, shape: Shape) -> Parse:
        generic = self._generic(shape)
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape, generic)
        if kind == "list":
            return self._list(shape)
        if kind in ("string", "character"):

            def string(node: Any) -> Any:
                if isinstance(node, list):  # a repeated element: botocore's own answer
                    return generic(shape, node)
                text = node.text
                return "" if text is None else text

            return string
        convert = self._scalar(kind)
        if convert is None:
            return lambda node: generic(shape, node)

        def scalar(node: Any) -> Any:
            if isinstance(node, list):  # a repeated element: botocore's own answer
                return generic(shape, node)
            text = node.text
            return convert("" if text is None else text)

        return scalar

    def _scalar(self, kind: str) -> Callable[[str], Any] | None:
        if kind in ("integer", "long"):
            return int
        if kind in ("float", "double"):
            return float
        if kind == "boolean":
            return lambda text: text == "true"
        if kind == "timestamp":
            return self._timestamp_parser
        if kind == "blob":
            return self._blob_parser
        return None

    def _structure(self, shape: Shape, generic: Callable[[Shape, Any], Any]) -> Parse:
        members = shape.members
        plain = not (shape.metadata.get("exception") or shape.is_tagged_union) and not any(
            m.serialization.get("location") or m.serialization.get("eventheader")
            or m.serialization.get("xmlAttribute")
            for m in members.values()
        )  # fmt: skip
        if not plain:
            return lambda node: generic(shape, node)
        plan = [
            (name, self._member_key_name(member, name), self._compiled.get(member, self._compile))
            for name, member in members.items()
        ]
        build = self._build_name_to_xml_node

        def in_member_order(node: Any) -> dict[str, Any]:
            xml_dict = build(node)
            parsed = {}
            for name, xml_name, parse in plan:
                child = xml_dict.get(xml_name)
                if child is not None:
                    parsed[name] = parse(child)
            return parsed

        by_xml = {xml_name: (name, parse) for name, xml_name, parse in plan}
        if len(by_xml) < len(plan) or any(
            m.type_name == "list" and m.serialization.get("flattened") for m in members.values()
        ):
            return in_member_order  # elements that repeat by design, or one name for two members
        known: dict[str, tuple[str, Parse]] = {}  # by namespaced tag; only members' tags

        def structure(node: Any) -> dict[str, Any]:
            # One pass over the elements present (an EC2 instance has ~30 of its ~60 members),
            # in document order: a dict's order means nothing to the store, which sorts keys.
            if isinstance(node, list):
                node = node[0]
            parsed: dict[str, Any] = {}
            for child in node:
                entry = known.get(child.tag)
                if entry is None:
                    entry = by_xml.get(_tag(child.tag))
                    if entry is None:
                        continue  # not in the model: botocore leaves it out too
                    known[child.tag] = entry
                name, parse = entry
                if name in parsed:  # repeated: botocore hands the member a list of them
                    return in_member_order(node)
                parsed[name] = parse(child)
            return parsed

        return structure

    def _list(self, shape: Shape) -> Parse:
        flattened = bool(shape.serialization.get("flattened"))
        parse = self._compiled.get(shape.member, self._compile)

        def list_(node: Any) -> list[Any]:
            if flattened and not isinstance(node, list):
                node = [node]
            return [parse(item) for item in node]

        return list_


class _FastJSON(_Compiles):
    """For botocore's JSON body parsers (``json`` and ``rest-json``): in a JSON body a string,
    number or boolean is already what botocore returns, so only structures, lists, maps,
    timestamps and blobs do anything."""

    def _compile(self, shape: Shape) -> Parse:
        generic = self._generic(shape)
        kind = shape.type_name
        in_header = shape.serialization.get("location") is not None
        if kind == "structure" and not (shape.is_document_type or shape.is_tagged_union):
            return self._structure(shape)
        if kind == "list" and not in_header:  # a header's list is a comma-separated string
            parse = self._compiled.get(shape.member, self._compile)
            return lambda value: [parse(item) for item in value]
        if kind == "character" or (kind == "string" and not in_header):
            return _same  # rest-json's string handler only decodes JSON-valued headers
        if self._botocore_handler(kind) is None:
            return _same  # botocore's default handler: the value as it is
        return lambda value: generic(shape, value)

    def _structure(self, shape: Shape) -> Parse:
        by_json = {
            member.serialization.get("name", name): (name, self._compiled.get(member, self._compile))
            for name, member in shape.members.items()
        }
        if len(by_json) < len(shape.members):  # one key for two members: botocore's walk
            return lambda value: self._member_order(shape, value)

        def structure(value: Any) -> Any:
            if value is None:
                return None
            parsed = {}
            for json_name, raw in value.items():  # the keys present, not every member
                entry = by_json.get(json_name)
                if entry is not None and raw is not None:
                    parsed[entry[0]] = entry[1](raw)
            return parsed

        return structure


    def _member_order(self, shape: Shape, value: Any) -> Any:
        base: Any = super()
        return base._handle_structure(shape, value)


def _same(value: Any) -> Any:
    return value


class FastEC2QueryParser(_FastXML, AioEC2QueryParser):  # type: ignore[misc]
    pass


class FastQueryParser(_FastXML, AioQueryParser):  # type: ignore[misc]
    pass


class FastJSONParser(_FastJSON, AioJSONParser):  # type: ignore[misc]
    pass


class FastRestJSONParser(_FastJSON, AioRestJSONParser):  # type: ignore[misc]
    pass


FAST_PARSERS: dict[str, type[Any]] = {
    "ec2": FastEC2QueryParser,
    "query": FastQueryParser,
    "json": FastJSONParser,
    "rest-json": FastRestJSONParser,
}


class FastParserFactory(AioResponseParserFactory):  # type: ignore[misc]
    """aiobotocore's factory, with the compiled parsers for the protocols above."""

    def create_parser(self, protocol_name: str) -> Any:
        cls = FAST_PARSERS.get(protocol_name) or PROTOCOL_PARSERS[protocol_name]
        return cls(**self._defaults)


def install(session: Any) -> None:
    """Give a botocore session's clients the compiled parsers (keeping the factory's
    defaults, e.g. the timestamp parser)."""
    factory = FastParserFactory()
    factory._defaults = dict(session.get_component("response_parser_factory")._defaults)
    session.register_component("response_parser_factory", factory)
