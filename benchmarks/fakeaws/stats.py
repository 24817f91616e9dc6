"""Counters the fake keeps about the traffic it saw."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

OpKey = tuple[str, str, str, str]  # account, region, service, operation
ScopeKey = tuple[str, str, str]  # account, region, service


@dataclass
class OpStats:
    calls: int = 0
    throttled: int = 0
    errors: int = 0  # every error response, throttles included
    items: int = 0  # items returned by list operations
    max_chain: int = 0  # longest chain of pages (1 = a single page)


@dataclass
class Stats:
    ops: dict[OpKey, OpStats] = field(default_factory=dict)
    max_rate: dict[ScopeKey, int] = field(default_factory=dict)  # max requests in any 1 s
    started: float = field(default_factory=time.monotonic)
    _windows: dict[ScopeKey, deque[float]] = field(default_factory=dict, repr=False)

    def op(self, key: OpKey) -> OpStats:
        s = self.ops.get(key)
        if s is None:
            s = self.ops[key] = OpStats()
        return s

    def hit(self, scope: ScopeKey, now: float) -> None:
        w = self._windows.get(scope)
        if w is None:
            w = self._windows[scope] = deque()
        w.append(now)
        edge = now - 1.0
        while w[0] <= edge:
            w.popleft()
        if len(w) > self.max_rate.get(scope, 0):
            self.max_rate[scope] = len(w)

    def reset(self) -> None:
        self.ops.clear()
        self.max_rate.clear()
        self._windows.clear()
        self.started = time.monotonic()

    def _sum(self, attr: str, **match: str | None) -> int:
        names = ("account", "region", "service", "operation")
        total = 0
        for key, s in self.ops.items():
            if all(match.get(n) in (None, key[i]) for i, n in enumerate(names)):
                total += getattr(s, attr)
        return total

    def calls(
        self,
        account: str | None = None,
        region: str | None = None,
        service: str | None = None,
        operation: str | None = None,
    ) -> int:
        return self._sum(
            "calls", account=account, region=region, service=service, operation=operation
        )

    def throttled(
        self,
        account: str | None = None,
        region: str | None = None,
        service: str | None = None,
        operation: str | None = None,
    ) -> int:
        return self._sum(
            "throttled", account=account, region=region, service=service, operation=operation
        )

    def items(
        self,
        account: str | None = None,
        region: str | None = None,
        service: str | None = None,
        operation: str | None = None,
    ) -> int:
        return self._sum(
            "items", account=account, region=region, service=service, operation=operation
        )

    def signed_regions(
        self,
        service: str | None = None,
        operation: str | None = None,
        account: str | None = None,
    ) -> set[str]:
        """The regions calls were signed for (their SigV4 credential scope)."""
        match = (account, None, service, operation)
        return {
            key[1]
            for key, s in self.ops.items()
            if s.calls and all(m in (None, k) for m, k in zip(match, key, strict=True))
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "ops": [
                {"account": a, "region": r, "service": s, "operation": o, **asdict(v)}
                for (a, r, s, o), v in sorted(self.ops.items())
            ],
            "max_rate": [
                {"account": a, "region": r, "service": s, "max_rate_1s": v}
                for (a, r, s), v in sorted(self.max_rate.items())
            ],
            "totals": {
                "calls": self.calls(),
                "throttled": self.throttled(),
                "items": self.items(),
                "errors": self._sum("errors"),
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stats:
        st = cls()
        for row in data["ops"]:
            key = (row["account"], row["region"], row["service"], row["operation"])
            st.ops[key] = OpStats(
                **{k: row[k] for k in ("calls", "throttled", "errors", "items", "max_chain")}
            )
        for row in data["max_rate"]:
            st.max_rate[(row["account"], row["region"], row["service"])] = row["max_rate_1s"]
        return st
