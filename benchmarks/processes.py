"""`inventory collect --processes N` and `--queue` workers on a CPU-bound scenario.

    python -m benchmarks.processes [--accounts 4] [--scale 1] [--repeat 2]
        [--modes processes,pg-processes,queue] [--pg postgresql://postgres@127.0.0.1:5432/test]
        [--quiet-below 0.3]

The scenario: ``--accounts`` accounts (an organization) x 2 regions with big collections
(``ITEMS``: ~10,000 resources per account at scale 1, 15 types), no latency and no rate limits
on either side, so the collector is bound by its own CPU: parsing, normalizing, writing.

The fake AWS endpoint (``FakeAWSProcess``) needs CPU too, on the same cores. It runs in its own
process with every response rendered and cached before the first run (``prewarm``): serving a
cached item then costs it ~0.03 ms against the collector's ~0.5 ms, and its CPU is measured
(``/_fake/stats``) and shown next to the collector's. PostgreSQL's server processes are
measured as well; SQLite works inside the collector's processes.

Each measurement is real ``python -m collector collect`` processes on a fresh database
(first-run inserts), timed from start to exit: imports, planning, worker start-up and
reconciliation included. 1 and 2 alternate (1, 2, 1, 2, ...) so that drift in the machine's
load hits both alike. The collector's CPU is the sum over its process trees (the forkserver's
workers included), sampled from /proc every 0.1 s. The machine's busy time comes from
/proc/stat: what other programs took while a run was going on is shown (``others``, in cores),
because on a shared 2-core machine it decides the result. ``--quiet-below CORES`` waits before
each run until other programs use less than that. ``--calibrate`` first measures the machine's
own ceiling: what two CPU-bound Python processes get done over one (2.0 on two idle,
independent cores; less where the vCPUs share a physical core or the host is busy).
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


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command name, parent pid, CPU seconds) of a process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text.rsplit(")", 1)[1].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def machine_busy_s() -> float:
    """CPU seconds the whole machine spent not idle (all cores)."""
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in parts]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK


def _processes() -> dict[int, tuple[str, int, float]]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (got := _stat(int(entry.name))) is not None:
            out[int(entry.name)] = got
    return out


class CPUSampler:
    """CPU of the process trees under ``roots`` and of the PostgreSQL server processes
    (``postgres``), sampled every ``interval`` until stopped (a process's last sample before
    it exits is what counts for it)."""

    def __init__(self, roots: list[int], interval: float = 0.1) -> None:
        self.roots = set(roots)
        self.interval = interval
        self.tree: dict[int, float] = {}
        self.postgres: dict[int, float] = {}
        self.postgres_base = {
            pid: cpu for pid, (name, _, cpu) in _processes().items() if name == "postgres"
        }
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        procs = _processes()
        tree = set(self.roots)
        changed = True
        while changed:
            changed = False
            for pid, (_, ppid, _) in procs.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    changed = True
        for pid, (name, _, cpu) in procs.items():
            if pid in tree:
                self.tree[pid] = max(self.tree.get(pid, 0.0), cpu)
            elif name == "postgres":
                self.postgres[pid] = max(self.postgres.get(pid, 0.0), cpu)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def stop(self) -> tuple[float, float]:
        """(CPU of the trees, CPU of PostgreSQL) in seconds."""
        self._stop.set()
        self._thread.join()
        self._sample()
        pg = sum(cpu - self.postgres_base.get(pid, 0.0) for pid, cpu in self.postgres.items())
        return sum(self.tree.values()), pg


def wait_until_quiet(threshold: float, limit: float) -> float:
    """Wait (up to ``limit`` s) until the machine's busy CPU over 3 s is under ``threshold``
    cores; returns the last reading."""
    deadline = time.monotonic() + limit
    while True:
        before = machine_busy_s()
        time.sleep(3)
        busy = (machine_busy_s() - before) / 3
        if busy <= threshold or time.monotonic() > deadline:
            return busy


# -- what two cores give on this machine ----------------------------------------------------


def _spin(n: int) -> float:
    """Pure-Python CPU work (JSON and hashing, like the collector's); returns its wall time."""
    import hashlib

    started = time.perf_counter()
    doc = json.dumps({"k": list(range(200)), "s": "abc" * 50})
    total = 0
    for _ in range(n):
        total += len(json.loads(doc)["k"]) + len(hashlib.sha256(doc.encode()).hexdigest())
    return time.perf_counter() - started


def calibrate(pairs: int = 3, n: int = 200_000) -> dict[str, Any]:
    """The machine's own ceiling: work/s of two CPU-bound processes over one (1 is 2.0 on
    two idle, independent cores; less where vCPUs share a core or the host is busy)."""
    import multiprocessing

    ratios = []
    ctx = multiprocessing.get_context("fork")  # a fresh, thread-free benchmark process
    with ctx.Pool(2) as pool:
        for _ in range(pairs):
            one = pool.apply(_spin, (n,))
            started = time.perf_counter()
            pool.map(_spin, [n, n])
            two = time.perf_counter() - started
            ratios.append(round(2 * one / two, 2))
    return {"two_process_speedup": statistics.median(ratios), "pairs": ratios}


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
    started = time.perf_counter()
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for c in commands
    ]
    sampler = CPUSampler([p.pid for p in procs])
    outputs = [p.communicate() for p in procs]
    wall = time.perf_counter() - started
    cpu, pg = sampler.stop()
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
    other = max(0.0, busy - cpu - srv - pg)
    return {
        "wall_s": round(wall, 2),
        "resources": resources,
        "resources_per_s": round(resources / wall, 1),
        "collector_cpu_s": round(cpu, 2),
        "fake_aws_cpu_s": round(srv, 2),
        "postgres_cpu_s": round(pg, 2),
        "other_programs_cpu_s": round(other, 2),
        "other_programs_cores": round(other / wall, 2),
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
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--modes",
        default="processes",
        help="comma-separated: processes (SQLite), pg-processes, queue (both need --pg)",
    )
    parser.add_argument("--pg", default=None, help="PostgreSQL server URL (a scratch database)")
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=None,
        metavar="CORES",
        help="before each run wait (up to 10 min) until other programs use fewer cores",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="first measure what 2 CPU-bound Python processes get here over 1 (the ceiling)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    modes = args.modes.split(",")
    if any(m != "processes" for m in modes) and not args.pg:
        parser.error("pg-processes and queue need --pg postgresql://...")
    sc = scenario(args.accounts, args.scale)
    result: dict[str, Any] = {
        "command": "python -m benchmarks.processes " + " ".join(argv or sys.argv[1:]),
        "accounts": len(sc.accounts),
        "regions": len(sc.regions),
        "cpus": os.cpu_count(),
        "runs": {},
    }
    scratch = f"inventory_bench_{secrets.token_hex(4)}"
    pg_db = ""
    if args.pg:
        from sqlalchemy.engine import make_url

        pg_db = make_url(args.pg).set(database=scratch).render_as_string(hide_password=False)

    def fresh(kind: str, tag: str, tmp: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp}/{tag}.db"
        asyncio.run(_admin(args.pg, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        asyncio.run(_admin(args.pg, f'CREATE DATABASE "{scratch}"'))
        return pg_db

    plans: list[tuple[str, str, int]] = []  # (label, database kind, N)
    for mode in modes:
        for n in (1, 2):
            if mode == "processes":
                plans.append((f"sqlite --processes {n}", "sqlite", n))
            elif mode == "pg-processes":
                plans.append((f"postgresql --processes {n}", "postgresql", n))
            elif mode == "queue":
                plans.append((f"postgresql {n} x --queue", "queue", n))
            else:
                parser.error(f"unknown mode {mode!r}")
    if args.calibrate:
        if args.quiet_below is not None:
            wait_until_quiet(args.quiet_below, 600)
        result["calibration"] = calibrate()
        log(f"calibration: {json.dumps(result['calibration'])}")
    log(f"prewarming the fake: {len(sc.accounts)} accounts x {len(sc.regions)} regions")
    try:
        with tempfile.TemporaryDirectory() as tmp, FakeAWSProcess(sc, prewarm=True) as fake:
            cfg = config(fake.url, Path(tmp) / "bench.toml")
            for rep in range(args.repeat):
                for label, kind, n in plans:
                    db = fresh("sqlite" if kind == "sqlite" else "pg", f"{kind}{n}-{rep}", tmp)
                    if args.quiet_below is not None:
                        busy = wait_until_quiet(args.quiet_below, 600)
                        log(f"machine busy before the run: {busy:.2f} cores")
                    log(f"run {rep + 1}/{args.repeat}: {label}")
                    if kind == "queue":
                        cmds = [collect_cmd(cfg, db, "--queue") for _ in range(n)]
                    else:
                        cmds = [collect_cmd(cfg, db, "--processes", str(n))]
                    run = timed(cmds, fake)
                    result["runs"].setdefault(label, []).append(run)
                    log(f"  {json.dumps(run)}")
    finally:
        if args.pg:
            asyncio.run(_admin(args.pg, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
    summary: dict[str, Any] = {}
    for label, runs in result["runs"].items():
        best = max(runs, key=lambda r: r["resources_per_s"])
        summary[label] = {
            "median_resources_per_s": round(
                statistics.median(r["resources_per_s"] for r in runs), 1
            ),
            "best_resources_per_s": best["resources_per_s"],
            "other_programs_cores_in_best": best["other_programs_cores"],
        }
    for label in list(summary):
        if label.endswith(("--processes 2", "2 x --queue")):
            one = label.replace("--processes 2", "--processes 1").replace("2 x", "1 x")
            if one in summary:
                for key in ("median", "best"):
                    summary[label][f"{key}_speedup"] = round(
                        summary[label][f"{key}_resources_per_s"]
                        / summary[one][f"{key}_resources_per_s"],
                        2,
                    )
    result["summary"] = summary
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['command']}")
    print(
        f"{result['accounts']} accounts x {result['regions']} regions, {result['cpus']} CPUs; "
        "CPU columns in seconds; 'others' = other programs on the machine, in cores"
    )
    head = (
        f"{'run':<28}{'wall s':>8}{'res/s':>9}{'collector':>11}{'fake aws':>10}"
        f"{'postgres':>10}{'others':>8}"
    )
    if "calibration" in result:
        c = result["calibration"]
        print(
            f"calibration: 2 CPU-bound Python processes do {c['two_process_speedup']}x the work "
            f"of 1 on this machine (pairs: {c['pairs']})"
        )
    print(head)
    print("-" * len(head))
    for label, runs in result["runs"].items():
        for r in runs:
            print(
                f"{label:<28}{r['wall_s']:>8.2f}{r['resources_per_s']:>9.1f}"
                f"{r['collector_cpu_s']:>11.2f}{r['fake_aws_cpu_s']:>10.2f}"
                f"{r['postgres_cpu_s']:>10.2f}{r['other_programs_cores']:>8.2f}"
            )
    print()
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
