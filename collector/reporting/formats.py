"""The output formats of `query` and `diff`: table, CSV, JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from collector.safe_text import csv_cell, escape_controls, md_text

FORMATS = ("table", "csv", "json", "markdown")

def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _markdown_cell(value: Any) -> str:
    return md_text(_cell(value))


def render_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table (HTML, links and pipes escaped, newlines as <br>)."""
    lines = [
        "| " + " | ".join(_markdown_cell(c) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, *, raw: bool = False
) -> str:
    """``fmt`` text of the answer; data is made inert (:mod:`collector.safe_text`), CSV
    formulas only unless ``raw``."""
    if fmt == "markdown":
        return render_markdown(columns, rows)
    if fmt == "json":
        return json.dumps(
            [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows],
            indent=2,
            default=str,
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([csv_cell(c, raw=raw) for c in columns])
        writer.writerows([[csv_cell(_cell(v), raw=raw) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    table = Table(show_header=True, header_style="bold", show_lines=False)
    for c in columns:
        table.add_column(Text(escape_controls(c)), overflow="fold")
    for row in rows:
        # Text, not str: a value like ["a"] or [report] is data, never rich markup.
        table.add_row(*(Text(escape_controls(_cell(v))) for v in row))
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text().rstrip("\n") + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
