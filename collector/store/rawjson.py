"""A record's ``raw`` as the store keeps it: canonical JSON text and its digest.

Normalization builds it (``collector.engine.normalize``) and the store writes, cleans and
refills it (``collector.store.clean``, ``collector.store.unread``); it lives here, at the lower
of the two layers, so that the store never imports the engine.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

Item = dict[str, Any]

__all__ = ["RawJSON", "canonical_json", "content", "jsonable"]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return utc.isoformat().replace("+00:00", "Z")
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "read"):  # a streaming body never belongs in an inventory
        return None
    return str(value)


def canonical_json(raw: Any) -> str:
    return json.dumps(
        raw, default=_json_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


class RawJSON(Mapping[str, Any]):
    """A record's ``raw``: its canonical JSON text, read as a mapping on demand.

    The store writes ``json_text`` as it is (``collector.store.engine.json_dumps``); the
    parsed form is only made when something reads the mapping (the fields of a modified
    record, a record with unread fields), so a record waiting to be stored holds its text
    alone, not a tree of Python objects several times its size, and normalizing an item
    does not parse back what it has just serialized.
    """

    __slots__ = ("_data", "json_text")

    def __init__(self, json_text: str) -> None:
        self.json_text = json_text
        self._data: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self.json_text)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"RawJSON({self.json_text!r})"


def _digest(text: str) -> str:
    # surrogatepass: a lone surrogate in AWS's data must not fail the item (the store
    # replaces it, collector.store.clean); the bytes of any other text are plain UTF-8.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def jsonable(raw: Mapping[str, Any]) -> tuple[RawJSON, str]:
    """The item as JSON (a :class:`RawJSON`) plus the SHA-256 of its canonical form."""
    text = canonical_json(raw)
    return RawJSON(text), _digest(text)


def content(item: Item, volatile: tuple[str, ...] = ()) -> tuple[RawJSON, str]:
    """The item as stored (:func:`jsonable`) and its digest, which leaves out the ``volatile``
    top-level keys (they change on their own)."""
    raw, digest = jsonable(item)
    if volatile:
        digest = _digest(canonical_json({k: v for k, v in item.items() if k not in volatile}))
    return raw, digest
