"""Request rates per (account, region, service), waited on before every page.

The rates are adaptive: when AWS answers with a throttling error the key's rate is halved, and
after a run of unthrottled calls it climbs back by a fifth, never above the configured rate.
botocore's own retries (standard/adaptive mode) handle the individual throttled call; this keeps
the next ones from hitting the same wall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from asyncio_throttle.throttler import Throttler

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

Key = tuple[str, str, str]


def _window(rate: float) -> tuple[int, float]:
    # asyncio-throttle counts whole requests in a sliding window; express fractional rates
    # as one request per longer window.
    if rate >= 1:
        return round(rate), 1.0
    return 1, 1.0 / rate


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
