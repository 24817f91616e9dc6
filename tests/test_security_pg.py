"""Issue 13, case 1 (and 6) on PostgreSQL: readers refuse privileged roles; the least-privilege
reader role of `inventory db create-reader` cannot write, reach the server's files and
programs, outlive its client or take the collect lock.

Runs in the session's own database (tests/conftest_db.py); the superuser is the test server's
``postgres``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from collector.cli import app
from collector.store import make_engine
from collector.store.lock import Locked, _advisory_key, lock_table, run_lock
from tests.security_seed import seed_hostile

pytestmark = pytest.mark.postgres


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


async def _count_runs(url: str) -> int:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("SELECT count(*) FROM runs")) or 0)
    finally:
        await engine.dispose()


@pytest.fixture
async def seeded(pg_reader: tuple[str, str]) -> tuple[str, str]:
    admin, reader = pg_reader
    engine = make_engine(admin)
    try:
        await seed_hostile(engine)
    finally:
        await engine.dispose()
    return admin, reader


def _attacks(tmp: Path, admin: str) -> list[str]:
    psql = f"psql {admin} -c 'DELETE FROM runs'"
    return [
        f"COPY (SELECT 1) TO PROGRAM '{psql}'",
        "SELECT pg_read_file('/etc/passwd')",
        f"COPY (SELECT 1) TO '{tmp}/stolen'",
        "SELECT lo_import('/etc/passwd')",
        "SELECT pg_reload_conf()",
        "SET ROLE postgres",
        "DELETE FROM runs",
        "CREATE TABLE evil (x int)",
        f"LOCK TABLE {lock_table('collect')} IN EXCLUSIVE MODE NOWAIT",
    ]


async def test_superuser_readers_are_refused_with_one_line(seeded: tuple[str, str], tmp_path: Path) -> None:
    admin, _ = seeded
    for sql in ["SELECT 1", *_attacks(tmp_path, admin)]:
        result = await asyncio.to_thread(cli, "query", sql, "--db", admin)
        assert result.exit_code == 3, (sql, result.output)
        assert "refusing to read as PostgreSQL role 'postgres': it is a superuser" in result.output
        assert "create-reader" in result.output and len(result.output.strip().splitlines()) == 1
    for command in (["diff"], ["report", "-f", "json"]):
        assert (await asyncio.to_thread(cli, *command, "--db", admin)).exit_code == 3
    assert await _count_runs(admin) == 2
    assert not (tmp_path / "stolen").exists()


async def test_the_reader_role_reads_but_every_attack_fails(seeded: tuple[str, str], tmp_path: Path) -> None:
    admin, reader = seeded
    ok = await asyncio.to_thread(cli, "query", "SELECT count(*) AS n FROM runs", "--db", reader, "-f", "json")
    assert ok.exit_code == 0 and '"n": 2' in ok.stdout, ok.output
    as_of = await asyncio.to_thread(
        cli, "query", "SELECT count(*) AS n FROM ec2_instances", "--db", reader, "--as-of", "1", "-f", "json"
    )
    assert as_of.exit_code == 0 and '"n": 1' in as_of.stdout, as_of.output
    for command in (["diff", "-f", "json"], ["report", "-f", "json"]):
        assert (await asyncio.to_thread(cli, *command, "--db", reader)).exit_code == 0
    for sql in _attacks(tmp_path, admin):
        result = await asyncio.to_thread(cli, "query", sql, "--db", reader)
        assert result.exit_code == 2, (sql, result.output)
        assert "SQL error" in result.output
    assert await _count_runs(admin) == 2
    assert not (tmp_path / "stolen").exists()


async def test_the_reader_cannot_terminate_other_backends(seeded: tuple[str, str]) -> None:
    admin, reader = seeded
    engine = make_engine(admin)
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
            result = await asyncio.to_thread(
                cli, "query", f"SELECT pg_terminate_backend({pid}) AS killed", "--db", reader, "-f", "json"
            )
            assert '"killed": true' not in result.stdout
            assert await conn.scalar(text("SELECT 1")) == 1  # still alive
    finally:
        await engine.dispose()


async def test_statement_timeout_cancels_a_long_reader_query(seeded: tuple[str, str], tmp_path: Path) -> None:
    _, reader = seeded
    cfg = tmp_path / "c.toml"
    cfg.write_text("[database]\nreader_statement_timeout_s = 0.3\n")
    result = await asyncio.to_thread(cli, "query", "SELECT pg_sleep(30)", "--db", reader, "--config", str(cfg))
    assert result.exit_code == 2 and "statement timeout" in result.output, result.output


async def _leftovers(admin: str, marker: str) -> int:
    engine = make_engine(admin)
    try:
        async with engine.connect() as conn:
            return int(
                await conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE :q "
                        "AND pid <> pg_backend_pid()"
                    ),
                    {"q": f"%{marker}%"},
                )
                or 0
            )
    finally:
        await engine.dispose()


def _as_from_a_shell() -> None:
    """The child's signals as a shell would start it. A child inherits its parent thread's
    signal mask; in full CI runs (never alone) the child ignored a first and a second SIGINT,
    which is what a runner left with SIGINT blocked gives, so the test no longer depends on
    what earlier tests left behind."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


async def test_an_interrupted_client_leaves_no_query_on_the_server(
    seeded: tuple[str, str], tmp_path: Path
) -> None:
    admin, reader = seeded
    cfg = tmp_path / "c.toml"
    cfg.write_text("[database]\nreader_statement_timeout_s = 0\n")  # only the cancel can stop it
    marker = "interrupted_client_marker"
    proc = subprocess.Popen(  # noqa: ASYNC220 (a child to interrupt, not awaited work)
        [sys.executable, "-m", "collector", "query", f"SELECT pg_sleep(600) AS {marker}",
         "--db", reader, "--config", str(cfg)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ},
        preexec_fn=_as_from_a_shell,
    )  # fmt: skip
    try:
        for _ in range(300):
            if await _leftovers(admin, marker):
                break
            await asyncio.sleep(0.1)
        else:
            pytest.fail("the query never reached the server")
        proc.send_signal(signal.SIGINT)
        await asyncio.to_thread(proc.wait, 60)
        for _ in range(100):
            if not await _leftovers(admin, marker):
                break
            await asyncio.sleep(0.1)
        assert await _leftovers(admin, marker) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


async def test_a_reader_cannot_take_or_block_the_collect_lock(seeded: tuple[str, str]) -> None:
    admin, reader = seeded
    collector, second = make_engine(admin), make_engine(admin)
    reader_engine = make_engine(reader)
    try:
        async with run_lock(collector):  # creates the lock table
            pass
        async with reader_engine.connect() as conn:
            # All a reader can do: read the lock table, take every advisory key it likes.
            await conn.execute(text(f"SELECT * FROM {lock_table('collect')}"))
            # ... including the key the collect lock used to be (an advisory lock).
            old_key = _advisory_key("aws-inventory-collector:collect")
            await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": old_key})
            for sql in (
                f"LOCK TABLE {lock_table('collect')} IN EXCLUSIVE MODE NOWAIT",
                f"SELECT * FROM {lock_table('collect')} FOR UPDATE",
            ):
                with pytest.raises(Exception, match="permission denied"):
                    async with conn.begin_nested():
                        await conn.execute(text(sql))
            async with run_lock(collector):  # the reader's transaction is still open
                with pytest.raises(Locked):
                    async with run_lock(second):
                        pass
    finally:
        await collector.dispose()
        await second.dispose()
        await reader_engine.dispose()


async def test_create_reader_print_shows_least_privilege_sql(pg_reader: tuple[str, str]) -> None:
    admin, _ = pg_reader
    result = await asyncio.to_thread(cli, "db", "create-reader", "someone", "--print", "--db", admin)
    assert result.exit_code == 0, result.output
    sql = result.stdout
    assert 'CREATE ROLE "someone" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE' in sql
    assert "GRANT SELECT ON ALL TABLES" in sql and "GRANT CONNECT, TEMPORARY ON DATABASE" in sql
    for word in ("INSERT", "UPDATE", "DELETE", "EXECUTE", "pg_"):
        assert word not in sql
    engine = make_engine(admin)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = 'someone'")) == 0
    finally:
        await engine.dispose()


def test_passwords_in_urls_are_masked_in_errors_and_reports(tmp_path: Path) -> None:
    url = "postgresql://inventory:p@ss/w0rd@127.0.0.1:1/inv?password=s3cret&sslpassword=k3y"
    result = cli("query", "SELECT 1", "--db", url)
    assert result.exit_code == 3
    for secret in ("p@ss", "ss/w0rd", "w0rd", "s3cret", "k3y"):
        assert secret not in result.output, result.output
    from collector.store.engine import display_location

    assert display_location(url) == "postgresql://127.0.0.1:1/inv"
    assert display_location("postgresql://u:pw@db.example:5432/inv?password=x") == (
        "postgresql://db.example:5432/inv"
    )


async def test_reader_output_is_inert_on_postgresql(seeded: tuple[str, str]) -> None:
    _, reader = seeded
    names = "SELECT name, tags FROM resources WHERE name <> 'plain' ORDER BY resource_id"
    as_csv = await asyncio.to_thread(cli, "query", names, "--db", reader, "-f", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    for line in as_csv.stdout.splitlines()[1:]:
        assert not line.lstrip('"').startswith(("=", "+", "-", "@")), line
    md = await asyncio.to_thread(cli, "report", "--db", reader, "-f", "md")
    table = await asyncio.to_thread(cli, "query", names, "--db", reader)
    for text_out in (as_csv.stdout, md.stdout, table.stdout):
        assert "\x1b" not in text_out
    assert "<script" not in md.stdout  # (HTML in a CSV cell is harmless)
    assert "&lt;script&gt;" in md.stdout and "\\x1b" in table.stdout
