"""Issue 13, cases 2 and 5 on SQLite: readers cannot write, and their output is inert.

Every command runs in-process through the CLI, against a real SQLite inventory with hostile
names, tags and error messages planted (tests/security_seed.py).
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from collector.cli import app
from collector.store import make_engine, upgrade
from tests.security_seed import FORMULA, HOSTILE, SCRIPT, seed_hostile


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


async def _build(db: Path) -> None:
    engine = make_engine(f"sqlite:///{db}")
    try:
        await upgrade(engine)
        await seed_hostile(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A seeded inventory in rollback-journal mode, made read-only (0444) like an archive."""
    db = tmp_path_factory.mktemp("sec") / "inventory.db"
    asyncio.run(_build(db))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    db.chmod(0o444)
    yield db
    db.chmod(0o644)


def _state(db: Path) -> tuple[str, list[str]]:
    return hashlib.sha256(db.read_bytes()).hexdigest(), sorted(os.listdir(db.parent))


def test_a_read_only_0444_database_can_be_queried_and_reported(inventory: Path) -> None:
    before = _state(inventory)
    rows = json.loads(cli("query", "SELECT count(*) AS n FROM resources", "--db", str(inventory), "-f", "json").stdout)
    assert rows == [{"n": 1 + len(HOSTILE)}]
    as_of = cli("query", "SELECT count(*) AS n FROM resources", "--db", str(inventory), "--as-of", "1", "-f", "json")
    assert as_of.exit_code == 0, as_of.output
    assert json.loads(as_of.stdout) == [{"n": 1}]
    report = cli("report", "--db", str(inventory), "-f", "json")
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["summary"]["totals"]["resources"] == 1 + len(HOSTILE)
    assert cli("diff", "--db", str(inventory), "-f", "json").exit_code == 0
    assert _state(inventory) == before


def test_readers_never_change_the_journal_mode(inventory: Path) -> None:
    before = _state(inventory)
    assert cli("query", "SELECT 1", "--db", str(inventory)).exit_code == 0
    switch = cli("query", "PRAGMA journal_mode=WAL", "--db", str(inventory))
    assert switch.exit_code == 2 and "not authorized" in switch.output
    with sqlite3.connect(f"file:{inventory}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert _state(inventory) == before


@pytest.mark.parametrize(
    "sql",
    [
        "ATTACH DATABASE '{dir}/evil.db' AS evil",
        "VACUUM INTO '{dir}/copy.db'",
        "DELETE FROM runs",
        "UPDATE resources SET name = 'x'",
        "CREATE TABLE evil (x)",
        "DROP VIEW ec2_instances",
        "PRAGMA query_only = OFF",
        "PRAGMA writable_schema = ON",
        "SELECT load_extension('/tmp/evil')",
    ],
)
def test_writes_attach_and_state_pragmas_are_refused(inventory: Path, sql: str) -> None:
    before = _state(inventory)
    result = cli("query", sql.format(dir=inventory.parent), "--db", str(inventory))
    assert result.exit_code == 2, result.output
    assert "SQL error" in result.output
    assert _state(inventory) == before  # no new file (evil.db, copy.db), no change


def test_refused_even_on_a_writable_file(tmp_path: Path) -> None:
    db = tmp_path / "inventory.db"
    asyncio.run(_build(db))
    result = cli("query", f"ATTACH DATABASE '{tmp_path}/evil.db' AS evil", "--db", str(db))
    assert result.exit_code == 2 and not (tmp_path / "evil.db").exists()
    assert cli("query", "DELETE FROM runs", "--db", str(db)).exit_code == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone() == (2,)


# -- case 5: output injection -------------------------------------------------------------------

NAMES = "SELECT name FROM resources WHERE name <> 'plain' ORDER BY resource_id"


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_inert_csv(text: str) -> None:
    cells = _csv_cells(text)
    assert FORMULA not in cells and SCRIPT in cells  # HTML is harmless in CSV
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "\x1b" not in text and "\x07" not in text


def test_query_csv_neutralizes_formulas_unless_raw(inventory: Path) -> None:
    out = cli("query", NAMES, "--db", str(inventory), "-f", "csv").stdout
    _assert_inert_csv(out)
    assert "'" + FORMULA in _csv_cells(out)
    assert "'-2+3" in _csv_cells(out)
    raw = cli("query", NAMES, "--db", str(inventory), "-f", "csv", "--raw").stdout
    assert FORMULA in _csv_cells(raw) and "\x1b]0;pwned" in raw  # (Rich drops the BEL)


def test_diff_and_report_csv_are_inert(inventory: Path) -> None:
    diff = cli("diff", "--db", str(inventory), "-f", "csv")
    assert diff.exit_code == 0
    _assert_inert_csv(diff.stdout)
    report = cli("report", "--db", str(inventory), "-f", "csv")
    assert report.exit_code == 0
    _assert_inert_csv(report.stdout)
    assert "'" + FORMULA in _csv_cells(report.stdout)  # the error code too
    raw = cli("report", "--db", str(inventory), "-f", "csv", "--raw").stdout
    assert FORMULA in _csv_cells(raw)


def test_markdown_carries_no_html_or_escapes(inventory: Path) -> None:
    outputs = [
        cli("query", NAMES, "--db", str(inventory), "-f", "markdown").stdout,
        cli("query", "SELECT tags FROM resources", "--db", str(inventory), "-f", "markdown").stdout,
        cli("diff", "--db", str(inventory), "-f", "markdown").stdout,
        cli("report", "--db", str(inventory), "-f", "md").stdout,
    ]
    for text in outputs:
        assert "<script" not in text and "\x1b" not in text and "\x07" not in text
    assert "&lt;script&gt;" in outputs[0] and "&lt;script&gt;" in outputs[3]
    assert "\\x1b" in outputs[0]


def test_terminal_table_shows_escape_sequences_escaped(inventory: Path) -> None:
    for args in (["query", "SELECT name, tags FROM resources"], ["diff"]):
        out = cli(*args, "--db", str(inventory)).stdout
        assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b" in cli("query", NAMES, "--db", str(inventory)).stdout
