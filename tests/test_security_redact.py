"""Issue 13, cases 3 and 4: no secret is stored, and a stored marker reveals nothing.

The model walk here is independent of the redactor's: for every registered type (curated and
generic) it builds an item the way the collector would store it (the list item, plus each
detail call's answer where the type puts it) with a unique sentinel in every member botocore
flags ``sensitive`` and ordinary values elsewhere, runs the default redactor over it, and looks
for any sentinel left in the JSON. A new type, a new detail call or a botocore upgrade that
brings a flagged member in unredacted fails this test.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape

from collector.engine.normalize import normalize
from collector.engine.redact import MARKER, Redactor, marker
from collector.engine.redact_key import KeyFileError, default_key_path, load_or_create_key
from collector.engine.redact_models import _identity, item_shapes, unwalked
from collector.records import Scope
from collector.registry import REGISTRY, all_generic_types
from collector.registry.base import ResourceType

TYPES = sorted(
    [*REGISTRY.values(), *all_generic_types().values()], key=lambda t: t.resource_type
)
_ids = itertools.count()


def _sample(shape: Shape, path: str, secrets: dict[str, str], seen: tuple[str, ...]) -> Any:
    """A value for ``shape``; every sensitive member holds a sentinel recorded in ``secrets``."""
    if shape.metadata.get("sensitive"):
        sentinel = f"SENTINEL-{next(_ids)}"
        secrets[sentinel] = path
        if isinstance(shape, MapShape):  # its keys are secret only when flagged themselves
            key = f"{sentinel}-key" if shape.key.metadata.get("sensitive") else "name"
            return {key: sentinel}
        if isinstance(shape, ListShape):
            return [sentinel]
        if isinstance(shape, StructureShape):
            return {name: sentinel for name in shape.members}
        return sentinel
    if shape.name in seen or len(seen) > 10:
        return None
    seen = (*seen, shape.name)
    if isinstance(shape, StructureShape):
        return {n: _sample(m, f"{path}.{n}", secrets, seen) for n, m in shape.members.items()}
    if isinstance(shape, ListShape):
        return [_sample(shape.member, f"{path}[]", secrets, seen)]
    if isinstance(shape, MapShape):
        return {"k": _sample(shape.value, f"{path}.*", secrets, seen)}
    return "plain"


def _place(item: dict[str, Any], prefix: str, value: Any) -> None:
    if not prefix:
        if isinstance(value, dict):
            item.update(value)
        return
    *parents, last = prefix.split(".")
    node = item
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def _stored_item(rtype: ResourceType) -> tuple[dict[str, Any], dict[str, str]]:
    item: dict[str, Any] = {}
    secrets: dict[str, str] = {}
    for prefix, shape, _ in item_shapes(rtype):
        if shape is not None:
            found: dict[str, str] = {}
            _place(item, prefix, _sample(shape, prefix or "$", found, ()))
            # Identity fields (id, name, tags) are stored in columns of their own anyway.
            secrets.update({s: p for s, p in found.items() if not _identity(rtype, p.lstrip("$."))})
    return item, secrets


@pytest.mark.parametrize("rtype", TYPES, ids=lambda t: t.resource_type)
def test_no_sensitive_member_survives_redaction(rtype: ResourceType) -> None:
    item, secrets = _stored_item(rtype)
    redacted = json.dumps(Redactor.with_defaults()(rtype.resource_type, item))
    left = sorted(p for s, p in secrets.items() if s in redacted)
    assert not left, f"{rtype.resource_type}: stored unredacted: {left}"


def test_every_list_and_detail_result_is_walked() -> None:
    assert unwalked() == []


def test_the_walk_finds_what_botocore_flags() -> None:
    # From outside the code under test: secrets the issue found stored in clear.
    flagged = {t.resource_type: _stored_item(t)[1] for t in TYPES}
    assert len([t for t, s in flagged.items() if s and not t.startswith("generic:")]) >= 10
    assert any("UserData" in p for p in flagged["AWS::EC2::SpotFleet"].values())


SCOPE = Scope("111111111111", "us-east-1")


def _norm(rtype: str, item: dict[str, Any], key: bytes = b"k" * 32) -> Any:
    return normalize(REGISTRY[rtype], SCOPE, item, Redactor.with_defaults(key=key))


def test_unflagged_secrets_are_redacted() -> None:
    vpn = _norm("AWS::EC2::VPNConnection", {
        "VpnConnectionId": "vpn-1",
        "CustomerGatewayConfiguration": "<ipsec><pre_shared_key>psk-secret-1</pre_shared_key>",
        "Options": {"TunnelOptions": [{"OutsideIpAddress": "1.2.3.4", "PreSharedKey": "psk-secret-2"}]},
    }).raw  # fmt: skip
    assert "psk-secret" not in vpn.json_text  # the text the store writes
    assert vpn["Options"]["TunnelOptions"][0]["OutsideIpAddress"] == "1.2.3.4"
    cloudfront = _norm("AWS::CloudFront::Distribution", {
        "Id": "E1", "ARN": "arn:aws:cloudfront::111111111111:distribution/E1",
        "Origins": {"Items": [{"Id": "o", "CustomHeaders": {"Items": [
            {"HeaderName": "X-Origin-Verify", "HeaderValue": "header-secret"}]}}]},
    }).raw  # fmt: skip
    header = cloudfront["Origins"]["Items"][0]["CustomHeaders"]["Items"][0]
    assert header["HeaderName"] == "X-Origin-Verify" and header["HeaderValue"].startswith(MARKER)
    spot = Redactor.with_defaults()("generic:ec2:DescribeSpotInstanceRequests", {
        "LaunchSpecification": {"UserData": "IyEvYmluL3NoCmV4cG9ydCBQQVNTPWh1bnRlcjI="}})
    assert spot["LaunchSpecification"]["UserData"].startswith(MARKER)


def test_marker_is_keyed_so_guesses_cannot_be_checked() -> None:
    stored = marker("hunter2", b"a" * 32)
    assert stored.startswith(MARKER)
    # The old unkeyed marker, and every plain hash of the value, are not what is stored.
    for guess in (repr("hunter2"), "hunter2", json.dumps("hunter2")):
        assert hashlib.sha256(guess.encode()).hexdigest()[:16] not in stored
    assert marker("hunter2", b"b" * 32) != stored  # the key decides
    assert marker("hunter2", b"a" * 32) == stored  # stable: unchanged secrets stay unchanged
    assert marker("hunter3", b"a" * 32) != stored  # a changed secret shows as modified


def test_changed_secret_changes_the_digest_with_a_file_key(tmp_path: Path) -> None:
    key = load_or_create_key(default_key_path(f"sqlite:///{tmp_path}/inventory.db"))
    item = {"VpnConnectionId": "vpn-1", "CustomerGatewayConfiguration": "psk-1"}
    a, b = _norm("AWS::EC2::VPNConnection", item, key), _norm(
        "AWS::EC2::VPNConnection", {**item, "CustomerGatewayConfiguration": "psk-2"}, key
    )
    assert a.digest != b.digest
    assert _norm("AWS::EC2::VPNConnection", item, key).digest == a.digest


def test_key_file_is_private_beside_the_database_and_never_in_it(tmp_path: Path) -> None:
    path = default_key_path(f"sqlite:///{tmp_path}/inventory.db")
    assert path == tmp_path / "inventory.db.key"
    key = load_or_create_key(path)
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    configured = default_key_path("postgresql://h/db", str(tmp_path / "k"))
    assert configured == tmp_path / "k"
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_or_create_key(path)


def test_new_types_secrets_are_redacted() -> None:
    """Environment values, job arguments and parameters of the types added for coverage."""
    batch = _norm("AWS::Batch::JobDefinition", {
        "jobDefinitionName": "j", "jobDefinitionArn": "arn:aws:batch:us-east-1:111111111111:job-definition/j:1",
        "ecsProperties": {"taskProperties": [{"containers": [{"environment": [
            {"name": "TOKEN", "value": "secret-ecs"}]}]}]},
        "eksProperties": {"podProperties": {"containers": [{"env": [
            {"name": "TOKEN", "value": "secret-eks"}]}]}},
    }).raw  # fmt: skip
    assert "secret-" not in batch.json_text
    trigger = _norm("AWS::Glue::Trigger", {
        "Name": "t", "Actions": [{"JobName": "j", "Arguments": {"--password": "secret-glue"}}],
    }).raw  # fmt: skip
    assert "secret-glue" not in trigger.json_text
    assert trigger["Actions"][0]["JobName"] == "j"
