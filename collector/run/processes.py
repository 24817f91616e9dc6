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
:mod:`collector.run.forkserver`), ignore SIGINT (the parent stops them) and exit by themselves if
the parent disappears.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing.connection
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from collector.aws.planning import PlannedAccount
from collector.engine.account import AccountCollector
from collector.engine.plan import RunSummary
from collector.records import ScanResult
from collector.run import forkserver
from collector.run.worker import WorkerArgs, worker_main
from collector.store import Store
from collector.store.ledger import account_error, ledger_counts

__all__ = ["ProcessPool"]

log = logging.getLogger(__name__)

# Dispatching waits this long for every worker to say it is ready, so that the first worker to
# start does not take all the accounts of a small organization.
READY_TIMEOUT_S = 60.0
STOP_GRACE_S = 5.0


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

    def exit_reason(self) -> str:
        code = self.process.exitcode
        how = (
            f"exited with code {code}"
            if code is not None and code >= 0
            else (f"was killed by signal {-code}" if code is not None else "did not exit")
        )
        reason = f"worker process {self.index} (pid {self.process.pid}) {how}"
        return f"{reason}: {self.error}" if self.error else reason


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


class ProcessPool:
    """Collects a run's accounts with N worker processes into ``store.run_id``.

    :meth:`collect` returns when every worker has ended, having written account-wide error
    rows for the accounts of workers that died. The caller reconciles and finishes the run.
    """

    def __init__(
        self,
        accounts: AccountCollector,
        db_url: str,
        processes: int,
        engine: AsyncEngine,
        store: Store,
    ) -> None:
        assert store.run_id is not None
        self.accounts = accounts
        self.db_url = db_url
        self.processes = processes
        self.engine = engine
        self.store = store
        self.run_id: int = store.run_id
        self.slots = accounts.cfg.collect.account_concurrency
        self.workers: list[_Worker] = []
        self.pending: deque[PlannedAccount] = deque()
        self.messages: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        self.died = False  # a worker ended with accounts in hand, or with an error
        self._started = 0.0

    async def collect(self, planned: list[PlannedAccount], summary: RunSummary) -> None:
        self.pending = deque(planned)
        self._start(min(self.processes, len(planned)))
        try:
            async with self.store:  # for the rows of accounts whose worker died
                while not all(w.gone for w in self.workers):
                    try:
                        message = await asyncio.wait_for(self.messages.get(), timeout=1.0)
                    except TimeoutError:
                        self._dispatch()
                        continue
                    await self._handle(message, summary)
                    self._dispatch()
        except BaseException:
            await asyncio.shield(asyncio.to_thread(_stop, self.workers))
            raise
        # The ledger is the truth: a worker that died may have committed rows it never reported.
        if self.died:
            ok, error, skipped, resources = await ledger_counts(self.engine, self.run_id)
            summary.scopes_ok, summary.scopes_error = ok, error
            summary.scopes_skipped, summary.resources = skipped, resources

    def _start(self, count: int) -> None:
        ctx = forkserver.context()
        from_workers: dict[Connection, int] = {}
        for index in range(count):
            inbox_r, inbox_w = ctx.Pipe(duplex=False)
            outbox_r, outbox_w = ctx.Pipe(duplex=False)
            args = WorkerArgs(index, self.accounts.cfg, self.db_url, self.run_id, os.getpid())
            process = ctx.Process(
                target=worker_main,
                args=(args, inbox_r, outbox_w),
                name=f"inventory-worker-{index}",
                daemon=True,
            )
            process.start()
            inbox_r.close()  # the worker's ends: closing ours lets EOF through when it exits
            outbox_w.close()
            self.workers.append(_Worker(index, process, inbox_w))
            from_workers[outbox_r] = index
        loop = asyncio.get_running_loop()
        threading.Thread(
            target=_reader,
            args=(from_workers, loop, self.messages),
            name="inventory-workers",
            daemon=True,
        ).start()
        self._started = time.monotonic()

    async def _handle(self, message: tuple[Any, ...], summary: RunSummary) -> None:
        kind, index = message[0], message[1]
        worker = self.workers[index]
        if kind not in ("result", "planned", "throttle"):
            log.debug("worker %d: %s", index, message)
        if kind == "result":
            self.accounts.tally(summary, message[2])
        elif kind == "planned":
            self.accounts.reporter.planned(message[2])
        elif kind == "throttle":
            self.accounts.reporter.on_throttle()
        elif kind == "done":
            worker.inflight.pop(message[2], None)
        elif kind == "ready":
            worker.ready = True
        elif kind == "error":
            worker.error = message[2]
        elif kind == "eof":
            await self._gone(worker, summary)

    async def _gone(self, worker: _Worker, summary: RunSummary) -> None:
        worker.gone = True
        await asyncio.to_thread(worker.process.join, STOP_GRACE_S)
        with contextlib.suppress(OSError):
            worker.inbox.close()
        lost = list(worker.inflight.values())
        worker.inflight.clear()
        if worker.process.exitcode == 0 and not lost:
            return
        self.died = True
        reason = worker.exit_reason()
        log.error("%s; %d account(s) not collected", reason, len(lost))
        for account in lost:
            await self._fail(account, reason, summary)
        if all(w.gone for w in self.workers):
            while self.pending:
                await self._fail(
                    self.pending.popleft(), "no worker process left to collect it", summary
                )

    async def _fail(self, account: PlannedAccount, reason: str, summary: RunSummary) -> None:
        result: ScanResult = account_error(account.info.account_id, "WorkerDied", reason)
        await self.accounts.record(self.store, summary, result)

    def _dispatch(self) -> None:
        everyone_ready = all(w.ready or w.gone for w in self.workers)
        if not everyone_ready and time.monotonic() - self._started < READY_TIMEOUT_S:
            return
        while self.pending:
            free = [
                w for w in self.workers if w.ready and not w.gone and len(w.inflight) < self.slots
            ]
            if not free:
                break
            worker = min(free, key=lambda w: (len(w.inflight), w.index))
            account = self.pending.popleft()
            try:
                worker.inbox.send(account)
            except OSError:  # it is dying; its EOF is on the way
                self.pending.appendleft(account)
                worker.ready = False
                continue
            worker.inflight[account.info.account_id] = account
        if not self.pending:
            for worker in self.workers:
                if not worker.gone and not worker.stopped:
                    worker.stopped = True
                    with contextlib.suppress(OSError):
                        worker.inbox.send(None)


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
