"""Request rates per (account, region, service), waited on before every page."""

from __future__ import annotations

from asyncio_throttle.throttler import Throttler

from collector.config import ThrottleConfig


def _window(rate: float) -> tuple[int, float]:
    # asyncio-throttle counts whole requests in a sliding window; express fractional rates
    # as one request per longer window.
    if rate >= 1:
        return round(rate), 1.0
    return 1, 1.0 / rate


class Throttles:
    def __init__(self, cfg: ThrottleConfig) -> None:
        self._cfg = cfg
        self._throttlers: dict[tuple[str, str, str], Throttler] = {}

    def rate(self, service: str) -> float:
        return self._cfg.rates.get(service, self._cfg.default_rate)

    def get(self, account_id: str, region: str, service: str) -> Throttler:
        key = (account_id, region, service)
        throttler = self._throttlers.get(key)
        if throttler is None:
            limit, period = _window(self.rate(service))
            throttler = Throttler(rate_limit=limit, period=period)
            self._throttlers[key] = throttler
        return throttler
