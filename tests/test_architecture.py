"""The tree's architecture, enforced: no import cycle inside ``collector/`` (imports inside
functions and under ``TYPE_CHECKING`` count too), and imports between packages go one way only,
down the data flow (README, "Where does X live").

Read from the source with ``ast``, so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "collector"
VALUES = {
    "collector",
    "collector.config",
    "collector.records",
    "collector.exitcodes",
    "collector.partitions",
    "collector.safe_text",
}

# What each layer may import, besides itself. Anything not listed is forbidden: e.g. the store
# never imports AWS code, the engine never imports reporting, nothing below ``run`` imports it.
ALLOWED: dict[str, set[str]] = {
    "values": set(),
    "registry": {"values"},
    "aws": {"values", "registry"},
    "store": {"values"},
    "engine": {"values", "registry", "aws", "store"},
    "history": {"values", "registry", "store"},
    "reporting": {"values", "registry", "store", "history"},
    "run": {"values", "registry", "aws", "store", "engine"},
    "demo": {"values", "registry", "aws", "store", "engine", "reporting", "run"},
    "cli": {"values", "registry", "aws", "store", "engine", "history", "reporting", "run", "demo"},
    "main": {"cli"},
}


def _modules() -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The collector module an import names (``from a.b import c`` may name module a.b.c)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for name in names:
            if name == "collector" or name.startswith("collector."):
                target = _resolve(name)
                if target and target != module:
                    yield target


GRAPH = {m: set(_imports(m, p)) for m, p in MODULES.items()}


def layer(module: str) -> str:
    if module in VALUES:
        return "values"
    if module == "collector.__main__":
        return "main"
    return module.split(".")[1]


def _cycle() -> list[str] | None:
    """One import cycle, as a path, or None (depth-first search, three colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(GRAPH):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_sees_the_known_imports() -> None:
    # Guards the test itself: a resolver that found nothing would pass everything.
    assert "collector.engine.fetch" in GRAPH["collector.engine.account"]
    assert "collector.store.lock" in GRAPH["collector.run.collect"]
    assert "collector.run.queue_worker" in GRAPH["collector.cli.collect"]  # a function-level one
    assert len(MODULES) > 60


def test_no_import_cycle_in_collector() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    GRAPH["collector.store.engine"].add("collector.store.lock")  # lock imports engine already
    try:
        assert _cycle() is not None
    finally:
        GRAPH["collector.store.engine"].discard("collector.store.lock")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_the_data_flow(module: str) -> None:
    mine = layer(module)
    wrong = sorted(
        f"{target} ({layer(target)})"
        for target in GRAPH[module]
        if layer(target) != mine and layer(target) not in ALLOWED[mine]
    )
    assert not wrong, f"{module} ({mine}) may not import {', '.join(wrong)}"


def test_top_level_holds_only_the_face_and_value_modules() -> None:
    top = sorted(p.name for p in ROOT.glob("*.py"))
    assert top == [
        "__init__.py", "__main__.py", "config.py", "exitcodes.py", "partitions.py", "records.py",
        "safe_text.py",
    ]


def test_no_module_over_400_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in ROOT.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long
