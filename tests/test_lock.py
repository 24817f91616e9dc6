"""One run at a time per database; a run that died is found and marked interrupted."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from collector.store import make_engine, upgrade
from collector.store.ledger import mark_interrupted
from collector.store.lock import Locked, run_lock


async def test_second_collect_exits_75_while_the_lock_is_held(tmp_path: Path, moto: str) -> None:
    db = tmp_path / "inv.db"
    engine = make_engine(f"sqlite:///{db}")
    await upgrade(engine)
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[aws]\nendpoint_url = "{moto}"\n[regions]\ninclude = ["us-east-1"]\n')
    try:
        async with run_lock(engine):
            result = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "collector", "collect", "-c", str(cfg), "--db", str(db)],
                capture_output=True,
                text=True,
                timeout=120,
            )
    finally:
        await engine.dispose()
    assert result.returncode == 75, result.stderr
    assert "another run holds" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone() == (0,)


async def test_lock_is_released_and_reacquirable(db_url: str) -> None:
    engine = make_engine(db_url)
    other = make_engine(db_url)
    try:
        await upgrade(engine)
        async with run_lock(engine):
            with pytest.raises(Locked):
                async with run_lock(other):
                    pass
        async with run_lock(other):
            pass
    finally:
        await engine.dispose()
        await other.dispose()


async def test_dead_running_run_is_marked_interrupted(db_url: str) -> None:
    from sqlalchemy import insert, select

    from collector.store.models import runs

    engine = make_engine(db_url)
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(
                insert(runs).values(status="running", pid=os.getpid(), started_at=datetime.now(UTC))
            )
            await conn.execute(
                insert(runs).values(
                    status="succeeded", pid=os.getpid(), started_at=datetime.now(UTC)
                )
            )
        assert await mark_interrupted(engine) == 1
        async with engine.connect() as conn:
            statuses = list(
                (await conn.execute(select(runs.c.status).order_by(runs.c.id))).scalars()
            )
    finally:
        await engine.dispose()
    assert statuses == ["interrupted", "succeeded"]


def relative_path(path: Path) -> str:
    return os.path.relpath(path)


async def test_the_same_database_through_a_symlink_is_the_same_lock(tmp_path: Path) -> None:
    db = tmp_path / "real" / "inv.db"
    db.parent.mkdir()
    link = tmp_path / "link"
    link.symlink_to(db.parent)
    direct = make_engine(f"sqlite:///{db}")
    via_link = make_engine(f"sqlite:///{link / 'inv.db'}")
    relative = make_engine(f"sqlite:///{relative_path(db)}")
    try:
        await upgrade(direct)
        async with run_lock(direct):
            for other in (via_link, relative):
                with pytest.raises(Locked):
                    async with run_lock(other):
                        pass
    finally:
        for engine in (direct, via_link, relative):
            await engine.dispose()
    assert not (link / "inv.db.lock").is_symlink()
    assert sorted(p.name for p in db.parent.iterdir()) == ["inv.db", "inv.db.lock"]
