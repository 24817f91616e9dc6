"""Running the fake outside the caller's event loop: in a thread or in another process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.request
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from .scenario import Scenario
from .server import FakeAWS
from .stats import Stats

READY_PREFIX = "FAKEAWS_URL="


class FakeAWSThread:
    """The fake on its own event loop in a daemon thread (for sync tests)."""

    def __init__(self, scenario: Scenario | None = None, host: str = "127.0.0.1", port: int = 0):
        self.fake = FakeAWS(scenario, host, port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.fake.url

    def start(self) -> FakeAWSThread:
        started: Future[None] = Future()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self.fake.start())
            except BaseException as e:
                started.set_exception(e)
                loop.close()
                return
            started.set_result(None)
            loop.run_forever()
            loop.run_until_complete(self.fake.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="fakeaws", daemon=True)
        self._thread.start()
        started.result(timeout=30)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._loop = None
            self._thread = None

    def _call(self, fn: Any) -> Any:
        assert self._loop is not None, "not started"

        async def run() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=30)

    def stats(self) -> Stats:
        return Stats.from_json(self._call(self.fake.stats.to_json))

    def stats_json(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call(self.fake.stats_json)
        return result

    def reset(self) -> None:
        self._call(self.fake.reset)

    def __enter__(self) -> FakeAWSThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class FakeAWSProcess:
    """The fake in a child process (``python -m benchmarks.fakeaws``), so its CPU is its own."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        prewarm: bool = False,
    ):
        self.scenario = scenario or Scenario()
        self.host = host
        self.port = port
        self.prewarm = prewarm
        self.url = ""
        self._proc: subprocess.Popen[str] | None = None
        self._file: str | None = None

    def start(self) -> FakeAWSProcess:
        fd, self._file = tempfile.mkstemp(suffix=".json", prefix="fakeaws-")
        with os.fdopen(fd, "w") as fh:
            json.dump(self.scenario.to_dict(), fh)
        cmd = [sys.executable, "-m", "benchmarks.fakeaws", "--scenario", self._file]
        cmd += ["--host", self.host, "--port", str(self.port)]
        if self.prewarm:
            cmd.append("--prewarm")
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.startswith(READY_PREFIX):
                self.url = line[len(READY_PREFIX) :].strip()
                break
        else:
            raise RuntimeError(f"fakeaws exited with {self._proc.wait()}")
        return self

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc = None
        if self._file:
            Path(self._file).unlink(missing_ok=True)
            self._file = None

    def stats_json(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/_fake/stats", timeout=30) as r:
            data: dict[str, Any] = json.load(r)
        return data

    def stats(self) -> Stats:
        return Stats.from_json(self.stats_json())

    def reset(self) -> None:
        req = urllib.request.Request(f"{self.url}/_fake/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=30):
            pass

    def __enter__(self) -> FakeAWSProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
