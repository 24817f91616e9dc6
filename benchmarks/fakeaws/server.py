"""The aiohttp server: routing, credentials, throttling, faults, counters and handlers."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import random
import re
import socket
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree

import botocore.loaders
from aiohttp import web

from .catalog import BY_OPERATION, SPECS, Gen, TypeSpec, reservation_of
from .scenario import Account, Scenario
from .stats import Stats
from .wire import (
    ACCOUNT,
    Raw,
    Template,
    content_type,
    paginator,
    parse_query,
    parse_rest,
    render_error,
    render_output,
    service_model,
)
from .world import Collection, World, build_template

SIGNING_NAMES = {"elasticloadbalancing": "elbv2"}
# Services whose requests are not tied to an enabled region.
REGIONLESS = frozenset({"iam", "route53", "organizations", "sts", "s3"})

THROTTLE_ERR = {
    "ec2": ("RequestLimitExceeded", 503, "Request limit exceeded."),
    "s3": ("SlowDown", 503, "Please reduce your request rate."),
    "lambda": ("TooManyRequestsException", 429, "Rate exceeded"),
    "sqs": ("RequestThrottled", 403, "Request is throttled."),
    "dynamodb": ("ThrottlingException", 400, "Rate of requests exceeds the allowed throughput."),
    "kms": ("ThrottlingException", 400, "Rate exceeded"),
    "organizations": ("TooManyRequestsException", 400, "You have sent too many requests."),
}
DENIED_ERR = {
    "ec2": ("UnauthorizedOperation", 403),
    "sns": ("AuthorizationError", 403),
    "lambda": ("AccessDeniedException", 403),
    "dynamodb": ("AccessDeniedException", 400),
    "kms": ("AccessDeniedException", 400),
    "organizations": ("AccessDeniedException", 400),
}
JSON_PROTOCOLS = ("json", "rest-json")


class AwsError(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def throttle_error(service: str) -> AwsError:
    code, status, msg = THROTTLE_ERR.get(service, ("Throttling", 400, "Rate exceeded"))
    return AwsError(code, msg, status)


def denied_error(service: str, operation: str, principal: str) -> AwsError:
    code, status = DENIED_ERR.get(service, ("AccessDenied", 403))
    prefix = "You are not authorized to perform this operation. " if service == "ec2" else ""
    return AwsError(
        code,
        f"{prefix}User: {principal} is not authorized to perform: {service}:{operation} "
        "with an explicit deny in a service control policy",
        status,
    )


def expired_error(service: str) -> AwsError:
    if service == "ec2":
        return AwsError("RequestExpired", "Request has expired.", 400)
    if service_model(service).protocol in JSON_PROTOCOLS:
        return AwsError(
            "ExpiredTokenException", "The security token included in the request is expired", 400
        )
    return AwsError("ExpiredToken", "The security token included in the request is expired", 400)


@cache
def partition_of(region: str) -> str:
    """The partition of a region name, from botocore's partitions.json (regions, then regex)."""
    parts = botocore.loaders.create_loader().load_data("partitions")["partitions"]
    for p in parts:
        if region in p.get("regions", {}):
            return str(p["id"])
    for p in parts:
        if re.match(p["regionRegex"], region):
            return str(p["id"])
    return "aws"


def region_error(service: str, region: str, why: str = "is not enabled") -> AwsError:
    if service == "ec2":
        return AwsError(
            "AuthFailure", "AWS was not able to validate the provided access credentials", 401
        )
    if service_model(service).protocol in JSON_PROTOCOLS:
        return AwsError(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
            400,
        )
    return AwsError(
        "InvalidClientTokenId",
        f"The security token included in the request is invalid ({region} {why}).",
        403,
    )


def not_found(service: str, what: str) -> AwsError:
    code, status = {
        "s3": ("NoSuchBucket", 404),
        "iam": ("NoSuchEntity", 404),
        "lambda": ("ResourceNotFoundException", 404),
        "dynamodb": ("ResourceNotFoundException", 400),
        "sqs": ("AWS.SimpleQueueService.NonExistentQueue", 400),
        "sns": ("NotFound", 404),
        "kms": ("NotFoundException", 400),
        "route53": ("NoSuchHostedZone", 404),
        "elbv2": ("LoadBalancerNotFound", 400),
    }.get(service, ("ResourceNotFound", 404))
    return AwsError(code, f"{what} not found", status)


class TokenBucket:
    __slots__ = ("capacity", "last", "refill", "tokens")

    def __init__(self, capacity: float, refill: float, now: float) -> None:
        self.capacity = capacity
        self.refill = refill
        self.tokens = capacity
        self.last = now

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.refill)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class Principal:
    account: str
    arn: str
    issued_at: float | None = None  # AssumeRole keys only
    calls: int = 0  # signed calls made with an AssumeRole key, for credential_ttl_calls


@dataclass
class Call:
    service: str
    operation: str
    params: dict[str, Any]
    account: str
    region: str
    principal: Principal
    request_id: str


Reply = dict[str, Any] | bytes
Handler = Callable[[Call], Reply]
_UNBOUNDED = 1 << 30


class FakeAWS:
    """A fake AWS endpoint; ``async with FakeAWS(scenario) as fake: fake.url``."""

    def __init__(self, scenario: Scenario | None = None, host: str = "127.0.0.1", port: int = 0):
        self.scenario = scenario or Scenario()
        self.world = World(self.scenario)
        self.stats = Stats()
        self.host = host
        self.port = port
        self._runner: web.ServerRunner | None = None
        self._rng = random.Random(self.scenario.seed)
        self._buckets: dict[tuple[str, str, str], TokenBucket] = {}
        self._issued: dict[str, Principal] = {}
        # Every RoleArn sts:AssumeRole was asked for, granted or not (cleared by reset()).
        self.role_requests: list[str] = []
        self._key_counter = 0
        self._req_counter = 0
        self._chains: dict[tuple[str, int], int] = {}
        self._detail_tpls: dict[tuple[str, str, str], Template] = {}
        self._handlers: dict[tuple[str, str], Handler] = {}
        self._accounts = {a.id: a for a in self.scenario.accounts}
        self._register()
        self._rest_ops: dict[str, frozenset[str]] = {}
        for svc, op in self._handlers:
            if service_model(svc).protocol.startswith("rest"):
                self._rest_ops[svc] = self._rest_ops.get(svc, frozenset()) | {op}

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        server = web.Server(self._handle, handler_cancellation=True, access_log=None)
        self._runner = web.ServerRunner(server, shutdown_timeout=0.5)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        site = web.SockSite(self._runner, sock, backlog=1024)
        await site.start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeAWS:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def reset(self) -> None:
        """Clear the counters and refill every token bucket."""
        self.stats.reset()
        self.role_requests.clear()
        self._buckets.clear()
        self._chains.clear()

    def stats_json(self) -> dict[str, Any]:
        out = self.stats.to_json()
        out["process_cpu_s"] = time.process_time()
        out["uptime_s"] = time.monotonic() - self.stats.started
        return out

    # -- request path ----------------------------------------------------------------------------
    def _next_request_id(self) -> str:
        self._req_counter += 1
        return f"fa4e0000-0000-4000-8000-{self._req_counter:012x}"

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        if request.path.startswith("/_fake/"):
            return await self._admin(request)
        rid = self._next_request_id()
        auth = request.headers.get("Authorization", "")
        i = auth.find("Credential=")
        if i < 0:
            return web.Response(status=403, text="MissingAuthenticationToken")
        scope = auth[i + 11 :].split(",", 1)[0].split("/")
        if len(scope) < 4:
            return web.Response(status=403, text="IncompleteSignature")
        akid, region, signing = scope[0], scope[2], scope[3]
        service = SIGNING_NAMES.get(signing, signing)
        body = await request.read()
        try:
            model = service_model(service)
        except Exception:
            return web.Response(status=400, text=f"unknown service {signing}")
        try:
            operation, params = self._parse(service, model.protocol, request, body)
        except AwsError as e:
            return self._error(service, e, rid)
        now = time.monotonic()
        try:
            principal = self._principal(akid, service, now)
        except AwsError as e:
            return self._error(service, e, rid)
        account = principal.account
        op_stats = self.stats.op((account, region, service, operation))
        op_stats.calls += 1
        self.stats.hit((account, region, service), now)
        call = Call(service, operation, params, account, region, principal, rid)
        try:
            self._gate(call, now)
            reply = self._dispatch(call)
            status, headers, out = (
                200,
                {"Content-Type": content_type(service), "x-amzn-RequestId": rid},
                (
                    reply
                    if isinstance(reply, bytes)
                    else render_output(service, operation, reply, rid)
                ),
            )
        except AwsError as e:
            op_stats.errors += 1
            if e.code == THROTTLE_ERR.get(service, ("Throttling",))[0]:
                op_stats.throttled += 1
            status, headers, out = render_error(service, e.code, e.message, e.status, rid)
        delay = self._delay(service)
        if delay > 0:
            await asyncio.sleep(delay)
        return web.Response(body=out, status=status, headers=headers)

    def _error(self, service: str, e: AwsError, rid: str) -> web.Response:
        status, headers, out = render_error(service, e.code, e.message, e.status, rid)
        return web.Response(body=out, status=status, headers=headers)

    def _parse(
        self, service: str, protocol: str, request: web.BaseRequest, body: bytes
    ) -> tuple[str, dict[str, Any]]:
        model = service_model(service)
        if protocol in ("query", "ec2"):
            form = dict(parse_qsl(body.decode(), keep_blank_values=True)) if body else {}
            if not form:
                form = dict(request.query)
            op = form.get("Action", "")
            if service == "elbv2" and form.get("Version") != model.api_version:
                raise AwsError("InvalidAction", "only the elbv2 API (2015-12-01) is faked")
            if op not in _operations(service):
                raise AwsError("InvalidAction", f"Could not find operation {op}")
            return op, parse_query(service, op, form)
        if protocol == "json":
            target = request.headers.get("X-Amz-Target", "")
            op = target.rpartition(".")[2]
            if op not in _operations(service):
                raise AwsError("UnknownOperationException", f"unknown target {target}")
            return op, (json.loads(body) if body else {})
        ops = self._rest_ops.get(service, frozenset())
        query = {k: v for k, v in request.query.items()}
        found = parse_rest(service, ops, request.method, request.raw_path, query, body)
        if found is None:
            raise AwsError("NotImplemented", f"{request.method} {request.path} is not faked", 501)
        if protocol == "rest-xml" and service != "s3" and body:
            found[1].update(_xml_body(body))
        return found

    def _principal(self, akid: str, service: str, now: float) -> Principal:
        p = self._issued.get(akid)
        faults = self.scenario.faults
        if p is not None:
            p.calls += 1
            ttl, max_calls = faults.credential_ttl_s, faults.credential_ttl_calls
            if ttl is not None and p.issued_at is not None and now - p.issued_at > ttl:
                raise expired_error(service)
            if max_calls is not None and p.calls > max_calls:
                raise expired_error(service)
            return p
        part = self.scenario.partition
        if len(akid) == 20 and akid[:4] in ("AKIA", "ASIA") and akid[4:16] in self._accounts:
            acct = akid[4:16]
            if akid.startswith("ASIA"):
                return Principal(acct, f"arn:{part}:sts::{acct}:assumed-role/unknown/session")
            return Principal(acct, f"arn:{part}:iam::{acct}:user/fake-admin")
        mgmt = self.scenario.management.id
        return Principal(mgmt, f"arn:{part}:iam::{mgmt}:user/fake-admin")

    def _gate(self, call: Call, now: float) -> None:
        """Region, access, throttling and random faults, in the order AWS would apply them."""
        sc = self.scenario
        svc = call.service
        if svc not in REGIONLESS and call.region not in sc.regions:
            raise region_error(svc, call.region)
        if partition_of(call.region) != sc.partition:
            # Keys of one partition are unknown to every endpoint of the others.
            raise region_error(svc, call.region, f"is not in partition {sc.partition}")
        for rule in sc.faults.access_denied:
            if (
                rule.account == call.account
                and rule.service in ("*", svc)
                and rule.region in (None, call.region)
                and rule.operation in (None, call.operation)
                and (rule.resource is None or rule.resource in map(str, call.params.values()))
            ):
                raise denied_error(svc, call.operation, call.principal.arn)
        bucket_name = svc
        if svc == "ec2" and "MaxResults" not in call.params and self._is_big_ec2(call.operation):
            bucket_name = "ec2:unpaginated"
        cfg = sc.throttle.get(bucket_name)
        if cfg is not None:
            key = (call.account, call.region, bucket_name)
            b = self._buckets.get(key)
            if b is None:
                b = self._buckets[key] = TokenBucket(cfg.capacity, cfg.refill_per_s, now)
            if not b.take(now):
                raise throttle_error(svc)
        f = sc.faults
        if f.error_5xx_rate > 0 and self._faulty(svc) and self._rng.random() < f.error_5xx_rate:
            if self._rng.random() < 0.5:
                raise AwsError(
                    "InternalError", "We encountered an internal error. Please try again.", 500
                )
            code = "Unavailable" if svc == "ec2" else "ServiceUnavailable"
            raise AwsError(code, "The service is unavailable. Please try again shortly.", 503)

    def _faulty(self, service: str) -> bool:
        only = self.scenario.faults.services
        return service in only if only else service != "sts"

    @staticmethod
    def _is_big_ec2(operation: str) -> bool:
        spec = BY_OPERATION.get(("ec2", operation))
        return spec is not None and operation not in ("DescribeAddresses", "DescribeKeyPairs")

    def _delay(self, service: str) -> float:
        sc = self.scenario
        ms = sc.service_latency_ms.get(service, sc.latency_ms)
        if sc.latency_jitter_ms:
            ms += self._rng.random() * sc.latency_jitter_ms
        f = sc.faults
        if f.slow_rate > 0 and self._faulty(service) and self._rng.random() < f.slow_rate:
            ms += f.slow_delay_s * 1000
        return ms / 1000.0

    def _dispatch(self, call: Call) -> Reply:
        h = self._handlers.get((call.service, call.operation))
        if h is None:
            raise AwsError("NotImplemented", f"{call.service}:{call.operation} is not faked", 501)
        return h(call)

    async def _admin(self, request: web.BaseRequest) -> web.StreamResponse:
        path = request.path
        if path == "/_fake/stats":
            return web.json_response(self.stats_json())
        if path == "/_fake/reset" and request.method == "POST":
            self.reset()
            return web.json_response({"ok": True})
        if path == "/_fake/prewarm" and request.method == "POST":
            n = self.world.prewarm()
            return web.json_response({"items": n})
        if path == "/_fake/health":
            return web.json_response({"ok": True, "url": self.url})
        return web.Response(status=404, text="unknown admin path")

    # -- paging ----------------------------------------------------------------------------------
    def _page(
        self,
        call: Call,
        n: int,
        scope: str,
        *,
        default: int,
        maximum: int,
        limit_key: str | None = None,
        token_key: str | None = None,
    ) -> tuple[int, int, str | None]:
        cfg = paginator(call.service, call.operation) or {}
        limit_key = limit_key or cfg.get("limit_key")
        token_key = token_key or cfg.get("input_token")
        limit = call.params.get(limit_key) if limit_key else None
        size = int(limit) if limit else default
        cap = self.scenario.page_cap(call.service, call.operation)
        size = max(1, min(size, maximum, cap or _UNBOUNDED))
        token = call.params.get(token_key) if token_key else None
        start, chain = (0, 1) if not token else self._decode(call, str(token), scope)
        end = min(start + size, n)
        self._chain(call, chain)
        nxt = self._encode(scope, end, chain + 1) if end < n else None
        return start, end, nxt

    def _chain(self, call: Call, chain: int) -> None:
        st = self.stats.op((call.account, call.region, call.service, call.operation))
        st.max_chain = max(st.max_chain, chain)

    @staticmethod
    def _encode(scope: str, offset: int, chain: int) -> str:
        raw = f"{offset}:{chain}:{zlib.crc32(scope.encode()):08x}:".encode() + scope.encode()[:24]
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def _decode(call: Call, token: str, scope: str) -> tuple[int, int]:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            off, chain, crc, _ = raw.split(":", 3)
            if crc != f"{zlib.crc32(scope.encode()):08x}":
                raise ValueError("token of another listing")
            return int(off), int(chain)
        except (ValueError, UnicodeDecodeError) as e:
            code = "InvalidPaginationToken" if call.service == "ec2" else "InvalidNextToken"
            raise AwsError(code, f"Invalid token: {e}", 400) from e

    # -- handlers --------------------------------------------------------------------------------
    def _register(self) -> None:
        h = self._handlers
        for spec in SPECS.values():
            h[(spec.service, spec.operation)] = self._list_handler(spec)
        h[("ec2", "DescribeRegions")] = self._describe_regions
        h[("sts", "GetCallerIdentity")] = self._get_caller_identity
        h[("sts", "AssumeRole")] = self._assume_role
        h[("s3", "GetBucketLocation")] = self._get_bucket_location
        h[("s3", "GetBucketTagging")] = self._get_bucket_tagging
        h[("s3", "GetBucketEncryption")] = self._get_bucket_encryption
        for op, rtype, param in (
            ("ListUserTags", "AWS::IAM::User", "UserName"),
            ("ListRoleTags", "AWS::IAM::Role", "RoleName"),
            ("ListPolicyTags", "AWS::IAM::ManagedPolicy", "PolicyArn"),
        ):
            h[("iam", op)] = self._iam_tags(rtype, param)
        # The fake world has no group memberships or attached policies: empty, as for a new
        # account (the calls are still made and counted, as against AWS).
        h[("iam", "ListGroupsForUser")] = lambda call: {"Groups": [], "IsTruncated": False}
        h[("iam", "GetAccountAuthorizationDetails")] = self._authorization_details
        for op in (
            "ListAttachedUserPolicies", "ListAttachedRolePolicies", "ListAttachedGroupPolicies"
        ):
            h[("iam", op)] = lambda call: {"AttachedPolicies": [], "IsTruncated": False}
        h[("lambda", "ListTags")] = self._lambda_tags
        h[("dynamodb", "DescribeTable")] = self._describe_table
        h[("dynamodb", "ListTagsOfResource")] = self._dynamodb_tags
        h[("sqs", "GetQueueAttributes")] = self._queue_attributes
        h[("sqs", "ListQueueTags")] = self._queue_tags
        h[("sns", "ListTagsForResource")] = self._sns_tags
        h[("sns", "GetTopicAttributes")] = self._sns_attributes
        h[("kms", "DescribeKey")] = self._describe_key
        h[("kms", "ListResourceTags")] = self._kms_tags
        h[("route53", "ListTagsForResource")] = self._route53_tags
        h[("route53", "ListTagsForResources")] = self._route53_tags_batch
        h[("elbv2", "DescribeTags")] = self._elb_tags
        h[("organizations", "DescribeOrganization")] = self._describe_org
        for op in (
            "ListAccounts",
            "ListRoots",
            "ListOrganizationalUnitsForParent",
            "ListAccountsForParent",
            "ListChildren",
        ):
            h[("organizations", op)] = self._org_list
        h[("organizations", "ListTagsForResource")] = self._org_tags

    def _coll(self, call: Call, rtype: str) -> Collection:
        spec = SPECS[rtype]
        return self.world.collection(call.account, "global" if spec.global_ else call.region, rtype)

    def _list_handler(self, spec: TypeSpec) -> Handler:
        cfg = paginator(spec.service, spec.operation) or {}
        out_token = cfg.get("output_token")
        more_key = cfg.get("more_results")
        default, maximum = PAGE_LIMITS.get(spec.operation, (1000, 1000))

        def handle(call: Call) -> Reply:
            coll = self._coll(call, spec.resource_type)
            scope = f"{call.account}/{coll.gen.region}/{spec.operation}"
            indices: Sequence[int] = range(coll.n)
            p = call.params
            extra: dict[str, Any] = {}
            if spec.operation in ("DescribeSnapshots", "DescribeImages"):
                owners = p.get("OwnerIds") or p.get("Owners")
                if owners and "self" not in owners and call.account not in owners:
                    indices = range(0)
            elif spec.operation == "ListPolicies" and p.get("Scope") == "AWS":
                indices = range(0)
            elif spec.operation == "ListBuckets":
                if p.get("BucketRegion") or p.get("Prefix"):
                    region, prefix = p.get("BucketRegion"), p.get("Prefix") or ""
                    regions = self.world.regions
                    indices = [
                        i
                        for i in indices
                        if (region is None or regions[i % len(regions)] == region)
                        and coll.ident(i).startswith(prefix)
                    ]
                extra["Owner"] = {"DisplayName": "fake-owner", "ID": "f" * 64}
                if p.get("Prefix"):
                    extra["Prefix"] = p["Prefix"]
            elif spec.operation == "ListQueues" and p.get("QueueNamePrefix"):
                prefix = p["QueueNamePrefix"]
                indices = [i for i in indices if coll.ident(i).startswith(prefix)]
            if spec.operation == "ListTables":
                start, end, nxt = self._name_page(
                    call, coll, "ExclusiveStartTableName", 100, last=True
                )
            elif spec.operation == "ListHostedZones":
                start, end, nxt = self._name_page(
                    call, coll, "Marker", 100, last=False, limit_key="MaxItems"
                )
                extra["MaxItems"] = str(end - start if nxt else max(end - start, 1))
                if p.get("Marker"):
                    extra["Marker"] = p["Marker"]
            elif spec.operation == "ListQueues" and "MaxResults" not in p:
                start, end, nxt = 0, min(len(indices), 1000), None
            elif not cfg:
                start, end, nxt = 0, len(indices), None
            else:
                start, end, nxt = self._page(
                    call, len(indices), scope, default=default, maximum=maximum
                )
            sel = indices[start:end]
            self.stats.op((call.account, call.region, call.service, call.operation)).items += len(
                sel
            )
            if spec.operation == "DescribeInstances":
                return self._reservations(call, coll, sel, nxt)
            value: dict[str, Any] = {spec.result_key: Raw(coll.frags(sel)), **extra}
            if out_token and nxt is not None:
                value[out_token] = nxt
            if more_key:
                value[more_key] = nxt is not None
            return value

        return handle

    def _name_page(
        self,
        call: Call,
        coll: Collection,
        key: str,
        page: int,
        *,
        last: bool,
        limit_key: str = "Limit",
    ) -> tuple[int, int, str | None]:
        """Paging by item name: DynamoDB (exclusive start = last name), Route 53 (next id)."""
        limit = call.params.get(limit_key)
        cap = self.scenario.page_cap(call.service, call.operation)
        size = max(1, min(int(limit) if limit else page, page, cap or _UNBOUNDED))
        marker = call.params.get(key)
        start, chain = 0, 1
        if marker:
            idx = coll.index_of(str(marker))
            if idx is None:
                raise AwsError(
                    "ValidationException" if last else "InvalidInput", f"bad {key}: {marker}"
                )
            start = idx + 1 if last else idx
            chain = self._chains.get((coll.gen.key + key, start), 1)
        end = min(start + size, coll.n)
        self._chain(call, chain)
        if end >= coll.n:
            return start, end, None
        self._chains[(coll.gen.key + key, end)] = chain + 1
        return start, end, coll.ident(end - 1 if last else end)

    def _reservations(
        self, call: Call, coll: Collection, sel: Sequence[int], nxt: str | None
    ) -> bytes:
        owner = call.account
        frags = coll.frags(sel)
        parts = []
        cur = -1
        group: list[str] = []
        g = coll.gen
        for i, frag in zip(sel, frags, strict=True):
            r = reservation_of(i)
            if r != cur and group:
                parts.append(_reservation_xml(g, cur, owner, group))
                group = []
            cur = r
            group.append(frag)
        if group:
            parts.append(_reservation_xml(g, cur, owner, group))
        token = f"<nextToken>{nxt}</nextToken>" if nxt else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse '
            'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            f"<requestId>{call.request_id}</requestId><reservationSet>{''.join(parts)}"
            f"</reservationSet>{token}</DescribeInstancesResponse>"
        ).encode()

    # ec2 / sts ------------------------------------------------------------------------------------
    def _describe_regions(self, call: Call) -> Reply:
        sc = self.scenario
        regions = [(r, "opted-in" if r in OPT_IN else "opt-in-not-required") for r in sc.regions]
        if call.params.get("AllRegions"):
            regions += [(r, "not-opted-in") for r in sc.not_opted_in_regions]
        names = call.params.get("RegionNames")
        if names:
            regions = [r for r in regions if r[0] in names]
        for f in call.params.get("Filters") or []:
            field = {"opt-in-status": 1, "region-name": 0}.get(f.get("Name", ""))
            if field is not None:
                regions = [r for r in regions if r[field] in (f.get("Values") or [])]
        return {
            "Regions": [
                {"RegionName": r, "Endpoint": f"ec2.{r}.amazonaws.com", "OptInStatus": s}
                for r, s in regions
            ]
        }

    def _get_caller_identity(self, call: Call) -> Reply:
        p = call.principal
        return {"UserId": "AIDAFAKEUSERID0000000", "Account": p.account, "Arn": p.arn}

    def _assume_role(self, call: Call) -> Reply:
        arn = str(call.params.get("RoleArn", ""))
        self.role_requests.append(arn)
        parts = arn.split(":")
        if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
            raise AwsError("ValidationError", f"{arn} is invalid", 400)
        target, role = parts[4], parts[5].split("/")[-1]
        acct = self._accounts.get(target)
        denied = (
            acct is None
            or parts[1] != self.scenario.partition  # a role of another partition
            or acct.status != "ACTIVE"
            or target in self.scenario.faults.assume_role_denied
            or (self.scenario.role_name is not None and role != self.scenario.role_name)
        )
        if denied:
            raise AwsError(
                "AccessDenied",
                f"User: {call.principal.arn} is not authorized to perform: sts:AssumeRole on "
                f"resource: {arn}",
                403,
            )
        self._key_counter += 1
        akid = f"ASIA{target}{_base36(self._key_counter, 4)}"
        session = str(call.params.get("RoleSessionName", "session"))
        assumed = f"arn:{self.scenario.partition}:sts::{target}:assumed-role/{role}/{session}"
        self._issued[akid] = Principal(target, assumed, time.monotonic())
        duration = int(call.params.get("DurationSeconds") or 3600)
        secret = (akid * 3)[:40]
        return {
            "Credentials": {
                "AccessKeyId": akid,
                "SecretAccessKey": secret,
                "SessionToken": "FwoGZXIvYXdzE" + base64.b64encode((akid * 12).encode()).decode(),
                "Expiration": dt.datetime.now(dt.UTC) + dt.timedelta(seconds=duration),
            },
            "AssumedRoleUser": {
                "AssumedRoleId": f"AROA{target}FAKE:{session}",
                "Arn": assumed,
            },
            "PackedPolicySize": 6,
        }

    # detail calls ---------------------------------------------------------------------------------
    def _find(self, call: Call, rtype: str, ident: str) -> tuple[Collection, int]:
        coll = self._coll(call, rtype)
        i = coll.index_of(ident)
        if i is None:
            raise not_found(call.service, ident)
        return coll, i

    def _get_bucket_location(self, call: Call) -> Reply:
        coll, i = self._find(call, "AWS::S3::Bucket", str(call.params.get("Bucket")))
        region = coll.values(i)["BucketRegion"]
        ns = "http://s3.amazonaws.com/doc/2006-03-01/"
        if region == "us-east-1":
            return f'<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="{ns}"/>'.encode()
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="{ns}">{region}'
            "</LocationConstraint>"
        ).encode()

    def _get_bucket_tagging(self, call: Call) -> Reply:
        coll, i = self._find(call, "AWS::S3::Bucket", str(call.params.get("Bucket")))
        tags = coll.tags(i)
        if not tags:
            raise AwsError("NoSuchTagSet", "The TagSet does not exist", 404)
        return {"TagSet": _kv(tags)}

    def _get_bucket_encryption(self, call: Call) -> Reply:
        # The fake's buckets have no default-encryption rule, as a new bucket before 2023.
        self._find(call, "AWS::S3::Bucket", str(call.params.get("Bucket")))
        raise AwsError(
            "ServerSideEncryptionConfigurationNotFoundError",
            "The server side encryption configuration was not found",
            404,
        )

    def _iam_tags(self, rtype: str, param: str) -> Handler:
        def handle(call: Call) -> Reply:
            ident = str(call.params.get(param, ""))
            if param == "PolicyArn":
                ident = ident.rsplit("/", 1)[-1]
            coll, i = self._find(call, rtype, ident)
            tags = coll.tags(i)
            start, end, nxt = self._page(
                call, len(tags), f"{coll.gen.key}/{i}", default=100, maximum=1000
            )
            out: dict[str, Any] = {"Tags": _kv(tags[start:end]), "IsTruncated": nxt is not None}
            if nxt:
                out["Marker"] = nxt
            return out

        return handle

    def _authorization_details(self, call: Call) -> Reply:
        """GAAD over the users, groups and roles the listings serve (same ARNs, ids, dates and
        tags), in that order, paged with Marker/MaxItems across the entities asked for. The
        fake world has no memberships, attached or inline policies (as ListGroupsForUser and
        ListAttached*Policies answer) and no managed policies here."""
        asked = call.params.get("Filter") or ["User", "Role", "Group"]
        colls = [
            (entity, self._coll(call, f"AWS::IAM::{entity}"))
            for entity in ("User", "Group", "Role")
            if entity in asked
        ]
        total = sum(c.n for _, c in colls)
        scope = f"{call.account}/global/GAAD/{'+'.join(e for e, _ in colls)}"
        start, end, nxt = self._page(
            call, total, scope, default=100, maximum=1000, limit_key="MaxItems",
            token_key="Marker",
        )  # fmt: skip
        out: dict[str, Any] = {f"{e}DetailList": [] for e, _ in colls}
        offset = 0
        for entity, coll in colls:
            for i in range(max(start - offset, 0), min(end - offset, coll.n)):
                out[f"{entity}DetailList"].append(_detail_of(entity, coll, i))
            offset += coll.n
        self.stats.op((call.account, call.region, call.service, call.operation)).items += (
            end - start
        )
        out["IsTruncated"] = nxt is not None
        if nxt is not None:
            out["Marker"] = nxt
        return out

    def _lambda_tags(self, call: Call) -> Reply:
        arn = str(call.params.get("Resource", ""))
        name = arn.split(":function:")[-1].split(":")[0]
        coll, i = self._find(call, "AWS::Lambda::Function", name)
        return {"Tags": dict(coll.tags(i))}

    def _detail(self, call: Call, coll: Collection, i: int, shape_name: str, **kw: Any) -> str:
        key = (call.service, shape_name, f"{coll.gen.account}/{coll.gen.aws_region}")
        tpl = self._detail_tpls.get(key)
        if tpl is None:
            model = service_model(call.service)
            sample = coll.values(0)
            base = build_template(call.service, model.shape_for(shape_name), None, sample, **kw)
            tpl = self._detail_tpls[key] = base.specialize(
                coll.gen.account, coll.gen.aws_region, coll.gen.partition
            )
        return tpl.render(coll.values(i))

    def _describe_table(self, call: Call) -> Reply:
        name = str(call.params.get("TableName", "")).split("table/")[-1]
        coll, i = self._find(call, "AWS::DynamoDB::Table", name)
        table = self._detail(
            call,
            coll,
            i,
            "TableDescription",
            **TABLE_DETAIL,
        )
        return f'{{"Table":{table}}}'.encode()

    def _dynamodb_tags(self, call: Call) -> Reply:
        name = str(call.params.get("ResourceArn", "")).split("table/")[-1]
        coll, i = self._find(call, "AWS::DynamoDB::Table", name)
        return {"Tags": _kv(coll.tags(i))}

    def _queue(self, call: Call) -> tuple[Collection, int]:
        url = str(call.params.get("QueueUrl", ""))
        return self._find(call, "AWS::SQS::Queue", url.rstrip("/").rsplit("/", 1)[-1])

    def _queue_attributes(self, call: Call) -> Reply:
        coll, i = self._queue(call)
        g: Gen = coll.gen
        created = int(g.time(i, "sqs").timestamp())
        attrs = {
            "QueueArn": f"arn:{g.partition}:sqs:{g.aws_region}:{g.account}:{coll.ident(i)}",
            "ApproximateNumberOfMessages": str(i * 7 % 1000),
            "ApproximateNumberOfMessagesNotVisible": "0",
            "ApproximateNumberOfMessagesDelayed": "0",
            "CreatedTimestamp": str(created),
            "LastModifiedTimestamp": str(created + 3600),
            "VisibilityTimeout": "30",
            "MaximumMessageSize": "262144",
            "MessageRetentionPeriod": "345600",
            "DelaySeconds": "0",
            "ReceiveMessageWaitTimeSeconds": "0",
            "SqsManagedSseEnabled": "true",
        }
        names = call.params.get("AttributeNames") or []
        if "All" not in names:
            attrs = {k: v for k, v in attrs.items() if k in names}
        return {"Attributes": attrs} if attrs else {}

    def _queue_tags(self, call: Call) -> Reply:
        coll, i = self._queue(call)
        tags = dict(coll.tags(i))
        return {"Tags": tags} if tags else {}

    def _sns_tags(self, call: Call) -> Reply:
        name = str(call.params.get("ResourceArn", "")).rsplit(":", 1)[-1]
        coll, i = self._find(call, "AWS::SNS::Topic", name)
        return {"Tags": _kv(coll.tags(i))}

    def _sns_attributes(self, call: Call) -> Reply:
        arn = str(call.params.get("TopicArn", ""))
        self._find(call, "AWS::SNS::Topic", arn.rsplit(":", 1)[-1])
        return {"Attributes": {"TopicArn": arn}}

    def _key(self, call: Call) -> tuple[Collection, int]:
        kid = str(call.params.get("KeyId", "")).rsplit("key/", 1)[-1]
        return self._find(call, "AWS::KMS::Key", kid)

    def _describe_key(self, call: Call) -> Reply:
        coll, i = self._key(call)
        meta = self._detail(
            call,
            coll,
            i,
            "KeyMetadata",
            **KEY_DETAIL,
        )
        return f'{{"KeyMetadata":{meta}}}'.encode()

    def _kms_tags(self, call: Call) -> Reply:
        coll, i = self._key(call)
        tags = coll.tags(i)
        start, end, nxt = self._page(call, len(tags), f"{coll.gen.key}/{i}", default=50, maximum=50)
        out: dict[str, Any] = {
            "Tags": [{"TagKey": k, "TagValue": v} for k, v in tags[start:end]],
            "Truncated": nxt is not None,
        }
        if nxt:
            out["NextMarker"] = nxt
        return out

    def _route53_tags(self, call: Call) -> Reply:
        zid = str(call.params.get("ResourceId", "")).rsplit("/", 1)[-1]
        coll, i = self._find(call, "AWS::Route53::HostedZone", zid)
        return {
            "ResourceTagSet": {
                "ResourceType": "hostedzone",
                "ResourceId": zid,
                "Tags": _kv(coll.tags(i)),
            }
        }

    def _route53_tags_batch(self, call: Call) -> Reply:
        """ListTagsForResources: up to 10 hosted zones by bare id (AWS's limit)."""
        ids = call.params.get("ResourceIds") or []
        if not 1 <= len(ids) <= 10:
            raise AwsError("InvalidInput", "1 to 10 ResourceIds", 400)
        sets = []
        for zid in ids:
            coll, i = self._find(call, "AWS::Route53::HostedZone", str(zid))
            sets.append({"ResourceType": "hostedzone", "ResourceId": zid, "Tags": _kv(coll.tags(i))})
        return {"ResourceTagSets": sets}

    def _elb_tags(self, call: Call) -> Reply:
        arns = call.params.get("ResourceArns") or []
        if len(arns) > 20:
            raise AwsError("ValidationError", "at most 20 resource ARNs", 400)
        out = []
        for arn in arns:
            parts = str(arn).split("/")
            name = parts[-2] if len(parts) >= 3 else ""
            coll, i = self._find(call, "AWS::ElasticLoadBalancingV2::LoadBalancer", name)
            if coll.values(i)["LoadBalancerArn"] != arn:
                raise not_found("elbv2", str(arn))
            out.append({"ResourceArn": arn, "Tags": _kv(coll.tags(i))})
        return {"TagDescriptions": out}

    # organizations --------------------------------------------------------------------------------
    def _org_ids(self) -> tuple[str, str]:
        m = self.scenario.management.id
        return "o-" + _base36(int(m) * 7919, 10).lower(), "r-" + _base36(int(m), 4).lower()

    def _ou_id(self, name: str) -> str:
        _, root = self._org_ids()
        return f"ou-{root[2:]}-{zlib.crc32(name.encode()):08x}"

    def _account_json(self, a: Account) -> dict[str, Any]:
        org, _ = self._org_ids()
        mgmt = self.scenario.management.id
        joined = dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=int(a.id) % 1500)
        return {
            "Id": a.id,
            "Arn": f"arn:{self.scenario.partition}:organizations::{mgmt}:account/{org}/{a.id}",
            "Email": a.email,
            "Name": a.name,
            "Status": a.status,
            "State": {"PENDING_CLOSURE": "PENDING_CLOSURE"}.get(a.status, a.status),
            "JoinedMethod": "CREATED" if a.id != mgmt else "INVITED",
            "JoinedTimestamp": joined,
        }

    def _describe_org(self, call: Call) -> Reply:
        org, _ = self._org_ids()
        m = self.scenario.management
        return {
            "Organization": {
                "Id": org,
                "Arn": f"arn:{self.scenario.partition}:organizations::{m.id}:organization/{org}",
                "FeatureSet": "ALL",
                "MasterAccountArn": f"arn:{self.scenario.partition}:organizations::{m.id}:account/{org}/{m.id}",
                "MasterAccountId": m.id,
                "MasterAccountEmail": m.email,
                "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
            }
        }

    def _org_tags(self, call: Call) -> Reply:
        """Accounts, the root and OUs carry no tags in the fake."""
        if call.account != self.scenario.management.id:
            raise AwsError(
                "AccessDeniedException", "You don't have permissions to access this resource.", 400
            )
        return {"Tags": []}

    def _org_list(self, call: Call) -> Reply:
        if call.account != self.scenario.management.id:
            raise AwsError(
                "AccessDeniedException",
                "You don't have permissions to access this resource.",
                400,
            )
        org, root = self._org_ids()
        m = self.scenario.management.id
        p = call.params
        op = call.operation
        parent = p.get("ParentId")
        ou_ids = {self._ou_id(n): n for n in self.scenario.ous}
        if parent is not None and parent != root and parent not in ou_ids:
            raise AwsError("ParentNotFoundException", f"parent {parent} not found", 400)
        parent_ou = ou_ids.get(parent or "", "")
        accts = self.scenario.accounts
        items: list[dict[str, Any]]
        if op == "ListAccounts":
            key, items = "Accounts", [self._account_json(a) for a in accts]
        elif op == "ListRoots":
            key = "Roots"
            items = [
                {
                    "Id": root,
                    "Arn": f"arn:{self.scenario.partition}:organizations::{m}:root/{org}/{root}",
                    "Name": "Root",
                    "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
                }
            ]
        elif op == "ListOrganizationalUnitsForParent":
            key = "OrganizationalUnits"
            items = (
                [
                    {
                        "Id": self._ou_id(n),
                        "Arn": f"arn:{self.scenario.partition}:organizations::{m}:ou/{org}/{self._ou_id(n)}",
                        "Name": n,
                    }
                    for n in self.scenario.ous
                ]
                if parent == root
                else []
            )
        elif op == "ListAccountsForParent":
            key = "Accounts"
            items = [self._account_json(a) for a in accts if a.ou == parent_ou]
        else:  # ListChildren
            key = "Children"
            if p.get("ChildType") == "ORGANIZATIONAL_UNIT":
                ids = [self._ou_id(n) for n in self.scenario.ous] if parent == root else []
            else:
                ids = [a.id for a in accts if a.ou == parent_ou]
            items = [{"Id": i, "Type": p.get("ChildType", "ACCOUNT")} for i in ids]
        start, end, nxt = self._page(call, len(items), f"{op}/{parent}", default=20, maximum=20)
        out: dict[str, Any] = {key: items[start:end]}
        if nxt:
            out["NextToken"] = nxt
        return out


TABLE_DETAIL: dict[str, Any] = {
    "max_depth": 2,
    "skip": frozenset(
        {"GlobalSecondaryIndexes", "LocalSecondaryIndexes", "Replicas", "RestoreSummary",
         "SSEDescription", "ArchivalSummary", "GlobalTableVersion", "LatestStreamArn",
         "LatestStreamLabel", "StreamSpecification", "OnDemandThroughput", "WarmThroughput",
         "MultiRegionConsistency", "GlobalTableWitnesses", "GlobalTableSettingsReplicationMode"}
    ),
    "fixed": {("TableStatus",): "ACTIVE", ("KeySchema", 0, "AttributeName"): "pk",
              ("KeySchema", 0, "KeyType"): "HASH", ("AttributeDefinitions", 0, "AttributeName"): "pk",
              ("AttributeDefinitions", 0, "AttributeType"): "S",
              ("BillingModeSummary", "BillingMode"): "PAY_PER_REQUEST"},
}  # fmt: skip
KEY_DETAIL: dict[str, Any] = {
    "max_depth": 1,
    "skip": frozenset(
        {"ValidTo", "DeletionDate", "PendingDeletionWindowInDays", "CloudHsmClusterId",
         "CustomKeyStoreId", "MultiRegionConfiguration", "XksKeyConfiguration",
         "MacAlgorithms", "KeyAgreementAlgorithms", "SigningAlgorithms", "CurrentKeyMaterialId",
         "ExpirationModel"}
    ),
    "fixed": {("KeyState",): "Enabled", ("KeyUsage",): "ENCRYPT_DECRYPT", ("Origin",): "AWS_KMS",
              ("KeyManager",): "CUSTOMER", ("KeySpec",): "SYMMETRIC_DEFAULT",
              ("CustomerMasterKeySpec",): "SYMMETRIC_DEFAULT", ("Enabled",): True,
              ("EncryptionAlgorithms",): ["SYMMETRIC_DEFAULT"], ("MultiRegion",): False,
              ("AWSAccountId",): ACCOUNT},
    "slot_paths": {"KeyArn": (("Arn",),), "KeyId": (("KeyId",),),
                   "CreationDate": (("CreationDate",),), "Description": (("Description",),)},
}  # fmt: skip

# (default page when the caller gives no limit, largest page) per list operation
PAGE_LIMITS: dict[str, tuple[int, int]] = {
    "ListUsers": (100, 1000),
    "ListRoles": (100, 1000),
    "ListGroups": (100, 1000),
    "ListPolicies": (100, 1000),
    "DescribeDBInstances": (100, 100),
    "ListFunctions": (50, 50),
    "ListKeys": (100, 1000),
    "ListQueues": (1000, 1000),
    "ListTopics": (100, 100),
    "DescribeStacks": (100, 100),
    "DescribeLoadBalancers": (400, 400),
    "ListBuckets": (10000, 10000),
}
OPT_IN = frozenset(
    {"af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "eu-south-1",
     "eu-south-2", "eu-central-2", "me-south-1", "me-central-1", "il-central-1", "ca-west-1"}
)  # fmt: skip


@cache
def _operations(service: str) -> frozenset[str]:
    return frozenset(service_model(service).operation_names)


def _xml_body(body: bytes) -> dict[str, Any]:
    """The top-level members of a rest-xml request body (Route 53's POSTs): a member with
    children is a list of their texts (ResourceIds), any other its text."""
    root = ElementTree.fromstring(body)
    out: dict[str, Any] = {}
    for member in root:
        name = member.tag.rpartition("}")[2]
        children = list(member)
        out[name] = [c.text or "" for c in children] if children else (member.text or "")
    return out


def _detail_of(entity: str, coll: Collection, i: int) -> dict[str, Any]:
    """A GAAD UserDetail/GroupDetail/RoleDetail: the listing's item, its tags, and the empty
    lists of a principal with no memberships or policies."""
    members = service_model("iam").shape_for(f"{entity}Detail").members
    item = {k: v for k, v in coll.values(i).items() if k in members and v is not None}
    item["Path"] = "/"
    item["AttachedManagedPolicies"] = []
    item[f"{entity}PolicyList"] = []
    if entity == "User":
        item["GroupList"] = []
    if entity != "Group":
        item["Tags"] = _kv(coll.tags(i))
    if entity == "Role":
        item["InstanceProfileList"] = []
        item["RoleLastUsed"] = {}
    return item


def _kv(tags: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags]


def _base36(n: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = []
    for _ in range(width):
        n, r = divmod(n, 36)
        out.append(digits[r])
    return "".join(reversed(out))


def _reservation_xml(g: Gen, r: int, owner: str, instances: list[str]) -> str:
    return (
        f"<item><reservationId>r-{g.hex(r, 'r')}</reservationId><ownerId>{owner}</ownerId>"
        f"<groupSet/><instancesSet>{''.join(instances)}</instancesSet></item>"
    )
