"""The one HTTP client per account: credentials, timeouts, rate limits and error mapping live here only.

- The access token travels as ``Authorization: Bearer`` and only to the server it belongs to; it is never put
  in a URL, a log line, an exception or a ``repr``.
- TLS verification is httpx's default and cannot be switched off; plain ``http://`` is refused unless the host
  is on loopback.
- A 429 is retried by itself when the server asks for a short wait (``Retry-After`` first, then
  ``retry_after_ms``, else a capped exponential back-off); a longer wait is raised as ``LimitExceeded`` so the
  UI can show a countdown.
- A 401 with ``flows`` is a user-interactive-authentication challenge and raises ``UiaRequired``; every other
  error body becomes the exception registered for its errcode.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import json
import logging
import re
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from mxsettings import __version__
from mxsettings.api.models import UiaChallenge
from mxsettings.errors import (
    InsecureUrl,
    LimitExceeded,
    MalformedResponse,
    MatrixError,
    NetworkError,
    Origin,
    RequestTimeout,
    TlsError,
    UiaRequired,
    UnknownToken,
    error_from_body,
)

log = logging.getLogger("mxsettings.api")

Sleep = Callable[[float], Awaitable[None]]
TokenRefresher = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class Timeouts:
    """Seconds. Explicit so that a stalled server ends in a message, never in a spinner that never stops."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class RateLimitPolicy:
    """How long the client waits by itself on a 429 before handing the wait to the user."""

    max_retries: int = 3
    max_auto_wait: float = 5.0  # seconds; a longer wait is shown to the user as a countdown
    backoff_base: float = 1.0  # used when the server gives no hint
    backoff_cap: float = 5.0

    def backoff(self, attempt: int) -> float:
        return float(min(self.backoff_cap, self.backoff_base * (2**attempt)))


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url_allowed(url: str) -> None:
    """Raise ``InsecureUrl`` for anything but https, or http on loopback."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and is_loopback_host(parts.hostname):
        return
    raise InsecureUrl(url)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return (parts.scheme, (parts.hostname or "").lower(), port)


class MatrixHttp:
    """A long-lived ``httpx.AsyncClient`` bound to one server (and one account, once a token is set)."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeouts: Timeouts = Timeouts(),
        rate_limit: RateLimitPolicy = RateLimitPolicy(),
        sleep: Sleep = asyncio.sleep,
        origin: Origin = Origin.HOMESERVER,
    ) -> None:
        base_url = base_url.rstrip("/")
        check_url_allowed(base_url)
        self.base_url = base_url
        self.origin = origin
        self._host = urlsplit(base_url).netloc
        self._rate_limit = rate_limit
        self._sleep = sleep
        self._access_token: str | None = None
        self._refresher: TokenRefresher | None = None
        # verify is deliberately not a parameter: TLS verification stays on for every host.
        self._client = httpx.AsyncClient(
            transport=transport,
            verify=verifying_context(),
            timeout=timeouts.to_httpx(),
            follow_redirects=False,
            headers={"User-Agent": f"mxsettings/{__version__}", "Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"MatrixHttp({self.base_url!r}, token={'set' if self._access_token else 'none'})"

    @property
    def host(self) -> str:
        return self._host

    @property
    def has_token(self) -> bool:
        return self._access_token is not None

    def set_access_token(self, token: str | None) -> None:
        self._access_token = token

    def set_token_refresher(self, refresher: TokenRefresher | None) -> None:
        """Called once when the server refuses the token; returning True retries the request with the new
        one (set through ``set_access_token``)."""
        self._refresher = refresher

    async def aclose(self) -> None:
        await self._client.aclose()

    def url(self, path: str) -> str:
        return self.base_url + path

    async def request(
        self,
        method: str,
        path_or_url: str,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        authed: bool = True,
        retry_on_limit: bool = True,
        follow_redirects: bool = False,
    ) -> Any:
        """Send one request and return its decoded JSON body (a dict), raising the app's errors on failure.

        ``path_or_url`` is a path below the base URL, or an absolute URL (``submit_url``); the token is only
        ever attached for the base URL's own origin.
        """
        url = path_or_url if "://" in path_or_url else self.url(path_or_url)
        check_url_allowed(url)
        attach_token = authed and _origin(url) == _origin(self.base_url)
        call = _Call(method, url, body, params, follow_redirects, retry_on_limit)
        try:
            return await self._send_with_rate_limit(call, attach_token)
        except UnknownToken:
            refresher = self._refresher
            if not attach_token or refresher is None or not await refresher():
                raise
        return await self._send_with_rate_limit(call, attach_token)

    async def _send_with_rate_limit(self, call: _Call, attach_token: bool) -> Any:
        attempt = 0
        while True:
            headers: dict[str, str] = {}
            if attach_token and self._access_token is not None:
                headers["Authorization"] = f"Bearer {self._access_token}"
            response = await self._send(call, headers)
            try:
                return self._decode(response)
            except LimitExceeded as limited:
                wait = limited.retry_after
                if wait is None:
                    wait = self._rate_limit.backoff(attempt)
                    limited.retry_after = wait
                if not call.retry_on_limit or attempt >= self._rate_limit.max_retries:
                    raise
                if wait > self._rate_limit.max_auto_wait:
                    raise
                log.info("rate limited on %s %s, waiting %.1f s", call.method, urlsplit(call.url).path, wait)
                attempt += 1
                await self._sleep(wait)

    async def _send(self, call: _Call, headers: dict[str, str]) -> httpx.Response:
        method, url = call.method, call.url
        path = urlsplit(url).path
        try:
            response = await self._client.request(
                method,
                url,
                headers=headers,
                json=dict(call.body) if call.body is not None else None,
                params=call.params,
                follow_redirects=call.follow_redirects,
            )
            # Read the whole body here so a connection cut mid-body is a network error, not a parse error.
            await response.aread()
        except httpx.TimeoutException as exc:
            raise RequestTimeout(self._host, type(exc).__name__) from None
        except httpx.TransportError as exc:
            if _is_tls_failure(exc):
                raise TlsError(self._host, _tls_detail(exc)) from None
            raise NetworkError(self._host, type(exc).__name__) from None
        log.debug("%s %s -> %s", method, path, response.status_code)
        return response

    def _decode(self, response: httpx.Response) -> Any:
        status = response.status_code
        data = _json_or_none(response)
        if 200 <= status < 300:
            if not isinstance(data, dict):
                raise MalformedResponse(_describe_non_json(response, "a JSON object"), status=status)
            return data
        if status == 401 and UiaChallenge.looks_like(data):
            raise UiaRequired(UiaChallenge.parse(data))
        if isinstance(data, dict) and isinstance(data.get("errcode"), str):
            raise error_from_body(
                status, data, headers=dict(response.headers), origin=self.origin, server=self._host
            )
        if status == 429:
            raise error_from_body(
                status,
                {"errcode": "M_LIMIT_EXCEEDED"},
                headers=dict(response.headers),
                origin=self.origin,
                server=self._host,
            )
        if isinstance(data, dict):
            # JSON without an errcode: keep the status so callers can tell "not supported" (404/405/501).
            raise MatrixError(status=status, errcode="", body=data, origin=self.origin, server=self._host)
        if status >= 500:
            # A gateway's error page or an empty 502/503: the server is down or restarting, which is worth
            # saying as such ("try again later"), not as an answer the app cannot read.
            raise MatrixError(status=status, errcode="", origin=self.origin, server=self._host)
        raise MalformedResponse(_describe_non_json(response, "a Matrix error"), status=status)


@dataclass(frozen=True)
class _Call:
    method: str
    url: str
    body: Mapping[str, Any] | None = field(repr=False)
    params: Mapping[str, str] | None
    follow_redirects: bool
    retry_on_limit: bool


# A ``\\uD800``-``\\uDFFF`` escape: harmless in a surrogate pair, a lone surrogate otherwise.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


@functools.cache
def verifying_context() -> ssl.SSLContext:
    """The one TLS context of every client: httpx's default (certificate and host name verified, certifi's
    authorities unless SSL_CERT_FILE or SSL_CERT_DIR says otherwise), made once. Each client making its own
    loads the whole CA bundle again, about half a megabyte and a few milliseconds apiece."""
    return httpx.create_ssl_context()


def _json_or_none(response: httpx.Response) -> Any:
    """The body's JSON, or None when it is not JSON a server could mean.

    ``json.loads`` turns an unpaired ``\\ud800`` escape into a lone surrogate, which no UTF-8 text can hold:
    echoed back (a UIA session, a stage name in a URL) it would fail to encode deep inside httpx. Such a
    body is treated as unreadable here, once, not in every place that sends a server's string back.
    """
    if not response.content:
        return None
    try:
        data = json.loads(response.content)
        if _SURROGATE_ESCAPE.search(response.content):
            json.dumps(data, ensure_ascii=False).encode("utf-8")  # pairs pass; a lone surrogate raises
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return None
    return data


def _describe_non_json(response: httpx.Response, expected: str) -> str:
    ctype = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
    if not response.content:
        return f"HTTP {response.status_code} with an empty body, expected {expected}"
    if "html" in ctype:
        return f"HTTP {response.status_code} with an HTML page, expected {expected}"
    return f"HTTP {response.status_code} with {ctype} content, expected {expected}"


def _is_tls_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        text = str(current)
        if "CERTIFICATE_VERIFY_FAILED" in text or ("SSL" in text and "handshake" in text.lower()):
            return True
        current = current.__cause__ or current.__context__
    return False


def _tls_detail(exc: BaseException) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "certificate verify failed"
    return "TLS handshake failed"
