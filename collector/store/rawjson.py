"""A record's ``raw`` as the store keeps it: canonical JSON text and its digest.

Normalization builds it (``collector.engine.normalize``) and the store writes, cleans and
refills it (``collector.store.clean``, ``collector.store.unread``); it lives here, at the lower
of the two layers, so that the store never imports the engine.
"""

from __future__ import annotations

import base64
import hashlib
import json
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


class RawJSON(dict[str, Any]):
    """A record's ``raw``: plain JSON data that also carries its canonical JSON text.

    The store writes ``json_text`` as it is instead of serializing the dict a second time
    (``collector.store.engine.json_dumps``). Treat it as read-only: the text is not updated
    if the dict is changed.
    """

    __slots__ = ("json_text",)

    json_text: str


def jsonable(raw: Item) -> tuple[dict[str, Any], str]:
    """The item as plain JSON data (a :class:`RawJSON`) plus the SHA-256 of its canonical
    form."""
    text = canonical_json(raw)
    data = RawJSON(json.loads(text))
    data.json_text = text
    # surrogatepass: a lone surrogate in AWS's data must not fail the item (the store
    # replaces it, collector.store.clean); the bytes of any other text are plain UTF-8.
    return data, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def content(item: Item, volatile: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """The item as stored (:func:`jsonable`) and its digest, which leaves out the ``volatile``
    top-level keys (they change on their own)."""
    raw, digest = jsonable(item)
    if volatile:
        steady = {k: v for k, v in raw.items() if k not in volatile}
        steady_text = canonical_json(steady).encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(steady_text).hexdigest()
    return raw, digest
