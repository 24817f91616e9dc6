"""One account collected into a store: sessions + fetcher + store.

Every way of running a collection uses this one class: the single-process run, each
``--processes`` worker and each ``--queue`` worker. None of them imports another.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Coroutine, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from collector.aws.planning import ENABLED, PlannedAccount, account_regions, unknown_regions
from collector.aws.sessions import Sessions
from collector.aws.throttle import Throttles
from collector.config import Config, ConfigError
from collector.engine.details import all_or_cancel
from collector.engine.fetch import Fetcher, Job, share, skipped
from collector.engine.job_issues import failure_parts
from collector.engine.plan import RunSummary, plan_jobs
from collector.engine.progress import Reporter
from collector.engine.redact import Redactor
from collector.engine.redact_key import default_key_path, load_or_create_key
from collector.engine.redact_models import share_loader
from collector.engine.schedule import Scheduler
from collector.records import ScanResult, Status
from collector.registry import ResourceType
from collector.store import Store
from collector.store.errors import WriterError
from collector.store.ledger import account_error

# Jobs running at once per call slot of `max_concurrency`: each running job holds a task, its
# pages and its client; more of them only wait on throttles and slots while holding those.
JOBS_PER_CALL_SLOT = 1
# Regions AWS enables in an account without opting in (17 in `aws`): the guess of an account's
# regions before DescribeRegions answers, for the estimates of its global types.
ENABLED_BY_DEFAULT = 17


def inherited(parent: ScanResult, child: ResourceType) -> ScanResult:
    """The ledger entry of a child type whose parent's listing failed: the parent's error,
    skipped where the child's own listing would have been (the service is not in the region,
    or the error is one of the child's `skip_codes` / `skip_errors`)."""
    code = parent.error_code
    skip = (parent.status is Status.SKIPPED and code == "ServiceNotInRegion") or skipped(
        child, code, parent.error_message
    )
    return dataclasses.replace(
        parent,
        resource_type=child.resource_type,
        service=child.service,
        status=Status.SKIPPED if skip else Status.ERROR,
        item_count=0,
        skipped_items=0,
        detail_errors=0,
        api_calls=0,
    )


class AccountCollector:
    """Builds this process's sessions, store and fetcher, and collects accounts with them."""

    def __init__(
        self,
        cfg: Config,
        types: Sequence[ResourceType],
        reporter: Reporter | None = None,
        *,
        db_url: str,
    ) -> None:
        self.cfg = cfg
        self.types = list(types)
        self.reporter = reporter or Reporter(quiet=True)
        self.db_url = db_url
        self._redact_key: bytes | None = None
        self._scheduler: tuple[Fetcher, Scheduler] | None = None
        self._global = [t for t in self.types if t.global_]
        self._regional = [t for t in self.types if not t.global_]
        names = {t.resource_type for t in self.types}
        # The child types of each type, among the types of the run.
        self._children: dict[str, list[ResourceType]] = {}
        for t in self.types:
            if t.parent in names and t.parent != t.resource_type:
                self._children.setdefault(t.parent, []).append(t)

    def redact_key(self) -> bytes:
        """The key of the redaction markers, from a 0600 file outside the database (created on
        first use); raises :class:`KeyFileError` when it cannot be read or is not private."""
        if self._redact_key is None:
            path = default_key_path(self.db_url, self.cfg.redact.key_file)
            self._redact_key = load_or_create_key(path)
        return self._redact_key

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
        share_loader(sessions.loader)  # the redactor reads the models the clients loaded
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
        except Exception as e:  # the account barrier: an '*' error row, the run goes on
            await self._account_failed(account_id, e, store, summary)
            await sessions.close_account(account_id)
            return

        def run(jobs: list[Job], regions: int | None = None) -> Coroutine[Any, Any, None]:
            if skip:
                jobs = [j for j in jobs if (j.scope.region, j.rtype.resource_type) not in skip]
            return self._run_jobs(jobs, fetcher, sessions, store, summary, regions)

        async def regional() -> None:
            try:
                regions = await account_regions(
                    sessions, account_id, self.cfg.regions, self.cfg.aws.region
                )
            except Exception as e:  # its global types went on: they need no regions
                await self._account_failed(account_id, e, store, summary)
                return
            await run(plan_jobs(account_id, regions, self._regional, planned.partition))

        # The global types (IAM: each account's long pole) start while the account's regions
        # are asked for: a round trip earlier, and before the other accounts' bursts of jobs
        # starting meanwhile keep the event loop from reading the answer.
        glob = plan_jobs(account_id, [], self._global, planned.partition)
        try:
            await all_or_cancel([run(glob, self._regions_guess()), regional()])
        finally:
            await sessions.close_account(account_id)

    def _regions_guess(self) -> int:
        """The account's regions before DescribeRegions answers (for the estimates of its
        global types): the configured ones, else as many as AWS enables by default."""
        named = [r for r in self.cfg.regions.include if r != ENABLED]
        return len(named) + (ENABLED_BY_DEFAULT if ENABLED in self.cfg.regions.include else 0)

    async def _account_failed(
        self, account_id: str, error: Exception, store: Store, summary: RunSummary
    ) -> None:
        """The account barrier: an '*' error row, the run goes on."""
        if isinstance(error, WriterError):
            raise error
        self.reporter.planned(1)
        code, message = failure_parts(error)
        await self.record(store, summary, account_error(account_id, code, message, "sts"))

    async def _run_jobs(
        self,
        jobs: list[Job],
        fetcher: Fetcher,
        sessions: Sessions,
        store: Store,
        summary: RunSummary,
        regions: int | None,
    ) -> None:
        """Jobs of one account (children after their parents), as one batch of the scheduler."""
        self.reporter.planned(len(jobs))
        # A child whose parent is listed in this run waits for the parent's items.
        listed = {(j.scope, j.rtype.resource_type) for j in jobs}
        first = [j for j in jobs if (j.scope, j.rtype.parent) not in listed]
        waiting = listed - {(j.scope, j.rtype.resource_type) for j in first}

        def children_of(job: Job) -> list[ResourceType]:
            return [
                c for c in self._children.get(job.rtype.resource_type, ())
                if (job.scope, c.resource_type) in waiting
            ]  # fmt: skip

        async def fail_children(job: Job, result: ScanResult) -> None:
            """A parent that could not be listed: its children fail (or are skipped) as it did."""
            for child in children_of(job):
                child_result = inherited(result, child)
                await self.record(store, summary, child_result)
                await fail_children(Job(job.scope, child), child_result)

        # Listings several of the jobs read (IAM's GAAD) are read once for all of them.
        shared = share(first)

        async def one(job: Job) -> list[Job]:
            children = children_of(job)
            result, found = await fetcher.run_parent(job, children, shared)
            await self.record(store, summary, result)
            if result.status is Status.OK:
                return [Job(job.scope, c, tuple(found[c.resource_type])) for c in children]
            await fail_children(job, result)
            return []

        try:
            await self.scheduler(fetcher, sessions).run_batch(first, one, regions)
        finally:
            shared.close()

    def scheduler(self, fetcher: Fetcher, sessions: Sessions) -> Scheduler:
        """The scheduler of the fetcher's jobs (one per fetcher, shared by its accounts)."""
        if self._scheduler is None or self._scheduler[0] is not fetcher:
            rates = self.cfg.throttle
            self._scheduler = (
                fetcher,
                Scheduler(
                    limit=JOBS_PER_CALL_SLOT * self.cfg.collect.max_concurrency,
                    rate_of=lambda service: rates.rates.get(service, rates.default_rate),
                    on_group_idle=sessions.idle,
                ),
            )
        return self._scheduler[1]

    async def record(self, store: Store, summary: RunSummary, result: ScanResult) -> None:
        """Write a ledger row and count it."""
        await store.put_result(result)
        self.tally(summary, result)

    def tally(self, summary: RunSummary, result: ScanResult) -> None:
        """Count a ledger row in the summary and show it."""
        summary.count(result)
        self.reporter.result(result)
