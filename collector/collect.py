"""One collection run: config -> scopes -> sessions -> fetch -> normalize -> store -> reconcile.

Three ways to scale past one process (see README "Scaling out"):

* ``processes=N`` (:mod:`collector.workers`): this process plans the accounts and owns the run
  row; N local worker processes collect the accounts into it; this process then reconciles and
  finishes the run once.
* ``shard=Shard(I, N)`` (:mod:`collector.shard`): only the accounts of shard I are collected,
  into a run of their own, under a lock of their own.
* ``collect --queue`` (:mod:`collector.queue`, PostgreSQL): workers on any number of hosts
  lease accounts from a ``work_queue`` table.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from collector import forkserver
from collector.config import Config, ConfigError
from collector.exitcodes import EXIT_OK, EXIT_PARTIAL
from collector.fetch import Fetcher, Job, error_parts
from collector.lock import run_lock
from collector.progress import Reporter
from collector.records import GLOBAL_REGION, ScanResult, Scope, Status
from collector.redact import Redactor
from collector.registry import ResourceType, UnknownTypePattern, select_types
from collector.scopes import PlannedAccount, account_regions, plan_accounts, unknown_regions
from collector.sessions import Sessions
from collector.shard import Shard
from collector.store import Store, make_engine, upgrade
from collector.store.engine import begin
from collector.store.models import runs, scan_results
from collector.store.runs import insert_run
from collector.throttle import Throttles

ALL = "*"


class CannotRun(Exception):
    """The run could not start at all (no credentials, database unreachable)."""


class UsageError(Exception):
    """Options that do not work together, or not with this database (exit 2)."""


@dataclass
class RunSummary:
    run_id: int
    status: str
    accounts: int = 0
    scopes_ok: int = 0
    scopes_error: int = 0
    scopes_skipped: int = 0
    resources: int = 0
    created: int = 0
    modified: int = 0
    deleted: int = 0
    errors: list[ScanResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.scopes_error == 0 else EXIT_PARTIAL


def choose_types(cfg: Config) -> list[ResourceType]:
    try:
        return select_types(
            cfg.resources.include, cfg.resources.exclude, generic=cfg.resources.generic
        )
    except UnknownTypePattern as e:
        hint = f"; did you mean {', '.join(e.suggestions)}?" if e.suggestions else ""
        raise ConfigError(
            "config",
            [f"[resources] no resource type matches {e.pattern!r}{hint} (see `inventory types`)"],
        ) from None


def plan_jobs(account_id: str, regions: Sequence[str], types: Sequence[ResourceType]) -> list[Job]:
    jobs = [Job(Scope(account_id, GLOBAL_REGION), t) for t in types if t.global_]
    jobs += [Job(Scope(account_id, r), t) for r in regions for t in types if not t.global_]
    return jobs


def _account_failure(account_id: str, error: BaseException) -> ScanResult:
    code, message = error_parts(error)
    return account_error(account_id, code, message, service="sts")


def account_error(
    account_id: str, code: str, message: str, service: str = "inventory"
) -> ScanResult:
    """A ledger row saying that nothing of the account was listed (it never deletes anything)."""
    return ScanResult(
        account_id=account_id,
        region=ALL,
        resource_type=ALL,
        service=service,
        status=Status.ERROR,
        error_code=code,
        error_message=message,
    )


async def mark_interrupted(engine: AsyncEngine, scope_key: str | None = None) -> int:
    """Runs still 'running' while we hold the lock died without finishing (kill -9, power).

    Only runs of the same ``scope_key`` count (NULL: whole runs, ``shard:I/N``: that shard):
    the lock we hold says nothing about the runs of other shards, which may be alive.
    """
    same_scope = runs.c.scope_key.is_(None) if scope_key is None else runs.c.scope_key == scope_key
    async with engine.begin() as conn:
        result = await conn.execute(
            update(runs)
            .where(runs.c.status == "running", same_scope)
            .values(status="interrupted", finished_at=datetime.now(UTC))
        )
    return int(result.rowcount or 0)


async def insert_scoped_run(
    conn: AsyncConnection,
    config_summary: dict[str, Any],
    *,
    scope_key: str | None = None,
    shard: Shard | None = None,
) -> int:
    """Insert a ``running`` run row with its scope, in the caller's transaction."""
    run_id = await insert_run(conn, config_summary, datetime.now(UTC))
    if scope_key is not None:
        await conn.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(
                scope_key=scope_key,
                shard_index=shard.index if shard else None,
                shard_count=shard.count if shard else None,
            )
        )
    return run_id


async def ledger_counts(engine: AsyncEngine, run_id: int) -> tuple[int, int, int, int]:
    """(ok, error, skipped, resources listed by ok pairs) of the run, from its ledger."""
    sr = scan_results.c
    async with begin(engine) as conn:
        rows = await conn.execute(
            select(sr.status, func.count(), func.coalesce(func.sum(sr.item_count), 0))
            .where(sr.run_id == run_id)
            .group_by(sr.status)
        )
        by_status = {status: (int(n), int(items)) for status, n, items in rows}
    ok, items = by_status.get("ok", (0, 0))
    return ok, by_status.get("error", (0, 0))[0], by_status.get("skipped", (0, 0))[0], items


async def done_pairs(
    engine: AsyncEngine, run_id: int, account_id: str
) -> frozenset[tuple[str, str]]:
    """(region, type) pairs of the account already listed (ok or skipped) in the run."""
    sr = scan_results.c
    async with begin(engine) as conn:
        rows = await conn.execute(
            select(sr.region, sr.resource_type).where(
                and_(
                    sr.run_id == run_id,
                    sr.account_id == account_id,
                    sr.status.in_(("ok", "skipped")),
                )
            )
        )
        return frozenset((region, rtype) for region, rtype in rows)


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
        self.summary: RunSummary | None = None
        self.processes = processes
        self.shard = shard

    @property
    def scope_key(self) -> str | None:
        """``runs.scope_key`` of this collector's runs (None: the whole organization)."""
        return self.shard.scope_key if self.shard else None

    def new_sessions(self) -> Sessions:
        """Sessions for this process, with fresh throttles (``self.throttles``)."""
        self.throttles = Throttles(self.cfg.throttle, on_throttle=self.reporter.on_throttle)
        return Sessions(
            self.cfg.aws,
            session_name=self.cfg.accounts.session_name,
            max_pool_connections=self.cfg.collect.max_concurrency,
            observer=self.throttles.observe,
        )

    def check_regions(self, sessions: Sessions) -> None:
        bad = unknown_regions(
            [*self.cfg.regions.include, *self.cfg.regions.exclude], sessions.known_regions()
        )
        if bad:
            raise ConfigError("config", [f"[regions] unknown region(s): {', '.join(bad)}"])

    def new_store(self, engine: AsyncEngine, run_id: int) -> Store:
        """A store writing into the existing run ``run_id``."""
        store = Store(engine, batch_size=self.cfg.collect.batch_size)
        store.run_id = run_id
        return store

    def new_fetcher(self, sessions: Sessions, store: Store) -> Fetcher:
        from collector.redact_models import share_loader

        share_loader(sessions._loader)  # the redactor reads the models the clients loaded
        return Fetcher(
            sessions,
            self.throttles,
            max_concurrency=self.cfg.collect.max_concurrency,
            detail_concurrency=self.cfg.collect.detail_concurrency,
            sink=store.put,
            redactor=Redactor.with_defaults(
                self.cfg.redact.rules, defaults=self.cfg.redact.defaults, key=self.redact_key()
            ),
        )

    def redact_key(self) -> bytes:
        from collector.redact_key import KeyFileError, default_key_path, load_or_create_key

        try:
            return load_or_create_key(default_key_path(self.db_url, self.cfg.redact.key_file))
        except KeyFileError as e:
            raise CannotRun(str(e)) from None

    async def run(self) -> RunSummary:
        if self.processes > 1:
            forkserver.prestart()  # the CLI did already; a library caller did not
        sessions = self.new_sessions()
        try:
            self.check_regions(sessions)
            engine = make_engine(self.db_url)
            try:
                await upgrade(engine)
                async with run_lock(engine, self.shard.lock_name if self.shard else "collect"):
                    await mark_interrupted(engine, self.scope_key)
                    return await self._locked_run(engine, sessions)
            finally:
                await engine.dispose()
        finally:
            await sessions.close()

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
            raise CannotRun(f"could not list the accounts to collect: {code}: {message}") from None
        if self.shard is not None:
            shard = self.shard
            planned = [p for p in planned if shard.owns(p.info.account_id)]
        return sorted(planned, key=lambda p: p.info.account_id)

    async def _locked_run(self, engine: AsyncEngine, sessions: Sessions) -> RunSummary:
        planned = await self.plan(sessions)
        async with begin(engine) as conn:
            run_id = await insert_scoped_run(
                conn, self.config_summary(), scope_key=self.scope_key, shard=self.shard
            )
        store = self.new_store(engine, run_id)
        await store.record_accounts(run_id, [p.info for p in planned])
        summary = RunSummary(run_id=run_id, status="running", accounts=len(planned))
        self.summary = summary
        try:
            if self.processes > 1 and len(planned) > 1:
                from collector.workers import collect_in_processes

                await collect_in_processes(self, engine, store, planned, summary)
            else:
                async with store:
                    fetcher = self.new_fetcher(sessions, store)
                    gate = asyncio.Semaphore(self.cfg.collect.account_concurrency)

                    async def one_account(p: PlannedAccount) -> None:
                        async with gate:
                            await self.collect_account(p, sessions, fetcher, store, summary)

                    await asyncio.gather(*(one_account(p) for p in planned))
                    await store.flush()
            stats = await store.reconcile(run_id)
        except asyncio.CancelledError:
            # SIGINT/SIGTERM: nothing was reconciled, so nothing is wrongly marked deleted.
            await store.finish_run(run_id, "interrupted", **self._counts(summary))
            raise
        except BaseException:
            await store.finish_run(run_id, "failed", **self._counts(summary))
            raise
        summary.created, summary.modified, summary.deleted = (
            stats.created,
            stats.modified,
            stats.deleted,
        )
        summary.status = "succeeded" if summary.scopes_error == 0 else "partial"
        await store.finish_run(run_id, summary.status, **self._counts(summary))
        return summary

    async def collect_account(
        self,
        planned: PlannedAccount,
        sessions: Sessions,
        fetcher: Fetcher,
        store: Store,
        summary: RunSummary,
        skip: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        """Every (scope, type) of one account; ``skip``: (region, type) pairs already done."""
        account_id = planned.info.account_id
        try:
            await sessions.open_account(planned.target)
            regions = await account_regions(
                sessions, account_id, self.cfg.regions, self.cfg.aws.region
            )
        except (ClientError, BotoCoreError, aiohttp.ClientError, TimeoutError) as e:
            self.reporter.planned(1)
            await self._record(store, summary, _account_failure(account_id, e))
            await sessions.close_account(account_id)
            return

        async def one(job: Job) -> None:
            await self._record(store, summary, await fetcher.run(job))

        jobs = plan_jobs(account_id, regions, self.types)
        if skip:
            jobs = [j for j in jobs if (j.scope.region, j.rtype.resource_type) not in skip]
        self.reporter.planned(len(jobs))
        try:
            await asyncio.gather(*(one(j) for j in jobs))
        finally:
            await sessions.close_account(account_id)

    async def _record(self, store: Store, summary: RunSummary, result: ScanResult) -> None:
        await store.put_result(result)
        self.tally(summary, result)

    def tally(self, summary: RunSummary, result: ScanResult) -> None:
        """Count a ledger row in the summary and show it."""
        if result.status is Status.OK:
            summary.scopes_ok += 1
            summary.resources += result.item_count
        elif result.status is Status.SKIPPED:
            summary.scopes_skipped += 1
        else:
            summary.scopes_error += 1
            summary.errors.append(result)
        self.reporter.result(result)

    @staticmethod
    def _counts(summary: RunSummary) -> dict[str, int]:
        return {
            "accounts_total": summary.accounts,
            "scopes_ok": summary.scopes_ok,
            "scopes_error": summary.scopes_error,
            "scopes_skipped": summary.scopes_skipped,
            "resources_seen": summary.resources,
        }

    def config_summary(self) -> dict[str, Any]:
        cfg = self.cfg
        return {
            "accounts_source": cfg.accounts.source,
            "regions": list(cfg.regions.include),
            "regions_exclude": list(cfg.regions.exclude),
            "resource_types": [t.resource_type for t in self.types],
            "endpoint_url": cfg.aws.endpoint_url,
        }
