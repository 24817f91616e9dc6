"""Secret-bearing fields are replaced before anything is stored.

Which fields: every member botocore flags ``sensitive`` in the output of the calls a type makes
(generated from the models, see :mod:`collector.engine.redact_models`), plus the secrets botocore does
not flag (:data:`DEFAULT_RULES`) and the config's own ``[redact] rules``.

Each value becomes a marker holding a keyed HMAC-SHA256 of the value (the key lives outside the
database, see :mod:`collector.engine.redact_key`): a changed secret still changes the resource's digest
(and shows up as ``modified``), and the stored marker cannot be tested against guesses.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

MARKER = "<redacted hmac:"

# Secrets botocore does not flag, or flags only in some versions. Paths are dotted keys; `*`
# is every key of an object, `[]` after a key every list element.
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
    "AWS::Batch::JobDefinition": (
        "containerProperties.environment[].value",
        "ecsProperties.taskProperties[].containers[].environment[].value",
        "eksProperties.podProperties.containers[].env[].value",
        "nodeProperties.nodeRangeProperties[].container.environment[].value",
    ),
    "AWS::Lambda::Version": ("Environment.Variables.*",),
    # Static header and query values an integration adds: where API keys and tokens go.
    "AWS::ApiGatewayV2::Integration": ("RequestParameters.*",),
    "AWS::Glue::Trigger": ("Actions[].Arguments.*",),
    "AWS::Config::ConformancePack": ("ConformancePackInputParameters[].ParameterValue",),
    "AWS::CloudFormation::Stack": ("Parameters[].ParameterValue",),
    "AWS::SSM::Parameter": ("Value",),
    "AWS::SecretsManager::Secret": ("SecretString", "SecretBinary"),
    "AWS::RDS::DBInstance": ("MasterUserPassword",),
    # The VPN's configuration document carries the tunnels' pre-shared keys in clear.
    "AWS::EC2::VPNConnection": (
        "CustomerGatewayConfiguration",
        "Options.TunnelOptions[].PreSharedKey",
    ),
    # Custom origin headers are how a distribution proves itself to its origin.
    "AWS::CloudFront::Distribution": ("Origins.Items[].CustomHeaders.Items[].HeaderValue",),
    # Job arguments and EMR configuration properties are where passwords are usually put.
    "AWS::Glue::Job": ("DefaultArguments.*", "NonOverridableArguments.*"),
    "AWS::EMR::Cluster": (
        "Configurations[].Properties.*",
        "Configurations[].Configurations[].Properties.*",
    ),
    "AWS::ApiGateway::ApiKey": ("value",),
    # Build-time environment variables, where Amplify apps keep their API keys.
    "AWS::Amplify::App": ("environmentVariables.*",),
    "AWS::Amplify::Branch": ("environmentVariables.*",),
    "generic:ec2:DescribeLaunchTemplateVersions": ("LaunchTemplateData.UserData",),
    "generic:ec2:DescribeSpotInstanceRequests": ("LaunchSpecification.UserData",),
    "generic:ec2:DescribeSpotFleetRequests": (
        "SpotFleetRequestConfig.LaunchSpecifications[].UserData",
        "SpotFleetRequestConfig.LaunchTemplateConfigs[].Overrides[].UserData",
    ),
}

# Markers made without a configured key (library use, tests) are only comparable within one
# process; the collector always passes the key from its key file.
_PROCESS_KEY = secrets.token_bytes(32)


def marker(value: Any, key: bytes = _PROCESS_KEY) -> str:
    text = json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)
    digest = hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    return f"{MARKER}{digest}>"


def _walk(node: Any, parts: Sequence[str], key: bytes) -> Any:
    if not parts:
        if node is None or (isinstance(node, str) and node.startswith(MARKER)):
            return node
        return marker(node, key)
    head, rest = parts[0], parts[1:]
    if not isinstance(node, Mapping):
        return node
    listed = head.endswith("[]")
    name = head[:-2] if listed else head
    keys = list(node) if name == "*" else [name] if name in node else []
    if not keys:
        return node
    out = dict(node)
    for k in keys:
        value = node[k]
        if listed and isinstance(value, list):
            out[k] = [_walk(v, rest, key) for v in value]
        elif not listed:
            out[k] = _walk(value, rest, key)
    return out


def _split(path: str) -> list[str]:
    # "a[].b" -> ["a[]", "b"]; brackets only ever follow a key.
    return [p for p in path.split(".") if p]


class Redactor:
    """Applies per-type paths; with ``generated`` also botocore's sensitive members."""

    def __init__(
        self,
        rules: Mapping[str, Sequence[str]],
        *,
        key: bytes | None = None,
        generated: bool = False,
    ) -> None:
        self._rules = {t: [_split(p) for p in paths] for t, paths in rules.items() if paths}
        self._key = key or _PROCESS_KEY
        self._generated = generated
        self._cache: dict[str, list[list[str]]] = {}

    @classmethod
    def with_defaults(
        cls,
        extra: Mapping[str, Sequence[str]] | None = None,
        *,
        defaults: bool = True,
        key: bytes | None = None,
    ) -> Redactor:
        merged: dict[str, list[str]] = {}
        for source in ((DEFAULT_RULES if defaults else {}), extra or {}):
            for rtype, paths in source.items():
                merged.setdefault(rtype, []).extend(paths)
        return cls(merged, key=key, generated=defaults)

    def _paths(self, resource_type: str) -> list[list[str]]:
        found = self._cache.get(resource_type)
        if found is None:
            found = list(self._rules.get(resource_type, ()))
            if self._generated:
                from collector.engine.redact_models import rules_for

                found += [_split(p) for p in rules_for(resource_type)]
            self._cache[resource_type] = found
        return found

    def applies_to(self, resource_type: str) -> bool:
        return bool(self._paths(resource_type))

    def __call__(self, resource_type: str, item: dict[str, Any]) -> dict[str, Any]:
        for parts in self._paths(resource_type):
            item = _walk(item, parts, self._key)
        return item


DEFAULT = Redactor.with_defaults()
