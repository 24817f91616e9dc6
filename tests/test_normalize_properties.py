"""Property tests: normalize never crashes on odd input and its digest ignores key order."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from collector.engine.normalize import MalformedItem, normalize, tags_to_dict
from collector.records import Scope
from collector.registry import REGISTRY

SCOPE = Scope("111122223333", "eu-west-1")
TYPES = sorted(REGISTRY)

text = st.text(min_size=0, max_size=40)  # any unicode: emoji, RTL, NUL, surrogates excluded
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)
kv_tags = st.lists(st.fixed_dictionaries({"Key": text, "Value": st.none() | text}), max_size=60)
dict_tags = st.dictionaries(text, text, max_size=60)


@given(tags=kv_tags | dict_tags | st.none())
def test_tags_always_become_a_string_dict(tags: Any) -> None:
    out = tags_to_dict(tags)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in out.items())
    if isinstance(tags, dict):
        assert out == tags


@settings(max_examples=300)
@given(
    type_name=st.sampled_from(TYPES),
    extra=st.dictionaries(text, json_values, max_size=8),
    ident=st.none() | text,
    tags=kv_tags | dict_tags,
)
def test_normalize_never_crashes_and_is_stable(
    type_name: str, extra: dict[str, Any], ident: str | None, tags: Any
) -> None:
    rtype = REGISTRY[type_name]
    item: dict[str, Any] = dict(extra)
    id_field = rtype.id if isinstance(rtype.id, str) and "." not in rtype.id else None
    if id_field and ident is not None:
        item[id_field] = ident
    if rtype.tags and "." not in rtype.tags:
        item[rtype.tags] = tags
    try:
        record = normalize(rtype, SCOPE, item)
    except MalformedItem:
        return  # a missing id or ARN is reported, never stored half-made
    assert record.arn and record.resource_id
    assert json.loads(record.raw.json_text) == dict(record.raw)  # storable as JSON
    shuffled = dict(random.Random(0).sample(list(item.items()), len(item)))
    assert normalize(rtype, SCOPE, shuffled).digest == record.digest


@given(n=st.integers(min_value=0, max_value=2000))
def test_huge_tag_sets(n: int) -> None:
    tags = [{"Key": f"k{i}", "Value": "v" * (i % 300)} for i in range(n)]
    record = normalize(REGISTRY["AWS::EC2::VPC"], SCOPE, {"VpcId": "vpc-1", "Tags": tags})
    assert len(record.tags) == n
