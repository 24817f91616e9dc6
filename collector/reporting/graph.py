"""`inventory graph`: the neighbourhood of a resource in ``resource_links``, read-only.

One recursive CTE (SQLite and PostgreSQL share the syntax) walks live edges from the start,
outwards (what it references), inwards (what references it) or both, up to ``depth`` hops,
optionally only edges of some kinds; ``--as-of`` walks the links as they were at a run (the
temporary views of :mod:`collector.history.asof`). The renderers are pure functions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

from collector.history.asof import install_asof_views, resolve_run
from collector.reporting.formats import render
from collector.safe_text import escape_controls
from collector.store.engine import read_only

__all__ = ["DIRECTIONS", "GRAPH_FORMATS", "Graph", "GraphError", "render_graph", "run_graph"]

DIRECTIONS = ("out", "in", "both")
GRAPH_FORMATS = ("table", "json", "dot", "mermaid")
MAX_DEPTH = 10


class GraphError(Exception):
    """The start matches no resource, or several: exit 2 with the message."""


@dataclass(frozen=True)
class Node:
    arn: str
    resource_type: str
    name: str | None
    depth: int
    # "live"; "deleted" (in the inventory, gone) or "not_collected" (only edges name it).
    state: str


@dataclass(frozen=True)
class GraphEdge:
    source: str
    kind: str
    target: str


@dataclass
class Graph:
    root: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)
    as_of_run: int | None = None


_FIND = text(
    "SELECT arn FROM resources WHERE (arn = :start OR resource_id = :start) "
    "ORDER BY deleted_at IS NOT NULL, arn LIMIT 5"
)


def _walk_sql(direction: str, kinds: Sequence[str]) -> Any:
    step = {
        "out": "l.source_arn = w.arn",
        "in": "l.target_arn = w.arn",
        "both": "(l.source_arn = w.arn OR l.target_arn = w.arn)",
    }[direction]
    kind_filter = " AND l.kind IN :kinds" if kinds else ""
    sql = (
        "WITH RECURSIVE walk(arn, depth) AS ("
        " SELECT CAST(:start AS TEXT), 0"
        " UNION"
        " SELECT CASE WHEN l.source_arn = w.arn THEN l.target_arn ELSE l.source_arn END,"
        " w.depth + 1"
        f" FROM walk AS w JOIN resource_links AS l ON {step}"
        f" WHERE w.depth < :depth AND l.deleted_at IS NULL{kind_filter}"
        ") SELECT arn, min(depth) FROM walk GROUP BY arn"
    )
    statement = text(sql)
    return statement.bindparams(bindparam("kinds", expanding=True)) if kinds else statement


async def _nodes(conn: AsyncConnection, reached: dict[str, int]) -> dict[str, Node]:
    arns = sorted(reached)
    info: dict[str, tuple[str, str | None, bool]] = {}
    query = text(
        "SELECT arn, resource_type, name, deleted_at IS NOT NULL FROM resources "
        "WHERE arn IN :arns"
    ).bindparams(bindparam("arns", expanding=True))
    for arn, rtype, name, deleted in await conn.execute(query, {"arns": arns}):
        info[arn] = (rtype, name, bool(deleted))
    types = text(
        "SELECT DISTINCT target_arn, target_type FROM resource_links WHERE target_arn IN :arns"
    ).bindparams(bindparam("arns", expanding=True))
    linked = {arn: rtype for arn, rtype in await conn.execute(types, {"arns": arns})}
    nodes: dict[str, Node] = {}
    for arn in arns:
        if arn in info:
            rtype, name, deleted = info[arn]
            nodes[arn] = Node(arn, rtype, name, reached[arn], "deleted" if deleted else "live")
        else:
            nodes[arn] = Node(arn, linked.get(arn, "?"), None, reached[arn], "not_collected")
    return nodes


async def _edges(
    conn: AsyncConnection, arns: Sequence[str], kinds: Sequence[str]
) -> list[GraphEdge]:
    sql = (
        "SELECT source_arn, kind, target_arn FROM resource_links WHERE deleted_at IS NULL "
        "AND source_arn IN :arns AND target_arn IN :arns"
        + (" AND kind IN :kinds" if kinds else "")
        + " ORDER BY source_arn, kind, target_arn"
    )
    params: dict[str, Any] = {"arns": list(arns)}
    statement = text(sql).bindparams(bindparam("arns", expanding=True))
    if kinds:
        statement = statement.bindparams(bindparam("kinds", expanding=True))
        params["kinds"] = list(kinds)
    return [GraphEdge(s, k, t) for s, k, t in await conn.execute(statement, params)]


async def run_graph(
    db_url: str,
    start: str,
    *,
    depth: int = 1,
    direction: str = "both",
    kinds: Sequence[str] = (),
    as_of: str | None = None,
) -> Graph:
    """The neighbourhood of ``start`` (an ARN or a resource id)."""
    if direction not in DIRECTIONS:
        raise GraphError(f"--direction must be one of {', '.join(DIRECTIONS)}")
    if not 0 <= depth <= MAX_DEPTH:
        raise GraphError(f"--depth must be between 0 and {MAX_DEPTH}")
    as_of_run: list[int] = []

    async def prepare(conn: AsyncConnection) -> None:
        if as_of is not None:
            as_of_run.append(await resolve_run(conn, as_of))
            await install_asof_views(conn, as_of_run[0])

    async with read_only(db_url, prepare if as_of is not None else None) as conn:
        found = [str(a) for (a,) in await conn.execute(_FIND, {"start": start})]
        if not found:
            raise GraphError(f"no resource has the ARN or id {start!r}")
        if len(found) > 1 and start not in found:
            raise GraphError(
                f"{start!r} is the id of several resources; give an ARN: " + ", ".join(found)
            )
        root = start if start in found else found[0]
        params: dict[str, Any] = {"start": root, "depth": depth}
        if kinds:
            params["kinds"] = list(kinds)
        rows = await conn.execute(_walk_sql(direction, kinds), params)
        reached = {str(arn): int(d) for arn, d in rows}
        graph = Graph(root, await _nodes(conn, reached), as_of_run=next(iter(as_of_run), None))
        # Only the edges the walk followed: not those between two nodes of the last ring.
        graph.edges = [
            e for e in await _edges(conn, list(reached), kinds)
            if (direction != "in" and reached[e.source] < depth)
            or (direction != "out" and reached[e.target] < depth)
        ]  # fmt: skip
    return graph


def _label(node: Node) -> str:
    parts = [node.resource_type.removeprefix("AWS::")]
    parts.append(node.name or node.arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1])
    if node.state != "live":
        parts.append(f"({node.state})")
    return "\n".join(parts)


def _dot_string(value: str) -> str:
    value = escape_controls(value)  # names come from AWS accounts: no terminal escapes
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _to_dot(graph: Graph) -> str:
    lines = ["digraph inventory {", "  rankdir=LR;", "  node [shape=box];"]
    for node in graph.nodes.values():
        styles = ["bold"] if node.arn == graph.root else []
        styles += ["dashed"] if node.state != "live" else []
        style = f", style={_dot_string(','.join(styles))}" if styles else ""
        lines.append(f"  {_dot_string(node.arn)} [label={_dot_string(_label(node))}{style}];")
    for edge in graph.edges:
        lines.append(
            f"  {_dot_string(edge.source)} -> {_dot_string(edge.target)} "
            f"[label={_dot_string(edge.kind)}];"
        )
    lines.append("}")
    return "\n".join(lines)


def _mermaid_text(value: str) -> str:
    # Inside "..." Mermaid takes entity codes; a raw quote or bracket would end the label.
    out = escape_controls(value).replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
    return out.replace(">", "#gt;").replace("\n", "<br/>")


def _to_mermaid(graph: Graph) -> str:
    ids = {arn: f"n{i}" for i, arn in enumerate(graph.nodes)}
    lines = ["graph LR"]
    for arn, node in graph.nodes.items():
        lines.append(f'  {ids[arn]}["{_mermaid_text(_label(node))}"]')
    for edge in graph.edges:
        kind = _mermaid_text(edge.kind).replace("|", "#124;")
        lines.append(f"  {ids[edge.source]} -->|{kind}| {ids[edge.target]}")
    return "\n".join(lines)


def render_graph(graph: Graph, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            {
                "root": graph.root,
                "as_of_run": graph.as_of_run,
                "nodes": [asdict(n) for n in graph.nodes.values()],
                "edges": [asdict(e) for e in graph.edges],
            },
            indent=2,
        )
    if fmt == "dot":
        return _to_dot(graph)
    if fmt == "mermaid":
        return _to_mermaid(graph)
    nodes = graph.nodes
    rows = [
        (nodes[e.source].depth, e.source, e.kind, e.target, nodes[e.target].resource_type,
         nodes[e.target].state)
        for e in graph.edges
    ]  # fmt: skip
    columns = ["depth", "source", "kind", "target", "target_type", "target_state"]
    return render(columns, rows, "table")
