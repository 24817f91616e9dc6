"""Text that a database cannot store, made storable: in one place, the same on both backends.

PostgreSQL refuses U+0000 in ``text`` and ``jsonb`` values, and neither PostgreSQL nor SQLite
can encode a lone surrogate (U+D800..U+DFFF, which a JSON ``\\ud800`` escape can produce) as
UTF-8. AWS returns both in legal data (a tag value, a description). Every such character in a
record's ARN, id, name, tags and raw item, and in a ledger row's error text, is replaced by
U+FFFD (the Unicode replacement character), on SQLite too, so both backends store the same.
The digest is left as computed from the item as received: it stays stable from run to run.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from collector.records import Edge, Record, ScanResult
from collector.store.rawjson import RawJSON, canonical_json, jsonable

__all__ = ["REPLACEMENT", "clean_record", "clean_result", "clean_text"]

REPLACEMENT = "\ufffd"
_BAD = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    return _BAD.sub(REPLACEMENT, text)


def _bad(text: str | None) -> bool:
    # Two C-speed scans instead of a regex search: this runs for every string of every record.
    if text is None:
        return False
    return "\x00" in text or (not text.isascii() and _SURROGATE.search(text) is not None)


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    return value


def _raw_is_bad(raw: Mapping[str, Any]) -> bool:
    text = raw.json_text if isinstance(raw, RawJSON) else canonical_json(raw)
    # The canonical text escapes U+0000 as \u0000 and keeps surrogates as they are (it is
    # written with ensure_ascii=False). A literal backslash-u0000 in the data only costs a
    # slow look that changes nothing.
    if "\\u0000" in text:
        return True
    return not text.isascii() and _SURROGATE.search(text) is not None


def clean_record(record: Record) -> Record:
    """``record`` unchanged when it is storable (the common case, checked cheaply), else a
    copy with every unstorable character replaced."""
    tags_bad = any(_bad(k) or _bad(v) for k, v in record.tags.items())
    raw_bad = _raw_is_bad(record.raw)
    if not (
        tags_bad
        or raw_bad
        or _bad(record.arn)
        or _bad(record.resource_id)
        or _bad(record.name)
        or _bad(record.region)
    ):
        return record
    return dataclasses.replace(
        record,
        arn=clean_text(record.arn),
        resource_id=clean_text(record.resource_id),
        name=None if record.name is None else clean_text(record.name),
        region=clean_text(record.region),
        tags=_clean_value(record.tags) if tags_bad else record.tags,
        raw=jsonable(_clean_value(dict(record.raw)))[0] if raw_bad else record.raw,
        # Edges come from the raw item: bad text in a reference makes `raw_bad` true too.
        links=tuple(
            Edge(e.kind, clean_text(e.target_arn), e.target_type) for e in record.links
        ),
    )


def clean_result(result: ScanResult) -> ScanResult:
    if not (_bad(result.error_code) or _bad(result.error_message)):
        return result
    return dataclasses.replace(
        result,
        error_code=None if result.error_code is None else clean_text(result.error_code),
        error_message=None if result.error_message is None else clean_text(result.error_message),
    )
