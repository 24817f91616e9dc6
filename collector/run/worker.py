"""The worker process of `collect --processes N` (see :mod:`collector.run.processes`).

It collects the accounts the parent sends, one :class:`AccountCollector` per process, writes
their rows into the parent's run, and reports each ledger row and each finished account back.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from collector.aws.planning import PlannedAccount
from collector.config import Config
from collector.engine.account import AccountCollector
from collector.engine.gcsettings import tune_for_collection
from collector.engine.plan import RunSummary, choose_types
from collector.engine.progress import Reporter
from collector.records import ScanResult
from collector.store import make_engine

PARENT_CHECK_S = 1.0


@dataclass(frozen=True)
class WorkerArgs:
    index: int
    cfg: Config
    db_url: str
    run_id: int
    parent_pid: int


class _Forward(Reporter):
    """The worker's reporter: every event goes to the parent, nothing is printed here."""

    def __init__(self, index: int, send: Any) -> None:
        super().__init__(quiet=True)
        self._index = index
        self._send = send

    def planned(self, jobs: int) -> None:
        self._send(("planned", self._index, jobs))

    def on_throttle(self) -> None:
        self._send(("throttle", self._index))

    def result(self, result: ScanResult) -> None:
        self._send(("result", self._index, result))


def worker_main(args: WorkerArgs, inbox: Connection, outbox: Connection) -> None:
    """Entry point of a worker process (module level: ``spawn`` imports it by name)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    tune_for_collection()
    lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            outbox.send(message)

    code = 0
    try:
        asyncio.run(_worker(args, inbox, send))
    except BaseException as e:
        code = 1
        with contextlib.suppress(Exception):
            detail = "".join(traceback.format_exception_only(type(e), e)).strip()
            send(("error", args.index, detail))
    finally:
        with contextlib.suppress(Exception):
            outbox.close()
    if code:
        raise SystemExit(code)


async def _worker(args: WorkerArgs, inbox: Connection, send: Any) -> None:
    loop = asyncio.get_running_loop()
    accounts: asyncio.Queue[PlannedAccount | None] = asyncio.Queue()

    def receive() -> None:  # a thread: Connection.recv blocks
        while True:
            try:
                item = inbox.recv()
            except (EOFError, OSError):
                item = None
            try:
                loop.call_soon_threadsafe(accounts.put_nowait, item)
            except RuntimeError:  # the event loop has ended
                return
            if item is None:
                return

    parent = multiprocessing.parent_process()

    async def watch_parent() -> None:
        while True:
            await asyncio.sleep(PARENT_CHECK_S)
            if parent is not None and not parent.is_alive():
                os._exit(70)  # the parent died: nobody would reconcile or finish the run

    collector = AccountCollector(
        args.cfg, choose_types(args.cfg), _Forward(args.index, send), db_url=args.db_url
    )
    sessions = collector.new_sessions()
    engine = make_engine(args.db_url)
    store = collector.new_store(engine, args.run_id)
    summary = RunSummary(run_id=args.run_id, status="running")
    watchdog = asyncio.create_task(watch_parent())
    threading.Thread(target=receive, name="inventory-worker-inbox", daemon=True).start()
    try:
        async with store:
            fetcher = collector.new_fetcher(sessions, store)
            send(("ready", args.index))

            async def slot() -> None:
                while (planned := await accounts.get()) is not None:
                    await collector.collect_account(planned, sessions, fetcher, store, summary)
                    await store.flush()  # "done" means: every row of it is committed
                    send(("done", args.index, planned.info.account_id))
                accounts.put_nowait(None)  # let the other slots stop too

            await asyncio.gather(*(slot() for _ in range(args.cfg.collect.account_concurrency)))
    finally:
        watchdog.cancel()
        await sessions.close()
        await engine.dispose()


