"""The measured runs of ``run.py``: each scenario's fake endpoint, the collector (and its peers or
the SDK floor) in child processes, and what the fake counted (calls, the latency bound)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import awslistall, calls, plain
from benchmarks.fakeaws import FakeAWSProcess, Scenario
from benchmarks.orgs import (
    LATENCY_MS,
    all_regions_scenario,
    cpu_scenario,
    latency_scenario,
    wide_scenario,
)

ROOT = Path(__file__).resolve().parents[1]
UNLIMITED = {"throttle": {"default_rate": 10_000, "rates": {"ec2": 10_000}}}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- children --------------------------------------------------------------------------------


def child(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m module args``; its last stdout line is JSON. Adds its process wall."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True, text=True, env=env, cwd=str(ROOT), check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{module} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = round(wall, 3)
    return out


def collect(url: str, tmp: Path, name: str, config: dict[str, Any]) -> dict[str, Any]:
    db = f"sqlite:///{tmp / (name + '.db')}"
    return child("benchmarks.collect_once", "--url", url, "--db", db, "--config",
                 json.dumps(config))  # fmt: skip


def server_cpu(fake: FakeAWSProcess) -> float:
    return float(fake.stats_json()["process_cpu_s"])


def collector_run(
    fake: FakeAWSProcess, scenario: Scenario, tmp: Path, name: str, config: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One measured collector run on a fresh fake count; returns it and the fake's stats.
    ``run["calls"]`` holds calls against calls_min (``benchmarks/calls.py``)."""
    fake.reset()
    cpu0 = server_cpu(fake)
    run = collect(fake.url, tmp, name, config)
    stats = fake.stats_json()
    run["server_cpu_s"] = round(float(stats["process_cpu_s"]) - cpu0, 3)
    run["api_calls"] = stats["totals"]["calls"]
    run["throttled"] = stats["totals"]["throttled"]
    run["resources_per_s"] = round(run["resources"] / run["wall_s"], 1)
    run["calls"] = calls.compare(stats, scenario)
    return run, stats


# -- the latency bound -----------------------------------------------------------------------


def critical_path(
    stats: dict[str, Any], scenario: Scenario, cpu_s: float | None = None
) -> dict[str, Any]:
    """max(longest chain of dependent calls x latency, calls on the busiest bucket / refill,
    the run's CPU seconds): the issue's max(critical path, per-key rate limits, CPU). The CPU
    term is the collector's own (one event loop: a run cannot take less wall than its CPU);
    how that CPU compares with the SDK's is cpu_floor_ratio's business."""
    latency = scenario.latency_ms / 1000.0
    with_details = {}
    for rtype in plain.core_types():
        api = rtype.operation.replace("_", "")
        with_details[(rtype.service, api)] = bool(rtype.details)
    ops = stats["ops"]

    def chain_of(service: str, operation: str) -> int:
        return max((o["max_chain"] for o in ops if (o["service"], o["operation"]) ==
                    (service, operation)), default=0)  # fmt: skip

    # Setup before any listing: who am I, the organization's accounts (paged), AssumeRole,
    # the account's enabled regions. Then the longest listing: its pages, then one round of
    # detail calls (each item's details depend on that item only).
    setup = 1 + max(1, chain_of("organizations", "ListAccounts")) + 1 + 1
    longest, longest_op = 0, ""
    for o in ops:
        key = (o["service"], o["operation"].lower())
        if key in with_details:
            length = o["max_chain"] + (1 if with_details[key] else 0)
            if length > longest:
                longest, longest_op = length, f"{o['service']}:{o['operation']}"
    chain = setup + longest
    per_key: dict[tuple[str, str, str], int] = {}
    for o in ops:
        scope = (o["account"], o["region"], o["service"])
        per_key[scope] = per_key.get(scope, 0) + o["calls"] - o["throttled"]
    rate_bound, busiest = 0.0, ""
    for (account, region, service), n in per_key.items():
        bucket = scenario.throttle.get(service)
        if bucket is None:
            continue
        seconds = n / bucket.refill_per_s
        if seconds > rate_bound:
            rate_bound, busiest = seconds, f"{account}/{region}/{service}: {n} calls"
    chain_bound = chain * latency
    return {
        "bound_s": round(max(chain_bound, rate_bound, cpu_s or 0.0), 3),
        "cpu_bound_s": cpu_s,
        "chain_calls": chain,
        "chain_bound_s": round(chain_bound, 3),
        "longest_listing": longest_op,
        "rate_bound_s": round(rate_bound, 3),
        "busiest_bucket": busiest,
    }


# -- the runs --------------------------------------------------------------------------------


def describe(scenario: Scenario, what: str) -> str:
    n = len(scenario.accounts)
    accounts = "1 account" if n == 1 else f"{n} accounts"
    lat = f", {scenario.latency_ms:.0f} ms" if scenario.latency_ms else ", 0 ms"
    limits = ", AWS-like rate limits" if scenario.throttle else ", no rate limits"
    return f"{what}: {accounts} x {len(scenario.regions)} regions{lat}{limits}"


def run_org(
    members: int,
    regions: int,
    tmp: Path,
    peers: bool,
    seq_sample: int | None = None,
    ala_sample: int = 1,
) -> dict[str, Any]:
    """The collector on a latency-bound organization, then (``peers``) its peers on it.

    Both peers go account after account over identical accounts, so their time is linear in
    the number of accounts: runs too long for the time at hand are measured on a sample of
    accounts and scaled (``accounts_run`` in the output).
    """
    scenario = latency_scenario(members, regions)
    accounts = [a.id for a in scenario.accounts]
    out: dict[str, Any] = {"accounts": len(accounts), "regions": regions,
                           "latency_ms": LATENCY_MS,
                           "scenario": describe(scenario, "latency")}  # fmt: skip
    with FakeAWSProcess(scenario, prewarm=True) as fake:
        log(f"latency: collector, {len(accounts)} accounts x {regions} regions")
        run, stats = collector_run(fake, scenario, tmp, f"latency{len(accounts)}", {})
        bound = critical_path(stats, scenario, run.get("cpu_s"))
        out["collector"] = run
        out["bound"] = bound
        out["latency_ratio"] = round(run["wall_s"] / bound["bound_s"], 3)
        if not peers:
            return out
        fake.reset()
        log(f"peers: sequential boto3 loop ({seq_sample or len(accounts)} accounts)")
        cpu0 = server_cpu(fake)
        args = ["--url", fake.url] + (["--sample", str(seq_sample)] if seq_sample else [])
        seq = child("benchmarks.sequential", *args)
        stats = fake.stats_json()
        seq["server_cpu_s"] = round(float(stats["process_cpu_s"]) - cpu0, 3)
        seq["api_calls"] = stats["totals"]["calls"]
        seq["org_wall_s"] = round(seq["process_wall_s"] * len(accounts) / seq["accounts_run"], 2)
        out["sequential"] = seq
        out["vs_sequential"] = round(seq["org_wall_s"] / run["process_wall_s"], 2)
        fake.reset()
        log(f"peers: aws-list-all, account after account ({ala_sample} accounts)")
        try:
            cpu0 = server_cpu(fake)
            ala = awslistall.run(fake.url, accounts[-ala_sample:], scenario.regions)
            stats = fake.stats_json()
            ala["server_cpu_s"] = round(float(stats["process_cpu_s"]) - cpu0, 3)
            ala["api_calls"] = stats["totals"]["calls"]
            ala["org_wall_s"] = round(ala["per_account_s"] * len(accounts), 2)
            out["aws_list_all"] = ala
            out["vs_aws_list_all"] = round(ala["org_wall_s"] / run["process_wall_s"], 2)
        except (OSError, subprocess.CalledProcessError) as e:
            out["aws_list_all"] = {"error": f"could not install or run aws-list-all: {e}"}
            out["vs_aws_list_all"] = None
    return out


def run_latency_and_peers(quick: bool, tmp: Path, only: set[str]) -> dict[str, Any]:
    """Quick: one 3-account org (the peers too, if asked). Full: the latency ratio on a
    5-account org (small enough to stay latency-bound on one core: ~2k calls), the peers on a
    20-account org (~7.7k calls, which is CPU-bound on this machine: see RESULTS.md)."""
    if quick:
        return run_org(2, 2, tmp, "peers" in only, seq_sample=1, ala_sample=1)
    out: dict[str, Any] = {}
    if "latency" in only:
        out = run_org(4, 4, tmp, peers=False)
    if "peers" in only:
        org = run_org(19, 4, tmp, peers=True, seq_sample=None, ala_sample=3)
        out["peers_org"] = org
        out["vs_sequential"] = org.get("vs_sequential")
        out["vs_aws_list_all"] = org.get("vs_aws_list_all")
    return out


def run_wide(tmp: Path, accounts: int = 24) -> dict[str, Any]:
    """Many small accounts: wall over the same bound as the latency run's (each account's
    rate-limited long pole), so that accounts started in waves show (2 waves ~ 2x)."""
    scenario = wide_scenario(accounts)
    out: dict[str, Any] = {"accounts": accounts, "regions": len(scenario.regions),
                           "scenario": describe(scenario, "wide")}  # fmt: skip
    with FakeAWSProcess(scenario, prewarm=True) as fake:
        log(f"wide: collector, {accounts} accounts x {len(scenario.regions)} regions")
        run, stats = collector_run(fake, scenario, tmp, "wide", {})
    out["collector"] = run
    out["bound"] = critical_path(stats, scenario, run.get("cpu_s"))
    out["latency_ratio_wide"] = round(run["wall_s"] / out["bound"]["bound_s"], 3)
    return out


def run_all_regions(tmp: Path) -> dict[str, Any]:
    """One account over every region of the partition: peak RSS."""
    scenario = all_regions_scenario()
    out: dict[str, Any] = {"accounts": 1, "regions": len(scenario.regions),
                           "scenario": describe(scenario, "all regions")}  # fmt: skip
    with FakeAWSProcess(scenario, prewarm=True) as fake:
        log(f"regions: collector, 1 account x {len(scenario.regions)} regions")
        run, _ = collector_run(fake, scenario, tmp, "regions", UNLIMITED)
    out["collector"] = run
    out["peak_rss_all_regions_mb"] = run["peak_rss_mb"]
    return out


def run_floor(fake: FakeAWSProcess, scenario: Scenario, *extra: str) -> dict[str, Any]:
    fake.reset()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(scenario.to_dict(), fh)
    try:
        cpu0 = server_cpu(fake)
        floor = child("benchmarks.floor", "--scenario", fh.name, "--url", fake.url, *extra)
    finally:
        Path(fh.name).unlink()
    stats = fake.stats_json()
    floor["server_cpu_s"] = round(float(stats["process_cpu_s"]) - cpu0, 3)
    floor["api_calls"] = stats["totals"]["calls"]
    floor["resources_per_s"] = round(floor["resources"] / floor["wall_s"], 1)
    floor["cpu_ms_per_resource"] = round(1000 * floor["cpu_s"] / max(1, floor["resources"]), 3)
    return floor


def run_cpu(
    quick: bool, tmp: Path, accounts: int | None = None, tuned: bool = False
) -> dict[str, Any]:
    """Quick: the all-regions scenario (one account x 30+ regions, ~6k resources) stands in for
    the 2-account one, so that one collector run gives both its figures."""
    if quick and not accounts:
        scenario, what = all_regions_scenario(), "cpu and all regions"
    else:
        scenario, what = cpu_scenario((accounts - 1) if accounts else 99), "cpu"
    out: dict[str, Any] = {"accounts": len(scenario.accounts), "regions": len(scenario.regions),
                           "scenario": describe(scenario, what)}  # fmt: skip
    with FakeAWSProcess(scenario, prewarm=True) as fake:
        log(f"cpu: collector, {describe(scenario, what)}")
        run, _ = collector_run(fake, scenario, tmp, "cpu", UNLIMITED)
        run["cpu_ms_per_resource"] = round(1000 * run["cpu_s"] / max(1, run["resources"]), 3)
        out["collector"] = run
        if what != "cpu":
            out["peak_rss_all_regions_mb"] = run["peak_rss_mb"]
        log("cpu: SDK floor (aiobotocore alone, same pages)")
        floor = out["floor"] = run_floor(fake, scenario)
        out["cpu_floor_ratio"] = round(run["resources_per_s"] / floor["resources_per_s"], 3)
        out["cpu_floor_ratio_by_cpu"] = round(
            floor["cpu_ms_per_resource"] / run["cpu_ms_per_resource"], 3
        )
        if tuned:
            log("cpu: SDK floor with the collector's client set-up")
            tf = out["floor_tuned"] = run_floor(fake, scenario, "--tuned")
            out["cpu_floor_tuned_ratio"] = round(run["resources_per_s"] / tf["resources_per_s"], 3)
    return out
