"""Cheaper botocore clients: one connection pool and TLS context for all, one generated
class per service, a User-Agent built once. Importing this module installs the class cache
in aiobotocore's client creator; a session opts in by giving its event emitter a
``CLIENT_CLASSES`` dict (see :class:`collector.aws.sessions.Sessions`)."""

from __future__ import annotations

import json
import os
import re
import ssl
import threading
from datetime import datetime
from typing import Any, ClassVar

import aiohttp
from aiobotocore.client import AioClientCreator
from aiobotocore.httpsession import AIOHTTPSession
from botocore.hooks import EventAliaser
from botocore.httpsession import get_cert_path
from botocore.loaders import JSONFileLoader
from botocore.utils import parse_timestamp

__all__ = ["CLIENT_CLASSES", "CLIENT_MODELS", "Pool", "PooledHTTPSession", "fast_timestamps", "freeze_user_agent", "lean_models", "parse_time"]


class Pool:
    """One aiohttp session, so one connection pool, for every client of a :class:`Sessions`.

    Each botocore client otherwise has a pool of its own (up to ``max_pool_connections``
    keep-alive connections) and ~150 clients of a big run hold hundreds of idle sockets and
    their buffers. The shared pool's limit is the same number, for all clients together,
    which matches the fetcher's cap on calls in flight.
    """

    def __init__(self) -> None:
        self.session: aiohttp.ClientSession | None = None
        self.contexts: dict[Any, ssl.SSLContext] = {}  # one TLS context per CA bundle

    def get(self, http: PooledHTTPSession) -> aiohttp.ClientSession:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(
                connector=http._create_connector(None),
                timeout=http._timeout,
                skip_auto_headers={"CONTENT-TYPE"},
                auto_decompress=False,
            )
        return self.session

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


class PooledHTTPSession(AIOHTTPSession):  # type: ignore[misc]
    """aiobotocore's HTTP session on the pool of its :class:`Sessions` (set per subclass)."""

    pool: ClassVar[Pool]

    async def _get_session(self, proxy_url: str | None) -> aiohttp.ClientSession:
        if proxy_url:
            session: aiohttp.ClientSession = await super()._get_session(proxy_url)
            return session
        return self.pool.get(self)

    def _create_connector(self, proxy_url: str | None) -> aiohttp.TCPConnector:
        if proxy_url or self._cert_file or not self._verify:
            default: aiohttp.TCPConnector = super()._create_connector(proxy_url)
            return default
        context = self.pool.contexts.get(self._verify)
        if context is None:
            context = self._get_ssl_context()
            ca_certs = get_cert_path(self._verify)
            if ca_certs:
                context.load_verify_locations(ca_certs, None, None)
            self.pool.contexts[self._verify] = context
        connector: aiohttp.TCPConnector = aiohttp.TCPConnector(
            limit=self._max_pool_connections, ssl=context, **self._connector_args
        )
        return connector


# The event emitter attribute that holds a session's generated client classes (see below).
CLIENT_CLASSES = "_inventory_client_classes"
_create_client_class = AioClientCreator._create_client_class


async def _cached_client_class(self: Any, service_name: str, service_model: Any) -> Any:
    """botocore builds a new client class (one method and docstring object per operation,
    ~700 for EC2) for every client: a third of a client's creation and ~150 KB each. For
    sessions that opt in (their event emitter carries a cache) the class is built once per
    service: the emitter's handlers, which may add methods to it, are the same every time."""
    cache = getattr(self._event_emitter, CLIENT_CLASSES, None)
    if cache is None:
        return await _create_client_class(self, service_name, service_model)
    cls = cache.get(service_name)
    if cls is None:
        cls = cache[service_name] = await _create_client_class(self, service_name, service_model)
    return cls


if getattr(AioClientCreator._create_client_class, "__name__", "") != _cached_client_class.__name__:
    AioClientCreator._create_client_class = _cached_client_class


# The event emitter attribute that holds a session's service models (see below).
CLIENT_MODELS = "_inventory_client_models"
_load_service_model = AioClientCreator._load_service_model


def _shared_service_model(self: Any, service_name: str, api_version: Any = None) -> Any:
    """botocore gives every client a ServiceModel of its own, and each resolves (and keeps) the
    shapes of the operations it runs: one account over 34 regions builds ~370 clients, whose
    models held ~20 MB of shapes that are the same for every region. For sessions that opt in
    (their event emitter carries a cache) a service's model is built once: nothing changes a
    ServiceModel after it is made, it only caches what it resolves."""
    cache = getattr(self._event_emitter, CLIENT_MODELS, None)
    if cache is None:
        return _load_service_model(self, service_name, api_version)
    key = (service_name, api_version)
    model = cache.get(key)
    if model is None:
        model = cache[key] = _load_service_model(self, service_name, api_version)
    return model


if getattr(AioClientCreator._load_service_model, "__name__", "") != _shared_service_model.__name__:
    AioClientCreator._load_service_model = _shared_service_model


_init_aliaser = EventAliaser.__init__
_copy_aliaser = EventAliaser.__copy__
_DEFAULT_ALIASES_CACHE: dict[str, str] = {}


def _init_sharing_aliases(self: Any, event_emitter: Any, event_aliases: Any = None) -> None:
    _init_aliaser(self, event_emitter, event_aliases)
    if event_aliases is None:  # botocore's own aliases: the answers are the same everywhere
        self._alias_name_cache = _DEFAULT_ALIASES_CACHE


def _copy_sharing_aliases(self: Any) -> Any:
    """botocore gives each session and each client an event aliaser of its own (a client's is
    a copy of its session's), each starting with an empty cache of aliased event names: a
    client's first call of every operation works out its ~12 event names again against ~40
    aliases (12% of all emits in a 5-account run, over 48 clients; 4.6% of the SDK's CPU per
    call), and each new session its ~340 handlers' names. A copy has the same aliases, so the
    same answers: it shares the cache of the aliaser it was copied from."""
    new = _copy_aliaser(self)
    new._alias_name_cache = self._alias_name_cache
    return new


if EventAliaser.__copy__.__name__ != _copy_sharing_aliases.__name__:
    EventAliaser.__init__ = _init_sharing_aliases
    EventAliaser.__copy__ = _copy_sharing_aliases


def freeze_user_agent(client: Any) -> None:
    """Build the client's User-Agent header once instead of twice per request.

    botocore 1.40 rebuilds the whole header for every request (when it builds the request and
    again in a ``request-created`` handler) to append per-request feature codes: ~12% of the
    CPU of a small call. The header is only informational; the one built now (SDK, Python,
    OS, config, ``user_agent_extra``) is kept for the client's life.
    """
    creator = getattr(client, "_user_agent_creator", None)
    if creator is None or not callable(getattr(creator, "to_string", None)):
        return  # another botocore: leave it as it is
    text = creator.to_string()
    creator.to_string = lambda: text


# What AWS sends in nearly every response (ISO 8601 in UTC, at most microseconds): read by the
# C parser. botocore hands every timestamp to dateutil, ~0.5 ms each: a fifth of the CPU of
# parsing an EC2 page. Everything else (epoch numbers, RFC 822 dates, nanoseconds) still goes
# to botocore's own parser.
_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?")


def parse_time(value: Any) -> datetime:
    """The same instant as botocore's ``parse_timestamp``, naive where it is naive."""
    if isinstance(value, str) and _ISO.fullmatch(value):
        return datetime.fromisoformat(value)
    parsed: datetime = parse_timestamp(value)
    return parsed


def fast_timestamps(session: Any) -> None:
    """Make the clients of a botocore session parse timestamps with :func:`parse_time`."""
    session.get_component("response_parser_factory").set_parser_defaults(
        timestamp_parser=parse_time
    )


def _strip_docs(model: dict[str, Any]) -> None:
    # Only where botocore puts documentation: a shape may well have a member of that name.
    for operation in model.get("operations", {}).values():
        operation.pop("documentation", None)
        operation.pop("documentationUrl", None)
    for shape in model.get("shapes", {}).values():
        shape.pop("documentation", None)
        for ref in (*shape.get("members", {}).values(), shape.get("member"), shape.get("key"),
                    shape.get("value")):  # fmt: skip
            if isinstance(ref, dict):
                ref.pop("documentation", None)


class _PlainJSONFileLoader(JSONFileLoader):  # type: ignore[misc]
    """botocore's model files read into plain dicts, not OrderedDicts: the same keys in the
    same order (dicts keep it), at a twentieth of the cost (EC2's model: 54 ms -> 2.3 ms;
    the ~20 services of a run: ~150 ms of start-up, on the event loop at each service's
    first client, which delays every call waiting for its turn meanwhile). Nothing in
    botocore or aiobotocore uses OrderedDict's own methods on model data."""

    def _load_file(self, full_path: str, open_method: Any) -> Any:
        if not os.path.isfile(full_path):
            return None
        with open_method(full_path, "rb") as fp:
            return json.loads(fp.read().decode("utf-8"))


def lean_models(loader: Any) -> None:
    """Service models without their documentation (a quarter to a third of each model, which
    stays loaded for the whole run: ~3 MB of EC2's 12 MB). Nothing a collection does reads
    it: botocore only renders it for help() on a client method. The files are read into
    plain dicts (:class:`_PlainJSONFileLoader`)."""
    load = loader.load_service_model
    stripped: set[int] = set()
    # Models may be loaded ahead on a thread (Sessions.preload_models) while the event loop
    # loads one: the cached copy is stripped in place, by one of them, before either uses it.
    # One lock a service, so that the loop never waits for the thread's read of another.
    locks: dict[str, threading.Lock] = {}

    def load_service_model(service_name: str, type_name: str, api_version: Any = None) -> Any:
        with locks.setdefault(service_name, threading.Lock()):
            model = load(service_name, type_name, api_version)
            if type_name == "service-2" and id(model) not in stripped:
                _strip_docs(model)  # the loader's cached copy: stripped once
                stripped.add(id(model))
        return model

    loader.load_service_model = load_service_model
    if type(loader.file_loader) is JSONFileLoader:
        loader.file_loader = _PlainJSONFileLoader()
