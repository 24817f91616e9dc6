"""`inventory collect`: its options, the run, and the summary line."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from collector.cli.common import (
    ConfigOption,
    DbOption,
    config_failed,
    db_url,
    err,
    fail,
    load_config,
    out,
    setup_logging,
)
from collector.config import ConfigError
from collector.engine.progress import Reporter
from collector.exitcodes import EXIT_CANNOT_RUN, EXIT_LOCKED, EXIT_TERMINATED, EXIT_USAGE

# The collector, the SDK and SQLAlchemy (~0.7 s of imports) are imported by the command when it
# runs: `collect --processes` starts its forkserver before that, and `--help` stays quick.
if TYPE_CHECKING:
    from collector.engine.plan import RunSummary
    from collector.run.shard import Shard


def print_summary(summary: RunSummary, reporter: Reporter) -> None:
    meaning = "all scopes ok" if summary.exit_code == 0 else "some scopes failed (see scan_results)"
    if reporter.log_format == "json":
        reporter.json_line(
            "run_finished",
            run_id=summary.run_id,
            status=summary.status,
            accounts=summary.accounts,
            scopes_ok=summary.scopes_ok,
            scopes_error=summary.scopes_error,
            scopes_skipped=summary.scopes_skipped,
            resources=summary.resources,
            created=summary.created,
            modified=summary.modified,
            deleted=summary.deleted,
            throttled=reporter.throttled,
            exit_code=summary.exit_code,
            meaning=meaning,
        )
        return
    line = (
        f"run {summary.run_id} {summary.status}: {summary.accounts} accounts, "
        f"{summary.scopes_ok} ok / {summary.scopes_error} error / {summary.scopes_skipped} skipped "
        f"scopes, {summary.resources} resources ({summary.created} created, "
        f"{summary.modified} modified, {summary.deleted} deleted), "
        f"{reporter.throttled} throttled; exit {summary.exit_code}: {meaning}"
    )
    if reporter.quiet and summary.exit_code == 0:
        return
    (err if summary.exit_code else out).print(line, markup=False)


def collect(
    config: ConfigOption = None,
    db: DbOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only errors (for cron).")
    ] = False,
    log_format: Annotated[
        str, typer.Option("--log-format", help="text or json (one JSON object per line).")
    ] = "text",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            max=256,
            help="Collect with N local worker processes (one core each), one run.",
        ),
    ] = 1,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="I/N",
            help="Collect only shard I (0-based) of N: its own run and lock (cron, K8s, Batch).",
        ),
    ] = None,
    queue: Annotated[
        bool,
        typer.Option(
            "--queue",
            help="Work as one of any number of queue workers (PostgreSQL): lease accounts.",
        ),
    ] = False,
    queue_name: Annotated[
        str, typer.Option("--queue-name", help="Which queue to join (--queue).")
    ] = "default",
    lease_seconds: Annotated[
        float,
        typer.Option("--lease-seconds", min=2, max=3600, help="Account lease (--queue)."),
    ] = 60.0,
    queue_window: Annotated[
        float,
        typer.Option(
            "--queue-window",
            min=0,
            help="Seconds: start no new queue run if one started this recently (--queue).",
        ),
    ] = 0.0,
) -> None:
    """Collect the inventory.

    Exit 0 all scopes ok, 1 some failed, 2 bad usage/config, 3 cannot run, 75 locked.
    """
    # Long only by its Typer options (the signature); the body is ~45 lines.
    shard_spec = _check_options(log_format, shard, queue, processes)
    setup_logging(debug)
    if processes > 1:
        from collector.run import forkserver

        forkserver.prestart()
    from collector.engine.gcsettings import tune_for_collection
    from collector.run.collect import Collector
    from collector.run.errors import CannotRun, UsageError
    from collector.run.signals import Terminated
    from collector.store import DatabaseUnavailable
    from collector.store.lock import Locked

    cfg = load_config(config)
    url = db_url(cfg, db)
    reporter = Reporter(quiet=quiet, log_format=log_format)
    try:
        if queue:
            from collector.run.queue_worker import QueueWorker

            running = QueueWorker(
                cfg,
                url,
                reporter=reporter,
                name=queue_name,
                lease_seconds=lease_seconds,
                window_seconds=queue_window,
            ).run()
        else:
            running = Collector(
                cfg, url, reporter=reporter, processes=processes, shard=shard_spec
            ).run()
        tune_for_collection()
        reporter.start()
        try:
            summary = asyncio.run(running)
        finally:
            reporter.stop()
    except UsageError as e:
        raise fail(EXIT_USAGE, str(e)) from None
    except ConfigError as e:
        raise config_failed(config or "defaults", e) from None
    except (CannotRun, DatabaseUnavailable) as e:
        if debug:
            err.print_exception()
        raise fail(EXIT_CANNOT_RUN, str(e)) from None
    except Locked as e:
        raise fail(EXIT_LOCKED, f"{e}; not starting a second run") from None
    except Terminated:
        raise fail(
            EXIT_TERMINATED, "terminated (SIGTERM); the run is recorded as interrupted"
        ) from None
    print_summary(summary, reporter)
    raise typer.Exit(summary.exit_code)


def _check_options(log_format: str, shard: str | None, queue: bool, processes: int) -> Shard | None:
    """The option checks that need no config; the parsed ``--shard``."""
    from collector.run.shard import Shard

    if log_format not in ("text", "json"):
        raise fail(EXIT_USAGE, f"--log-format must be text or json (got {log_format!r})")
    try:
        shard_spec = Shard.parse(shard) if shard is not None else None
    except ValueError as e:
        raise fail(EXIT_USAGE, str(e)) from None
    if queue and (shard_spec is not None or processes > 1):
        raise fail(
            EXIT_USAGE,
            "--queue does not mix with --shard or --processes: start more queue workers instead",
        )
    return shard_spec
