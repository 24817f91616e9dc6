"""aioboto3 sessions per account and clients per (account, region, service).

Every session shares one botocore loader (service models are parsed once, not once per
session), member accounts get AssumeRole credentials that refresh themselves, and a client is
built once per (account, region, service) and reused by every type of that service.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import aioboto3
import botocore.session
from aiobotocore.credentials import (
    AioAssumeRoleCredentialFetcher,
    AioDeferredRefreshableCredentials,
)
from aiobotocore.session import AioSession
from botocore.config import Config as BotoConfig

from collector import __version__
from collector.config import AwsConfig

# Codes meaning "these credentials stopped working": refresh them and try the call again.
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})

# One hour: botocore refreshes 15 minutes before expiry, so anything under ~16 minutes would
# mean an AssumeRole before every call.
ASSUME_ROLE_SECONDS = 3600


@dataclass(frozen=True)
class AccountTarget:
    """How to reach one account: directly with the base credentials, a role, or a profile."""

    account_id: str
    role_arn: str | None = None
    external_id: str | None = None
    profile: str | None = None


# Told about every attempt of every call: (account, region, service, error code or None).
AttemptObserver = Callable[[str, str, str, str | None], None]


class Sessions:
    def __init__(
        self,
        aws: AwsConfig,
        *,
        session_name: str,
        max_pool_connections: int,
        observer: AttemptObserver | None = None,
    ) -> None:
        self._aws = aws
        self._observer = observer
        self._session_name = session_name
        self._base = AioSession(profile=aws.profile)
        self._loader = self._base.get_component("data_loader")
        # Endpoint data is plain data; aiobotocore made its region lookups coroutines for no
        # benefit, so read it through a sync botocore session on the same loader.
        self._endpoints = botocore.session.Session()
        # aioboto3 registers its S3 injections on the botocore session it wraps: wrap each
        # botocore session exactly once.
        self._base_boto3 = aioboto3.Session(botocore_session=self._base)
        self._endpoints.register_component("data_loader", self._loader)
        self._boto_config = BotoConfig(
            retries={"mode": aws.retry_mode, "total_max_attempts": aws.max_attempts},
            max_pool_connections=max_pool_connections,
            connect_timeout=aws.connect_timeout,
            read_timeout=aws.read_timeout,
            user_agent_extra=f"aws-inventory-collector/{__version__}",
        )
        self._accounts: dict[str, aioboto3.Session] = {}
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._client_locks: dict[tuple[str, str, str], asyncio.Lock] = {}
        self._stacks: dict[str, AsyncExitStack] = {}
        self._regions_cache: dict[str, frozenset[str]] = {}
        # Assumed-role credentials and their fetcher caches, to force a refresh when AWS says
        # they expired before the Expiration it gave us (revoked sessions, clock skew).
        self._refreshable: dict[str, tuple[Any, dict[str, Any]]] = {}

    @property
    def endpoint_url(self) -> str | None:
        return self._aws.endpoint_url

    def _new_botocore_session(self, profile: str | None) -> AioSession:
        session = AioSession(profile=profile)
        session.register_component("data_loader", self._loader)
        return session

    def base(self) -> aioboto3.Session:
        return self._base_boto3

    def base_client(self, service: str, region: str | None = None) -> Any:
        """An async-context client on the base credentials (STS, Organizations, setup calls)."""
        return self.base().client(
            service,
            region_name=region or self._aws.region,
            endpoint_url=self._aws.endpoint_url,
            config=self._boto_config,
        )

    async def open_account(self, target: AccountTarget) -> None:
        """Make the account's session; raises the AssumeRole error when the role is refused."""
        if target.account_id in self._accounts:
            return
        if target.profile:
            botocore_session = self._new_botocore_session(target.profile)
            # Fails now (ProfileNotFound) for the account, not once per (region, type).
            await botocore_session.get_credentials()
        elif target.role_arn:
            botocore_session = self._new_botocore_session(self._aws.profile)
            source = await self._base.get_credentials()
            extra: dict[str, Any] = {
                "RoleSessionName": self._session_name,
                "DurationSeconds": ASSUME_ROLE_SECONDS,
            }
            if target.external_id:
                extra["ExternalId"] = target.external_id
            cache: dict[str, Any] = {}
            fetcher = AioAssumeRoleCredentialFetcher(
                client_creator=functools.partial(
                    self._base.create_client,
                    region_name=self._aws.region,
                    endpoint_url=self._aws.endpoint_url,
                    config=self._boto_config,
                ),
                source_credentials=source,
                role_arn=target.role_arn,
                extra_args=extra,
                cache=cache,
            )
            credentials = AioDeferredRefreshableCredentials(
                refresh_using=fetcher.fetch_credentials, method="assume-role"
            )
            # Assume now, so that a refused role is reported once for the account instead of
            # once for every (region, type) of it.
            await credentials.get_frozen_credentials()
            botocore_session._credentials = credentials
            self._refreshable[target.account_id] = (credentials, cache)
        else:
            self._accounts[target.account_id] = self._base_boto3
            self._stacks[target.account_id] = AsyncExitStack()
            return
        self._accounts[target.account_id] = aioboto3.Session(botocore_session=botocore_session)
        self._stacks[target.account_id] = AsyncExitStack()

    def available_regions(self, service: str) -> frozenset[str]:
        """Regions where botocore's endpoint data says the service exists (all partitions)."""
        cached = self._regions_cache.get(service)
        if cached is None:
            regions: set[str] = set()
            for partition in self._endpoints.get_available_partitions():
                regions.update(self._endpoints.get_available_regions(service, partition))
            cached = frozenset(regions)
            self._regions_cache[service] = cached
        return cached

    def known_regions(self) -> frozenset[str]:
        return self.available_regions("ec2")

    async def client(self, account_id: str, region: str, service: str) -> Any:
        key = (account_id, region, service)
        existing = self._clients.get(key)
        if existing is not None:
            return existing
        lock = self._client_locks.setdefault(key, asyncio.Lock())
        async with lock:
            existing = self._clients.get(key)
            if existing is None:
                creator = self._accounts[account_id].client(
                    service,
                    region_name=region,
                    endpoint_url=self._aws.endpoint_url,
                    config=self._boto_config,
                )
                client = await self._stacks[account_id].enter_async_context(creator)
                client.meta.events.register("needs-retry", functools.partial(self._attempted, key))
                self._clients[key] = existing = client
        return existing

    def _attempted(
        self, key: tuple[str, str, str], response: Any = None, attempts: int = 1, **_: Any
    ) -> float | None:
        """botocore's needs-retry hook: observe every attempt; retry on expired credentials.

        Returning a delay makes botocore retry; the retry is signed again, and signing reads
        the credentials, which we have just marked as needing a refresh.
        """
        code = None
        if response is not None:
            code = response[1].get("Error", {}).get("Code")
        if self._observer is not None:
            self._observer(*key, code)
        refreshable = self._refreshable.get(key[0])
        if code in EXPIRED_CODES and refreshable and attempts < self._aws.max_attempts:
            credentials, cache = refreshable
            cache.clear()
            credentials._expiry_time = credentials._time_fetcher() - datetime.timedelta(seconds=1)
            return 0.05
        return None

    async def close_account(self, account_id: str) -> None:
        """Close the account's clients (their connection pools) once its work is done."""
        stack = self._stacks.pop(account_id, None)
        for key in [k for k in self._clients if k[0] == account_id]:
            del self._clients[key]
            self._client_locks.pop(key, None)
        self._accounts.pop(account_id, None)
        self._refreshable.pop(account_id, None)
        if stack is not None:
            await stack.aclose()

    async def close(self) -> None:
        for account_id in list(self._stacks):
            await self.close_account(account_id)
