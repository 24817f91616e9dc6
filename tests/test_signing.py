"""The SigV4 signer (``collector.aws.signing``) against botocore's own.

botocore's stock ``SigV4Auth`` is the reference: requests made by real botocore clients
(query, EC2, JSON and REST-JSON protocols; default, custom-port, explicit-443, IPv6 and
upper-case endpoints; names that need quoting) are taken just before signing, and each copy
signed by the stock signer and by ``FastSigV4Auth`` with the clock stopped must come out the
same: every header, in order, and the URL and body. So must a second signing of the signed
request (a retry), and requests the fast path hands back to botocore (a Date header, a file
body, unsigned payloads, ...).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
from collections.abc import Iterator
from typing import Any

import botocore.auth
import botocore.session
import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import NoCredentialsError

from collector.aws import signing
from collector.aws.signing import FastSigV4Auth

NOW = dt.datetime(2024, 2, 29, 23, 59, 58)
LATER = dt.datetime(2024, 3, 1, 0, 0, 3)  # another day: another signing key
KEYS = ReadOnlyCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)
TOKEN = ReadOnlyCredentials("ASIAEXAMPLE", "c2VjcmV0/session+key", "FwoGZXIvYXdzEXAMPLE//token=")

UNSIGNED = {"User-Agent", "amz-sdk-invocation-id"}

CLUSTER = "prod~é cluster/1"  # quoted in the path: ~, non-ASCII, space, slash

# (service, operation, parameters, endpoint_url, region)
CASES: list[tuple[str, str, dict[str, Any], str | None, str]] = [
    ("iam", "list_users", {}, None, "us-east-1"),
    (
        "iam",
        "get_account_authorization_details",
        {"Filter": ["User", "Role", "LocalManagedPolicy"], "MaxItems": 100},
        "http://127.0.0.1:5000",
        "us-east-1",
    ),
    (
        "ec2",
        "describe_instances",
        {
            "Filters": [
                {"Name": "instance-state-name", "Values": ["running", "stopped"]},
                {"Name": "tag:Name", "Values": ["a b*", "ü~"]},
            ],
            "MaxResults": 100,
        },
        None,
        "eu-west-1",
    ),
    ("sts", "get_caller_identity", {}, "https://STS.Eu-West-1.AmazonAWS.com:443", "eu-west-1"),
    ("dynamodb", "list_tables", {"Limit": 10}, "http://127.0.0.1:5000", "us-west-2"),
    (
        "ecs",
        "list_clusters",
        {"maxResults": 20},
        "https://ECS.US-EAST-1.AMAZONAWS.COM",
        "us-east-1",
    ),
    (
        "logs",
        "describe_log_groups",
        {"logGroupNamePrefix": "/aws/lambda"},
        "http://[::1]:5000",
        "us-east-1",
    ),
    ("lambda", "list_functions", {"Marker": "a b/c~d=", "MaxItems": 50}, None, "ap-southeast-2"),
    ("eks", "list_nodegroups", {"clusterName": CLUSTER, "maxResults": 5}, None, "us-east-1"),
    ("eks", "describe_cluster", {"name": CLUSTER}, "http://LocalHost:5000", "us-east-1"),
]


class _Sent(Exception):
    """Raised by the before-send handler: the request is never sent."""


_SESSION = botocore.session.get_session()
_CLIENTS: dict[tuple[str, str | None, str], Any] = {}


def _client(service: str, endpoint_url: str | None, region: str) -> Any:
    key = (service, endpoint_url, region)
    if key not in _CLIENTS:
        _CLIENTS[key] = _SESSION.create_client(
            service,
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=TOKEN.access_key,
            aws_secret_access_key=TOKEN.secret_key,
            aws_session_token=TOKEN.token,
        )
    return _CLIENTS[key]


def _call(client: Any, operation: str, params: dict[str, Any], **handlers: Any) -> None:
    """Make one call with handlers on ``before-sign``/``before-send`` (the latter raising)."""
    events = client.meta.events
    for event, handler in handlers.items():
        events.register(event.replace("_", "-"), handler)
    try:
        with pytest.raises(_Sent):
            getattr(client, operation)(**params)
    finally:
        for event, handler in handlers.items():
            events.unregister(event.replace("_", "-"), handler)


def _unsent(keep: Any = None) -> Any:
    """A before-send handler that stops the call (after keeping the request)."""

    def handler(request: Any, **_: Any) -> AWSResponse:
        if keep is not None:
            keep(request)
        raise _Sent

    return handler


def _unsigned(
    case: tuple[str, str, dict[str, Any], str | None, str],
) -> tuple[AWSRequest, str, str]:
    """The request a real client hands its signer, with the signing name and region."""
    service, operation, params, endpoint_url, region = case
    client = _client(service, endpoint_url, region)
    got: dict[str, Any] = {}

    def before_sign(request: AWSRequest, signing_name: str, region_name: str, **_: Any) -> None:
        got["request"] = copy.deepcopy(request)
        signing_context = request.context.get("signing", {})
        got["name"] = signing_context.get("signing_name", signing_name)
        got["region"] = signing_context.get("region", region_name)

    _call(client, operation, params, before_sign=before_sign, before_send=_unsent())
    return got["request"], got["name"], got["region"]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dt.datetime]]:
    now = [NOW]
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *_, **__: now[0])
    yield now


def _signed(
    cls: type[Any], request: AWSRequest, credentials: Any, name: str, region: str
) -> AWSRequest:
    cls(credentials, name, region).add_auth(request)
    return request


def _view(request: AWSRequest) -> tuple[Any, ...]:
    body = request.body
    if isinstance(body, io.BytesIO):  # where it was left, and what it holds
        body = (body.tell(), body.getvalue())
    return (list(request.headers.items()), request.url, body, request.context["timestamp"])


def _assert_same(request: AWSRequest, credentials: Any, name: str, region: str) -> AWSRequest:
    stock = _signed(SigV4Auth, copy.deepcopy(request), credentials, name, region)
    fast = _signed(FastSigV4Auth, copy.deepcopy(request), credentials, name, region)
    assert _view(fast) == _view(stock)
    assert "Authorization" in stock.headers
    return stock


@pytest.mark.parametrize("credentials", [KEYS, TOKEN], ids=["keys", "session-token"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}.{c[1]}-{c[3] or 'default'}" for c in CASES])
def test_same_signature_as_botocore(
    case: tuple[str, str, dict[str, Any], str | None, str],
    credentials: Any,
    clock: list[dt.datetime],
) -> None:
    request, name, region = _unsigned(case)
    signed = _assert_same(request, credentials, name, region)
    assert signed.headers["X-Amz-Date"] == "20240229T235958Z"
    assert ("X-Amz-Security-Token" in signed.headers) == (credentials.token is not None)
    # A retry signs the signed request again, on another day, maybe with other credentials.
    clock[0] = LATER
    _assert_same(signed, credentials, name, region)
    _assert_same(signed, KEYS if credentials is TOKEN else TOKEN, name, region)


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}.{c[1]}" for c in CASES])
def test_common_requests_take_the_fast_path(
    case: tuple[str, str, dict[str, Any], str | None, str],
    clock: list[dt.datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Right by falling back to botocore's methods would be right, but no faster.
    def stock(*_: Any, **__: Any) -> None:
        raise AssertionError("botocore's method used")

    request, name, region = _unsigned(case)
    for method in ("add_auth", "headers_to_sign", "canonical_request", "payload", "signature"):
        monkeypatch.setattr(SigV4Auth, method, stock)
    monkeypatch.setattr(SigV4Auth, "_modify_request_before_signing", stock)
    FastSigV4Auth(TOKEN, name, region).add_auth(request)
    assert "Authorization" in request.headers


def _request(url: str, **kwargs: Any) -> AWSRequest:
    headers = {"Content-Type": "application/x-amz-json-1.1", "User-Agent": "test"}
    headers.update(kwargs.pop("headers", {}))
    return AWSRequest(method="POST", url=url, headers=headers, data=b'{"a": 1}', **kwargs)


def test_host_per_scheme_and_port(clock: list[dt.datetime]) -> None:
    # One after another, so that a host remembered under too short a key shows.
    for url in [
        "http://example.com:5000/",
        "http://example.com:5001/",
        "http://example.com:80/",
        "https://example.com:80/",
        "https://example.com:443/",
        "http://example.com:443/",
        "https://EXAMPLE.com/",
        "https://user:pw@example.com:8443/x",
        "http://[::1]:5000/",
        "http://[::1]/",
        "http://[FE80::1]:80/",
        "https://example.com?x=1",
        "https://example.com#frag",
        "HTTPS://Example.COM:8443/",
        "https://example.com:5000/a\tb",
    ]:
        _assert_same(_request(url), KEYS, "svc", "us-east-1")


def test_unusual_requests(clock: list[dt.datetime], caplog: pytest.LogCaptureFixture) -> None:
    url = "https://svc.us-east-1.amazonaws.com/a/./b//../c%20d/"
    cases = [
        _request(url, headers={"Date": "Mon, 01 Jan 2024 00:00:00 GMT"}),
        _request(url, headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}),
        _request(url, headers={"Host": "Other.Example.com", "Expect": "100-continue"}),
        _request(url, headers={"User-Agent": b"bytes", "X-Amzn-Trace-Id": "Root=1"}),
        _request(url, headers={"X-Custom": "  a   b\t c  "}),
        _request(url, params={"b": "2", "a": "1 ~"}),
    ]
    repeated = _request(url)
    repeated.headers["X-Custom"] = " one  "
    repeated.headers["x-custom"] = "two   three"
    cases.append(repeated)
    file_body = _request(url)
    file_body.data = io.BytesIO(b"a file body")
    cases.append(file_body)
    form_body = _request("http://svc.us-east-1.amazonaws.com")
    form_body.data = {"Action": "List", "Name": "ä b"}
    cases.append(form_body)
    unsigned = _request(url)
    unsigned.context["payload_signing_enabled"] = False
    cases.append(unsigned)
    trailer = _request(url)
    trailer.context["checksum"] = {"request_algorithm": {"in": "trailer", "name": "x"}}
    cases.append(trailer)
    for request in cases:
        _assert_same(request, TOKEN, "svc", "us-east-1")
    with caplog.at_level(logging.DEBUG, logger="botocore.auth"):
        _assert_same(_request(url), TOKEN, "svc", "us-east-1")
    assert "CanonicalRequest" in caplog.text  # botocore's own debug lines, as before


def test_no_credentials() -> None:
    with pytest.raises(NoCredentialsError):
        FastSigV4Auth(None, "svc", "us-east-1").add_auth(_request("https://example.com/"))


def test_install_is_idempotent_and_only_v4(monkeypatch: pytest.MonkeyPatch) -> None:
    maps = botocore.auth.AUTH_TYPE_MAPS
    monkeypatch.setitem(maps, "v4", SigV4Auth)
    before = dict(maps)
    signing.install()
    signing.install()
    assert maps == {**before, "v4": FastSigV4Auth}
    assert maps["s3v4"] is S3SigV4Auth


def test_clients_sign_with_it_except_s3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(botocore.auth.AUTH_TYPE_MAPS, "v4", SigV4Auth)
    signing.install()
    used: list[type[Any]] = []

    def before_sign(
        request_signer: Any, signing_name: str, region_name: str, signature_version: str, **_: Any
    ) -> None:
        auth = request_signer.get_auth_instance(signing_name, region_name, signature_version)
        used.append(type(auth))

    for service in ("iam", "s3"):
        operation = "list_users" if service == "iam" else "list_buckets"
        _call(
            _client(service, None, "us-east-1"),
            operation,
            {},
            before_sign=before_sign,
            before_send=_unsent(),
        )
    assert used == [FastSigV4Auth, S3SigV4Auth]


async def test_sessions_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from collector.aws.sessions import Sessions
    from collector.config import AwsConfig

    monkeypatch.setitem(botocore.auth.AUTH_TYPE_MAPS, "v4", SigV4Auth)
    sessions = Sessions(AwsConfig(), session_name="t", max_pool_connections=1)
    await sessions.close()
    assert botocore.auth.AUTH_TYPE_MAPS["v4"] is FastSigV4Auth


def _sent(request: Any) -> tuple[Any, ...]:
    # Not signed, and different every time: the User-Agent lists the features used in a
    # varying order, the invocation id is random.
    headers = [(k, v) for k, v in request.headers.items() if k not in UNSIGNED]
    return request.url, headers, request.body


def test_end_to_end_through_a_client(
    clock: list[dt.datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a client sends, stock and with the fast signer installed."""
    sent: dict[type[Any], list[Any]] = {}
    for cls in (SigV4Auth, FastSigV4Auth):
        monkeypatch.setitem(botocore.auth.AUTH_TYPE_MAPS, "v4", cls)
        sent[cls] = []
        for service, operation, params, endpoint_url, region in CASES:
            client = _client(service, endpoint_url, region)
            _call(client, operation, params, before_send=_unsent(sent[cls].append))
    stock = [_sent(request) for request in sent[SigV4Auth]]
    assert [_sent(request) for request in sent[FastSigV4Auth]] == stock
    assert all("Authorization" in dict(headers) for _, headers, _ in stock)
