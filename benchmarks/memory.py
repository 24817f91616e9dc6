"""Peak RSS and wall of whole collector runs, to compare two trees (or allocator settings).

    python -m benchmarks.memory --scenario instances --repeat 2 --root /tmp/before --root .
    python -m benchmarks.memory --scenario cpu --accounts 40 --root /tmp/before --root .
    python -m benchmarks.memory --scenario instances --env MALLOC_ARENA_MAX=2

Each run is ``benchmarks.collect_once`` in its own process, imported from ``--root`` (a
checkout: ``git worktree add /tmp/before HEAD~1``), against one fake endpoint started once;
the roots take turns (A, B, A, B, ...) so that drift on the machine hits them alike.

* ``instances``: ``--accounts`` (8) accounts x 8 regions x 2,000 EC2 instances, the instances
  only, 16 calls in flight: big pages (1,000 instances), many jobs holding them.
* ``cpu``: the CPU-bound scenario of ``run.py`` (~3,200 small resources per account).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.fakeaws.runner import FakeAWSProcess
from benchmarks.fakeaws.scenario import Scenario
from benchmarks.orgs import ALL_REGIONS, cpu_scenario

UNLIMITED = {"throttle": {"default_rate": 10_000, "rates": {"ec2": 10_000}}}
KEPT = ("wall_s", "cpu_s", "peak_rss_mb", "rss_quarters_mb", "resources")


def scenario_and_config(name: str, accounts: int) -> tuple[Scenario, dict[str, Any]]:
    if name == "cpu":
        return cpu_scenario(accounts - 1), dict(UNLIMITED)
    scenario = Scenario.simple(
        members=accounts - 1, regions=ALL_REGIONS[:8], items={"AWS::EC2::Instance": 2000}
    )
    return scenario, {
        **UNLIMITED,
        "collect": {"max_concurrency": 16, "account_concurrency": 8},
        "resources": {"include": ["AWS::EC2::Instance"]},
    }


def run_once(url: str, root: Path, config: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    db = Path(tempfile.mkdtemp()) / "inventory.db"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.collect_once", "--url", url,
         "--db", f"sqlite:///{db}", "--config", json.dumps(config)],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root), **env},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"collect_once failed in {root}:\n{proc.stderr[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {k: out.get(k) for k in KEPT}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=("instances", "cpu"), default="instances")
    parser.add_argument("--accounts", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--root", action="append", type=Path, help="tree to run (repeatable)")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for every run")
    args = parser.parse_args(argv)
    roots = [r.resolve() for r in (args.root or [Path(__file__).resolve().parent.parent])]
    env = dict(item.split("=", 1) for item in args.env)
    scenario, config = scenario_and_config(args.scenario, args.accounts)
    results: dict[str, list[dict[str, Any]]] = {str(r): [] for r in roots}
    with FakeAWSProcess(scenario, prewarm=True) as fake:
        for n in range(args.repeat):
            for root in roots:
                result = run_once(fake.url, root, config, env)
                fake.reset()
                results[str(root)].append(result)
                print(f"{root} #{n + 1}: {json.dumps(result)}", flush=True)
    if len(roots) == 2:
        (a, b) = (results[str(r)] for r in roots)
        for key in ("peak_rss_mb", "wall_s"):
            ratios = [round(y[key] / x[key], 3) for x, y in zip(a, b, strict=True)]
            print(f"{key} second/first root, per pair: {ratios}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
