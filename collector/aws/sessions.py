"""Credentials per account and clients per (region, service), shared by every account.

Building a botocore client costs 15-25 ms of CPU (a generated class of hundreds of methods, a
copy of the session's event emitter, endpoint and config resolution) and one per (account,
region, service) is ~19k clients for 100 accounts x 17 regions x 11 services: minutes of CPU
before any inventory arrives. What differs between two accounts' clients of one region and
service is only the credentials they sign with, so a client here is built once per (region,
service) with credentials that stand for "the account of the call being made": every call goes
through an :class:`AccountClient` that names its account in a context variable for the
duration of the call, and the request signer reads that account's own credentials (the base
credentials, self-refreshing AssumeRole credentials, or a profile's) when it signs.

Context variables belong to the asyncio task that sets them, so concurrent calls for different
accounts never see each other's credentials; a call through the shared client without an
account named fails instead of signing with somebody else's keys.

Every session shares one botocore loader (service models are parsed once), and every client
one connection pool and TLS context (see :mod:`collector.aws.clientsetup`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import functools
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aioboto3
import botocore.session
from aiobotocore.config import AioConfig
from aiobotocore.credentials import (
    AioAssumeRoleCredentialFetcher,
    AioDeferredRefreshableCredentials,
)
from aiobotocore.session import AioSession

from collector import __version__
from collector.aws import fastparse, signing
from collector.aws.account_client import Account, AccountClient, AccountCredentials, current
from collector.aws.clientsetup import (
    CLIENT_CLASSES,
    CLIENT_MODELS,
    Pool,
    PooledHTTPSession,
    fast_timestamps,
    freeze_user_agent,
    lean_models,
)
from collector.config import AwsConfig

# Codes meaning "these credentials stopped working": refresh them and try the call again
# (revoked sessions, clock skew: AWS said no before the Expiration it gave us).
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})

# Idle (region, service) clients kept open for work that may come back (see `idle`).
IDLE_CLIENTS = 32

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


def _no_account_host(request: Any, **_: Any) -> None:
    """S3 Control's endpoint rules put the account id in front of the host
    (``<account>.s3-control.<region>.amazonaws.com``), and with a custom endpoint in front of
    it too (``<account>.127.0.0.1``), which no emulator or proxy answers: keep the endpoint's
    own host (the account is in the request's x-amz-account-id header all the same)."""
    parts = urlsplit(request.url)
    account, _, rest = parts.netloc.partition(".")
    if account.isdigit() and len(account) == 12 and rest:
        request.url = urlunsplit(parts._replace(netloc=rest))


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
        lean_models(self._loader)
        # Endpoint data is plain data; aiobotocore made its region lookups coroutines for no
        # benefit, so read it through a sync botocore session on the same loader.
        self._endpoints = botocore.session.Session()
        self._endpoints.register_component("data_loader", self._loader)
        # aioboto3 registers its S3 injections on the botocore session it wraps: wrap each
        # botocore session exactly once.
        self._base_boto3 = aioboto3.Session(botocore_session=self._base)
        # The session the shared clients come from: its credentials are the calling account's.
        self._shared = self._new_botocore_session(aws.profile)
        self._shared._credentials = AccountCredentials()
        fast_timestamps(self._shared)
        fastparse.install(self._shared)  # after the timestamps: it keeps the factory's defaults
        signing.install()  # the same signatures at 16-26 us instead of 50-64 us each
        emitter = self._shared.get_component("event_emitter")
        setattr(emitter, CLIENT_CLASSES, {})
        setattr(emitter, CLIENT_MODELS, {})
        self._pool = Pool()
        http_session_cls = type("PooledHTTPSession", (PooledHTTPSession,), {"pool": self._pool})
        self._boto_config = AioConfig(
            retries={"mode": aws.retry_mode, "total_max_attempts": aws.max_attempts},
            max_pool_connections=max_pool_connections,
            connect_timeout=aws.connect_timeout,
            read_timeout=aws.read_timeout,
            user_agent_extra=f"aws-inventory-collector/{__version__}",
            # A custom endpoint (an emulator, a proxy) is one host: botocore would otherwise
            # send some APIs to api.<host> or data.<host>, which nothing answers.
            inject_host_prefix=aws.endpoint_url is None,
            http_session_cls=http_session_cls,
        )
        self._accounts: dict[str, Account] = {}
        self._opening: dict[str, asyncio.Task[None]] = {}  # see open_ahead
        self._preloading: asyncio.Future[None] | None = None  # see preload_models
        self._closed = False
        # Per (region, service): each open account's view of the shared client.
        self._views: dict[tuple[str, str], dict[str, AccountClient]] = {}
        self._clients: dict[tuple[str, str], Any] = {}
        self._idle: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._closing: set[asyncio.Task[None]] = set()
        self._client_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._regions_cache: dict[str, frozenset[str]] = {}

    @property
    def loader(self) -> Any:
        """The botocore loader every client of these sessions reads its models through."""
        return self._loader

    @property
    def endpoint_url(self) -> str | None:
        return self._aws.endpoint_url

    @property
    def region(self) -> str:
        """`[aws] region`: where STS, Organizations and DescribeRegions are called."""
        return self._aws.region

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

    def preload_models(self, services: Iterable[str]) -> None:
        """Read these services' models on a thread, while the run waits for AWS and the
        database before its first jobs; the event loop would otherwise read each (EC2's takes
        ~40 ms) at the service's first client or region lookup, holding back every answer
        and throttle turn of the run's busiest second meanwhile."""
        if self._preloading is None:
            wanted = list(dict.fromkeys(services))
            self._preloading = asyncio.ensure_future(asyncio.to_thread(self._preload, wanted))

    def _preload(self, services: list[str]) -> None:
        for service in services:
            if self._closed:
                return
            with contextlib.suppress(Exception):  # a model botocore lacks fails where used
                self._loader.load_service_model(service, "service-2")

    def open_ahead(self, targets: list[AccountTarget]) -> None:
        """Start getting these accounts' credentials now; `open_account` takes them up later.

        The run plans its accounts while the database is migrated and locked: assuming the
        first accounts' roles meanwhile takes the AssumeRole round trip (and the STS client's
        set-up) off the start of each account, whose long pole (IAM) starts that much sooner.
        A refused role still fails only its account, when `open_account` is called for it.
        """
        for target in targets:
            if target.account_id not in self._accounts and target.account_id not in self._opening:
                self._opening[target.account_id] = asyncio.ensure_future(self._open(target))

    async def open_account(self, target: AccountTarget) -> None:
        """Get the account's credentials; raises the AssumeRole error when the role is refused."""
        if target.account_id in self._accounts:
            return
        opening = self._opening.pop(target.account_id, None)
        if opening is not None:
            await opening
            return
        await self._open(target)

    async def _open(self, target: AccountTarget) -> None:
        if target.profile:
            # Fails now (ProfileNotFound) for the account, not once per (region, type).
            credentials = await self._new_botocore_session(target.profile).get_credentials()
        elif target.role_arn:
            source = await self._base.get_credentials()
            extra: dict[str, Any] = {
                "RoleSessionName": self._session_name,
                "DurationSeconds": ASSUME_ROLE_SECONDS,
            }
            if target.external_id:
                extra["ExternalId"] = target.external_id
            role_cache: dict[str, Any] | None = {}
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
                cache=role_cache,
            )
            credentials = AioDeferredRefreshableCredentials(
                refresh_using=fetcher.fetch_credentials, method="assume-role"
            )
            # Assume now, so that a refused role is reported once for the account instead of
            # once for every (region, type) of it.
            await credentials.get_frozen_credentials()
        else:
            credentials = await self._base.get_credentials()
        if not target.role_arn:
            role_cache = None
        self._accounts[target.account_id] = Account(target.account_id, credentials, role_cache)

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

    async def client(self, account_id: str, region: str, service: str) -> AccountClient:
        """The account's client for (region, service); the account must be open."""
        group = (region, service)
        views = self._views.get(group)
        view = views.get(account_id) if views is not None else None
        if view is not None:
            self._idle.pop(group, None)
            return view
        account = self._accounts[account_id]
        shared = await self._shared_client(region, service)
        view = AccountClient(shared, account)
        self._views.setdefault(group, {})[account_id] = view
        return view

    async def _shared_client(self, region: str, service: str) -> Any:
        key = (region, service)
        self._idle.pop(key, None)
        existing = self._clients.get(key)
        if existing is not None:
            return existing
        lock = self._client_locks.setdefault(key, asyncio.Lock())
        async with lock:
            existing = self._clients.get(key)
            if existing is None:
                client = await self._shared.create_client(
                    service,
                    region_name=region,
                    endpoint_url=self._aws.endpoint_url,
                    config=self._boto_config,
                ).__aenter__()
                freeze_user_agent(client)
                client.meta.events.register(
                    "needs-retry", functools.partial(self._attempted, region, service)
                )
                if self._aws.endpoint_url and service == "s3control":
                    client.meta.events.register("before-sign", _no_account_host)
                self._clients[key] = existing = client
        return existing

    def idle(self, region: str, service: str) -> None:
        """No job needs the (region, service) client for now: it is kept among the most
        recently idle ones (work for it may come again with the next account), and the oldest
        idle client beyond those is closed, so that live clients follow the work in flight
        rather than every region x service ever used (~0.24 MB each, ~100 MB per region)."""
        key = (region, service)
        if key not in self._clients:
            return
        self._idle[key] = None
        self._idle.move_to_end(key)
        while len(self._idle) > IDLE_CLIENTS:
            old, _ = self._idle.popitem(last=False)
            self._views.pop(old, None)
            client = self._clients.pop(old)
            task = asyncio.get_running_loop().create_task(client.close())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    @property
    def live_clients(self) -> int:
        return len(self._clients)

    def _attempted(
        self, region: str, service: str, response: Any = None, attempts: int = 1, **_: Any
    ) -> float | None:
        """botocore's needs-retry hook: observe every attempt; retry on expired credentials.

        Returning a delay makes botocore retry; the retry is signed again, and signing reads
        the credentials, which we have just marked as needing a refresh.
        """
        code = None
        if response is not None:
            code = response[1].get("Error", {}).get("Code")
        account = current()
        if self._observer is not None:
            self._observer(account.account_id, region, service, code)
        if (
            code in EXPIRED_CODES
            and account.role_cache is not None
            and attempts < self._aws.max_attempts
        ):
            account.role_cache.clear()
            account.forget_frozen()
            creds = account.credentials
            creds._expiry_time = creds._time_fetcher() - datetime.timedelta(seconds=1)
            return 0.05
        return None

    async def close_account(self, account_id: str) -> None:
        """Forget the account's credentials once its work is done (clients are shared)."""
        for views in self._views.values():
            views.pop(account_id, None)
        self._accounts.pop(account_id, None)

    async def close(self) -> None:
        self._closed = True
        if self._preloading is not None:
            await asyncio.gather(self._preloading, return_exceptions=True)
        opening = list(self._opening.values())
        self._opening.clear()
        for task in opening:
            task.cancel()
        await asyncio.gather(*opening, return_exceptions=True)  # nobody else will look
        for account_id in list(self._accounts):
            await self.close_account(account_id)
        clients = list(self._clients.values())
        self._clients.clear()
        self._idle.clear()
        self._views.clear()
        self._client_locks.clear()
        for client in clients:
            await client.close()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
        await self._pool.close()
