"""`inventory collect --processes N` (and `--queue` workers) on the CPU-bound scenario.

    python -m benchmarks.processes [--accounts 8] [--processes 1,2] [--repeat 2]
                                   [--queue-db postgresql://postgres@127.0.0.1:5432/test]

The scenario is ``benchmarks/scenarios/large.toml`` cut to ``--accounts`` accounts x 17
regions (~3,200 resources per account), with no latency and no rate limits, so the collector
is bound by its own CPU (parsing, normalizing, writing SQLite). The fake AWS endpoint runs in
its own process with every response rendered and cached before the first run (``--prewarm``):
it then spends ~0.01 ms per item, a few % of the collector's CPU, and its CPU is measured
(``/_fake/stats``) and reported next to the collector's.

Each measurement is one real ``python -m collector collect`` process (fresh SQLite database,
first-run inserts), timed from start to exit: imports, planning, worker start-up,
reconciliation all included. Runs of different N alternate (1, 2, 1, 2, ...) so that drift in
the machine's background load hits both alike. The collector's CPU is the sum over its whole
process tree (the forkserver's workers included), sampled from /proc every 0.1 s; the
machine's busy CPU comes from /proc/stat, so what other programs took is visible too.

With ``--queue-db``, two ``collect --queue`` workers (one process each) are also timed against
that PostgreSQL server (a scratch database is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/processes.py` from a checkout
    sys.path.insert(0, str(ROOT))

from benchmarks.fakeaws import FakeAWSProcess, Scenario  # noqa: E402


TICK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Per (account, region) for regional types, per account for global ones: big collections, so
# that the work is parsing and storing items rather than making calls and clients.
ITEMS = {
    "AWS::EC2::Instance": 1000, "AWS::EC2::Volume": 1200, "AWS::EC2::NetworkInterface": 1000,
    "AWS::EC2::SecurityGroup": 400, "AWS::EC2::Snapshot": 400, "AWS::EC2::Subnet": 200,
    "AWS::EC2::VPC": 20, "AWS::EC2::RouteTable": 100, "AWS::Lambda::Function": 200,
    "AWS::SQS::Queue": 100, "AWS::DynamoDB::Table": 50, "AWS::SNS::Topic": 100,
    "AWS::IAM::Role": 400, "AWS::IAM::User": 200, "AWS::S3::Bucket": 100,
}  # fmt: skip
REGIONS = ["us-east-1", "eu-west-1"]


def scenario(accounts: int, scale: float) -> Scenario:
    return Scenario.simple(
        members=accounts - 1,
        regions=REGIONS,
        items={t: max(1, round(n * scale)) for t, n in ITEMS.items()},
        throttle={},
        latency_ms=0.0,
    )


def config(url: str, path: Path) -> Path:
    types = ", ".join(f'"{t}"' for t in sorted(ITEMS))
    path.write_text(
        f'[aws]\nendpoint_url = "{url}"\n[accounts]\nsource = "organizations"\n'
        f"[resources]\ninclude = [{types}]\n"
        # No client-side limits either: the fake has none, this measures CPU.
        "[throttle]\ndefault_rate = 10000\nrates = { ec2 = 10000 }\n"
    )
    return path


# -- CPU accounting ---------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def machine_busy_s() -> float:
    """CPU seconds the whole machine spent not idle (all cores)."""
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in parts]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK


class TreeCPU:
    """Sum of the CPU of a process and all its descendants, sampled until they exit."""

    def __init__(self, root: int, interval: float = 0.1) -> None:
        self.root = root
        self.interval = interval
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        parents: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                got = _stat(int(entry.name))
                if got is not None:
                    parents[int(entry.name)], cpu[int(entry.name)] = got
        tree = {self.root}
        changed = True
        while changed:
            changed = False
            for pid, ppid in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    changed = True
        for pid in tree:
            if pid in cpu:
                self.seen[pid] = max(self.seen.get(pid, 0.0), cpu[pid])

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return sum(self.seen.values())


# -- runs -------------------------------------------------------------------------------------


def server_cpu(fake: FakeAWSProcess) -> float:
    return float(fake.stats_json()["process_cpu_s"])


def timed(commands: list[list[str]], fake: FakeAWSProcess) -> dict[str, Any]:
    """Start the commands together; wall until the last exits, CPU of their trees."""
    env = dict(os.environ)
    env.setdefault("AWS_ACCESS_KEY_ID", "AKIAFAKEMANAGEMENT00")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "fake")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    srv0, busy0 = server_cpu(fake), machine_busy_s()
    load0 = os.getloadavg()[0]
    started = time.perf_counter()
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for c in commands
    ]
    trees = [TreeCPU(p.pid) for p in procs]
    outputs = [p.communicate() for p in procs]
    wall = time.perf_counter() - started
    cpu = sum(t.stop() for t in trees)
    busy = machine_busy_s() - busy0
    srv = server_cpu(fake) - srv0
    for p, (_, err) in zip(procs, outputs, strict=True):
        if p.returncode != 0:
            raise RuntimeError(f"collect failed ({p.returncode}):\n{err[-3000:]}")
    finished = [
        json.loads(line)
        for out, err in outputs
        for line in (out + err).splitlines()
        if '"run_finished"' in line
    ]
    resources = max(f["resources"] for f in finished)
    return {
        "wall_s": round(wall, 2),
        "resources": resources,
        "resources_per_s": round(resources / wall, 1),
        "collector_cpu_s": round(cpu, 2),
        "server_cpu_s": round(srv, 2),
        "other_cpu_s": round(max(0.0, busy - cpu - srv), 2),
        "machine_busy_s": round(busy, 2),
        "load_avg_1m_at_start": round(load0, 2),
    }


def collect_cmd(cfg: Path, db: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "collector", "collect", "-c", str(cfg), "--db", db,
            "--log-format", "json", *extra]  # fmt: skip


async def _admin(server: str, sql: str) -> None:
    from sqlalchemy import text

    from collector.store import make_engine

    engine = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=4)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the item counts")
    parser.add_argument("--processes", default="1,2", help="comma-separated N values")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--queue-db", default=None, help="PostgreSQL server URL for --queue")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.processes.split(",")]
    sc = scenario(args.accounts, args.scale)
    result: dict[str, Any] = {
        "accounts": len(sc.accounts),
        "regions": len(sc.regions),
        "cpus": os.cpu_count(),
        "runs": {},
    }
    log(f"prewarming the fake: {len(sc.accounts)} accounts x {len(sc.regions)} regions")
    with tempfile.TemporaryDirectory() as tmp, FakeAWSProcess(sc, prewarm=True) as fake:
        cfg = config(fake.url, Path(tmp) / "bench.toml")
        for rep in range(args.repeat):
            for n in counts:
                db = f"sqlite:///{tmp}/p{n}-{rep}.db"
                log(f"run {rep + 1}/{args.repeat}: --processes {n}")
                run = timed([collect_cmd(cfg, db, "--processes", str(n))], fake)
                result["runs"].setdefault(f"processes={n}", []).append(run)
                log(f"  {json.dumps(run)}")
        if args.queue_db:
            from sqlalchemy.engine import make_url

            name = f"inventory_bench_{secrets.token_hex(4)}"
            asyncio.run(_admin(args.queue_db, f'CREATE DATABASE "{name}"'))
            db = make_url(args.queue_db).set(database=name).render_as_string(hide_password=False)
            try:
                for rep in range(args.repeat):
                    for n in (1, 2):
                        asyncio.run(_admin(args.queue_db, f'DROP DATABASE "{name}" WITH (FORCE)'))
                        asyncio.run(_admin(args.queue_db, f'CREATE DATABASE "{name}"'))
                        log(f"run {rep + 1}/{args.repeat}: {n} --queue worker(s) on PostgreSQL")
                        cmds = [collect_cmd(cfg, db, "--queue") for _ in range(n)]
                        run = timed(cmds, fake)
                        result["runs"].setdefault(f"queue_workers={n}", []).append(run)
                        log(f"  {json.dumps(run)}")
            finally:
                asyncio.run(_admin(args.queue_db, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    summary: dict[str, Any] = {}
    for key, runs in result["runs"].items():
        summary[key] = {
            "median_resources_per_s": round(statistics.median(r["resources_per_s"] for r in runs), 1),
            "median_wall_s": round(statistics.median(r["wall_s"] for r in runs), 2),
        }
    base = summary.get("processes=1", {}).get("median_resources_per_s")
    for key, s in summary.items():
        if base:
            s["speedup_vs_1_process"] = round(s["median_resources_per_s"] / base, 2)
    qbase = summary.get("queue_workers=1", {}).get("median_resources_per_s")
    if qbase and "queue_workers=2" in summary:
        summary["queue_workers=2"]["speedup_vs_1_worker"] = round(
            summary["queue_workers=2"]["median_resources_per_s"] / qbase, 2
        )
    result["summary"] = summary
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    head = f"{'run':<18}{'wall s':>8}{'res/s':>9}{'coll CPU':>10}{'srv CPU':>9}{'other CPU':>11}{'load':>6}"
    print(f"{result['accounts']} accounts x {result['regions']} regions, {result['cpus']} CPUs")
    print(head)
    print("-" * len(head))
    for key, runs in result["runs"].items():
        for r in runs:
            print(
                f"{key:<18}{r['wall_s']:>8.2f}{r['resources_per_s']:>9.1f}"
                f"{r['collector_cpu_s']:>10.2f}{r['server_cpu_s']:>9.2f}"
                f"{r['other_cpu_s']:>11.2f}{r['load_avg_1m_at_start']:>6.2f}"
            )
    print()
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
