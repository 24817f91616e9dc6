"""The Typer application; the command modules register their commands on it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="inventory",
    help="Collect an AWS inventory (accounts x regions x resource types) into SQL, then query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
