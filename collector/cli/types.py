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
    from collector.registry.awsconfig import in_cloudformation, in_config
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
            in_config(t.resource_type),
            in_cloudformation(t.resource_type) and t.resource_type in REGISTRY,
        )
        for t in listed
    ]
    columns = ["resource_type", "service", "operation", "scope", "parent", "aws_config",
               "cloudformation"]  # fmt: skip
    if fmt == "json":
        out.print(
            json.dumps([dict(zip(columns, r, strict=True)) for r in rows], indent=2), markup=False
        )
    elif fmt == "table":
        shown = [(*r[:5], _yes(r[5]), _yes(r[6])) for r in rows]
        out.print(render(columns, shown, "table"), markup=False)
    else:
        raise fail(EXIT_USAGE, f"--format must be table or json (got {fmt!r})")


def _yes(flag: object) -> str:
    return "yes" if flag else "no"
