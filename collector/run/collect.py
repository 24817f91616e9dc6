"""One collection run: config -> scopes -> sessions -> fetch -> normalize -> store -> reconcile.

This module owns what happens once per run: the lock, planning the accounts, the ``runs`` row,
reconciliation and the final status. The accounts themselves are collected by
:class:`collector.engine.account.AccountCollector`, here in this process or, with
``processes=N``, in N worker processes (:mod:`collector.run.processes`).

Other ways to scale past one process (see README "Scaling out"):

* ``shard=Shard(I, N)`` (:mod:`collector.run.shard`): only the accounts of shard I are
  collected, into a run of their own, under a lock of their own.
* ``collect --queue`` (:mod:`collector.run.queue_worker`, PostgreSQL): workers on any number
  of hosts lease accounts from a ``work_queue`` table.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import aiohttp
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.aws.planning import PlannedAccount, plan_accounts
from collector.aws.sessions import Sessions
from collector.config import Config
from collector.engine.account import AccountCollector
from collector.engine.job_issues import error_parts
from collector.engine.plan import RunSummary, choose_types
from collector.engine.progress import Reporter
from collector.engine.redact_key import KeyFileError
from collector.run import forkserver
from collector.run.errors import CannotRun, UsageError
from collector.run.processes import ProcessPool
from collector.run.shard import Shard
from collector.run.signals import stop_on_sigterm
from collector.store import Store, make_engine, upgrade
from collector.store.engine import begin
from collector.store.ledger import insert_scoped_run, mark_interrupted
from collector.store.lock import run_lock

__all__ = ["CannotRun", "Collector", "RunSummary", "UsageError"]

# Keys of China or GovCloud are unknown to the STS endpoints of other partitions.
PARTITION_HINT = (
    " (credentials of another partition, China or GovCloud? set [aws] region to one of its"
    " regions, e.g. cn-north-1 or us-gov-west-1)"
)


class Collector:
    def __init__(
        self,
        cfg: Config,
        db_url: str,
        reporter: Reporter | None = None,
        *,
        processes: int = 1,
        shard: Shard | None = None,
    ) -> None:
        if processes < 1:
            raise ValueError(f"processes must be at least 1 (got {processes})")
        if processes > 1 and ":memory:" in db_url:
            raise UsageError("--processes needs a database file or server, not :memory:")
        self.cfg = cfg
        self.db_url = db_url
        self.types = choose_types(cfg)
        self.reporter = reporter or Reporter(quiet=True)
        self.accounts = AccountCollector(cfg, self.types, self.reporter, db_url=db_url)
        self.summary: RunSummary | None = None
        self.processes = processes
        self.shard = shard

    @property
    def scope_key(self) -> str | None:
        """``runs.scope_key`` of this collector's runs (None: the whole organization)."""
        return self.shard.scope_key if self.shard else None

    async def run(self) -> RunSummary:
        """The whole run; SIGTERM ends it ``interrupted`` and raises ``Terminated``."""
        return await stop_on_sigterm(self._run())

    async def _run(self) -> RunSummary:
        if self.processes > 1:
            forkserver.prestart()  # the CLI did already; a library caller did not
        self.check_redact_key()
        sessions = self.accounts.new_sessions()
        try:
            # The accounts are listed (AWS calls, nothing written) while the regions are
            # checked, the models read and the database migrated and locked, instead of
            # after; their errors still come after those, as when they ran in turn.
            planning = asyncio.ensure_future(self._plan_and_open(sessions))
            try:
                await asyncio.sleep(0)  # the first request goes out before the checks
                self.accounts.check_regions(sessions)
                if self.processes == 1:  # workers read their own
                    sessions.preload_models(self.services())
                engine = make_engine(self.db_url)
                try:
                    await upgrade(engine)
                    async with run_lock(engine, self.shard.lock_name if self.shard else "collect"):
                        await mark_interrupted(engine, self.scope_key)
                        return await self._locked_run(engine, sessions, planning)
                finally:
                    await engine.dispose()
            finally:
                planning.cancel()  # a no-op once it is done
                await asyncio.gather(planning, return_exceptions=True)
        finally:
            await sessions.close()

    def services(self) -> list[str]:
        """The services this run calls: planning's, then its types' in registry order."""
        return ["sts", "organizations", *(t.service for t in self.types)]

    def check_redact_key(self) -> None:
        """Read (or create) the redaction key before anything runs: exit 3 if it cannot be."""
        try:
            self.accounts.redact_key()
        except KeyFileError as e:
            raise CannotRun(str(e)) from None

    async def plan(self, sessions: Sessions) -> list[PlannedAccount]:
        """The accounts to collect (only this shard's with ``shard``), in account id order."""
        try:
            planned = await plan_accounts(sessions, self.cfg.accounts)
        except NoCredentialsError:
            raise CannotRun(
                "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
                "AWS_SECRET_ACCESS_KEY, or [aws] profile in the config"
            ) from None
        except (ClientError, BotoCoreError, aiohttp.ClientError) as e:
            code, message = error_parts(e)
            hint = PARTITION_HINT if code in ("InvalidClientTokenId", "UnrecognizedClientException") else ""
            raise CannotRun(f"could not list the accounts to collect: {code}: {message}{hint}") from None
        if self.shard is not None:
            shard = self.shard
            planned = [p for p in planned if shard.owns(p.info.account_id)]
        return sorted(planned, key=lambda p: p.info.account_id)

    async def _plan_and_open(self, sessions: Sessions) -> list[PlannedAccount]:
        """:meth:`plan`, then (collecting in this process) the roles of the accounts that start
        first (in this order, ``account_concurrency`` at a time) assumed ahead. Not in `plan`:
        a `--queue` worker plans for every worker, and collects only the accounts it claims."""
        planned = await self.plan(sessions)
        if self.processes == 1:
            first = planned[: self.cfg.collect.account_concurrency]
            sessions.open_ahead([p.target for p in first])
        return planned

    async def _locked_run(
        self,
        engine: AsyncEngine,
        sessions: Sessions,
        planning: Awaitable[list[PlannedAccount]],
    ) -> RunSummary:
        planned = await planning
        async with begin(engine) as conn:
            run_id = await insert_scoped_run(
                conn, self.config_summary(), scope_key=self.scope_key, shard=self.shard
            )
        store = self.accounts.new_store(engine, run_id)
        await store.record_accounts(run_id, [p.info for p in planned])
        summary = RunSummary(run_id=run_id, status="running", accounts=len(planned))
        self.summary = summary
        try:
            if self.processes > 1 and len(planned) > 1:
                pool = ProcessPool(self.accounts, self.db_url, self.processes, engine, store)
                await pool.collect(planned, summary)
            else:
                await self._in_process(planned, sessions, store, summary)
            stats = await store.reconcile(run_id)
        except asyncio.CancelledError:
            # SIGINT/SIGTERM: nothing was reconciled, so nothing is wrongly marked deleted.
            await store.finish_run(run_id, "interrupted", **summary.run_counts())
            raise
        except BaseException:
            await store.finish_run(run_id, "failed", **summary.run_counts())
            raise
        summary.created, summary.modified, summary.deleted = (
            stats.created,
            stats.modified,
            stats.deleted,
        )
        summary.status = "succeeded" if summary.scopes_error == 0 else "partial"
        await store.finish_run(run_id, summary.status, **summary.run_counts())
        return summary

    async def _in_process(
        self, planned: list[PlannedAccount], sessions: Sessions, store: Store, summary: RunSummary
    ) -> None:
        async with store:
            fetcher = self.accounts.new_fetcher(sessions, store)
            gate = asyncio.Semaphore(self.cfg.collect.account_concurrency)

            async def one_account(p: PlannedAccount) -> None:
                async with gate:
                    await self.accounts.collect_account(p, sessions, fetcher, store, summary)

            await asyncio.gather(*(one_account(p) for p in planned))
            await store.flush()

    def config_summary(self) -> dict[str, Any]:
        cfg = self.cfg
        return {
            "accounts_source": cfg.accounts.source,
            "regions": list(cfg.regions.include),
            "regions_exclude": list(cfg.regions.exclude),
            "resource_types": [t.resource_type for t in self.types],
            "endpoint_url": cfg.aws.endpoint_url,
        }
