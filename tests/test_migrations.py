"""Migrations: `upgrade head` builds exactly the schema of collector.store.models."""

from __future__ import annotations

import asyncio
import importlib.resources
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from collector.store import current_revision, downgrade, head_revision, make_engine, upgrade
from collector.store.migrate import script_location
from collector.store.models import metadata

ROOT = Path(__file__).resolve().parents[1]
TABLES = {"runs", "accounts", "resources", "resource_tags", "resource_changes", "scan_results"}
# The revision ids of the revision files, oldest first (0001.. or 0005_type_names).
REVISIONS = [
    re.search(r'^revision: str = "([^"]+)"', p.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
    for p in sorted((ROOT / "migrations" / "versions").glob("[0-9]*_*.py"))
]


def _diff(conn: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(conn), metadata))


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


async def test_upgrade_head_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_tables) >= TABLES
            assert await conn.run_sync(_diff) == []
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_compare_metadata_notices_a_difference(db_url: str) -> None:
    """The comparison above is not vacuous: a dropped index shows up as a difference."""
    engine = make_engine(db_url)
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.exec_driver_sql("DROP INDEX ix_resources_deleted_at")
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
        assert [d[0] for d in diff] == ["add_index"]
        assert diff[0][1].name == "ix_resources_deleted_at"
    finally:
        await engine.dispose()


async def test_upgrade_is_idempotent_and_downgrade_drops_everything(db_url: str) -> None:
    await upgrade(db_url)
    await upgrade(db_url)  # already at head: nothing to do, no error
    assert await current_revision(db_url) == head_revision()
    await downgrade(db_url, "base")
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_tables) & TABLES == set()
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()


def _sqlite_schema(path: Path) -> list[tuple[Any, ...]]:
    """Everything SQLite knows of a schema that a query or a later migration could notice:
    columns in order (type, NOT NULL, default, key), indexes and their columns, foreign keys,
    named constraints, views, and Alembic's stamp."""
    out: list[tuple[Any, ...]] = []
    with sqlite3.connect(path) as conn:
        master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        for kind, name, table, sql in master:
            out.append((kind, name, table))
            if kind == "view":
                out.append(("view sql", name, " ".join(sql.split())))
            if kind != "table":
                continue
            out += [("column", name, *row) for row in conn.execute(f"PRAGMA table_info('{name}')")]
            # The id and order of foreign keys follow the order of their clauses: left out.
            out += [("fk", name, *row[2:]) for row in conn.execute(f"PRAGMA foreign_key_list('{name}')")]
            for index in conn.execute(f"PRAGMA index_list('{name}')"):
                cols = conn.execute(f"PRAGMA index_info('{index[1]}')").fetchall()
                out.append(("index", name, *index[1:], *cols))
            out += [("constraint", name, " ".join(c.split()))
                    for c in re.findall(r"CONSTRAINT \w+ (?:CHECK|UNIQUE|PRIMARY KEY)\s*\((?:[^()]|\([^()]*\))*\)", sql)]  # fmt: skip
        out += [("stamp", *row) for row in conn.execute("SELECT version_num FROM alembic_version")]
    return sorted(out, key=repr)


async def test_new_sqlite_file_has_the_migrated_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new SQLite file is created at the head revision without running the migrations; its
    schema is the one the migrations leave, down to column order and constraint names."""
    migrated, created = tmp_path / "migrated.db", tmp_path / "created.db"
    await upgrade(f"sqlite:///{migrated}", REVISIONS[0])
    await upgrade(f"sqlite:///{migrated}")  # the first revision, then each of the others
    from collector.store import migrate

    def no_alembic(connection: Connection, revision: str) -> None:
        raise AssertionError("a new file was migrated with Alembic")

    monkeypatch.setattr(migrate, "_upgrade", no_alembic)
    await upgrade(f"sqlite:///{created}")
    expected = _sqlite_schema(migrated)
    assert ("stamp", REVISIONS[-1]) in expected
    assert len([r for r in expected if r[0] == "column"]) > 50
    assert _sqlite_schema(created) == expected


def test_scripts_are_found_through_the_installed_package() -> None:
    # pyproject maps the top-level migrations/ to the package collector.migrations.
    try:
        root = Path(str(importlib.resources.files("collector.migrations")))
    except ModuleNotFoundError:
        pytest.fail("collector.migrations is not importable: run `pip install -e .` first")
    assert script_location().resolve() == root.resolve()
    versions = [f"versions/{p.name}" for p in (ROOT / "migrations" / "versions").glob("0*.py")]
    for name in ("env.py", "fresh.py", "script.py.mako", "versions/0001_initial.py", *versions):
        assert (root / name).read_bytes() == (ROOT / "migrations" / name).read_bytes(), name
    assert head_revision() == REVISIONS[-1]


def _alembic(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"), *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )


async def test_alembic_command_line(tmp_path: Path, db_url: str) -> None:
    """Developers' path: the alembic CLI with the top-level alembic.ini and the async env.py."""
    up = await asyncio.to_thread(_alembic, tmp_path, "-x", f"url={db_url}", "upgrade", "head")
    assert up.returncode == 0, up.stderr
    assert "Running upgrade  -> 0001" in up.stderr
    current = await asyncio.to_thread(_alembic, tmp_path, "-x", f"url={db_url}", "current")
    assert current.returncode == 0, current.stderr
    assert f"{REVISIONS[-1]} (head)" in current.stdout
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()
    if db_url.startswith("sqlite"):
        assert _mode(db_url.removeprefix("sqlite:///")) == 0o600


def _mode(path: str) -> int:
    return Path(path).stat().st_mode & 0o777


def test_alembic_offline_sql(tmp_path: Path) -> None:
    run = _alembic(
        tmp_path, "-x", "url=postgresql://nobody@127.0.0.1:1/none", "upgrade", "head", "--sql"
    )
    assert run.returncode == 0, run.stderr
    assert "CREATE TABLE resources" in run.stdout
    assert "JSONB" in run.stdout
