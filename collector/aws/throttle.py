"""Request rates per (account, region, service), waited on before every page.

The rates are adaptive: when AWS answers with a throttling error the key's rate is halved, and
after a run of unthrottled calls it climbs back by a fifth, never above the configured rate.
botocore's own retries (standard/adaptive mode) handle the individual throttled call; this keeps
the next ones from hitting the same wall.

A limit is asyncio-throttle's sliding window (at most ``rate_limit`` calls start in any
``period``) without its polling: asyncio-throttle's waiters each wake every ``retry_interval``
(10 ms) to look at the window, which costs CPU in proportion to the number of waiters and
rounds every wait up to the next poll. Here waiters queue and one task per busy key sleeps,
once a call, until the window has room, then gives the turn to the first waiter.

The queue is by priority, then first come, first served: a listing's pages (`LISTING`) go
before per-item calls (`PER_ITEM`). A page is what the rest of its job, or every job sharing
the listing, waits on, and the next page can only be asked once it is in: queued behind a
burst of independent per-item calls on the same key (a type's tags, 8 at a time), a chain of
pages got one turn per burst, and the key's work ended on that chain, late. The rate is the
same whoever's turn it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from asyncio_throttle.throttler import Throttler as SlidingWindow

from collector.config import ThrottleConfig

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "RequestThrottled",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "ProvisionedThroughputExceededException",
        "BandwidthLimitExceeded",
        "EC2ThrottledException",
        "PriorRequestNotComplete",
    }
)
MIN_RATE = 0.5  # requests/second; never starve a key entirely
RECOVER_AFTER = 20  # unthrottled calls before the rate climbs again
RECOVER_FACTOR = 1.2
LATE_OK = 0.02  # seconds a throttled call may start late without delaying the next ones

Key = tuple[str, str, str]
LISTING = 0  # a listing's page: its job (and jobs sharing the listing) wait on it
PER_ITEM = 1  # a call for one item (or a batch of them), or a child listing per parent


def _window(rate: float) -> tuple[int, float]:
    # One request per 1/rate seconds rather than `rate` requests per second: asyncio-throttle
    # counts acquisitions in a sliding window, and a burst of `rate` acquisitions sent late by
    # a busy event loop would reach AWS as up to twice the rate. Even spacing cannot bunch.
    return 1, 1.0 / rate


class Throttler(SlidingWindow):
    """asyncio-throttle's sliding window, with waiters queued by priority instead of polling."""

    def __init__(self, rate_limit: int, period: float = 1.0, retry_interval: float = 0.01):
        super().__init__(rate_limit, period, retry_interval)
        # (priority, arrival, turn): the turn's result is the start the call is planned at.
        self._waiting: list[tuple[int, int, asyncio.Future[float]]] = []
        self._arrival = itertools.count()
        self._server: asyncio.Task[None] | None = None
        self._alarm: asyncio.Future[None] | None = None  # what the server sleeps on

    async def acquire(self) -> None:
        await self.take()

    async def take(self, priority: int = LISTING) -> float:
        """Wait for this key's turn (lower `priority` first); the start the call is planned at."""
        if self._server is None:
            # Nobody waiting: a free window is taken at once, not after a trip through the
            # event loop's queue (behind every job started in the same burst).
            now = time.monotonic()
            starts = self._task_logs
            while starts and now - starts[0] > self.period:
                starts.popleft()
            if len(starts) < self.rate_limit:
                starts.append(now)
                return now
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[float] = loop.create_future()
        heapq.heappush(self._waiting, (priority, next(self._arrival), turn))
        if self._server is None:
            self._server = loop.create_task(self._serve())
        try:
            return await turn
        finally:
            turn.cancel()  # a no-op once served; a cancelled waiter is skipped

    async def _serve(self) -> None:
        """Give each turn when the window has room, to the first waiter at that moment."""
        starts, waiting = self._task_logs, self._waiting
        planned: float | None = None
        try:
            while True:
                while waiting and waiting[0][2].done():  # its caller was cancelled
                    heapq.heappop(waiting)
                if not waiting:
                    return
                now = time.monotonic()
                while starts and now - starts[0] > self.period:  # asyncio-throttle's flush()
                    starts.popleft()
                if len(starts) >= self.rate_limit:
                    planned = starts[-self.rate_limit] + self.period
                    await self._sleep(planned - now)
                    continue
                # Woken late by a busy event loop, the turn keeps to the plan by up to LATE_OK,
                # so that such delays do not add up over a long queue; the rest of the delay
                # is lost, so that calls held up by the loop never reach AWS in a burst: the
                # next one goes at most LATE_OK early, never a call more. Woken early (a turn
                # given back), or not asleep at all, the turn is given now.
                late_ok = min(LATE_OK, self.period / 4)
                stamp = now if planned is None or planned > now else max(planned, now - late_ok)
                planned = None
                starts.append(stamp)
                heapq.heappop(waiting)[2].set_result(stamp)
        finally:
            self._server = None
            for _, _, turn in waiting:  # only left on cancellation (the loop closing)
                turn.cancel()

    async def _sleep(self, delay: float) -> None:
        """asyncio.sleep that `give_back` can cut short."""
        loop = asyncio.get_running_loop()
        alarm = self._alarm = loop.create_future()
        ring = loop.call_later(delay, _ring, alarm)
        try:
            await alarm
        finally:
            ring.cancel()
            self._alarm = None

    def give_back(self, stamp: float) -> None:
        """The turn planned at ``stamp`` was not used: no request was sent (a paginator
        learns that it has no more pages without one). The window forgets it and the next
        waiter has it at once, instead of every listing's end costing its key a turn."""
        with contextlib.suppress(ValueError):
            self._task_logs.remove(stamp)
        if self._alarm is not None:
            _ring(self._alarm)

    async def restamp(self, stamp: float) -> float:
        """The call planned at ``stamp`` is being sent only now: it waited for a free slot
        after its turn. If that made it late, its turn is given back and the next free start
        is reserved for it directly (not behind callers still waiting for their turn, which
        would hold its slot longer), so that calls held up together never go out together:
        the window counts when calls are sent, not when their turn first came."""
        now = time.monotonic()
        if now - stamp <= min(LATE_OK, self.period / 4):
            return stamp
        starts = self._task_logs
        with contextlib.suppress(ValueError):
            starts.remove(stamp)
        while starts and now - starts[0] > self.period:
            starts.popleft()
        start = now
        if len(starts) >= self.rate_limit:
            start = max(now, starts[-self.rate_limit] + self.period)
        # Appended in order (``start`` is at or after every start held): ``take`` keeps
        # looking at the window and so waits behind this reservation.
        starts.append(start)
        if start > now:
            await asyncio.sleep(start - now)
        return start


def _ring(alarm: asyncio.Future[None]) -> None:
    if not alarm.done():
        alarm.set_result(None)


@dataclass
class RateState:
    configured: float
    current: float
    throttled: int = 0
    streak: int = 0


class Throttles:
    def __init__(
        self, cfg: ThrottleConfig, on_throttle: Callable[[], None] | None = None
    ) -> None:
        self._cfg = cfg
        self._throttlers: dict[Key, Throttler] = {}
        self._states: dict[Key, RateState] = {}
        self._on_throttle = on_throttle

    def rate(self, service: str) -> float:
        return self._cfg.rates.get(service, self._cfg.default_rate)

    def get(self, account_id: str, region: str, service: str) -> Throttler:
        key = (account_id, region, service)
        throttler = self._throttlers.get(key)
        if throttler is None:
            configured = self.rate(service)
            limit, period = _window(configured)
            throttler = Throttler(rate_limit=limit, period=period)
            self._throttlers[key] = throttler
            self._states[key] = RateState(configured, configured)
        return throttler

    def observe(self, account_id: str, region: str, service: str, error_code: str | None) -> None:
        """Called after every attempt of every call (botocore's needs-retry event)."""
        key = (account_id, region, service)
        throttler = self.get(*key)
        state = self._states[key]
        if error_code in THROTTLING_CODES:
            state.throttled += 1
            state.streak = 0
            state.current = max(MIN_RATE, state.current / 2)
            if self._on_throttle is not None:
                self._on_throttle()
        else:
            state.streak += 1
            if state.streak < RECOVER_AFTER or state.current >= state.configured:
                return
            state.streak = 0
            state.current = min(state.configured, state.current * RECOVER_FACTOR)
        throttler.rate_limit, throttler.period = _window(state.current)

    def states(self) -> dict[Key, RateState]:
        return dict(self._states)

    def adjusted(self) -> dict[Key, RateState]:
        """The keys that were throttled at least once, with their final rates."""
        return {k: s for k, s in self._states.items() if s.throttled}
