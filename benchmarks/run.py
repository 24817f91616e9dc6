"""How close the collector runs to the limits: latency bound, SDK floor, peers, memory.

    python benchmarks/run.py [--quick] [--json] [--only latency,cpu,peers]

Every measured program runs in a child process of its own against a fake AWS endpoint
(``benchmarks/fakeaws``) in yet another process, so that the collector's CPU, the server's CPU
(from ``/_fake/stats``) and peak RSS are each their own. SQLite databases go to a temp dir.

Scenarios (``--quick`` sizes in brackets):

* **latency** -- an organization of 5 [3] accounts x 4 [2] regions, 50 ms per call, AWS-like
  token buckets on every service (EC2 100 refilled 20/s, the others 20 refilled 10/s, which
  is what the collector's default rates assume), server page caps that make multi-page
  listings. The ratio is wall / critical-path bound, the bound being
  max(longest chain of dependent calls x latency, calls on the busiest bucket / its refill),
  both read from the server's counters after the run.
* **peers** -- an organization of 20 [the same 3] accounts x 4 regions, collected by the
  collector, by aws-list-all (one account after another, as its users script it) and by a
  plain sequential boto3 loop (``benchmarks/sequential.py``);
  ratios are their time over the collector's, all three timed from process start to exit
  (both peers go account after account over identical accounts; where the run would be too
  long, a sample of accounts is timed and scaled: 1+1 in --quick, all + 3 in the full run).
* **cpu** -- 100 [2] accounts x 17 regions, ~3,200 resources per account (~320k [~6.4k]),
  no latency, no rate limits: end-to-end resources/s over the SDK floor's
  (``benchmarks/floor.py``: aiobotocore alone fetching and parsing the same pages).

No timing is asserted; the targets are printed next to the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` from a checkout
    sys.path.insert(0, str(ROOT))

from benchmarks import awslistall, plain  # noqa: E402
from benchmarks.fakeaws import Bucket, FakeAWSProcess, Scenario  # noqa: E402

TARGETS = {
    "latency_ratio": ("<=", 1.2),
    "cpu_floor_ratio": (">=", 0.8),
    "vs_aws_list_all": (">=", 10.0),
    "vs_sequential": (">=", 50.0),
    "peak_rss_mb": ("<=", 400.0),
}

LATENCY_MS = 50.0
SERVICES = ("iam", "s3", "lambda", "rds", "dynamodb", "sqs", "sns", "kms", "cloudformation",
            "route53", "elbv2")  # fmt: skip

# Per (account, region) for regional types, per account for global ones.
ORG_ITEMS = {
    "AWS::EC2::Instance": 20, "AWS::EC2::Volume": 25, "AWS::EC2::Snapshot": 10,
    "AWS::EC2::SecurityGroup": 8, "AWS::EC2::VPC": 2, "AWS::EC2::Subnet": 6,
    "AWS::EC2::NetworkInterface": 22, "AWS::EC2::Image": 2, "AWS::EC2::EIP": 2,
    "AWS::EC2::InternetGateway": 2, "AWS::EC2::NatGateway": 1, "AWS::EC2::RouteTable": 4,
    "AWS::EC2::KeyPair": 2, "AWS::Lambda::Function": 5, "AWS::RDS::DBInstance": 1,
    "AWS::DynamoDB::Table": 3, "AWS::SQS::Queue": 3, "AWS::SNS::Topic": 2, "AWS::KMS::Key": 3,
    "AWS::CloudFormation::Stack": 3, "AWS::ElasticLoadBalancingV2::LoadBalancer": 1,
    "AWS::S3::Bucket": 10, "AWS::IAM::User": 15, "AWS::IAM::Role": 100, "AWS::IAM::Group": 5,
    "AWS::IAM::ManagedPolicy": 15, "AWS::Route53::HostedZone": 2,
}  # fmt: skip
# Server page caps (the collector asks for more): multi-page chains like real listings.
ORG_PAGE_CAPS = {
    "DescribeInstances": 5, "DescribeVolumes": 10, "DescribeNetworkInterfaces": 10,
    "ListRoles": 10, "ListFunctions": 2,
}  # fmt: skip

LARGE = ROOT / "benchmarks" / "scenarios" / "large.toml"
ALL_REGIONS = Scenario.from_toml(LARGE).regions


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- scenarios -------------------------------------------------------------------------------


def latency_scenario(members: int, regions: int) -> Scenario:
    throttle = {"ec2": Bucket(100, 20), "ec2:unpaginated": Bucket(50, 10)}
    throttle.update({s: Bucket(20, 10) for s in SERVICES})
    return Scenario.simple(
        members=members,
        regions=ALL_REGIONS[:regions],
        items=dict(ORG_ITEMS),
        page_size=dict(ORG_PAGE_CAPS),
        latency_ms=LATENCY_MS,
        throttle=throttle,
    )


def cpu_scenario(members: int) -> Scenario:
    scenario = Scenario.from_toml(LARGE)
    scenario.members = scenario.members[:members]
    scenario.throttle = {}
    scenario.latency_ms = 0.0
    return scenario


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


# -- the latency bound -----------------------------------------------------------------------


def critical_path(stats: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """max(longest chain of dependent calls x latency, calls on the busiest bucket / refill)."""
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
    for (account, region, service), calls in per_key.items():
        bucket = scenario.throttle.get(service)
        if bucket is None:
            continue
        seconds = calls / bucket.refill_per_s
        if seconds > rate_bound:
            rate_bound, busiest = seconds, f"{account}/{region}/{service}: {calls} calls"
    chain_bound = chain * latency
    return {
        "bound_s": round(max(chain_bound, rate_bound), 3),
        "chain_calls": chain,
        "chain_bound_s": round(chain_bound, 3),
        "longest_listing": longest_op,
        "rate_bound_s": round(rate_bound, 3),
        "busiest_bucket": busiest,
    }


# -- the runs --------------------------------------------------------------------------------


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
                           "latency_ms": LATENCY_MS}  # fmt: skip
    with FakeAWSProcess(scenario, prewarm=True) as fake:
        log(f"latency: collector, {len(accounts)} accounts x {regions} regions")
        cpu0 = server_cpu(fake)
        run = collect(fake.url, tmp, "latency", {})
        stats = fake.stats_json()
        run["server_cpu_s"] = round(float(stats["process_cpu_s"]) - cpu0, 3)
        run["api_calls"] = stats["totals"]["calls"]
        run["throttled"] = stats["totals"]["throttled"]
        run["resources_per_s"] = round(run["resources"] / run["wall_s"], 1)
        bound = critical_path(stats, scenario)
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
    """Quick: one 3-account org for both. Full: the latency ratio on a 5-account org (small
    enough to stay latency-bound on one core: ~2k calls), the peers on a 20-account org (~7.7k
    calls, which is CPU-bound on this machine: see RESULTS.md)."""
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


def run_cpu(
    quick: bool, tmp: Path, accounts: int | None = None, tuned: bool = False
) -> dict[str, Any]:
    members = (accounts - 1) if accounts else (1 if quick else 99)
    scenario = cpu_scenario(members)
    out: dict[str, Any] = {"accounts": len(scenario.accounts), "regions": len(scenario.regions)}
    with FakeAWSProcess(scenario, prewarm=True) as fake:
        unlimited = {"throttle": {"default_rate": 10_000, "rates": {"ec2": 10_000}}}
        log(f"cpu: collector, {len(scenario.accounts)} accounts x {len(scenario.regions)} regions")
        cpu0 = server_cpu(fake)
        run = collect(fake.url, tmp, "cpu", unlimited)
        stats = fake.stats_json()
        run["server_cpu_s"] = round(float(stats["process_cpu_s"]) - cpu0, 3)
        run["api_calls"] = stats["totals"]["calls"]
        run["resources_per_s"] = round(run["resources"] / run["wall_s"], 1)
        run["cpu_ms_per_resource"] = round(1000 * run["cpu_s"] / max(1, run["resources"]), 3)
        out["collector"] = run
        fake.reset()
        log("cpu: SDK floor (aiobotocore alone, same pages)")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(scenario.to_dict(), fh)
        try:
            cpu0 = server_cpu(fake)
            floor = child("benchmarks.floor", "--scenario", fh.name, "--url", fake.url)
        finally:
            Path(fh.name).unlink()
        stats = fake.stats_json()
        floor["server_cpu_s"] = round(float(stats["process_cpu_s"]) - cpu0, 3)
        floor["api_calls"] = stats["totals"]["calls"]
        floor["resources_per_s"] = round(floor["resources"] / floor["wall_s"], 1)
        floor["cpu_ms_per_resource"] = round(1000 * floor["cpu_s"] / max(1, floor["resources"]), 3)
        out["floor"] = floor
        out["cpu_floor_ratio"] = round(run["resources_per_s"] / floor["resources_per_s"], 3)
        out["cpu_floor_ratio_by_cpu"] = round(
            floor["cpu_ms_per_resource"] / run["cpu_ms_per_resource"], 3
        )
        if tuned:
            fake.reset()
            log("cpu: SDK floor with the collector's client set-up")
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
                json.dump(scenario.to_dict(), fh)
            try:
                cpu0 = server_cpu(fake)
                tf = child("benchmarks.floor", "--scenario", fh.name, "--url", fake.url, "--tuned")
            finally:
                Path(fh.name).unlink()
            tf["server_cpu_s"] = round(float(fake.stats_json()["process_cpu_s"]) - cpu0, 3)
            tf["resources_per_s"] = round(tf["resources"] / tf["wall_s"], 1)
            tf["cpu_ms_per_resource"] = round(1000 * tf["cpu_s"] / max(1, tf["resources"]), 3)
            out["floor_tuned"] = tf
            out["cpu_floor_tuned_ratio"] = round(
                run["resources_per_s"] / tf["resources_per_s"], 3
            )
    return out


# -- report ----------------------------------------------------------------------------------


def met(key: str, value: Any) -> bool | None:
    if value is None:
        return None
    op, target = TARGETS[key]
    return bool(value <= target) if op == "<=" else bool(value >= target)


def table(result: dict[str, Any]) -> str:
    lines = [f"load average at start/end: {result['load_avg']}", ""]
    head = f"{'run':<28}{'wall s':>9}{'proc s':>9}{'org s':>9}{'CPU s':>9}{'srv CPU':>9}" \
           f"{'calls':>8}{'resources':>11}{'res/s':>10}{'peak RSS':>10}"  # fmt: skip
    lines += [head, "-" * len(head)]

    def row(name: str, r: dict[str, Any] | None) -> None:
        if not r or "error" in r:
            lines.append(f"{name:<28}{(r or {}).get('error', 'not run')}")
            return

        def f(key: str, fmt: str = "{:.2f}") -> str:
            v = r.get(key)
            return "-" if v is None else fmt.format(v)

        res = r.get("resources", r.get("items"))
        rps = r.get("resources_per_s")
        lines.append(
            f"{name:<28}{f('wall_s'):>9}{f('process_wall_s'):>9}{f('org_wall_s'):>9}{f('cpu_s'):>9}"
            f"{f('server_cpu_s'):>9}{f('api_calls', '{}'):>8}{'-' if res is None else res:>11}"
            f"{'-' if rps is None else rps:>10}{f('peak_rss_mb', '{:.0f} MB'):>10}"
        )

    lat = result.get("latency", {})
    cpu = result.get("cpu", {})
    org = lat.get("peers_org", lat)
    row(f"latency: collector ({lat.get('accounts', '-')} acc)", lat.get("collector"))
    if org is not lat:
        row(f"peers: collector ({org.get('accounts')} acc)", org.get("collector"))
    row("peers: sequential boto3", org.get("sequential"))
    row("peers: aws-list-all", org.get("aws_list_all"))
    row("cpu: collector", cpu.get("collector"))
    row("cpu: SDK floor", cpu.get("floor"))
    row("cpu: SDK floor, tuned clients", cpu.get("floor_tuned"))
    lines.append("")
    if "bound" in lat:
        b = lat["bound"]
        lines.append(
            f"latency bound {b['bound_s']} s = max(chain {b['chain_calls']} calls x "
            f"{lat['latency_ms']:.0f} ms = {b['chain_bound_s']} s [{b['longest_listing']}], "
            f"busiest bucket {b['rate_bound_s']} s [{b['busiest_bucket']}])"
        )
    if cpu.get("collector"):
        lines.append(f"cpu: RSS by quarter of the run (MB): {cpu['collector']['rss_quarters_mb']}")
        lines.append(
            f"cpu: collector/floor by CPU per resource: {cpu.get('cpu_floor_ratio_by_cpu')}"
            f"; by resources/s against the tuned floor: {cpu.get('cpu_floor_tuned_ratio', '-')}"
        )
    lines.append("")
    for key, (op, target) in TARGETS.items():
        value = result.get(key)
        ok = met(key, value)
        verdict = "n/a" if ok is None else ("met" if ok else "NOT met")
        lines.append(f"{key:<18}{'-' if value is None else value!s:>10}   target {op} {target}"
                     f"   {verdict}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small scenarios (< 2 minutes)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--cpu-accounts", type=int, help="accounts of the cpu scenario")
    parser.add_argument("--only", default="latency,peers,cpu",
                        help="comma-separated subset of latency,peers,cpu")  # fmt: skip
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    started = time.perf_counter()
    result: dict[str, Any] = {"quick": args.quick, "load_avg": [os.getloadavg()[0]]}
    with tempfile.TemporaryDirectory(prefix="inventory-bench-") as tmp:
        if only & {"latency", "peers"}:
            result["latency"] = run_latency_and_peers(args.quick, Path(tmp), only)
        if "cpu" in only:
            result["cpu"] = run_cpu(
                args.quick, Path(tmp), args.cpu_accounts, tuned=not args.quick
            )
    lat, cpu = result.get("latency", {}), result.get("cpu", {})
    result["latency_ratio"] = lat.get("latency_ratio")
    result["cpu_floor_ratio"] = cpu.get("cpu_floor_ratio")
    result["vs_aws_list_all"] = lat.get("vs_aws_list_all")
    result["vs_sequential"] = lat.get("vs_sequential")
    runs = (lat.get("collector"), lat.get("peers_org", {}).get("collector"), cpu.get("collector"))
    peaks = [r["peak_rss_mb"] for r in runs if r]
    result["peak_rss_mb"] = max(peaks) if peaks else None
    result["targets_met"] = {k: met(k, result[k]) for k in TARGETS}
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
