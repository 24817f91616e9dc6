"""`inventory demo`, the README's first command: a local moto organization collected into
SQLite with every type moto can serve, not only the core ones."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from collector.registry import CORE_TYPES, REGISTRY
from collector.registry.docs import NOT_IN_MOTO
from tests.test_cli import inventory


def test_demo_collects_every_type_moto_serves(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = inventory("demo", "--db", str(db), "--members", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    match = re.search(r"resources of (\d+) types \((\d+) of (\d+) types listed", result.stdout)
    assert match, result.stdout
    seen, listed, total = map(int, match.groups())
    assert total == len(REGISTRY)
    with sqlite3.connect(db) as conn:
        ok_types = {t for (t,) in conn.execute(
            "SELECT DISTINCT resource_type FROM scan_results WHERE status = 'ok'"
        )}  # fmt: skip
        found = {t for (t,) in conn.execute(
            "SELECT DISTINCT resource_type FROM resources WHERE deleted_at IS NULL"
        )}  # fmt: skip
        errors = conn.execute("SELECT count(*) FROM scan_results WHERE status = 'error'").fetchone()
    assert errors == (0,)
    # Every type moto can serve was listed, far beyond the 27 core types the seed creates.
    assert ok_types == set(REGISTRY) - set(NOT_IN_MOTO)
    assert (listed, seen) == (len(ok_types), len(found))
    assert len(ok_types) > len(CORE_TYPES)
