"""`inventory types`: the supported resource types."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from collector.cli.common import (
    fail,
    out,
)
from collector.exitcodes import EXIT_USAGE


def types(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    generic: Annotated[
        bool,
        typer.Option(
            "--generic", help="Also list the generic fallback types ([resources] generic = true)."
        ),
    ] = False,
) -> None:
    """List the supported resource types."""
    from collector.registry import REGISTRY, all_generic_types
    from collector.reporting.formats import render

    listed = sorted(REGISTRY.values(), key=lambda t: t.resource_type)
    if generic:
        listed += sorted(all_generic_types().values(), key=lambda t: t.resource_type)
    rows = [
        (
            t.resource_type,
            t.service,
            t.operation,
            "global" if t.global_ else "regional",
            t.parent or "",
        )
        for t in listed
    ]
    columns = ["resource_type", "service", "operation", "scope", "parent"]
    if fmt == "json":
        out.print(
            json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=2), markup=False
        )
    elif fmt == "table":
        out.print(render(columns, rows, "table"), markup=False)
    else:
        raise fail(EXIT_USAGE, f"--format must be table or json (got {fmt!r})")
