"""Which accounts and regions a run covers, produced in a deterministic order."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from collector.aws.sessions import AccountTarget, Sessions
from collector.config import AccountsConfig, ConfigError, RegionsConfig
from collector.partitions import DEFAULT as DEFAULT_PARTITION
from collector.partitions import global_region, partition_of
from collector.records import AccountInfo

ENABLED = "enabled"


@dataclass(frozen=True)
class PlannedAccount:
    info: AccountInfo
    target: AccountTarget
    # The caller's partition (every account of an organization is in its partition): where
    # global types are called and which partition their ARNs are built in.
    partition: str = DEFAULT_PARTITION


def role_arn_for(account_id: str, role_name: str, partition: str = "aws") -> str:
    if role_name.startswith("arn:"):
        return role_name
    return f"arn:{partition}:iam::{account_id}:role/{role_name}"


async def caller_identity(sessions: Sessions) -> tuple[str, str]:
    """(account id, partition) of the base credentials: `arn:aws-cn:iam::...` -> `aws-cn`."""
    async with sessions.base_client("sts") as sts:
        identity = await sts.get_caller_identity()
    arn = str(identity.get("Arn") or "")
    parts = arn.split(":")
    partition = parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else None
    return str(identity["Account"]), partition or DEFAULT_PARTITION


def check_partition(region: str, partition: str) -> None:
    """`[aws] region` must be of the caller's partition: its STS, Organizations and EC2
    endpoints are the only ones that accept the caller's credentials."""
    if partition_of(region) != partition:
        raise ConfigError(
            "config",
            [
                f"[aws] region {region!r} is in partition {partition_of(region)}, the "
                f"credentials are of {partition}: set [aws] region to a region of {partition}, "
                f"e.g. {global_region(partition)}"
            ],
        )


async def _paginate(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    out: list[Any] = []
    async for page in client.get_paginator(operation).paginate(**params):
        out.extend(page.get(key, []))
    return out


async def _accounts_under(org: Any, parent_id: str) -> dict[str, str]:
    """Account id -> its direct parent, for every account below `parent_id`, nested OUs included."""
    found: dict[str, str] = {}
    pending = [parent_id]
    while pending:
        parent = pending.pop()
        for account in await _paginate(
            org, "list_accounts_for_parent", "Accounts", ParentId=parent
        ):
            found[str(account["Id"])] = parent
        for ou in await _paginate(
            org, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=parent
        ):
            pending.append(str(ou["Id"]))
    return found


def _is_active(account: dict[str, Any]) -> bool:
    # `State` replaced `Status` in 2025; accept either.
    state = account.get("State") or account.get("Status")
    return state == "ACTIVE"


async def organization_accounts(
    sessions: Sessions, cfg: AccountsConfig
) -> list[AccountInfo]:
    async with sessions.base_client("organizations") as org:
        accounts = await _paginate(org, "list_accounts", "Accounts")
        parents: dict[str, str] = {}
        include_units = [i for i in cfg.include if not i.isdigit()]
        exclude_units = [e for e in cfg.exclude if not e.isdigit()]
        included_by_unit: set[str] = set()
        for unit in include_units:
            under = await _accounts_under(org, unit)
            parents.update(under)
            included_by_unit |= set(under)
        excluded_by_unit: set[str] = set()
        for unit in exclude_units:
            excluded_by_unit |= set(await _accounts_under(org, unit))
    include_ids = {i for i in cfg.include if i.isdigit()}
    exclude_ids = {e for e in cfg.exclude if e.isdigit()} | excluded_by_unit
    out: list[AccountInfo] = []
    for account in accounts:
        account_id = str(account["Id"])
        if not _is_active(account):
            continue
        if (include_ids or include_units) and not (
            account_id in include_ids or account_id in included_by_unit
        ):
            continue
        if account_id in exclude_ids:
            continue
        out.append(
            AccountInfo(
                account_id=account_id,
                name=account.get("Name"),
                email=account.get("Email"),
                status=account.get("State") or account.get("Status"),
                source="organizations",
                parent_id=parents.get(account_id),
            )
        )
    return sorted(out, key=lambda a: a.account_id)


async def plan_accounts(sessions: Sessions, cfg: AccountsConfig) -> list[PlannedAccount]:
    """The accounts of this run with how to reach each; the caller's own needs no role."""
    listing: asyncio.Task[list[AccountInfo]] | None = None
    if cfg.source == "organizations":
        # Listed while the caller is identified (a round trip less before the first account
        # starts); an error of the identity still comes first, as when they ran in turn.
        listing = asyncio.ensure_future(organization_accounts(sessions, cfg))
    try:
        me, partition = await caller_identity(sessions)
        check_partition(sessions.region, partition)
    except BaseException:
        if listing is not None:
            listing.cancel()
            await asyncio.gather(listing, return_exceptions=True)
        raise
    if cfg.source == "current":
        return [PlannedAccount(AccountInfo(me, source="current"), AccountTarget(me), partition)]
    planned: list[PlannedAccount] = []
    if cfg.source == "list":
        for entry in sorted(cfg.entries(), key=lambda e: e.id):
            info = AccountInfo(entry.id, name=entry.name, source="list")
            if entry.profile:
                target = AccountTarget(entry.id, profile=entry.profile)
            elif entry.id == me and not entry.role_arn and not entry.role_name:
                target = AccountTarget(entry.id)
            else:
                role = entry.role_arn or role_arn_for(
                    entry.id, entry.role_name or cfg.role_name, partition
                )
                target = AccountTarget(
                    entry.id, role_arn=role, external_id=entry.external_id or cfg.external_id
                )
            planned.append(PlannedAccount(info, target, partition))
        return planned
    assert listing is not None
    for info in await listing:
        if info.account_id == me:
            if not cfg.collect_management_account:
                continue
            target = AccountTarget(me)
        else:
            target = AccountTarget(
                info.account_id,
                role_arn=role_arn_for(info.account_id, cfg.role_name, partition),
                external_id=cfg.external_id,
            )
        planned.append(PlannedAccount(info, target, partition))
    return planned


async def enabled_regions(client: Any) -> list[str]:
    """Regions this account can use: opt-in regions only once the account opted in."""
    response = await client.describe_regions(
        Filters=[{"Name": "opt-in-status", "Values": ["opt-in-not-required", "opted-in"]}]
    )
    return sorted(str(r["RegionName"]) for r in response.get("Regions", []))


async def account_regions(
    sessions: Sessions, account_id: str, cfg: RegionsConfig, home_region: str
) -> list[str]:
    wanted = [r for r in cfg.include if r != ENABLED]
    if ENABLED in cfg.include:
        client = await sessions.client(account_id, home_region, "ec2")
        wanted.extend(await enabled_regions(client))
    excluded = set(cfg.exclude)
    return sorted({r for r in wanted if r not in excluded})


def unknown_regions(names: Sequence[str], known: frozenset[str]) -> list[str]:
    return [n for n in names if n != ENABLED and n not in known]
