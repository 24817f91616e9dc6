"""Wall time, CPU time and memory of a block of code in this process.

    with Measured() as m:
        ...
    m.result()  # {"wall_s", "cpu_s", "peak_rss_mb", "rss_mb": [quartile samples...]}

CPU is the whole process (every thread: the SQLite worker thread counts). Peak RSS is the
kernel's high-water mark for the process; a sampler thread also reads the current RSS every
0.2 s, so that a caller can tell a flat profile from a growing one.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from types import TracebackType
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE / 2**20
    except OSError:  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Measured:
    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="rss-sampler", daemon=True)
        self.wall = self.cpu = 0.0
        self.rss_before = 0.0

    def _sample(self) -> None:
        start = time.perf_counter()
        while not self._stop.wait(self.interval):
            self.samples.append((time.perf_counter() - start, rss_mb()))

    def __enter__(self) -> Measured:
        self.rss_before = rss_mb()
        self._wall0 = time.perf_counter()
        self._cpu0 = cpu_s()
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.wall = time.perf_counter() - self._wall0
        self.cpu = cpu_s() - self._cpu0
        self._stop.set()
        self._thread.join()
        self.samples.append((self.wall, rss_mb()))

    def quartiles(self) -> list[float]:
        """Highest RSS seen in each quarter of the run (MB): flat means no accumulation."""
        out: list[float] = []
        for q in range(4):
            lo, hi = self.wall * q / 4, self.wall * (q + 1) / 4
            inside = [r for t, r in self.samples if lo <= t <= hi]
            out.append(round(max(inside), 1) if inside else float("nan"))
        return out

    def result(self) -> dict[str, Any]:
        return {
            "wall_s": round(self.wall, 3),
            "cpu_s": round(self.cpu, 3),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "rss_before_mb": round(self.rss_before, 1),
            "rss_quarters_mb": self.quartiles(),
        }
