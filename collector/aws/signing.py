"""SigV4 signing without botocore's per-request re-derivations.

botocore's ``SigV4Auth.add_auth`` takes 50-64 us a request (16-26 us here), mostly spent
redoing work whose answer does not change between requests: it builds the headers to sign as
an ``email.message.Message`` twice per request (once for the canonical request, once for the
Authorization header) and reads them back with ``get_all``; it derives the Host header from
the URL with two URL parses and an IPv6 regular expression each time; it prepares the whole
request (URL, a copy of the headers, Content-Length) just to read the body; and it derives the
signing key with four HMACs although the key only changes with the day, region and service.

:class:`FastSigV4Auth` takes the same steps with the same inputs: the headers to sign once, as
a plain dict; the Host per scheme and authority, and the signing key per (secret, day, region,
service), each from a small bounded table; the body from the preparer's own body step. Its
date and token headers are set by botocore's own method, and what it does not cover (header
values that are not plain strings, bodies that are files, streaming checksums, unsigned
payloads, debug logging of the canonical request) goes through botocore's own methods, so the
signed request is botocore's in every case; ``tests/test_signing.py`` checks that against the
stock signer on real clients' requests.

Only plain ``v4`` is replaced: S3's ``s3v4`` signer (and everything else) stays botocore's.
"""

from __future__ import annotations

import hmac
import logging
import re
from hashlib import sha256
from typing import Any

import botocore.auth
from botocore.auth import (
    EMPTY_SHA256_HASH,
    SIGNED_HEADERS_BLACKLIST,
    SIGV4_TIMESTAMP,
    SigV4Auth,
)
from botocore.awsrequest import AWSRequest, AWSRequestPreparer
from botocore.compat import urlsplit
from botocore.exceptions import NoCredentialsError
from botocore.utils import UNSAFE_URL_CHARS

__all__ = ["FastSigV4Auth", "install"]

# Bounded so that neither table grows with a long run's days or a stray endpoint per call;
# emptied whole when full (refilling costs one derivation per entry).
_HOSTS_MAX = 64
_KEYS_MAX = 256

_BLACKLIST = frozenset(SIGNED_HEADERS_BLACKLIST)
# The scheme and authority exactly as ``urlsplit`` cuts them for the two schemes botocore
# signs; anything else (upper-case scheme, leading blanks) takes botocore's own path.
_ORIGIN = re.compile(r"https?://[^/?#]*")
_UNSAFE = re.compile("[" + re.escape("".join(sorted(UNSAFE_URL_CHARS))) + "]")  # tab, CR, LF
_LOG = logging.getLogger(botocore.auth.__name__)

_hosts: dict[str, str] = {}
# The derived keys are as secret as the secret key they come from: kept here only.
_keys: dict[tuple[str, str, str, str], bytes] = {}


def _host(url: str) -> str:
    """botocore's ``_host_from_url``, remembered per scheme and authority (the only parts of
    the URL it reads, unless the URL holds a character that ``urlsplit`` deletes)."""
    origin = _ORIGIN.match(url)
    if origin is None or _UNSAFE.search(url) is not None:
        return botocore.auth._host_from_url(url)  # type: ignore[no-any-return]
    key = origin.group()
    host = _hosts.get(key)
    if host is None:
        host = botocore.auth._host_from_url(url)
        if type(host) is not str:  # no host at all: botocore's failure, every time
            return host  # type: ignore[no-any-return]
        if len(_hosts) >= _HOSTS_MAX:
            _hosts.clear()
        _hosts[key] = host
    return host


def _signing_key(secret: str, day: str, region: str, service: str) -> bytes:
    """The key botocore's ``SigV4Auth.signature`` derives, once per day, region and service."""
    cache_key = (secret, day, region, service)
    key = _keys.get(cache_key)
    if key is None:
        key = hmac.digest(f"AWS4{secret}".encode(), day.encode(), "sha256")
        for part in (region, service, "aws4_request"):
            key = hmac.digest(key, part.encode(), "sha256")
        if len(_keys) >= _KEYS_MAX:
            _keys.clear()
        _keys[cache_key] = key
    return key


def _headers_to_sign(request: Any) -> dict[str, list[str]] | None:
    """``SigV4Auth.headers_to_sign`` as a dict of lower-case name to values in order, or None
    when a value is not a plain string (bytes, or text ``email`` turns into a ``Header``)."""
    signed: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        if type(value) is not str:
            return None
        lname = name.lower()
        if lname in _BLACKLIST:
            continue
        values = signed.get(lname)
        if values is None:
            signed[lname] = [value]
        else:
            values.append(value)
    if "host" not in signed:
        signed["host"] = [_host(request.url)]
    return signed


def _canonical_headers(signed: dict[str, list[str]], names: list[str]) -> str:
    # Repeated headers joined by commas, each value's runs of blanks made one space: as
    # ``SigV4Auth.canonical_headers`` and ``_header_value``.
    lines = []
    for name in names:
        values = signed[name]
        if len(values) == 1:
            lines.append(f"{name}:{' '.join(values[0].split())}")
        else:
            lines.append(f"{name}:{','.join(' '.join(v.split()) for v in values)}")
    return "\n".join(lines)


def _body(request: Any) -> bytes | None:
    """``request.body`` without preparing the URL and a copy of the headers around it, or
    None when the body is something botocore's own ``payload`` must read (a file)."""
    preparer: Any = getattr(request, "_request_preparer", None)
    if type(request) is not AWSRequest or type(preparer) is not AWSRequestPreparer:
        return None
    body = preparer._prepare_body(request)
    if type(body) is str:
        return body.encode("utf-8")
    if body is None or type(body) is bytes:
        return body or b""
    return None


class FastSigV4Auth(SigV4Auth):  # type: ignore[misc]
    """``SigV4Auth`` with the same output at a fraction of the work (see the module docstring)."""

    def add_auth(self, request: Any) -> None:
        credentials = self.credentials
        if credentials is None:
            raise NoCredentialsError()
        context = request.context
        region, service = self._region_name, self._service_name
        access_key, secret_key = credentials.access_key, credentials.secret_key
        if (
            type(access_key) is not str
            or type(secret_key) is not str
            or type(region) is not str
            or type(service) is not str
            or type(request.url) is not str
            or type(request.method) is not str
            or not context.get("payload_signing_enabled", True)
            or self._is_streaming_checksum_payload(request)
            or _LOG.isEnabledFor(logging.DEBUG)  # botocore logs the canonical request
        ):
            super().add_auth(request)
            return
        timestamp = botocore.auth.get_current_datetime().strftime(SIGV4_TIMESTAMP)
        context["timestamp"] = timestamp
        self._before_signing(request, timestamp)
        signed = _headers_to_sign(request)
        if signed is None:
            canonical_request = self.canonical_request(request)
            string_to_sign = self.string_to_sign(request, canonical_request)
            self._inject_signature_to_request(request, self.signature(string_to_sign, request))
            return

        names = sorted(signed)
        stripped = [n.lower().strip() for n in names]  # botocore's ``signed_headers``
        signed_headers = ";".join(stripped if stripped == names else sorted(stripped))
        canonical_request = "\n".join(
            (
                request.method.upper(),
                *self._path_and_query(request),
                _canonical_headers(signed, names) + "\n",
                signed_headers,
                self._body_checksum(request, signed),
            )
        )
        day = timestamp[0:8]
        scope = f"{day}/{region}/{service}/aws4_request"
        string_to_sign = "\n".join(
            (
                "AWS4-HMAC-SHA256",
                timestamp,
                scope,
                sha256(canonical_request.encode("utf-8")).hexdigest(),
            )
        )
        key = _signing_key(secret_key, day, region, service)
        signature = hmac.digest(key, string_to_sign.encode("utf-8"), "sha256").hex()
        request.headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
            f"SignedHeaders={signed_headers}, Signature={signature}"
        )

    def _before_signing(self, request: Any, timestamp: str) -> None:
        """``_modify_request_before_signing`` with one look at the header names instead of a
        scan of the headers per name; a ``Date`` header (signed in its place, reformatted)
        is left to botocore's own."""
        headers = request.headers
        present = {name.lower() for name in headers.keys()}  # noqa: SIM118 (a Message)
        if "date" in present:
            self._modify_request_before_signing(request)
            return
        if "authorization" in present:  # a retry: signed again from scratch
            del headers["Authorization"]
        if "x-amz-date" in present:
            del headers["X-Amz-Date"]
        headers["X-Amz-Date"] = timestamp
        token = self.credentials.token
        if token:
            if "x-amz-security-token" in present:
                del headers["X-Amz-Security-Token"]
            headers["X-Amz-Security-Token"] = token

    def _path_and_query(self, request: Any) -> tuple[str, str]:
        # One split of the URL for both (botocore splits it twice).
        parts = urlsplit(request.url)
        path = "/" if parts.path in ("", "/") else self._normalize_url_path(parts.path)
        if request.params:
            return path, self._canonical_query_string_params(request.params)
        return path, self._canonical_query_string_url(parts)

    def _body_checksum(self, request: Any, signed: dict[str, list[str]]) -> str:
        # A checksum the request already carries is signed as it is (the first, as
        # ``request.headers[...]`` reads it); otherwise the body's, always signed here: over
        # https too, payload signing being on (see ``add_auth``).
        given = signed.get("x-amz-content-sha256")
        if given is not None:
            return given[0]
        body = _body(request)
        if body is None:
            return self.payload(request)  # type: ignore[no-any-return]
        return sha256(body).hexdigest() if body else EMPTY_SHA256_HASH


def install() -> None:
    """Sign ``v4`` requests with :class:`FastSigV4Auth`; idempotent. A ``v4`` signer that is
    not botocore's pure-Python one (awscrt's, when installed) is left alone."""
    maps = botocore.auth.AUTH_TYPE_MAPS
    if maps.get("v4") is SigV4Auth:
        maps["v4"] = FastSigV4Auth
