"""kill -9 in the middle of a run: nothing marked deleted, the next run repairs everything."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import boto3

from collector.registry.docs import NOT_IN_MOTO

REGION = "us-east-1"


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_sigkill_mid_run_then_clean_rerun(tmp_path: Path, moto: str) -> None:
    sqs = boto3.client("sqs", endpoint_url=moto, region_name=REGION)
    queues = {f"q{i:02d}" for i in range(12)}
    for name in queues:
        sqs.create_queue(QueueName=name, tags={"i": name})
    ec2 = boto3.client("ec2", endpoint_url=moto, region_name=REGION)
    ec2.create_volume(Size=1, AvailabilityZone=f"{REGION}a")
    db = tmp_path / "inv.db"
    base = (
        f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["{REGION}"]\n'
        '[resources]\ninclude = ["AWS::SQS::Queue", "AWS::EC2::*", "AWS::IAM::*"]\n'
        # The types moto does not serve (DescribePlacementGroups, IPAM, ...).
        f"exclude = {json.dumps(sorted(NOT_IN_MOTO))}\n"
        "[collect]\nbatch_size = 1\n"
    )
    slow = tmp_path / "slow.toml"
    # Two requests a second per key: the queue tags alone take seconds, long enough to kill.
    slow.write_text(base + "[throttle]\ndefault_rate = 2\nrates = { ec2 = 2 }\n")
    fast = tmp_path / "fast.toml"
    fast.write_text(base)

    # Run 1 completes, so that run 2 has something it could wrongly delete.
    first = subprocess.run(
        [sys.executable, "-m", "collector", "collect", "-c", str(fast), "--db", str(db)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    live_before = _count(db, "SELECT count(*) FROM resources WHERE deleted_at IS NULL")
    assert live_before > len(queues)

    # Run 2 is killed with SIGKILL once it has written some ledger rows.
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName="q00")["QueueUrl"])
    victim = subprocess.Popen(
        [sys.executable, "-m", "collector", "collect", "-c", str(slow), "--db", str(db)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while _count(db, "SELECT count(*) FROM scan_results WHERE run_id = 2") < 2:
        assert victim.poll() is None, "the run finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert _count(db, "SELECT count(*) FROM resources WHERE deleted_at IS NOT NULL") == 0
    assert _count(db, "SELECT count(*) FROM runs WHERE id = 2 AND status = 'running'") == 1

    # Run 3: the dead run is found and marked; the deletion is now seen, exactly once.
    third = subprocess.run(
        [sys.executable, "-m", "collector", "collect", "-c", str(fast), "--db", str(db)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert third.returncode == 0, third.stderr
    with sqlite3.connect(db) as conn:
        statuses = conn.execute("SELECT id, status FROM runs ORDER BY id").fetchall()
        deleted = conn.execute("SELECT resource_id FROM resources WHERE deleted_at IS NOT NULL").fetchall()
        live_queues = conn.execute(
            "SELECT resource_id FROM resources WHERE resource_type = 'AWS::SQS::Queue' "
            "AND deleted_at IS NULL"
        ).fetchall()
        changes = conn.execute(
            "SELECT run_id, change, count(*) FROM resource_changes WHERE change = 'deleted' "
            "GROUP BY run_id, change"
        ).fetchall()
    assert statuses == [(1, "succeeded"), (2, "interrupted"), (3, "succeeded")]
    assert deleted == [("q00",)]
    assert {q for (q,) in live_queues} == queues - {"q00"}
    assert changes == [(3, "deleted", 1)]
    assert _count(db, "SELECT count(*) FROM resources WHERE deleted_at IS NULL") == live_before - 1


def test_sigterm_mid_run_marks_it_interrupted_and_exits_143(tmp_path: Path, moto: str) -> None:
    # cron timeouts, systemd and Kubernetes stop jobs with SIGTERM, not Ctrl-C.
    sqs = boto3.client("sqs", endpoint_url=moto, region_name=REGION)
    for i in range(12):
        sqs.create_queue(QueueName=f"t{i:02d}", tags={"i": str(i)})
    db = tmp_path / "inv.db"
    base = (
        f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["{REGION}"]\n'
        '[resources]\ninclude = ["AWS::SQS::Queue", "AWS::IAM::*"]\n[collect]\nbatch_size = 1\n'
    )
    fast = tmp_path / "fast.toml"
    fast.write_text(base)
    slow = tmp_path / "slow.toml"
    slow.write_text(base + "[throttle]\ndefault_rate = 2\n")
    collect = [sys.executable, "-m", "collector", "collect", "--db", str(db), "-c"]
    assert subprocess.run([*collect, str(fast)], capture_output=True, timeout=300).returncode == 0
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName="t00")["QueueUrl"])

    victim = subprocess.Popen(
        [*collect, str(slow)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while _count(db, "SELECT count(*) FROM scan_results WHERE run_id = 2") < 1:
        assert victim.poll() is None, "the run finished before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    victim.send_signal(signal.SIGTERM)
    _, stderr = victim.communicate(timeout=60)
    assert victim.returncode == 143, stderr
    assert "terminated (SIGTERM)" in stderr and "Traceback" not in stderr
    with sqlite3.connect(db) as conn:
        status, finished = conn.execute(
            "SELECT status, finished_at FROM runs WHERE id = 2"
        ).fetchone()
    assert (status, finished is not None) == ("interrupted", True)
    # Not reconciled: the deleted queue is not marked deleted by a run that did not finish.
    assert _count(db, "SELECT count(*) FROM resources WHERE deleted_at IS NOT NULL") == 0
