"""The `inventory` command as cron and people use it: real subprocesses, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from collector.registry import REGISTRY
from collector.registry.docs import NOT_IN_MOTO


def inventory(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "collector", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return str(path)


def test_unknown_key_exits_2_with_one_line(tmp_path: Path) -> None:
    cfg = write(tmp_path, '[acounts]\nsource = "list"\n')
    result = inventory("collect", "--config", cfg, "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "did you mean 'accounts'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_malformed_toml_exits_2(tmp_path: Path) -> None:
    result = inventory("collect", "--config", write(tmp_path, "[accounts\n"))
    assert result.returncode == 2 and "not valid TOML" in result.stderr


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[resources]\ninclude = ["AWS::EC2::Instanse"]\n', "did you mean AWS::EC2::Instance"),
        ('[regions]\ninclude = ["us-east-7"]\n', "unknown region(s): us-east-7"),
    ],
)
def test_unknown_types_and_regions_exit_2(tmp_path: Path, body: str, expected: str) -> None:
    result = inventory("collect", "--config", write(tmp_path, body), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert expected in result.stderr


def test_unreachable_database_exits_3(tmp_path: Path, moto: str) -> None:
    cfg = write(tmp_path, f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["us-east-1"]\n')
    result = inventory("collect", "--config", cfg, "--db", "postgresql://u:secret@127.0.0.1:1/x")
    assert result.returncode == 3
    assert "secret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_no_credentials_exits_3(tmp_path: Path, moto: str) -> None:
    cfg = write(tmp_path, f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["us-east-1"]\n')
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_ACCESS") and not k.startswith("AWS_SECRET")
    }
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "collector",
            "collect",
            "--config",
            cfg,
            "--db",
            str(tmp_path / "x.db"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 3
    assert "no AWS credentials" in result.stderr


@pytest.mark.parametrize(
    "command",
    [["query", "SELECT 1"], ["diff"], ["prune", "--keep-runs", "1"], ["report", "-f", "json"]],
)
def test_readers_of_a_missing_database_exit_3_and_create_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    db = tmp_path / "typo.db"
    result = inventory(*command, "--db", str(db))
    assert result.returncode == 3, result.stderr
    assert f"no inventory database at {db}" in result.stderr
    assert not db.exists()  # an empty file would turn the next error into "no such table"


def test_collect_then_query_in_every_format(tmp_path: Path, moto: str) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=moto, region_name="us-east-1")
    s3.create_bucket(Bucket="cli-bucket")
    s3.put_bucket_tagging(
        Bucket="cli-bucket", Tagging={"TagSet": [{"Key": "team", "Value": "a,b"}]}
    )
    cfg = write(
        tmp_path,
        f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["us-east-1"]\n'
        '[resources]\ninclude = ["AWS::S3::*", "AWS::SQS::Queue"]\n'
        f"exclude = {json.dumps(sorted(NOT_IN_MOTO))}\n",  # what moto cannot serve
    )
    db = str(tmp_path / "inv.db")
    result = inventory("collect", "--config", cfg, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "exit 0: all scopes ok" in result.stdout

    sql = "SELECT resource_id, region, tags FROM resources WHERE resource_type = 'AWS::S3::Bucket'"
    as_json = inventory("query", sql, "--db", db, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    [row] = json.loads(as_json.stdout)
    assert (row["resource_id"], row["region"]) == ("cli-bucket", "us-east-1")
    assert json.loads(row["tags"]) == {"team": "a,b"}
    as_csv = inventory("query", sql, "--db", db, "--format", "csv")
    assert as_csv.stdout.splitlines()[0] == "resource_id,region,tags"
    assert as_csv.stdout.splitlines()[1].startswith("cli-bucket,us-east-1,")
    table = inventory("query", sql, "--db", db)
    assert "cli-bucket" in table.stdout and "(1 row)" in table.stdout

    bad = inventory("query", "SELEC nonsense", "--db", db)
    assert bad.returncode == 2 and "SQL error" in bad.stderr


def test_types_json_lists_the_registry() -> None:
    result = inventory("types", "--format", "json")
    assert result.returncode == 0
    listed = json.loads(result.stdout)
    assert sorted(t["resource_type"] for t in listed) == sorted(REGISTRY)
    assert {"service", "operation", "scope"} <= set(listed[0])
    # The statuses against AWS's own lists (botocore's config model, CloudFormation's schemas).
    from tests.references import cfn_schemas, config_types

    assert {t["resource_type"] for t in listed if t["aws_config"]} == set(REGISTRY) & config_types()
    assert {t["resource_type"] for t in listed if t["cloudformation"]} == set(REGISTRY) & set(
        cfn_schemas()
    )


def test_unreachable_endpoint_exits_3(tmp_path: Path) -> None:
    cfg = write(tmp_path, '[aws]\nendpoint_url = "http://127.0.0.1:1"\nmax_attempts = 1\n[regions]\ninclude = ["us-east-1"]\n')
    result = inventory("collect", "--config", cfg, "--db", str(tmp_path / "x.db"))
    assert result.returncode == 3, result.stderr
    assert "could not list the accounts" in result.stderr and "Traceback" not in result.stderr


def test_query_cannot_change_the_inventory(tmp_path: Path, moto: str) -> None:
    cfg = write(tmp_path, f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["us-east-1"]\n[resources]\ninclude = ["AWS::SQS::Queue"]\n')
    db = str(tmp_path / "inv.db")
    assert inventory("collect", "--config", cfg, "--db", db).returncode == 0
    result = inventory("query", "DELETE FROM runs", "--db", db)
    assert result.returncode == 2 and "readonly" in result.stderr.replace("read-only", "readonly")
    rows = json.loads(inventory("query", "SELECT count(*) AS n FROM runs", "--db", db, "-f", "json").stdout)
    assert rows == [{"n": 1}]


def test_json_log_format_ends_with_a_run_finished_line(tmp_path: Path, moto: str) -> None:
    cfg = write(tmp_path, f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["us-east-1"]\n[resources]\ninclude = ["AWS::SQS::Queue"]\n')
    result = inventory("collect", "--config", cfg, "--db", str(tmp_path / "x.db"), "--log-format", "json")
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stderr.strip().splitlines()[-1])
    assert last["event"] == "run_finished" and last["exit_code"] == 0 and last["scopes_error"] == 0


def test_cli_module_leaves_the_sdk_and_sqlalchemy_to_the_commands() -> None:
    """`collect --processes` starts its forkserver before the ~0.7 s of SDK and SQLAlchemy
    imports, and `--help` stays quick: importing the CLI must not pull them in."""
    heavy = ["aioboto3", "botocore", "sqlalchemy", "alembic", "collector.run.collect"]
    code = (
        "import sys, collector.cli; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_gc_is_tuned_for_a_collection_run() -> None:
    """A run raises the collection thresholds and freezes the start-up heap (in a child
    process: the test process's own GC is left alone)."""
    code = (
        "import gc; from collector.engine.gcsettings import THRESHOLDS, tune_for_collection; "
        "before = gc.get_threshold(); tune_for_collection(); "
        "print(before, gc.get_threshold() == THRESHOLDS, gc.get_freeze_count() > 1000)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["(700,", "10,", "10)", "True", "True"]
