"""The store's front door: one writer task draining a bounded queue in batches.

Producers (the fetch tasks) ``await store.put(record)``; when the queue is full they wait, so a
fast listing cannot outrun the database and memory stays flat (at most ``batch_size *
queue_batches`` queued items plus the batch being written). Each batch is written in its own
transaction: a crash loses at most the batch in flight. On a SQLite file, batches are written
on a thread of the writer's own, start to commit (see ``thread_writer_engine``).

Typical use::

    store = Store(engine)
    run_id = await store.start_run(config_summary={...})
    async with store:                       # starts / stops the writer task
        await store.put(record)             # ...many times, from many tasks
        await store.put_result(scan_result) # after that scope's records
    stats = await store.reconcile(run_id)
    await store.finish_run(run_id, "succeeded")
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.records import AccountInfo, Record, ScanResult, Status
from collector.store.engine import begin, begin_immediate, thread_writer_engine
from collector.store.errors import WriterError
from collector.store.heap import release_free_memory
from collector.store.idempotent import is_retryable
from collector.store.reconcile import ReconcileStats, reconcile_run
from collector.store.runs import finish_run, insert_run, upsert_accounts
from collector.store.salvage import Salvage, is_data_error
from collector.store.upsert import BatchCounts, write_batch

__all__ = ["Store"]

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Flush:
    __slots__ = ("future",)

    def __init__(self) -> None:
        self.future: asyncio.Future[None] = asyncio.get_running_loop().create_future()


# Queue items are Record, ScanResult, _Flush or this sentinel.
_STOP: Final = object()
_ATTEMPTS = 3  # of a transaction PostgreSQL rolled back as a deadlock victim


def _size(record: Record) -> int:
    text = getattr(record.raw, "json_text", None)
    return len(text) if text is not None else 0


class Store:
    """Writes one run's records and ledger rows; see the module docstring."""

    # After taking the first item of a batch the writer waits up to this long for the batch
    # to fill (or for a flush), so that a producer that trickles records still gets big,
    # cheap batches instead of one transaction per record.
    LINGER_SECONDS: float = 0.05
    # Records queued, by the size of their JSON text: a queue counted in items holds 4,000
    # records of a few hundred bytes or 4,000 of 100 KB (400 MB) alike.
    QUEUE_BYTES: int = 32 * 1024 * 1024

    def __init__(
        self, engine: AsyncEngine, *, batch_size: int = 1000, queue_batches: int = 4
    ) -> None:
        if batch_size < 1 or queue_batches < 1:
            raise ValueError("batch_size and queue_batches must be at least 1")
        self.engine = engine
        self.batch_size = batch_size
        self.queue_size = batch_size * queue_batches
        self.counts = BatchCounts()  # summed over the batches written so far
        self.run_id: int | None = None
        self._queue: asyncio.Queue[object] | None = None
        self._task: asyncio.Task[None] | None = None
        self._error: BaseException | None = None
        self._wake = asyncio.Event()  # the queue holds a full batch, or a flush/stop waits
        self._urgent = 0  # flush markers and stop sentinels put but not yet taken
        self._queued_bytes = 0
        self._room = asyncio.Event()  # set whenever the writer has taken records out
        self._thread: tuple[Engine, ThreadPoolExecutor] | None = None  # SQLite files
        self._salvage = Salvage()  # pairs that lost a record the database refused

    # -- runs and accounts (direct, not through the queue) ----------------------------------

    async def start_run(self, *, config_summary: dict[str, Any]) -> int:
        """Insert the ``runs`` row (status ``running``); records put later belong to it."""
        if self._task is not None:
            await self.flush()  # what was put so far belongs to the previous run
        async with begin(self.engine) as conn:
            run_id = await insert_run(conn, config_summary, utcnow())
        self.run_id = run_id
        self.counts = BatchCounts()
        self._salvage = Salvage()
        return run_id

    async def record_accounts(self, run_id: int, accounts: Sequence[AccountInfo]) -> None:
        async with begin(self.engine, immediate=True) as conn:
            await upsert_accounts(conn, run_id, accounts, utcnow())

    async def reconcile(self, run_id: int) -> ReconcileStats:
        """Mark deleted what ok pairs of the run did not return; flushes the writer first.

        Safe even after a writer failure: a ledger row is committed in the same transaction
        as, or after, every record put before it, so an ``ok`` row in the database means all
        of that pair's records are in the database too.
        """
        if self._task is not None:
            await self.flush()
        async with begin(self.engine, immediate=True) as conn:
            return await reconcile_run(conn, run_id, utcnow())

    async def finish_run(self, run_id: int, status: str, **counts: int) -> None:
        """Close the run. Counts not given (``accounts_total``, ``scopes_ok``,
        ``scopes_error``, ``scopes_skipped``, ``resources_seen``, ``created_count``,
        ``modified_count``, ``deleted_count``) are computed from the database."""
        async with begin(self.engine, immediate=True) as conn:
            await finish_run(conn, run_id, status, counts, utcnow())

    # -- the writer -------------------------------------------------------------------------

    async def __aenter__(self) -> Store:
        if self._task is not None:
            raise RuntimeError("the store's writer is already running")
        self._queue = asyncio.Queue(maxsize=self.queue_size)
        self._wake = asyncio.Event()
        self._urgent = 0
        self._queued_bytes = 0
        self._room = asyncio.Event()
        self._error = None
        sync_engine = thread_writer_engine(self.engine)
        if sync_engine is not None:
            executor = ThreadPoolExecutor(1, thread_name_prefix="inventory-store-writer")
            self._thread = (sync_engine, executor)
        self._task = asyncio.create_task(self._writer(self._queue), name="inventory-store-writer")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        task, queue = self._task, self._queue
        if task is None or queue is None:
            return
        try:
            if exc_type is None or issubclass(exc_type, Exception):
                # Write what was queued: those resources were really seen.
                await self._put_urgent(queue, _STOP)
                await task
            else:  # cancelled or interrupted: stop now; nothing more is written
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        finally:
            self._task = None
            self._queue = None
            if self._thread is not None:
                sync_engine, executor = self._thread
                self._thread = None
                # A cancelled writer's batch in flight still finishes (commit or rollback).
                await asyncio.to_thread(executor.shutdown)
                sync_engine.dispose()
                # Its page cache, now free, would stay in the writer thread's malloc arena
                # while reconciliation fills another (see collector.heap).
                release_free_memory()
        if self._error is not None:
            if exc_type is None:
                raise WriterError(f"store writer failed: {self._error}") from self._error
            log.error("store writer failed: %s", self._error)

    async def put(self, record: Record) -> None:
        """Queue a record; waits while the queue is full."""
        await self._put(record)

    async def put_result(self, result: ScanResult) -> None:
        """Queue a ledger row; it is committed with or after every record put before it."""
        Status(result.status)  # fail here, in the producer, on a bad status
        await self._put(result)

    async def flush(self) -> None:
        """Wait until everything put so far is committed; raise :class:`WriterError` if the
        writer failed."""
        marker = _Flush()
        queue = self._check_open(marker)
        await self._put_urgent(queue, marker)
        await marker.future

    @property
    def queued(self) -> int:
        """Items waiting in the queue (not counting the batch being written)."""
        return self._queue.qsize() if self._queue is not None else 0

    def _check_open(self, item: object) -> asyncio.Queue[object]:
        if self._queue is None:
            raise RuntimeError("the store's writer is not running; use 'async with store:'")
        if self._error is not None:
            raise WriterError(f"store writer failed: {self._error}") from self._error
        if self.run_id is None and not isinstance(item, _Flush):
            raise RuntimeError("call start_run() before putting records")
        return self._queue

    async def _put(self, item: object) -> None:
        # The hot path (once per record): no checks beyond these, no await unless full.
        queue = self._queue
        if queue is None or self._error is not None or self.run_id is None:
            queue = self._check_open(item)
        if isinstance(item, Record):
            size = _size(item)
            while self._queued_bytes and self._queued_bytes + size > self.QUEUE_BYTES:
                self._room.clear()
                self._wake.set()
                await self._room.wait()
            self._queued_bytes += size
        if queue.full():
            await queue.put(item)
        else:
            queue.put_nowait(item)
        if queue.qsize() + 1 >= self.batch_size:
            self._wake.set()

    async def _put_urgent(self, queue: asyncio.Queue[object], item: object) -> None:
        self._urgent += 1
        self._wake.set()
        await queue.put(item)
        self._wake.set()

    async def _linger(self, queue: asyncio.Queue[object], first: object) -> None:
        """Give a batch that has just started a moment to fill up."""
        if isinstance(first, _Flush) or first is _STOP:
            return
        if self._urgent or queue.qsize() + 1 >= self.batch_size:
            return
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.LINGER_SECONDS)

    async def _writer(self, queue: asyncio.Queue[object]) -> None:
        while True:
            records: list[Record] = []
            results: list[ScanResult] = []
            waiters: list[asyncio.Future[None]] = []
            stop = False
            item = await queue.get()
            await self._linger(queue, item)
            taken = 0
            while True:
                if isinstance(item, Record):
                    records.append(item)
                    taken += _size(item)
                elif isinstance(item, ScanResult):
                    results.append(item)
                elif isinstance(item, _Flush):
                    self._urgent -= 1
                    waiters.append(item.future)
                else:
                    self._urgent -= 1
                    stop = True
                    break
                if len(records) + len(results) >= self.batch_size or taken * 4 > self.QUEUE_BYTES:
                    break
                try:
                    item = queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
            if taken:
                self._queued_bytes -= taken
                self._room.set()
            if (records or results) and self._error is None:
                try:
                    await self._write_batch(records, results)
                except Exception as exc:  # kept and re-raised in the producers
                    log.exception("store writer failed; later records are dropped")
                    self._error = exc
            for future in waiters:
                if future.done():
                    continue
                if self._error is None:
                    future.set_result(None)
                else:
                    error = WriterError(f"store writer failed: {self._error}")
                    error.__cause__ = self._error
                    future.set_exception(error)
            if stop:
                return

    async def _write_batch(self, records: Sequence[Record], results: Sequence[ScanResult]) -> None:
        """Write a batch; when the database refuses its data, record by record (salvage)."""
        try:
            await self._commit(records, self._salvage.results(results))
        except Exception as exc:
            if not is_data_error(exc):
                raise
            log.warning("a batch failed (%s); writing it record by record", type(exc).__name__)
            for record in records:
                try:
                    await self._commit([record], [])
                except Exception as one:
                    if not is_data_error(one):
                        raise
                    self._salvage.failed(record, one)
            await self._commit([], self._salvage.results(results))

    async def _commit(self, records: Sequence[Record], results: Sequence[ScanResult]) -> None:
        """One transaction; run again (a few times) when PostgreSQL chose it as a deadlock's
        victim, which writers of the same ARNs can cause however carefully they order rows."""
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                await self._transaction(records, results)
                return
            except Exception as exc:
                if attempt == _ATTEMPTS or not is_retryable(exc):
                    raise
                log.info("batch rolled back (%s); writing it again", type(exc).__name__)

    async def _transaction(
        self, records: Sequence[Record], results: Sequence[ScanResult]
    ) -> None:
        run_id = self.run_id
        if run_id is None:  # pragma: no cover - _put checks it
            raise RuntimeError("no run started")
        now = utcnow()
        if self._thread is None:
            async with begin(self.engine, immediate=True) as conn:
                counts = await conn.run_sync(write_batch, run_id, records, results, now)
        else:
            sync_engine, executor = self._thread

            def write() -> BatchCounts:
                with begin_immediate(sync_engine) as conn:
                    return write_batch(conn, run_id, records, results, now)

            # Cancelling this await does not stop the thread; __aexit__ waits for it.
            counts = await asyncio.get_running_loop().run_in_executor(executor, write)
        self.counts.add(counts)
