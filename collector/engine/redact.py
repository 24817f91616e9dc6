"""Secret-bearing fields are replaced before anything is stored.

Each value becomes a marker with a hash of the value, so a changed secret still changes the
resource's digest (and shows up as `modified`) without the secret ever reaching the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

MARKER = "<redacted sha256:"

# Paths are dotted keys; `*` is every key of an object, `[]` after a key every list element.
DEFAULT_RULES: dict[str, tuple[str, ...]] = {
    "AWS::Lambda::Function": ("Environment.Variables.*",),
    "AWS::EC2::Instance": ("UserData", "UserData.Value"),
    "AWS::EC2::LaunchTemplate": ("LaunchTemplateData.UserData",),
    "AWS::AutoScaling::LaunchConfiguration": ("UserData",),
    "AWS::ECS::TaskDefinition": (
        "containerDefinitions[].environment[].value",
        "ContainerDefinitions[].Environment[].Value",
    ),
    "AWS::CodeBuild::Project": ("environment.environmentVariables[].value",),
    "AWS::Batch::JobDefinition": ("containerProperties.environment[].value",),
    "AWS::CloudFormation::Stack": ("Parameters[].ParameterValue",),
    "AWS::SSM::Parameter": ("Value",),
    "AWS::SecretsManager::Secret": ("SecretString", "SecretBinary"),
    "AWS::RDS::DBInstance": ("MasterUserPassword",),
}


def marker(value: Any) -> str:
    digest = hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:16]
    return f"{MARKER}{digest}>"


def _walk(node: Any, parts: Sequence[str]) -> Any:
    if not parts:
        return node if node is None or (isinstance(node, str) and node.startswith(MARKER)) else marker(node)
    head, rest = parts[0], parts[1:]
    if not isinstance(node, Mapping):
        return node
    listed = head.endswith("[]")
    key = head[:-2] if listed else head
    keys = list(node) if key == "*" else [key] if key in node else []
    if not keys:
        return node
    out = dict(node)
    for k in keys:
        value = node[k]
        if listed and isinstance(value, list):
            out[k] = [_walk(v, rest) for v in value]
        elif not listed:
            out[k] = _walk(value, rest)
    return out


def _split(path: str) -> list[str]:
    # "a[].b" -> ["a[]", "b"]; brackets only ever follow a key.
    return [p for p in path.split(".") if p]


class Redactor:
    def __init__(self, rules: Mapping[str, Sequence[str]]) -> None:
        self._rules = {t: [_split(p) for p in paths] for t, paths in rules.items() if paths}

    @classmethod
    def with_defaults(cls, extra: Mapping[str, Sequence[str]] | None = None, *, defaults: bool = True) -> Redactor:
        merged: dict[str, list[str]] = {}
        for source in ((DEFAULT_RULES if defaults else {}), extra or {}):
            for rtype, paths in source.items():
                merged.setdefault(rtype, []).extend(paths)
        return cls(merged)

    def applies_to(self, resource_type: str) -> bool:
        return resource_type in self._rules

    def __call__(self, resource_type: str, item: dict[str, Any]) -> dict[str, Any]:
        for parts in self._rules.get(resource_type, ()):
            item = _walk(item, parts)
        return item


DEFAULT = Redactor.with_defaults()
