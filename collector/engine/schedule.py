"""Which (scope, type) job runs next, over every open account at once.

Before, each account gathered all its jobs and waited for the slowest: with
`account_concurrency` accounts at a time, an organization one account larger than that paid
its rate-limited long pole (IAM, ~14 s an account at 10 calls/s) twice. Here every open
account's jobs share one queue, so a slot freed by any job is taken at once, and:

* jobs are queued per throttle key (account, endpoint region, service) and at most a few run
  per key (`lane`): the rest of the key would only wait on its throttle while holding a task
  and the pages it listed, so the slots go to other keys instead;
* keys with the most estimated work per unit of their rate start first (the long poles), then
  jobs go in (region, service) order, so that the jobs using one shared client run together
  and its client can be closed when its group is done (`on_group_idle`);
* at most `limit` jobs run at all, which bounds tasks, pages held and live clients by the
  calls in flight rather than by accounts x regions x types.

A batch is one account's jobs, including the child jobs its jobs add when they finish (a
parent's items are handed to its children instead of being listed again).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field

from collector.engine.fetch import Job
from collector.registry.base import ListingDetail

Key = tuple[str, str, str]  # (account, endpoint region, service): one throttle
Group = tuple[str, str]  # (endpoint region, service): one shared client
# Runs a job and returns the jobs it makes possible (a parent's children).
RunJob = Callable[[Job], Awaitable[Sequence[Job]]]


ITEMS_GUESS = 10.0  # items of a region's scope, before it is listed
START_BURST = 8  # jobs started in one go before the event loop looks at its sockets again


def estimated_calls(job: Job, regions: int = 1) -> float:
    """A guess of a job's calls before anything is listed: per-item details multiply calls,
    a child's listing makes one call per parent (known once the parent is listed); a listing
    detail is one more listing, whatever the items. A global type's scope is the whole
    account: guessed to hold as many items as its ``regions`` regions together (IAM's
    policies, S3's buckets), where the guess of a region's would rank IAM, each account's
    long pole at 10 calls/s, behind a region's KMS keys."""
    if job.parents is not None:
        return float(max(1, len(job.parents)))
    rtype = job.rtype
    items = ITEMS_GUESS * (max(1, regions) if rtype.global_ else 1)
    per_item = sum(not isinstance(d, ListingDetail) for d in rtype.details)
    listings = len(rtype.details) - per_item
    return 1.0 + items * per_item + listings + (items if rtype.parent else 0.0)


def key_of(job: Job) -> Key:
    return (job.scope.account_id, job.client_region, job.rtype.service)


@dataclass(eq=False)
class Batch:
    """One account's jobs: done when every job, and every job they added, has run."""

    run: RunJob
    pending: int = 0
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    regions: int = 1  # the account's regions (for the estimates of its global types)

    def fail(self, error: BaseException) -> None:
        if not self.done.done():
            if isinstance(error, asyncio.CancelledError):
                self.done.cancel()
            else:
                self.done.set_exception(error)
        for task in self.tasks:
            task.cancel()

    @property
    def failed(self) -> bool:
        return self.done.done()


class Scheduler:
    def __init__(
        self,
        *,
        limit: int,
        rate_of: Callable[[str], float],
        on_group_idle: Callable[[str, str], None] | None = None,
    ) -> None:
        self._limit = limit
        self._rate_of = rate_of
        self._on_group_idle = on_group_idle
        self._queues: dict[Key, deque[tuple[int, Job, Batch]]] = {}
        self._rank: dict[Key, int] = {}
        self._heap: list[tuple[int, int, Key]] = []
        self._in_heap: set[Key] = set()
        self._running: Counter[Key] = Counter()
        self._total = 0
        self._groups: Counter[Group] = Counter()
        self._seq = itertools.count()
        self._pumping: asyncio.Handle | None = None

    def lane(self, service: str) -> int:
        """Jobs of one key at a time: enough to keep its rate busy, never the whole key."""
        return max(2, min(8, math.ceil(self._rate_of(service) / 5)))

    async def run_batch(
        self, jobs: Iterable[Job], run: RunJob, regions: int | None = None
    ) -> None:
        """Run the jobs with `run` (and the jobs it returns) alongside every other batch's;
        raises the first failure of a job of the batch, after cancelling the rest of it.
        ``regions``: the account's, where the jobs are not all of them (its global types')."""
        jobs = list(jobs)
        if regions is None:
            regions = len({j.scope.region for j in jobs if not j.rtype.global_})
        batch = Batch(run, regions=max(1, regions))
        self.submit(jobs, batch)
        if batch.pending == 0:
            return
        try:
            await asyncio.shield(batch.done)
        except asyncio.CancelledError:
            if not batch.done.done():  # cancelled from outside, not by its own failure
                batch.fail(asyncio.CancelledError())
            raise

    def submit(self, jobs: Iterable[Job], batch: Batch, after: int | None = None) -> None:
        """Queue the jobs; `after`: the place of the job that made them (a parent's), so that
        children run where their parent ran, not behind everything queued meanwhile."""
        # Grouped by (region, service) so a shared client's jobs run together; within a key
        # the longest first, so that the key's chain does not end on one long job started late.
        estimates = [(job, estimated_calls(job, batch.regions)) for job in jobs]
        estimates.sort(key=lambda je: (je[0].client_region, je[0].rtype.service, -je[1]))
        weights: dict[Key, float] = {}
        for job, calls in estimates:
            key = key_of(job)
            weights[key] = weights.get(key, 0.0) + calls / self._rate_of(key[2])
        for job, _ in estimates:
            key = key_of(job)
            queue = self._queues.get(key)
            if queue is None:
                queue = self._queues[key] = deque()
                # Whole seconds of estimated work, longest first; ties in submission order.
                self._rank[key] = -int(weights[key])
            queue.append((next(self._seq) if after is None else after, job, batch))
            batch.pending += 1
            self._groups[key[1:]] += 1
            self._push(key)
        self._pump()

    def _push(self, key: Key) -> None:
        if key in self._in_heap or not self._queues.get(key):
            return
        if self._running[key] >= self.lane(key[2]):
            return  # pushed again when one of its jobs finishes
        self._in_heap.add(key)
        # Placed by its next job's own submission order: a key keeps its place in the
        # (region, service) order instead of going round-robin over every key.
        queue = self._queues[key]
        heapq.heappush(self._heap, (self._rank[key], queue[0][0], key))

    def _pump(self) -> None:
        if self._pumping is not None:
            return  # already due on the loop
        started = 0
        while self._total < self._limit and self._heap:
            if started == START_BURST:
                # The rest next time round the loop: a job's first step (a new client, a
                # signed request) is CPU, and a burst of them held up the answers waiting
                # for the loop meanwhile (other accounts' AssumeRole: their long poles).
                self._pumping = asyncio.get_running_loop().call_soon(self._pump_later)
                return
            started += 1
            _, _, key = heapq.heappop(self._heap)
            self._in_heap.discard(key)
            queue = self._queues[key]
            while queue and queue[0][2].failed:
                _, _, dropped = queue.popleft()
                self._forget(key, dropped)
            if not queue:
                self._drop_key(key)
                continue
            place, job, batch = queue.popleft()
            self._running[key] += 1
            self._total += 1
            task = asyncio.get_running_loop().create_task(self._one(key, job, batch, place))
            batch.tasks.add(task)
            self._push(key)

    def _pump_later(self) -> None:
        self._pumping = None
        self._pump()

    async def _one(self, key: Key, job: Job, batch: Batch, place: int) -> None:
        try:
            follow = await batch.run(job)
            if not batch.failed:
                self.submit(follow, batch, after=place)
        except BaseException as e:
            batch.fail(e)
            if not isinstance(e, Exception):
                raise
        finally:
            batch.tasks.discard(asyncio.current_task())
            self._running[key] -= 1
            self._total -= 1
            self._forget(key, batch)
            if not self._queues.get(key) and not self._running[key]:
                self._drop_key(key)
            else:
                self._push(key)
            self._pump()

    def _forget(self, key: Key, batch: Batch) -> None:
        """A job of `batch` left the queue (run or dropped)."""
        batch.pending -= 1
        if batch.pending == 0 and not batch.done.done():
            batch.done.set_result(None)
        group = key[1:]
        self._groups[group] -= 1
        if self._groups[group] == 0:
            del self._groups[group]
            if self._on_group_idle is not None:
                self._on_group_idle(*group)

    def _drop_key(self, key: Key) -> None:
        if not self._running[key]:
            self._queues.pop(key, None)
            self._rank.pop(key, None)
            self._running.pop(key, None)
