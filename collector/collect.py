"""One collection run: config -> scopes -> sessions -> fetch -> normalize -> store -> reconcile."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from collector.config import Config, ConfigError
from collector.fetch import Fetcher, Job, error_parts
from collector.lock import run_lock
from collector.progress import Reporter
from collector.records import GLOBAL_REGION, ScanResult, Scope, Status
from collector.registry import ResourceType, UnknownTypePattern, select_types
from collector.scopes import PlannedAccount, account_regions, plan_accounts, unknown_regions
from collector.sessions import Sessions
from collector.store import Store, make_engine, upgrade
from collector.store.models import runs
from collector.throttle import Throttles

# Exit codes of `collect` (a contract: cron wrappers depend on them).
EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3
EXIT_LOCKED = 75

ALL = "*"


class CannotRun(Exception):
    """The run could not start at all (no credentials, database unreachable)."""


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
    return ScanResult(
        account_id=account_id,
        region=ALL,
        resource_type=ALL,
        service="sts",
        status=Status.ERROR,
        error_code=code,
        error_message=message,
    )


async def mark_interrupted(engine: AsyncEngine) -> int:
    """Runs still 'running' while we hold the lock died without finishing (kill -9, power)."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(runs)
            .where(runs.c.status == "running")
            .values(status="interrupted", finished_at=datetime.now(UTC))
        )
    return int(result.rowcount or 0)


class Collector:
    def __init__(self, cfg: Config, db_url: str, reporter: Reporter | None = None) -> None:
        self.cfg = cfg
        self.db_url = db_url
        self.types = choose_types(cfg)
        self.reporter = reporter or Reporter(quiet=True)
        self.summary: RunSummary | None = None

    def _sessions(self, throttles: Throttles) -> Sessions:
        return Sessions(
            self.cfg.aws,
            session_name=self.cfg.accounts.session_name,
            max_pool_connections=self.cfg.collect.max_concurrency,
            observer=throttles.observe,
        )

    async def run(self) -> RunSummary:
        self.throttles = Throttles(self.cfg.throttle, on_throttle=self.reporter.on_throttle)
        sessions = self._sessions(self.throttles)
        bad = unknown_regions(
            [*self.cfg.regions.include, *self.cfg.regions.exclude], sessions.known_regions()
        )
        if bad:
            raise ConfigError("config", [f"[regions] unknown region(s): {', '.join(bad)}"])
        engine = make_engine(self.db_url)
        try:
            await upgrade(engine)
            async with run_lock(engine):
                await mark_interrupted(engine)
                return await self._locked_run(engine, sessions)
        finally:
            await sessions.close()
            await engine.dispose()

    async def _locked_run(self, engine: AsyncEngine, sessions: Sessions) -> RunSummary:
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
        store = Store(engine, batch_size=self.cfg.collect.batch_size)
        run_id = await store.start_run(config_summary=self._config_summary())
        await store.record_accounts(run_id, [p.info for p in planned])
        summary = RunSummary(run_id=run_id, status="running", accounts=len(planned))
        self.summary = summary
        try:
            async with store:
                fetcher = Fetcher(
                    sessions,
                    self.throttles,
                    max_concurrency=self.cfg.collect.max_concurrency,
                    detail_concurrency=self.cfg.collect.detail_concurrency,
                    sink=store.put,
                )
                gate = asyncio.Semaphore(self.cfg.collect.account_concurrency)

                async def one_account(p: PlannedAccount) -> None:
                    async with gate:
                        await self._collect_account(p, sessions, fetcher, store, summary)

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

    async def _collect_account(
        self,
        planned: PlannedAccount,
        sessions: Sessions,
        fetcher: Fetcher,
        store: Store,
        summary: RunSummary,
    ) -> None:
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
        self.reporter.planned(len(jobs))
        try:
            await asyncio.gather(*(one(j) for j in jobs))
        finally:
            await sessions.close_account(account_id)

    async def _record(self, store: Store, summary: RunSummary, result: ScanResult) -> None:
        await store.put_result(result)
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

    def _config_summary(self) -> dict[str, Any]:
        cfg = self.cfg
        return {
            "accounts_source": cfg.accounts.source,
            "regions": list(cfg.regions.include),
            "regions_exclude": list(cfg.regions.exclude),
            "resource_types": [t.resource_type for t in self.types],
            "endpoint_url": cfg.aws.endpoint_url,
        }
