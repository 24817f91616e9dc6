"""What a run shows while it works: a Rich bar on a terminal, plain or JSON lines elsewhere.

Under cron (no TTY) there is no bar, and `--quiet` leaves only errors, so cron mails only when
something needs a look.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from collector.records import ScanResult, Status
from collector.safe_text import escape_controls


class Reporter:
    """Receives the run's events; the collector calls these and nothing else."""

    def __init__(self, *, quiet: bool = False, log_format: str = "text", stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.log_format = log_format
        self.stream = stream or sys.stderr
        self.console = Console(file=self.stream, highlight=False, soft_wrap=True)
        self.total = 0
        self.done = 0
        self.resources = 0
        self.errors = 0
        self.throttled = 0
        self._bar: Progress | None = None
        self._task: Any = None

    def start(self) -> None:
        if self.quiet or self.log_format == "json" or not self.stream.isatty():
            return
        self._bar = Progress(
            TextColumn("[bold]collecting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("scopes"),
            TextColumn("{task.fields[resources]} resources"),
            TextColumn("[red]{task.fields[errors]} errors"),
            TextColumn("[yellow]{task.fields[throttled]} throttled"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("collect", total=None, resources=0, errors=0, throttled=0)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def planned(self, jobs: int) -> None:
        self.total += jobs
        self._refresh()

    def on_throttle(self) -> None:
        self.throttled += 1
        self._refresh()

    def result(self, result: ScanResult) -> None:
        self.done += 1
        self.resources += result.item_count
        if result.status is Status.ERROR:
            self.errors += 1
            self._error(result)
        elif result.error_code is not None:
            self._note(result)
        self._refresh()

    def _note(self, r: ScanResult) -> None:
        """An ``ok`` pair that dropped items or could not read some items' details: worth a
        line, not worth a mail (``--quiet`` leaves it out; the ledger keeps it)."""
        if self.log_format == "json" or not self.quiet:
            self._scope_line(
                "scope_note", ("note", ""), r,
                skipped_items=r.skipped_items, detail_errors=r.detail_errors,
            )  # fmt: skip

    def _refresh(self) -> None:
        if self._bar is not None:
            self._bar.update(
                self._task,
                total=self.total or None,
                completed=self.done,
                resources=self.resources,
                errors=self.errors,
                throttled=self.throttled,
            )

    def _error(self, r: ScanResult) -> None:
        self._scope_line("scope_error", ("error", "yellow"), r)

    def _scope_line(
        self, event: str, label: tuple[str, str], r: ScanResult, **extra: Any
    ) -> None:
        """One ledger row as a JSON event or as a line. AWS's message is untrusted text: never
        Rich markup (a "[/" in it would crash) and no terminal escapes."""
        if self.log_format == "json":
            self.json_line(
                event,
                account_id=r.account_id,
                region=r.region,
                resource_type=r.resource_type,
                **extra,
                error_code=r.error_code,
                error_message=r.error_message,
            )
            return
        detail = f" {r.account_id} {r.region} {r.resource_type}: {r.error_code}: {r.error_message}"
        self.console.print(Text.assemble(label, escape_controls(detail)))

    def json_line(self, event: str, **fields: Any) -> None:
        payload = {"ts": datetime.now(UTC).isoformat(), "event": event, **fields}
        print(json.dumps(payload, default=str), file=self.stream, flush=True)
