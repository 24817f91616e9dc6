"""``python -m benchmarks.fakeaws --scenario FILE [--host H] [--port N] [--prewarm]``.

Prints ``FAKEAWS_URL=http://host:port`` once it accepts requests; stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .runner import READY_PREFIX
from .scenario import Scenario
from .server import FakeAWS


async def serve(scenario: Scenario, host: str, port: int, prewarm: bool) -> None:
    fake = FakeAWS(scenario, host, port)
    if prewarm:
        n = fake.world.prewarm()
        print(f"prewarmed {n} items", file=sys.stderr, flush=True)
    await fake.start()
    print(f"{READY_PREFIX}{fake.url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await fake.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.fakeaws", description=__doc__)
    ap.add_argument("--scenario", help="scenario file (.toml or .json); default: a small world")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--prewarm", action="store_true", help="render every item before serving")
    args = ap.parse_args(argv)
    scenario = Scenario.load(args.scenario) if args.scenario else Scenario()
    asyncio.run(serve(scenario, args.host, args.port, args.prewarm))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
