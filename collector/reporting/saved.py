"""Saved queries of `inventory query --saved`.

Saved queries are ``*.sql`` files whose first line is ``-- <one-line description>``; the file
name without ``.sql`` is the query's name. They are looked up, first match wins, in
``[report] queries_dir``, ``$INVENTORY_QUERIES_DIR``, ``./config/queries`` and the
``config/queries`` directory of the project (a checkout, or the copy a wheel installs as
``collector/saved_queries``).
"""

from __future__ import annotations

import difflib
import importlib.resources
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "PROJECT_QUERIES",
    "SavedQuery",
    "SavedQueryError",
    "find_saved",
    "list_saved",
    "queries_dirs",
]

PROJECT_QUERIES = Path(__file__).resolve().parents[2] / "config" / "queries"
QUERIES_ENV = "INVENTORY_QUERIES_DIR"


class SavedQueryError(Exception):
    """No such saved query, or a malformed one (exit 2)."""


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    sql: str
    path: Path


def _packaged() -> Path | None:
    """The copy installed with the package (a wheel maps config/queries there)."""
    try:
        return Path(str(importlib.resources.files("collector.saved_queries")))
    except (ModuleNotFoundError, TypeError):
        return None


def queries_dirs(configured: str | None = None) -> list[Path]:
    """Where saved queries are looked for, first match wins (existing directories only)."""
    candidates = [
        Path(configured).expanduser() if configured else None,
        Path(os.environ[QUERIES_ENV]).expanduser() if os.environ.get(QUERIES_ENV) else None,
        Path.cwd() / "config" / "queries",
        PROJECT_QUERIES,
        _packaged(),
    ]
    out: list[Path] = []
    for path in candidates:
        if path is not None and path.is_dir() and path.resolve() not in out:
            out.append(path.resolve())
    return out


def parse_saved(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    if not first.startswith("--") or not first[2:].strip():
        raise SavedQueryError(f"{path}: the first line must be '-- <what the query answers>'")
    sql = text.strip().rstrip(";").strip()
    if not body.strip():
        raise SavedQueryError(f"{path}: no SQL after the description line")
    return SavedQuery(path.stem, first[2:].strip(), sql, path)


def list_saved(dirs: list[Path]) -> dict[str, SavedQuery]:
    found: dict[str, SavedQuery] = {}
    for directory in dirs:
        for path in sorted(directory.glob("*.sql")):
            if path.stem not in found:
                found[path.stem] = parse_saved(path)
    return dict(sorted(found.items()))


def find_saved(name: str, dirs: list[Path]) -> SavedQuery:
    saved = list_saved(dirs)
    key = name.removesuffix(".sql")
    if key in saved:
        return saved[key]
    hint = difflib.get_close_matches(key, list(saved), n=3, cutoff=0.5)
    where = ", ".join(str(d) for d in dirs) or "no queries directory found"
    raise SavedQueryError(
        f"no saved query {name!r} (looked in {where})"
        + (f"; did you mean {', '.join(hint)}?" if hint else "; see `inventory query --list`")
    )
