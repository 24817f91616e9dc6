"""``collector.engine.paths`` answers as JMESPath does, on every path of the registry."""

from __future__ import annotations

import random
from typing import Any

import jmespath
import pytest

from collector.engine import paths
from collector.registry import REGISTRY


def _registry_paths() -> list[str]:
    found: set[str] = set()
    for rtype in REGISTRY.values():
        for link in rtype.links:
            found.add(link.path)
        for field in (rtype.id, rtype.arn, rtype.name, rtype.tags, rtype.created, rtype.items):
            if isinstance(field, str):
                found.add(field)
    return sorted(found)


PATHS = _registry_paths()



def _value(rng: random.Random, keys: list[str], depth: int) -> Any:
    """Random JSON along ``keys`` (the path's own names, so that lookups hit), with the
    shapes that make projections differ: missing keys, nulls, lists of lists, scalars."""
    roll = rng.random()
    if depth > 5 or roll < 0.1:
        return rng.choice([None, "v", "", 0, 1.5, True, "arn:aws:x"])
    if roll < 0.55:
        return {k: _value(rng, keys, depth + 1) for k in rng.sample(keys, k=min(len(keys), 3))}
    return [_value(rng, keys, depth + 1) for _ in range(rng.randint(0, 3))]


@pytest.mark.parametrize("path", PATHS)
def test_same_answer_as_jmespath(path: str) -> None:
    names = [part.removesuffix("[]") for part in path.replace("|", ".").split(".")]
    keys = [n for n in names if n.isidentifier()] or ["x"]
    rng = random.Random(path)
    hits = 0
    for _ in range(300):
        data = _value(rng, keys, 0)
        try:
            want = jmespath.search(path, data)
        except jmespath.exceptions.JMESPathError:
            want = None
        assert paths.search(path, data) == want, data
        hits += want not in (None, [])
    assert hits or not paths._SIMPLE.fullmatch(path)  # the random data reached the value


def test_most_paths_are_answered_without_jmespath() -> None:
    simple = [p for p in PATHS if paths._SIMPLE.fullmatch(p)]
    assert len(simple) > 0.8 * len(PATHS)
    assert "[]" in "".join(simple)
