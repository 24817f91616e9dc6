"""Bad input gets one line naming the problem and the documented exit code, never a traceback
(issue 12, point 6). Real subprocesses, as cron runs them."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from benchmarks.fakeaws import FakeAWS, Faults, Scenario
from tests.test_cli import inventory, write


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bad-input") / "inv.db"
    assert inventory("db", "upgrade", "--db", str(db)).returncode == 0
    return db


def test_endpoint_url_that_is_not_a_url_exits_2(tmp_path: Path) -> None:
    result = inventory("collect", "-c", write(tmp_path, '[aws]\nendpoint_url = "not a url"\n'))
    assert result.returncode == 2
    assert "[aws] endpoint_url" in one_line(result.stderr)


def test_config_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[accounts]\nrole_name = "Géant"\n'.encode("latin-1"))
    result = inventory("collect", "-c", str(path))
    assert result.returncode == 2
    assert "not UTF-8" in one_line(result.stderr)


def test_config_messages_keep_their_section_names(tmp_path: Path) -> None:
    # Printed as Rich markup, "[aws]" was read as a style tag and vanished from the message.
    result = inventory("collect", "-c", write(tmp_path, '[aws]\nendpont = "x"\n'))
    assert result.returncode == 2
    assert "unknown key 'endpont' in [aws]" in one_line(result.stderr)


@pytest.mark.parametrize("command", ["collect", "query"])
def test_unsupported_database_scheme_exits_2(tmp_path: Path, command: str) -> None:
    args = [command, "--db", "mysql://root:pw@localhost/inv"]
    result = inventory(*args, *(["SELECT 1"] if command == "query" else []))
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "unsupported database URL scheme 'mysql'" in line
    assert "pw" not in line


@pytest.mark.postgres
def test_libpq_sslmode_is_understood(pg_url: str) -> None:
    sep = "&" if "?" in pg_url else "?"
    plain = inventory("db", "upgrade", "--db", f"{pg_url}{sep}sslmode=disable")
    assert plain.returncode == 0, plain.stderr
    # The local server has no TLS: asyncpg must be asked for it (and say no), not crash on
    # an unknown keyword.
    tls = inventory("db", "upgrade", "--db", f"{pg_url}{sep}sslmode=require")
    assert tls.returncode == 3
    assert "SSL" in one_line(tls.stderr)


def test_a_colon_in_a_literal_is_not_a_bind_parameter(empty_db: Path) -> None:
    result = inventory("query", "--db", str(empty_db), "-f", "csv", "SELECT 'at 10 :30' AS t")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["t", "at 10 :30"]


@pytest.mark.parametrize("point", ["99999999999999999999", "99999999999d"])
def test_as_of_out_of_range_exits_2(empty_db: Path, point: str) -> None:
    result = inventory("query", "--db", str(empty_db), "--as-of", point, "SELECT 1")
    assert result.returncode == 2
    assert point in one_line(result.stderr)


def test_debug_keeps_the_exit_code_and_adds_the_traceback(tmp_path: Path) -> None:
    cfg = write(tmp_path, '[aws]\nendpoint_url = "http://127.0.0.1:9"\n')
    db = "postgresql://u:secret@127.0.0.1:1/x"
    plain = inventory("collect", "-c", cfg, "--db", db)
    debug = inventory("collect", "-c", cfg, "--db", db, "--debug")
    assert plain.returncode == debug.returncode == 3
    one_line(plain.stderr)
    assert "Traceback" in debug.stderr
    assert "secret" not in plain.stderr + debug.stderr


async def test_denied_assume_role_is_one_ledger_row_and_one_line(tmp_path: Path) -> None:
    member = "200000000001"
    scenario = Scenario.simple(
        members=1,
        regions=["us-east-1"],
        items={"AWS::SQS::Queue": 2},
        faults=Faults(assume_role_denied=[member]),
    )
    fake = FakeAWS(scenario)
    await fake.start()
    try:
        cfg = write(
            tmp_path,
            f'[aws]\nendpoint_url = "{fake.url}"\n[accounts]\nsource = "organizations"\n'
            '[regions]\ninclude = ["us-east-1"]\n[resources]\ninclude = ["AWS::SQS::Queue"]\n',
        )
        db = tmp_path / "inv.db"
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "collector", "collect", "-c", cfg, "--db", str(db),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    finally:
        await fake.stop()
    stderr = err.decode()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error ")]
    assert len(errors) == 1 and member in errors[0] and "AccessDenied" in errors[0], stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT account_id, region, resource_type, status, error_code FROM scan_results "
            "WHERE status = 'error'"
        ).fetchall()
    assert rows == [(member, "*", "*", "error", "AccessDenied")]
