"""How close the collector runs to the limits: latency bound, SDK floor, calls, peers, memory.

    python benchmarks/run.py [--quick] [--json] [--only latency,wide,regions,peers,cpu]

Every measured program runs in a child process of its own against a fake AWS endpoint
(``benchmarks/fakeaws``) in yet another process, so that the collector's CPU, the server's CPU
(from ``/_fake/stats``) and peak RSS are each their own. SQLite databases go to a temp dir.

Scenarios (``--quick`` sizes in brackets; the scenarios are in ``benchmarks/orgs.py``):

* **latency** -- an organization of 5 [3] accounts x 4 [2] regions, 50 ms per call, AWS-like
  token buckets on every service (EC2 100 refilled 20/s, the others 20 refilled 10/s, which
  is what the collector's default rates assume), server page caps that make multi-page
  listings. The ratio is wall / critical-path bound, the bound being
  max(longest chain of dependent calls x latency, calls on the busiest bucket / its refill),
  both read from the server's counters after the run. ``calls_ratio`` is this run's calls
  over the fewest any collector could make for its data (``benchmarks/calls.py``).
* **wide** -- 24 small accounts x 2 regions, the same latency, rate limits and page caps:
  ``latency_ratio_wide`` over the same kind of bound (each account's IAM bucket, ~5 s), which
  shows accounts started in waves (24 accounts at 16 at a time: 2 waves, ~2x).
* **regions** -- one account over every region of the partition (botocore's list, 30+), the
  cpu scenario's items per region, no latency: ``peak_rss_all_regions_mb``.
* **peers** (full run only, unless named in ``--only``) -- an organization of 20 accounts x 4
  regions, collected by the collector, by aws-list-all (one account after another, as its
  users script it) and by a plain sequential boto3 loop (``benchmarks/sequential.py``);
  ratios are their time over the collector's, all three timed from process start to exit
  (both peers go account after account over identical accounts; where the run would be too
  long, a sample of accounts is timed and scaled: 1+1 in --quick, all + 3 in the full run).
* **cpu** -- 100 accounts x 17 regions, ~3,200 resources per account (~320k), no latency,
  no rate limits [--quick: the regions scenario, ~6.3k resources, one run for both]:
  end-to-end resources/s over the SDK floor's (``benchmarks/floor.py``: aiobotocore alone
  fetching and parsing the same pages).

No timing is asserted; the targets are printed next to the numbers, and ``scenarios`` names
what each headline figure was measured on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` from a checkout
    sys.path.insert(0, str(ROOT))

from benchmarks import calls  # noqa: E402
from benchmarks.orgs import LATENCY_MS  # noqa: E402
from benchmarks.runs import (  # noqa: E402
    run_all_regions,
    run_cpu,
    run_latency_and_peers,
    run_wide,
)

# The targets (issue 15). A figure not measured by a run is None ("n/a").
TARGETS = {
    "latency_ratio": ("<=", 1.2),
    "latency_ratio_20": ("<=", 1.2),
    "latency_ratio_wide": ("<=", 1.2),
    "cpu_floor_ratio": (">=", 1.0),
    "calls_ratio": ("<=", 1.1),
    "vs_aws_list_all": (">=", 10.0),
    "vs_sequential": (">=", 30.0),
    "peak_rss_mb": ("<=", 300.0),
    "peak_rss_all_regions_mb": ("<=", 200.0),
}
ALL_PARTS = "latency,wide,regions,peers,cpu"
QUICK_PARTS = "latency,wide,regions,cpu"


# -- headline figures ------------------------------------------------------------------------


def headline(result: dict[str, Any]) -> None:
    """The figures the issue asks for, each with the scenario (and bound) it belongs to."""
    lat, cpu = result.get("latency", {}), result.get("cpu", {})
    wide, regions = result.get("wide", {}), result.get("regions", {})
    org = lat.get("peers_org", {})
    scen: dict[str, Any] = {}

    def put(key: str, value: Any, part: dict[str, Any], **more: Any) -> None:
        result[key] = value
        if value is not None:
            scen[key] = {"scenario": part.get("scenario"), **more}

    put("latency_ratio", lat.get("latency_ratio"), lat, bound=lat.get("bound"))
    put("latency_ratio_20", org.get("latency_ratio"), org, bound=org.get("bound"))
    put("latency_ratio_wide", wide.get("latency_ratio_wide"), wide, bound=wide.get("bound"))
    put("cpu_floor_ratio", cpu.get("cpu_floor_ratio"), cpu,
        bound="stock aiobotocore fetching and parsing the same pages")  # fmt: skip
    lat_calls = (lat.get("collector") or {}).get("calls") or {}
    put("calls_ratio", lat_calls.get("calls_ratio"), lat,
        calls=lat_calls.get("calls"), calls_min=lat_calls.get("calls_min"),
        calls_min_per_item=lat_calls.get("calls_min_per_item"))  # fmt: skip
    put("vs_aws_list_all", org.get("vs_aws_list_all", lat.get("vs_aws_list_all")), org or lat)
    put("vs_sequential", org.get("vs_sequential", lat.get("vs_sequential")), org or lat)
    runs = [p for p in (lat, org, cpu) if p.get("collector")]
    top = max(runs, key=lambda p: p["collector"]["peak_rss_mb"], default=None)
    put("peak_rss_mb", top["collector"]["peak_rss_mb"] if top else None, top or {},
        of_runs=[p["scenario"] for p in runs])  # fmt: skip
    put("peak_rss_all_regions_mb", regions.get("peak_rss_all_regions_mb"), regions)
    result["scenarios"] = scen
    result["targets_met"] = {k: met(k, result.get(k)) for k in TARGETS}


def met(key: str, value: Any) -> bool | None:
    if value is None:
        return None
    op, target = TARGETS[key]
    return bool(value <= target) if op == "<=" else bool(value >= target)


# -- report ----------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    lines = [f"load average at start/end: {result['load_avg']}", ""]
    head = f"{'run':<32}{'wall s':>9}{'proc s':>9}{'org s':>9}{'CPU s':>9}{'srv CPU':>9}" \
           f"{'calls':>8}{'resources':>11}{'res/s':>10}{'peak RSS':>10}"  # fmt: skip
    lines += [head, "-" * len(head)]

    def row(name: str, r: dict[str, Any] | None) -> None:
        if not r or "error" in r:
            lines.append(f"{name:<32}{(r or {}).get('error', 'not run')}")
            return

        def f(key: str, fmt: str = "{:.2f}") -> str:
            v = r.get(key)
            return "-" if v is None else fmt.format(v)

        res = r.get("resources", r.get("items"))
        rps = r.get("resources_per_s")
        lines.append(
            f"{name:<32}{f('wall_s'):>9}{f('process_wall_s'):>9}{f('org_wall_s'):>9}{f('cpu_s'):>9}"
            f"{f('server_cpu_s'):>9}{f('api_calls', '{}'):>8}{'-' if res is None else res:>11}"
            f"{'-' if rps is None else rps:>10}{f('peak_rss_mb', '{:.0f} MB'):>10}"
        )

    lat, cpu = result.get("latency", {}), result.get("cpu", {})
    wide, regions = result.get("wide", {}), result.get("regions", {})
    org = lat.get("peers_org", lat)
    row(f"latency: collector ({lat.get('accounts', '-')} acc)", lat.get("collector"))
    row(f"wide: collector ({wide.get('accounts', '-')} acc)", wide.get("collector"))
    if regions != cpu:
        row(f"regions: collector ({regions.get('regions', '-')} reg)", regions.get("collector"))
    if org is not lat:
        row(f"peers: collector ({org.get('accounts')} acc)", org.get("collector"))
    row("peers: sequential boto3", org.get("sequential"))
    row("peers: aws-list-all", org.get("aws_list_all"))
    row("cpu: collector", cpu.get("collector"))
    row("cpu: SDK floor", cpu.get("floor"))
    row("cpu: SDK floor, tuned clients", cpu.get("floor_tuned"))
    lines.append("")
    for name, part in (("latency", lat), ("wide", wide)):
        if "bound" in part:
            b = part["bound"]
            lines.append(
                f"{name} bound {b['bound_s']} s = max(chain {b['chain_calls']} calls x "
                f"{LATENCY_MS:.0f} ms = {b['chain_bound_s']} s "
                f"[{b['longest_listing']}], busiest bucket {b['rate_bound_s']} s "
                f"[{b['busiest_bucket']}])"
            )
    if cpu.get("collector"):
        lines.append(f"cpu: RSS by quarter of the run (MB): {cpu['collector']['rss_quarters_mb']}")
        lines.append(
            f"cpu: collector/floor by CPU per resource: {cpu.get('cpu_floor_ratio_by_cpu')}"
            f"; by resources/s against the tuned floor: {cpu.get('cpu_floor_tuned_ratio', '-')}"
        )
    for part in (lat, wide, regions) + (() if regions == cpu else (cpu,)):
        made = (part.get("collector") or {}).get("calls")
        if made:
            lines += ["", f"calls, {part['scenario']}: {made['calls']} made "
                          f"({made['throttled']} throttled), {made['calls_min']} at least "
                          f"(ratio {made['calls_ratio']}; {made['calls_min_per_item']} one "
                          f"IAM entity at a time); worst offenders:",
                      calls.waste_table(made)]  # fmt: skip
    lines.append("")
    for key, (op, target) in TARGETS.items():
        value = result.get(key)
        ok = met(key, value)
        verdict = "n/a" if ok is None else ("met" if ok else "NOT met")
        lines.append(f"{key:<24}{'-' if value is None else value!s:>10}   target {op} {target}"
                     f"   {verdict}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small scenarios (< 3 minutes)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--cpu-accounts", type=int, help="accounts of the cpu scenario")
    parser.add_argument("--only", help=f"comma-separated subset of {ALL_PARTS} (default: all; "
                        f"--quick: {QUICK_PARTS})")  # fmt: skip
    args = parser.parse_args(argv)
    only = set((args.only or (QUICK_PARTS if args.quick else ALL_PARTS)).split(","))
    started = time.perf_counter()
    result: dict[str, Any] = {"quick": args.quick, "load_avg": [os.getloadavg()[0]]}
    with tempfile.TemporaryDirectory(prefix="inventory-bench-") as tmp:
        if only & {"latency", "peers"}:
            result["latency"] = run_latency_and_peers(args.quick, Path(tmp), only)
        if "wide" in only:
            result["wide"] = run_wide(Path(tmp))
        if "cpu" in only:
            result["cpu"] = run_cpu(args.quick, Path(tmp), args.cpu_accounts, tuned=not args.quick)
        if "regions" in only:
            cpu = result.get("cpu", {})
            shared = "peak_rss_all_regions_mb" in cpu  # --quick: the cpu run was that scenario
            result["regions"] = cpu if shared else run_all_regions(Path(tmp))
    headline(result)
    result["load_avg"].append(os.getloadavg()[0])
    result["total_s"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result))
    else:
        print(table(result))
        print(f"\ntotal {result['total_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
