"""One account's view of a shared client: calls sign with that account's credentials.

See :mod:`collector.aws.sessions`: a client is built once per (region, service) with
credentials that stand for "the account of the call being made"; every call goes through an
:class:`AccountClient` that names its account in a context variable for the duration of the
call, and the signer reads that account's own credentials.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from aiobotocore._helpers import resolve_awaitable
from aiobotocore.credentials import AioCredentials
from botocore.exceptions import NoCredentialsError


@dataclass(frozen=True, slots=True)
class Account:
    account_id: str
    credentials: Any  # aiobotocore credentials, or None when none could be found
    # The AssumeRole fetcher's cache, for assumed-role accounts: emptied to force a refresh.
    role_cache: dict[str, Any] | None = None
    # The last frozen credentials and when they were read (see AccountCredentials).
    frozen: list[Any] = field(default_factory=lambda: [None, 0.0])

    def forget_frozen(self) -> None:
        self.frozen[0] = None


FROZEN_FOR_S = 1.0

# The account the running task is calling for; set by AccountClient around every call.
_ACCOUNT: contextvars.ContextVar[Account | None] = contextvars.ContextVar(
    "inventory_account", default=None
)


def current() -> Account:
    account = _ACCOUNT.get()
    if account is None:
        raise RuntimeError("a shared client was called outside of an AccountClient")
    return account


class AccountCredentials(AioCredentials):  # type: ignore[misc]
    """The credentials of the account named by the running call (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__("", "", method="inventory-per-account")

    @staticmethod
    def _credentials() -> Any:
        credentials = current().credentials
        if credentials is None:
            raise NoCredentialsError()
        return credentials

    async def get_frozen_credentials(self) -> Any:
        # Every request is signed, and asking refreshable credentials whether they need a
        # refresh costs a time-zone-aware clock reading through dateutil (~1% of a run's
        # CPU). botocore refreshes at least 10 minutes before expiry, so credentials read
        # under a second ago are still good; an expired-token retry forgets them first.
        account = current()
        memo = account.frozen
        now = time.monotonic()
        if memo[0] is not None and now - memo[1] < FROZEN_FOR_S:
            return memo[0]
        frozen = await self._credentials().get_frozen_credentials()
        memo[0], memo[1] = frozen, now
        return frozen

    async def get_account_id(self) -> Any:  # the endpoint rules' AWS::Auth::AccountId
        return await resolve_awaitable(self._credentials().get_account_id())


class _Paginator:
    __slots__ = ("_account", "_paginator")

    def __init__(self, paginator: Any, account: Account) -> None:
        self._paginator = paginator
        self._account = account

    def paginate(self, **params: Any) -> AsyncIterator[Any]:
        return Pages(self._paginator.paginate(**params), self._account)


class Pages:
    __slots__ = ("_account", "_iterator", "_pages")

    def __init__(self, pages: Any, account: Account) -> None:
        self._pages = pages
        self._account = account
        self._iterator: Any = None

    def __aiter__(self) -> Pages:
        return self

    async def __anext__(self) -> Any:
        if self._iterator is None:
            self._iterator = self._pages.__aiter__()
        _ACCOUNT.set(self._account)
        return await self._iterator.__anext__()

    def last(self, page: Any) -> bool:
        """Whether botocore's paginator stops after ``page`` without another request: its own
        next-token rule (``more_results``, empty tokens), read by the caller before it takes a
        throttle turn for a page that will not be asked for."""
        pages = self._pages
        if pages._max_items is not None:  # it may also stop on a count: let it decide
            return False
        return all(token is None for token in pages._get_next_token(page).values())

    async def aclose(self) -> None:
        if self._iterator is not None:
            await self._iterator.aclose()


class AccountClient:
    """One account's view of a shared (region, service) client: the same methods, its keys."""

    __slots__ = ("_account", "_client", "_methods")

    def __init__(self, client: Any, account: Account) -> None:
        self._client = client
        self._account = account
        self._methods: dict[str, Callable[..., Any]] = {}

    @property
    def meta(self) -> Any:
        return self._client.meta

    @property
    def account_id(self) -> str:
        return self._account.account_id

    def can_paginate(self, operation: str) -> bool:
        return bool(self._client.can_paginate(operation))

    def get_paginator(self, operation: str) -> _Paginator:
        return _Paginator(self._client.get_paginator(operation), self._account)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        method = self._methods.get(name)
        if method is None:
            target = getattr(self._client, name)  # AttributeError for unknown operations
            account = self._account

            async def method(*args: Any, **kwargs: Any) -> Any:
                _ACCOUNT.set(account)
                return await target(*args, **kwargs)

            self._methods[name] = method
        return method
