"""`inventory graph`: what a resource is attached to, and what is attached to it."""

from __future__ import annotations

from typing import Annotated

import typer

from collector.cli.common import (
    SCHEMA_HINT,
    ConfigOption,
    DbOption,
    err,
    fail,
    load_config,
    out,
    reader_url,
    run_db_work,
)
from collector.exitcodes import EXIT_USAGE


def graph(
    start: Annotated[str, typer.Argument(help="The resource: its ARN or its resource id.")],
    config: ConfigOption = None,
    db: DbOption = None,
    depth: Annotated[int, typer.Option("--depth", "-d", help="Hops to follow (0-10).")] = 1,
    direction: Annotated[
        str,
        typer.Option(
            "--direction", help="out (what it references), in (what references it) or both."
        ),
    ] = "both",
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help="Follow only edges of this kind (repeatable)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The links as they were at RUN_ID or DATE (as `query`)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json, dot (Graphviz) or mermaid.")
    ] = "table",
) -> None:
    """The neighbourhood of a resource in `resource_links`, read-only."""
    from collector.reporting.graph import GRAPH_FORMATS, GraphError, render_graph, run_graph

    if fmt not in GRAPH_FORMATS:
        raise fail(EXIT_USAGE, f"--format must be one of {', '.join(GRAPH_FORMATS)} (got {fmt!r})")
    url = reader_url(load_config(config), db)
    work = run_graph(
        url, start, depth=depth, direction=direction, kinds=tuple(kind or ()), as_of=as_of
    )
    try:
        result = run_db_work(work, sql_hint=SCHEMA_HINT)
    except GraphError as e:
        raise fail(EXIT_USAGE, str(e)) from None
    if result.as_of_run is not None:
        err.print(f"as of run {result.as_of_run}", markup=False)
    out.print(render_graph(result, fmt), markup=False, soft_wrap=True, highlight=False)
