"""`collect --processes N`: the accounts of one run collected by N local worker processes.

Python parses AWS responses on one core (~0.7 ms of CPU per EC2 instance), so a big
organization is CPU-bound long before AWS's rate limits bind. Each worker process has its own
event loop, sessions, clients and throttles; since a whole account goes to one worker, the
per-(account, region, service) throttles stay exact.

The parent (``inventory collect``) keeps what must happen once: the lock, planning the
accounts, the ``runs`` row, reconciliation and ``finish_run``. It hands accounts out one at a
time to the least busy worker that has a free slot (``[collect] account_concurrency`` per
worker), so big and small accounts even out; workers write records and ledger rows under the
parent's ``run_id`` straight into the database (SQLite: WAL, busy_timeout, BEGIN IMMEDIATE;
PostgreSQL: row locks) and report each ledger row back for the progress bar and summary.

A worker reports an account done only after the store has committed all of its rows. If a
worker dies (OOM killer, segfault, kill -9), every account it had in hand gets an account-wide
``error`` ledger row (``WorkerDied``): the pairs it had finished keep their ``ok`` rows and are
reconciled, the others are left exactly as they were, and the run ends ``partial`` (exit 1).

Parent and worker talk over one pipe each way per worker (not a shared ``multiprocessing``
queue, whose lock a killed worker could take to its grave). Workers are started from a clean
``forkserver`` (or ``spawn``) process, never forked from this one (see
:mod:`collector.forkserver`), ignore SIGINT (the parent stops them) and exit by themselves if
the parent disappears.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from collector import forkserver
from collector.config import Config
from collector.gcsettings import tune_for_collection
from collector.progress import Reporter
from collector.records import ScanResult
from collector.scopes import PlannedAccount

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from collector.collect import Collector, RunSummary
    from collector.store import Store

__all__ = ["collect_in_processes"]

log = logging.getLogger(__name__)

# Dispatching waits this long for every worker to say it is ready, so that the first worker to
# start does not take all the accounts of a small organization.
READY_TIMEOUT_S = 60.0
PARENT_CHECK_S = 1.0
STOP_GRACE_S = 5.0


# -- the worker process ---------------------------------------------------------------------


@dataclass(frozen=True)
class _WorkerArgs:
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


def worker_main(args: _WorkerArgs, inbox: Connection, outbox: Connection) -> None:
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


async def _worker(args: _WorkerArgs, inbox: Connection, send: Any) -> None:
    from collector.collect import Collector, RunSummary
    from collector.store import make_engine

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

    collector = Collector(args.cfg, args.db_url, reporter=_Forward(args.index, send))
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


# -- the parent -----------------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    index: int
    process: BaseProcess
    inbox: Connection  # parent -> worker: PlannedAccount, then None
    ready: bool = False
    gone: bool = False
    stopped: bool = False
    error: str | None = None
    inflight: dict[str, PlannedAccount] = field(default_factory=dict)


def _reader(
    conns: dict[Connection, int],
    loop: asyncio.AbstractEventLoop,
    out: asyncio.Queue[tuple[Any, ...]],
) -> None:
    """A thread: forward every worker message to the event loop; ("eof", i) when one ends."""
    pending = dict(conns)
    while pending:
        for conn in multiprocessing.connection.wait(list(pending)):
            assert isinstance(conn, Connection)
            index = pending[conn]
            try:
                message = conn.recv()
            except Exception:  # EOF, or a message cut short by kill -9
                del pending[conn]
                conn.close()
                message = ("eof", index)
            try:
                loop.call_soon_threadsafe(out.put_nowait, message)
            except RuntimeError:  # the event loop is gone: nobody is listening any more
                return


async def collect_in_processes(
    collector: Collector,
    engine: AsyncEngine,
    store: Store,
    planned: list[PlannedAccount],
    summary: RunSummary,
) -> None:
    """Collect ``planned`` into ``store.run_id`` with ``collector.processes`` workers.

    Returns when every worker has ended; writes account-wide error rows for the accounts of
    workers that died. The caller reconciles and finishes the run.
    """
    from collector.collect import account_error, ledger_counts

    run_id = store.run_id
    assert run_id is not None
    reporter = collector.reporter
    slots = collector.cfg.collect.account_concurrency
    ctx = forkserver.context()
    loop = asyncio.get_running_loop()
    messages: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
    workers: list[_Worker] = []
    from_workers: dict[Connection, int] = {}
    for index in range(min(collector.processes, len(planned))):
        inbox_r, inbox_w = ctx.Pipe(duplex=False)
        outbox_r, outbox_w = ctx.Pipe(duplex=False)
        args = _WorkerArgs(index, collector.cfg, collector.db_url, run_id, os.getpid())
        process = ctx.Process(
            target=worker_main,
            args=(args, inbox_r, outbox_w),
            name=f"inventory-worker-{index}",
            daemon=True,
        )
        process.start()
        inbox_r.close()  # the worker's ends: closing ours lets EOF through when it exits
        outbox_w.close()
        workers.append(_Worker(index, process, inbox_w))
        from_workers[outbox_r] = index
    threading.Thread(
        target=_reader, args=(from_workers, loop, messages), name="inventory-workers", daemon=True
    ).start()

    pending = deque(planned)
    started = time.monotonic()
    died = False

    def fail(account: PlannedAccount, reason: str) -> ScanResult:
        return account_error(account.info.account_id, "WorkerDied", reason)

    async def worker_gone(worker: _Worker) -> None:
        nonlocal died
        worker.gone = True
        await asyncio.to_thread(worker.process.join, STOP_GRACE_S)
        code = worker.process.exitcode
        with contextlib.suppress(OSError):
            worker.inbox.close()
        lost = list(worker.inflight.values())
        worker.inflight.clear()
        if code == 0 and not lost:
            return
        died = True
        how = (
            f"exited with code {code}"
            if code is not None and code >= 0
            else (f"was killed by signal {-code}" if code is not None else "did not exit")
        )
        reason = f"worker process {worker.index} (pid {worker.process.pid}) {how}"
        if worker.error:
            reason += f": {worker.error}"
        log.error("%s; %d account(s) not collected", reason, len(lost))
        for account in lost:
            await _record_failure(collector, store, summary, fail(account, reason))
        if all(w.gone for w in workers):
            while pending:
                account = pending.popleft()
                await _record_failure(
                    collector, store, summary, fail(account, "no worker process left to collect it")
                )

    def dispatch() -> None:
        everyone_ready = all(w.ready or w.gone for w in workers)
        if not everyone_ready and time.monotonic() - started < READY_TIMEOUT_S:
            return
        while pending:
            free = [w for w in workers if w.ready and not w.gone and len(w.inflight) < slots]
            if not free:
                break
            worker = min(free, key=lambda w: (len(w.inflight), w.index))
            account = pending.popleft()
            try:
                worker.inbox.send(account)
            except OSError:  # it is dying; its EOF is on the way
                pending.appendleft(account)
                worker.ready = False
                continue
            worker.inflight[account.info.account_id] = account
        if not pending:
            for worker in workers:
                if not worker.gone and not worker.stopped:
                    worker.stopped = True
                    with contextlib.suppress(OSError):
                        worker.inbox.send(None)

    try:
        async with store:  # for the rows of accounts whose worker died
            while not all(w.gone for w in workers):
                try:
                    message = await asyncio.wait_for(messages.get(), timeout=1.0)
                except TimeoutError:
                    dispatch()
                    continue
                kind, index = message[0], message[1]
                worker = workers[index]
                if kind not in ("result", "planned", "throttle"):
                    log.debug("worker %d: %s", index, message)
                if kind == "result":
                    collector.tally(summary, message[2])
                elif kind == "planned":
                    reporter.planned(message[2])
                elif kind == "throttle":
                    reporter.on_throttle()
                elif kind == "done":
                    worker.inflight.pop(message[2], None)
                elif kind == "ready":
                    worker.ready = True
                elif kind == "error":
                    worker.error = message[2]
                elif kind == "eof":
                    await worker_gone(worker)
                dispatch()
    except BaseException:
        await asyncio.shield(asyncio.to_thread(_stop, workers))
        raise
    # The ledger is the truth: a worker that died may have committed rows it never reported.
    if died:
        ok, error, skipped, resources = await ledger_counts(engine, run_id)
        summary.scopes_ok, summary.scopes_error = ok, error
        summary.scopes_skipped, summary.resources = skipped, resources


async def _record_failure(
    collector: Collector, store: Store, summary: RunSummary, result: ScanResult
) -> None:
    await store.put_result(result)
    collector.tally(summary, result)


def _stop(workers: list[_Worker]) -> None:
    """Stop the workers now (Ctrl-C, SIGTERM, an error in the parent)."""
    for worker in workers:
        if worker.process.is_alive():
            worker.process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
