"""Request rates per (account, region, service), waited on before every page.

The rates are adaptive: when AWS answers with a throttling error the key's rate is halved, and
after a run of unthrottled calls it climbs back by a fifth, never above the configured rate.
botocore's own retries (standard/adaptive mode) handle the individual throttled call; this keeps
the next ones from hitting the same wall.

A limit is asyncio-throttle's sliding window (at most ``rate_limit`` calls start in any
``period``) without its polling: asyncio-throttle's waiters each wake every ``retry_interval``
(10 ms) to look at the window, which costs CPU in proportion to the number of waiters and
rounds every wait up to the next poll. Here waiters queue (first come, first served) and only
the head of the queue sleeps, once, until the window has room.
"""

from __future__ import annotations

import asyncio
import contextlib
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


def _window(rate: float) -> tuple[int, float]:
    # One request per 1/rate seconds rather than `rate` requests per second: asyncio-throttle
    # counts acquisitions in a sliding window, and a burst of `rate` acquisitions sent late by
    # a busy event loop would reach AWS as up to twice the rate. Even spacing cannot bunch.
    return 1, 1.0 / rate


class Throttler(SlidingWindow):
    """asyncio-throttle's sliding window, with waiters queued instead of polling."""

    def __init__(self, rate_limit: int, period: float = 1.0, retry_interval: float = 0.01):
        super().__init__(rate_limit, period, retry_interval)
        self._queue = asyncio.Lock()  # FIFO: only the head of the queue waits on the clock

    async def acquire(self) -> None:
        await self.take()

    async def take(self) -> float:
        """Wait for this key's turn; the start time the call is planned at."""
        async with self._queue:
            starts = self._task_logs
            planned = time.monotonic()
            while True:
                now = time.monotonic()
                while starts and now - starts[0] > self.period:  # asyncio-throttle's flush()
                    starts.popleft()
                if len(starts) < self.rate_limit:
                    break
                planned = starts[-self.rate_limit] + self.period
                await asyncio.sleep(planned - now)
            # Woken a little late by a busy event loop (up to LATE_OK), the next caller keeps
            # to the plan, so that such delays do not add up over a long queue; later than
            # that, it is spaced from when this call really starts, so that calls held up by
            # the loop never reach AWS in a burst: at most LATE_OK early, never a call more.
            now = time.monotonic()
            late_ok = min(LATE_OK, self.period / 4)
            stamp = planned if now - planned <= late_ok else now
            starts.append(stamp)
            return stamp

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
