"""`collect --queue`: a leased work queue in PostgreSQL, for any number of workers on any hosts.

The accounts of a queue run are rows of ``work_queue`` (state ``pending`` -> ``leased`` ->
``done`` | ``failed``). A worker:

1. **opens or joins** the run: under a transaction-level advisory lock (so two workers
   starting together do not create two runs) it looks for the open run of its queue
   (``runs.scope_key = 'queue:NAME'``, status ``running``); if there is none it plans the
   accounts and inserts the run, the ``accounts`` rows and one ``pending`` row per account,
   all in that one transaction.
2. **claims** accounts, up to ``[collect] account_concurrency`` at once, but no further one
   while its CPU is saturated (more accounts would not go faster in this process, and left
   in the queue they go to a worker with a free core):
   ``UPDATE work_queue ... WHERE id = (SELECT id ... WHERE state = 'pending' OR lease expired
   ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING ...``. Claiming sets a lease
   (``lease_expires_at``, from the database's clock, so the hosts' clocks do not matter) and
   counts an attempt.
3. **collects** the account with the usual engine, renewing the lease every third of its length
   while it works. An account taken over from a dead worker resumes: (region, type) pairs that
   already have an ok/skipped ledger row in the run are not listed again (a ledger row is
   committed with or after all of its pair's records, so such a pair is complete).
4. marks the row ``done`` once the store has **committed** every row of the account. If the
   lease was lost in the meantime (the worker stalled longer than its lease and someone else
   took the account), it stops working on that account and leaves it to the new owner.
5. when nothing is claimable it **waits** while other workers hold leases (woken by NOTIFY when
   an account is done or handed back, and polling for leases that expire), so that it can take
   over the accounts of a worker that dies; an account whose lease expired more than
   ``MAX_ATTEMPTS`` times is given up (``failed``, an account-wide ``WorkerLost`` error row).
6. when no row is pending or leased, it **finishes** the run: in one transaction, holding the
   ``runs`` row with ``SELECT ... FOR UPDATE`` and re-checking that the run is still running and
   nothing is left, it reconciles and sets the final status. The row lock makes this happen
   exactly once whichever workers race for it; a finisher that dies rolls back and the next
   worker finishes instead.

A worker stopped with SIGINT/SIGTERM hands its leased accounts back (``pending``) at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.aws.sessions import Sessions
from collector.config import Config
from collector.engine.fetch import Fetcher
from collector.engine.plan import RunSummary
from collector.engine.progress import Reporter
from collector.run.collect import Collector
from collector.run.errors import UsageError
from collector.run.signals import stop_on_sigterm
from collector.run.work_queue import Claim, WorkQueue, account_json, worker_id
from collector.store import Store, make_engine, normalize_url, upgrade
from collector.store.engine import begin
from collector.store.ledger import account_error, done_pairs, insert_scoped_run
from collector.store.lock import wait_xact_lock
from collector.store.models import runs, work_queue
from collector.store.runs import upsert_accounts

__all__ = ["MAX_ATTEMPTS", "QueueWorker", "queue_scope_key"]

log = logging.getLogger(__name__)

DEFAULT_LEASE_S = 60.0
MAX_ATTEMPTS = 3  # leases of one account that may expire before it is given up


# A worker using this much of a core does not claim another account while it has one.
SATURATED = 0.8
RAMP_S = 0.5


class _CPULoad:
    """This process's CPU use (1.0 = one core) over the last half second or so."""

    def __init__(self) -> None:
        self._wall, self._cpu = time.monotonic(), time.process_time()
        self._value = 0.0

    def value(self) -> float:
        wall, cpu = time.monotonic(), time.process_time()
        if wall - self._wall >= RAMP_S:
            self._value = (cpu - self._cpu) / (wall - self._wall)
            self._wall, self._cpu = wall, cpu
        return self._value


def queue_scope_key(name: str) -> str:
    return f"queue:{name}"


async def open_or_join(
    engine: AsyncEngine,
    collector: Collector,
    sessions: Sessions,
    name: str,
    window_s: float = 0.0,
) -> tuple[int | None, bool]:
    """(run id, created) of the open run of queue ``name``, creating it (with its accounts)
    if there is none. (None, False) if ``window_s`` > 0 and a run of this queue started less
    than that long ago has already finished: this schedule's work is done."""
    key = queue_scope_key(name)
    async with begin(engine) as conn:
        await wait_xact_lock(conn, f"queue-start:{name}")
        open_run = await conn.scalar(
            select(runs.c.id)
            .where(runs.c.scope_key == key, runs.c.status == "running")
            .order_by(runs.c.id)
            .limit(1)
        )
        if open_run is not None:
            return int(open_run), False
        if window_s > 0:
            recent = await conn.scalar(
                select(func.count())
                .select_from(runs)
                .where(
                    runs.c.scope_key == key,
                    runs.c.started_at > datetime.now(UTC) - timedelta(seconds=window_s),
                )
            )
            if recent:
                return None, False
        planned = await collector.plan(sessions)
        run_id = await insert_scoped_run(conn, collector.config_summary(), scope_key=key)
        now = datetime.now(UTC)
        await upsert_accounts(conn, run_id, [p.info for p in planned], now)
        if planned:
            await conn.execute(
                insert(work_queue),
                [
                    {
                        "run_id": run_id,
                        "account_id": p.info.account_id,
                        "state": "pending",
                        "attempts": 0,
                        "info": account_json(p),
                        "updated_at": now,
                    }
                    for p in planned
                ],
            )
        return run_id, True


class QueueWorker:
    """One ``inventory collect --queue`` process."""

    def __init__(
        self,
        cfg: Config,
        db_url: str,
        reporter: Reporter | None = None,
        *,
        name: str = "default",
        lease_seconds: float = DEFAULT_LEASE_S,
        window_seconds: float = 0.0,
        poll_seconds: float | None = None,
    ) -> None:
        if make_url(normalize_url(db_url)).get_backend_name() != "postgresql":
            raise UsageError(
                "--queue needs PostgreSQL (workers lease accounts with SELECT ... FOR UPDATE "
                "SKIP LOCKED); pass --db postgresql://..., or use --processes N with SQLite"
            )
        if lease_seconds < 1:
            raise UsageError(f"the lease must be at least 1 second (got {lease_seconds})")
        self.collector = Collector(cfg, db_url, reporter=reporter)
        self.cfg = cfg
        self.db_url = db_url
        self.name = name
        self.lease_s = lease_seconds
        self.window_s = window_seconds
        self.poll_s = poll_seconds if poll_seconds is not None else min(5.0, lease_seconds / 4)
        self.owner = worker_id()
        self.finished_run = False  # this worker reconciled and closed the run
        self.accounts_done = 0  # accounts this worker collected

    async def run(self) -> RunSummary:
        """Work until the run is finished; SIGTERM hands the accounts back (``Terminated``)."""
        return await stop_on_sigterm(self._run())

    async def _run(self) -> RunSummary:
        collector = self.collector
        collector.check_redact_key()
        sessions = collector.accounts.new_sessions()
        try:
            collector.accounts.check_regions(sessions)
            engine = make_engine(self.db_url)
            try:
                await upgrade(engine)
                run_id, _created = await open_or_join(
                    engine, collector, sessions, self.name, self.window_s
                )
                if run_id is None:
                    return await self._latest_summary(engine)
                queue = WorkQueue(engine, run_id, self.owner, self.lease_s)
                summary = RunSummary(run_id=run_id, status="running")
                collector.summary = summary
                store = collector.accounts.new_store(engine, run_id)
                try:
                    async with store, queue.notifications() as changed:
                        fetcher = collector.accounts.new_fetcher(sessions, store)
                        await self._work(queue, sessions, fetcher, store, summary, changed)
                except BaseException:
                    with contextlib.suppress(Exception):
                        await asyncio.shield(queue.release_mine())
                    raise
                return await self._run_summary(engine, run_id, summary)
            finally:
                await engine.dispose()
        finally:
            await sessions.close()

    async def _work(
        self,
        queue: WorkQueue,
        sessions: Sessions,
        fetcher: Fetcher,
        store: Store,
        summary: RunSummary,
        changed: asyncio.Event,
    ) -> None:
        """Claim and collect accounts until the run is finished (by this worker or another).

        Up to ``[collect] account_concurrency`` accounts at once, but a worker whose CPU is
        already saturated does not claim more: more accounts in flight would not go faster
        here, and left in the queue they go to a worker with a free core. ``changed`` is
        :meth:`WorkQueue.notifications`' event.
        """
        # One loop (~65 lines) with its waiting helper: claiming, waiting and finishing all
        # read and change ``active``, which a split would have to pass around.
        slots = self.cfg.collect.account_concurrency
        load = _CPULoad()
        active: set[asyncio.Task[None]] = set()

        async def wait_any(seconds: float) -> None:
            """Until one of our accounts is done, the queue changed (NOTIFY) or ``seconds``."""
            changed.clear()
            waiter = asyncio.ensure_future(changed.wait())
            try:
                done, _ = await asyncio.wait(
                    {*active, waiter}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                waiter.cancel()
            for task in done - {waiter}:
                active.discard(task)
                task.result()  # a bug in one account's task stops the worker

        try:
            while True:
                room = len(active) < slots and (not active or load.value() < SATURATED)
                if room:
                    claim = await queue.claim()
                    if claim is not None:
                        handle = (
                            self._give_up(queue, claim, store, summary)
                            if claim.attempts > MAX_ATTEMPTS
                            else self._collect(queue, claim, sessions, fetcher, store, summary)
                        )
                        active.add(asyncio.create_task(handle))
                        if len(active) > 1:
                            await wait_any(RAMP_S)  # let the CPU load show the new account
                        continue
                    if not active:  # nothing to claim, nothing in hand
                        status, left = await queue.progress()
                        if status != "running":
                            return
                        if left == 0:
                            await store.flush()
                            if await queue.try_finish():
                                self.finished_run = True
                            continue
                    # Others hold leases: look again soon, to take over if one of them dies.
                    await wait_any(self.poll_s)
                    continue
                await wait_any(RAMP_S)
        finally:
            for task in active:
                task.cancel()
            await asyncio.gather(*active, return_exceptions=True)

    async def _collect(
        self,
        queue: WorkQueue,
        claim: Claim,
        sessions: Sessions,
        fetcher: Fetcher,
        store: Store,
        summary: RunSummary,
    ) -> None:
        account_id = claim.planned.info.account_id
        # Resume: what an earlier holder (dead, or stopped with SIGTERM) finished stays done.
        skip = await done_pairs(queue.engine, queue.run_id, account_id)
        work = asyncio.create_task(
            self.collector.accounts.collect_account(claim.planned, sessions, fetcher, store, summary, skip)
        )
        lost = False
        try:
            while not work.done():
                await asyncio.wait({work}, timeout=self.lease_s / 3)
                if not work.done() and not await queue.renew(claim):
                    lost = True
                    work.cancel()
                    break
            with contextlib.suppress(asyncio.CancelledError):
                await work
            if work.cancelled() and not lost:
                raise asyncio.CancelledError
        except BaseException:
            work.cancel()
            raise
        await store.flush()  # every row of the account is committed before it is "done"
        if lost or not await queue.finish(claim):
            log.warning("lost the lease of account %s; another worker has it", account_id)
            return
        self.accounts_done += 1

    async def _give_up(
        self, queue: WorkQueue, claim: Claim, store: Store, summary: RunSummary
    ) -> None:
        account_id = claim.planned.info.account_id
        result = account_error(
            account_id,
            "WorkerLost",
            f"the lease of this account expired {claim.attempts - 1} times (its workers died "
            f"or stalled); given up after {MAX_ATTEMPTS} attempts",
        )
        await self.collector.accounts.record(store, summary, result)
        await store.flush()
        await queue.finish(claim, state="failed")

    async def _run_summary(
        self, engine: AsyncEngine, run_id: int, summary: RunSummary
    ) -> RunSummary:
        """The whole run's figures (every worker reports the same run)."""
        async with begin(engine) as conn:
            row = (await conn.execute(select(runs).where(runs.c.id == run_id))).one()
        summary.status = str(row.status)
        summary.accounts = int(row.accounts_total or 0)
        summary.scopes_ok = int(row.scopes_ok or 0)
        summary.scopes_error = int(row.scopes_error or 0)
        summary.scopes_skipped = int(row.scopes_skipped or 0)
        summary.resources = int(row.resources_seen or 0)
        summary.created = int(row.created_count or 0)
        summary.modified = int(row.modified_count or 0)
        summary.deleted = int(row.deleted_count or 0)
        return summary

    async def _latest_summary(self, engine: AsyncEngine) -> RunSummary:
        async with begin(engine) as conn:
            run_id = await conn.scalar(
                select(func.max(runs.c.id)).where(runs.c.scope_key == queue_scope_key(self.name))
            )
        return await self._run_summary(engine, int(run_id), RunSummary(int(run_id), "running"))
