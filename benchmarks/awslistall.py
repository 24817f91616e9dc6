"""aws-list-all (PyPI), run the way its users script it: one account after another.

It is installed into its own virtualenv outside the repository (``INVENTORY_BENCH_CACHE``,
default ``~/.cache/inventory-bench``), never into the project's. Each account is one
``aws-list-all query`` process with that account's keys in the environment and the fake as
``AWS_ENDPOINT_URL``. It is restricted (``--service``/``--operation``/``--region``) to the list
operations of the collector's 27 core types, because the fake answers nothing else.

What it does with them is less than the collector does: one call per (service, region,
operation), the first page only (it never follows NextToken), no per-item detail calls (so no
S3 bucket regions, no IAM/Lambda/SQS/SNS/KMS/DynamoDB/Route 53 tags), and it writes each
response to a JSON file instead of a database. Its keys are given directly per account (no
AssumeRole step, which a real script would add).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks import plain
from collector.registry import ResourceType

VERSION = "0.9.2"


def cache_dir() -> Path:
    return Path(os.environ.get("INVENTORY_BENCH_CACHE", Path.home() / ".cache" / "inventory-bench"))


def executable() -> Path:
    """The aws-list-all script, installing it on first use; raises if that fails."""
    home = cache_dir() / "aws-list-all-venv"
    script = home / "bin" / "aws-list-all"
    if script.exists():
        return script
    home.parent.mkdir(parents=True, exist_ok=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    subprocess.run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "-q", f"aws-list-all=={VERSION}"],
        check=True,
    )
    return script


def operations() -> dict[str, list[str]]:
    """service -> API names of the core types' list operations (aws-list-all's spelling)."""
    import botocore.session
    from botocore import xform_name

    session = botocore.session.get_session()
    out: dict[str, list[str]] = {}
    for rtype in plain.core_types():
        model = session.get_service_model(rtype.service)
        api = next(op for op in model.operation_names if xform_name(op) == rtype.operation)
        out.setdefault(rtype.service, []).append(api)
    return out


def run_account(
    script: Path, url: str, access_key: str, regions: list[str], ops: dict[str, list[str]]
) -> dict[str, Any]:
    cmd = [str(script), "query"]
    for service, names in sorted(ops.items()):
        cmd += ["--service", service]
        for name in names:
            cmd += ["--operation", name]
    for region in regions:
        cmd += ["--region", region]
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID=access_key,
        AWS_SECRET_ACCESS_KEY="fake",
        AWS_DEFAULT_REGION="us-east-1",
    )
    with tempfile.TemporaryDirectory(prefix="aws-list-all-") as out:
        started = time.perf_counter()
        proc = subprocess.run(
            [*cmd, "--directory", out], env=env, capture_output=True, text=True, check=False
        )
        wall = time.perf_counter() - started
        results: Counter[str] = Counter()
        for line in proc.stdout.splitlines():
            mark = line.split(" ", 1)[0]
            if mark in ("+++", "---", "!!!", ">:|"):
                results[mark] += 1
        items = _items_in(Path(out))
    return {
        "wall_s": wall,
        "exit": proc.returncode,
        "listings": dict(results),
        "items": items,
        "stderr": proc.stderr[-500:] if proc.returncode else "",
    }


def _items_in(directory: Path) -> int:
    by_op: dict[str, ResourceType] = {}
    for rtype in plain.core_types():
        by_op[rtype.operation.replace("_", "")] = rtype
    total = 0
    for path in directory.glob("*.json"):
        data = json.loads(path.read_text())
        found = by_op.get(str(data.get("operation", "")).lower())
        if found is not None:
            total += len(plain.items_of(found, data.get("response", {})))
    return total


def run(url: str, accounts: list[str], regions: list[str]) -> dict[str, Any]:
    from benchmarks.fakeaws import Scenario

    script = executable()
    ops = operations()
    per: list[dict[str, Any]] = []
    started = time.perf_counter()
    for account in accounts:
        per.append(run_account(script, url, Scenario.access_key(account), regions, ops))
    wall = time.perf_counter() - started
    listings: Counter[str] = Counter()
    for p in per:
        listings.update(p["listings"])
    return {
        "wall_s": round(wall, 3),
        "accounts": len(accounts),
        "per_account_s": round(wall / max(1, len(accounts)), 3),
        "listings": dict(listings),
        "items": sum(p["items"] for p in per),
        "failed_runs": [p["stderr"] for p in per if p["exit"]],
        "operations": sum(len(v) for v in ops.values()),
    }


if __name__ == "__main__":  # python -m benchmarks.awslistall URL ACCOUNT [REGION...]
    print(json.dumps(run(sys.argv[1], [sys.argv[2]], sys.argv[3:] or ["us-east-1"]), indent=1))
