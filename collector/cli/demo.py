"""`inventory demo`: a local moto organization collected into SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from collector.cli.common import (
    fail,
    out,
)
from collector.exitcodes import EXIT_CANNOT_RUN


def demo(
    db: Annotated[Path, typer.Option("--db", help="SQLite file to write.")] = Path("demo.db"),
    members: Annotated[int, typer.Option(help="Member accounts to create.", min=1, max=20)] = 3,
) -> None:
    """Start a local moto server, seed an organization, collect it into SQLite, show answers."""
    try:
        from collector.demo.run import run_demo
    except ImportError as e:
        raise fail(
            EXIT_CANNOT_RUN, f"the demo needs moto: pip install -e '.[demo]' ({e})"
        ) from None
    code = run_demo(db, members=members, console=out)
    raise typer.Exit(code)
