"""The `inventory` command: one module per command group, registered on one Typer app.

The commands are registered here, in the order `inventory --help` lists them; ``main`` is the
console script.
"""

from __future__ import annotations

import sys

from collector.cli import collect, db, demo, graph, iam_policy, query, report, types
from collector.cli.app import app, db_app
from collector.cli.common import err

app.command()(collect.collect)
app.command()(query.query)
app.command()(query.diff)
app.command()(graph.graph)
app.command()(db.prune)
app.command()(report.report)
app.command()(types.types)
app.command("iam-policy")(iam_policy.iam_policy)
db_app.command("upgrade")(db.db_upgrade)
db_app.command("create-reader")(db.db_create_reader)
app.command()(demo.demo)

__all__ = ["app", "collect", "db", "demo", "graph", "iam_policy", "main", "query", "report", "types"]


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("inventory: interrupted")
        sys.exit(130)
