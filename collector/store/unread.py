"""Records with unread detail fields: fill them from what the database last knew.

A per-item detail call that failed (a bucket policy denying ``GetBucketTagging``, a KMS key
policy denying ``DescribeKey``) leaves its fields out of the item (``Record.unread``). Storing
that item as it is would say "no tags" and write a ``modified`` change every time the call
fails. Instead the stored resource keeps its last known values of those fields: the raw keys,
the tags, the name, the creation time and the own region, and the digest is computed over the
filled item (unchanged when nothing else changed). A resource seen for the first time has no
last known values: it is stored as listed, without those keys in ``raw``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from collector.records import Record, Unread
from collector.store.models import resources
from collector.store.rawjson import content

__all__ = ["fill_unread"]

_CHUNK = 500


def fill_unread(conn: Connection, records: Sequence[Record]) -> Sequence[Record]:
    """``records`` with each partial one filled from its stored row (in the caller's
    transaction)."""
    partial = [r.arn for r in records if r.unread is not None]
    if not partial:
        return records
    r = resources.c
    stored: dict[str, Any] = {}
    # Plain IN lists, in chunks under every driver's limit on bound parameters.
    for n in range(0, len(partial), _CHUNK):
        query = select(r.arn, r.raw, r.tags, r.name, r.created_at, r.region).where(
            r.arn.in_(partial[n : n + _CHUNK])
        )
        stored.update((row.arn, row) for row in conn.execute(query))
    return [
        _filled(record, record.unread, stored.get(record.arn))
        if record.unread is not None
        else record
        for record in records
    ]


def _filled(record: Record, unread: Unread, old: Any) -> Record:
    if old is None or not isinstance(old.raw, dict):
        return dataclasses.replace(record, unread=None)  # first seen: stored as listed
    item = dict(record.raw)
    for key, value in old.raw.items():
        if key not in item and (unread.merged or key in unread.keys):
            item[key] = value
    raw, digest = content(item, unread.volatile)
    return dataclasses.replace(
        record,
        raw=raw,
        digest=digest,
        tags=dict(old.tags) if unread.tags and isinstance(old.tags, dict) else record.tags,
        name=record.name if record.name is not None else old.name,
        created_at=record.created_at or old.created_at,
        region=old.region if unread.region else record.region,
        unread=None,
    )
