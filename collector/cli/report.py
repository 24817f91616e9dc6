"""`inventory report`: the HTML, Markdown, CSV or JSON report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from collector.cli.common import (
    SCHEMA_HINT,
    ConfigOption,
    DbOption,
    RawOption,
    err,
    fail,
    load_config,
    reader_url,
    run_db_work,
)
from collector.exitcodes import EXIT_USAGE


def report(
    fmt: Annotated[str, typer.Option("--format", "-f", help="html, md, csv or json.")] = "html",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    config: ConfigOption = None,
    db: DbOption = None,
    raw: RawOption = False,
) -> None:
    """Summary, changes since the previous run, tag compliance, collection health and trend."""
    from collector.reporting.render import FORMATS, render_report
    from collector.reporting.report import build_report

    if fmt not in FORMATS:
        raise fail(EXIT_USAGE, f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    cfg = load_config(config)
    url = reader_url(cfg, db)
    data = run_db_work(
        build_report(url, required_tags=cfg.report.required_tags), sql_hint=SCHEMA_HINT
    )
    text = render_report(data, fmt, raw=raw)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise fail(EXIT_USAGE, f"cannot write {output}: {e.strerror}") from None
    err.print(f"wrote {output} ({fmt}, {len(text.encode()):,} bytes)", markup=False)
