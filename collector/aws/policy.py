"""The least-privilege IAM policies of a run: what the collector's principal needs in the
management account, and what the role it assumes in every member account needs.

The member role gets the permissions of the selected types (`collector.registry.permissions`)
plus the run's own calls made with the account's credentials (DescribeRegions). The principal
gets the run's own calls made with the base credentials (STS, Organizations, AssumeRole on the
member role only) and the Organizations types, which answer only in the management account.
It also collects its own account (`collect_management_account`, `source = "current"`), for
which it needs the member policies as well.

Each side is split into managed policies under IAM's size limit (6,144 characters, whitespace
not counted).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from collector.aws.planning import ENABLED, role_arn_for
from collector.config import Config
from collector.registry.base import Grant, ResourceType
from collector.registry.permissions import derived, grants_for

MANAGED_POLICY_LIMIT = 6144
# Services whose types answer only in the management (or a delegated) account: their calls
# belong to the principal, not to the member role (they are skipped in members).
MANAGEMENT_SERVICES = frozenset({"organizations"})
# The run's own calls, with where they are made (tests/test_permissions.py reads the sources
# of collector/aws and collector/engine and checks that every call there is in one of these).
MANAGEMENT_CALLS = (
    ("sts", "get_caller_identity"),  # planning.caller_account
)
ORGANIZATION_CALLS = (
    ("organizations", "list_accounts"),  # planning.organization_accounts
)
# Only when [accounts] include/exclude names an OU or the root: planning._accounts_under.
ORGANIZATION_UNIT_CALLS = (
    ("organizations", "list_accounts_for_parent"),
    ("organizations", "list_organizational_units_for_parent"),
)
# With the account's own credentials when [regions] include has "enabled": planning.enabled_regions.
MEMBER_CALLS = (("ec2", "describe_regions"),)
# sessions.Sessions.open_account, on the member role only.
ASSUME_ROLE = "sts:AssumeRole"


@dataclass(frozen=True)
class Policy:
    name: str
    document: dict[str, Any]

    @property
    def actions(self) -> list[str]:
        return [a for s in self.document["Statement"] for a in s["Action"]]

    @property
    def size(self) -> int:
        """The size IAM counts: the JSON without whitespace."""
        return len(minified(self.document))


@dataclass(frozen=True)
class PolicySet:
    """The policies of a run: `management` for the collector's principal, `member` for the
    role it assumes (`role_name`, None when the config assumes no role)."""

    role_name: str | None
    management: list[Policy]
    member: list[Policy]

    def actions(self) -> set[str]:
        return {a for p in [*self.management, *self.member] for a in p.actions}


def minified(document: dict[str, Any]) -> str:
    return json.dumps(document, separators=(",", ":"))


def _run_grants(calls: Iterable[tuple[str, str]]) -> list[Grant]:
    return [g for service, operation in calls for g in derived(service, operation)]


def _role_arns(cfg: Config, partition: str) -> list[str]:
    """The roles the principal assumes: the member role in every account (`*`), or the roles of
    the listed accounts."""
    accounts = cfg.accounts
    if accounts.source == "organizations":
        return [role_arn_for("*", accounts.role_name, partition)]
    if accounts.source != "list":
        return []
    arns = {
        entry.role_arn or role_arn_for(entry.id, entry.role_name or accounts.role_name, partition)
        for entry in accounts.entries()
        if not entry.profile
    }
    return sorted(arns)


def _role_name(cfg: Config) -> str | None:
    if cfg.accounts.source == "current":
        return None
    return cfg.accounts.role_name.rsplit("/", 1)[-1]


def build(cfg: Config, types: Sequence[ResourceType], *, partition: str = "aws") -> PolicySet:
    """The policies for `cfg` collecting `types`."""
    member_types = [t for t in types if t.service not in MANAGEMENT_SERVICES]
    management_types = [t for t in types if t.service in MANAGEMENT_SERVICES]
    member = grants_for(member_types)
    if ENABLED in cfg.regions.include:
        member += _run_grants(MEMBER_CALLS)
    management = _run_grants(MANAGEMENT_CALLS) + grants_for(management_types)
    if cfg.accounts.source == "organizations":
        management += _run_grants(ORGANIZATION_CALLS)
        names_units = [u for u in [*cfg.accounts.include, *cfg.accounts.exclude] if not u.isdigit()]
        if names_units:
            management += _run_grants(ORGANIZATION_UNIT_CALLS)
    management += [Grant(ASSUME_ROLE, arn) for arn in _role_arns(cfg, partition)]
    return PolicySet(
        role_name=_role_name(cfg),
        management=split(management, "InventoryCollector", partition),
        member=split(member, "InventoryReadOnly", partition),
    )


def _statements(grants: Iterable[Grant], partition: str) -> list[dict[str, Any]]:
    """One statement for the actions on every resource, one per scoped action."""
    by_resources: dict[tuple[str, ...], list[str]] = {}
    scoped: dict[str, list[str]] = {}
    for grant in grants:
        if grant.resource == "*":
            by_resources.setdefault(("*",), []).append(grant.action)
        else:
            scoped.setdefault(grant.action, []).append(grant.resource.format(partition=partition))
    for action, arns in scoped.items():
        by_resources.setdefault(tuple(sorted(set(arns))), []).append(action)
    out = []
    for resources, actions in sorted(by_resources.items(), key=_wildcard_first):
        out.append(
            {
                "Sid": "Read" if resources == ("*",) else _sid(actions[0]),
                "Effect": "Allow",
                "Action": sorted(set(actions), key=str.lower),
                "Resource": resources[0] if len(resources) == 1 else list(resources),
            }
        )
    return out


def _sid(action: str) -> str:
    """A statement id from its action: sts:AssumeRole -> StsAssumeRole."""
    prefix, _, name = action.partition(":")
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", prefix)) + name


def _wildcard_first(item: tuple[tuple[str, ...], list[str]]) -> tuple[bool, tuple[str, ...]]:
    return (item[0] != ("*",), item[0])


def _document(grants: Sequence[Grant], partition: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": _statements(grants, partition)}


def split(grants: Sequence[Grant], name: str, partition: str = "aws") -> list[Policy]:
    """`grants` as managed policies named `<name>1`, `<name>2`, ..., each under the limit:
    filled in order, a new one started when the next grant would not fit."""
    chunks: list[list[Grant]] = []
    current: list[Grant] = []
    for grant in dict.fromkeys(grants):
        if current and len(minified(_document([*current, grant], partition))) > MANAGED_POLICY_LIMIT:
            chunks.append(current)
            current = []
        current.append(grant)
    if current:
        chunks.append(current)
    return [Policy(f"{name}{i}", _document(c, partition)) for i, c in enumerate(chunks, 1)]
