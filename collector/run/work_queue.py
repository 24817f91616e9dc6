"""The ``work_queue`` rows of a queue run, as one worker sees them: claim with ``FOR UPDATE SKIP
LOCKED`` under a lease, renew, finish, hand back, finish the run exactly once, and hear (LISTEN)
when any of that happens. The worker's loop around it is :mod:`collector.run.queue_worker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from collector.aws.planning import PlannedAccount
from collector.aws.sessions import AccountTarget
from collector.partitions import DEFAULT as DEFAULT_PARTITION
from collector.records import AccountInfo
from collector.store.engine import begin
from collector.store.models import runs, scan_results, work_queue
from collector.store.reconcile import reconcile_run
from collector.store.runs import finish_run

__all__ = ["UNFINISHED", "Claim", "WorkQueue", "account_json", "planned_from", "worker_id"]

log = logging.getLogger(__name__)

UNFINISHED = ("pending", "leased")


def account_json(planned: PlannedAccount) -> dict[str, Any]:
    return {
        "account": asdict(planned.info),
        "target": asdict(planned.target),
        "partition": planned.partition,
    }


def planned_from(info: dict[str, Any]) -> PlannedAccount:
    # Rows queued before partitions were recorded have none: they were `aws` accounts.
    return PlannedAccount(
        AccountInfo(**info["account"]),
        AccountTarget(**info["target"]),
        str(info.get("partition") or DEFAULT_PARTITION),
    )


def worker_id() -> str:
    """Who holds a lease: host, pid and a random tag (pids are reused, hosts are many)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class Claim:
    row_id: int
    planned: PlannedAccount
    attempts: int  # this one included


class WorkQueue:
    """The ``work_queue`` rows of one run, seen by one worker (``owner``)."""

    def __init__(self, engine: AsyncEngine, run_id: int, owner: str, lease_s: float) -> None:
        self.engine = engine
        self.run_id = run_id
        self.owner = owner
        self.lease = timedelta(seconds=lease_s)
        self.channel = f"inventory_queue_{run_id}"

    async def _notify(self, conn: AsyncConnection) -> None:
        """Wake the idle workers of this run (delivered when the transaction commits)."""
        await conn.execute(select(func.pg_notify(self.channel, "")))

    @contextlib.asynccontextmanager
    async def notifications(self) -> AsyncIterator[asyncio.Event]:
        """An event set whenever an account of the run is done, failed or handed back, or the
        run is finished (PostgreSQL ``LISTEN`` on a connection of its own), so that an idle
        worker acts at once instead of at its next poll. If listening fails, the event is
        never set and polling alone goes on."""
        event = asyncio.Event()

        def wake(*_: object) -> None:
            event.set()

        conn: AsyncConnection | None = None
        listening: Any = None
        try:
            conn = await self.engine.connect()
            listening = (await conn.get_raw_connection()).driver_connection
            await listening.add_listener(self.channel, wake)
        except Exception as e:
            log.warning("cannot LISTEN for queue changes (%s); polling only", e)
            listening = None
        try:
            yield event
        finally:
            with contextlib.suppress(Exception):
                if listening is not None:
                    await listening.remove_listener(self.channel, wake)
            with contextlib.suppress(Exception):
                if conn is not None:
                    await conn.close()

    async def claim(self) -> Claim | None:
        """Lease the first pending (or lease-expired) account, or None if there is none."""
        wq = work_queue.c
        candidate = (
            select(wq.id)
            .where(
                wq.run_id == self.run_id,
                or_(
                    wq.state == "pending",
                    and_(wq.state == "leased", wq.lease_expires_at < func.now()),
                ),
            )
            .order_by(wq.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        async with begin(self.engine) as conn:
            row = (
                await conn.execute(
                    update(work_queue)
                    .where(wq.id == candidate)
                    .values(
                        state="leased",
                        lease_owner=self.owner,
                        lease_expires_at=func.now() + self.lease,
                        attempts=wq.attempts + 1,
                        updated_at=func.now(),
                    )
                    .returning(wq.id, wq.info, wq.attempts)
                )
            ).first()
        if row is None:
            return None
        return Claim(int(row.id), planned_from(row.info), int(row.attempts))

    async def renew(self, claim: Claim) -> bool:
        """Extend the lease; False if it is no longer ours (expired and taken over)."""
        return await self._update_mine(
            claim, lease_expires_at=func.now() + self.lease, updated_at=func.now()
        )

    async def finish(self, claim: Claim, state: str = "done") -> bool:
        """Mark the account done (or failed); False if the lease was lost."""
        return await self._update_mine(
            claim, state=state, lease_expires_at=None, updated_at=func.now()
        )

    async def _update_mine(self, claim: Claim, **values: Any) -> bool:
        wq = work_queue.c
        async with begin(self.engine) as conn:
            result = await conn.execute(
                update(work_queue)
                .where(wq.id == claim.row_id, wq.lease_owner == self.owner, wq.state == "leased")
                .values(**values)
            )
            if "state" in values and result.rowcount:
                await self._notify(conn)
        return bool(result.rowcount)

    async def release_mine(self) -> int:
        """Give back every account this worker holds (on SIGINT/SIGTERM): pending again, and
        the attempt does not count."""
        wq = work_queue.c
        async with begin(self.engine) as conn:
            result = await conn.execute(
                update(work_queue)
                .where(wq.run_id == self.run_id, wq.lease_owner == self.owner, wq.state == "leased")
                .values(
                    state="pending",
                    lease_owner=None,
                    lease_expires_at=None,
                    attempts=func.greatest(wq.attempts - 1, 0),
                    updated_at=func.now(),
                )
            )
            if result.rowcount:
                await self._notify(conn)
        return int(result.rowcount or 0)

    async def progress(self) -> tuple[str, int]:
        """(the run's status, accounts still pending or leased)."""
        wq = work_queue.c
        async with begin(self.engine) as conn:
            status = await conn.scalar(select(runs.c.status).where(runs.c.id == self.run_id))
            left = await conn.scalar(
                select(func.count())
                .select_from(work_queue)
                .where(wq.run_id == self.run_id, wq.state.in_(UNFINISHED))
            )
        return str(status), int(left or 0)

    async def try_finish(self) -> bool:
        """Reconcile and close the run if every account is done; True if this call did it.

        The ``runs`` row is locked (``FOR UPDATE``) for the whole transaction: a second worker
        trying at the same moment waits, then finds the run finished and does nothing.
        """
        wq, sr = work_queue.c, scan_results.c
        async with begin(self.engine) as conn:
            status = await conn.scalar(
                select(runs.c.status).where(runs.c.id == self.run_id).with_for_update()
            )
            if status != "running":
                return False
            left = await conn.scalar(
                select(func.count())
                .select_from(work_queue)
                .where(wq.run_id == self.run_id, wq.state.in_(UNFINISHED))
            )
            if left:
                return False
            now = datetime.now(UTC)
            await reconcile_run(conn, self.run_id, now)
            errors = await conn.scalar(
                select(func.count())
                .select_from(scan_results)
                .where(sr.run_id == self.run_id, sr.status == "error")
            )
            accounts_total = await conn.scalar(
                select(func.count()).select_from(work_queue).where(wq.run_id == self.run_id)
            )
            final = "partial" if errors else "succeeded"
            await finish_run(
                conn, self.run_id, final, {"accounts_total": int(accounts_total or 0)}, now
            )
            await self._notify(conn)
        return True
