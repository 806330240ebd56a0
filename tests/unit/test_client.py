"""The HTTP client against fake servers (httpx.MockTransport): credentials, rate limits, error mapping."""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable

import httpx
import pytest

from mxsettings.api.client import MatrixHttp, RateLimitPolicy, check_url_allowed
from mxsettings.errors import (
    InsecureUrl,
    LimitExceeded,
    MalformedResponse,
    MatrixError,
    NetworkError,
    PasswordTooShort,
    RequestTimeout,
    TlsError,
    UiaRequired,
    UnknownToken,
)
from tests.fresh_python import run_fresh

BASE = "https://matrix.example.org"
TOKEN = "syt_secret_token_value"

Handler = Callable[[httpx.Request], httpx.Response]


class Sleeps:
    """Records the waits the client asks for instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_http(handler: Handler, sleeps: Sleeps | None = None, base: str = BASE) -> MatrixHttp:
    http = MatrixHttp(base, transport=httpx.MockTransport(handler), sleep=sleeps or Sleeps())
    http.set_access_token(TOKEN)
    return http


def ok(body: object = None) -> httpx.Response:
    return httpx.Response(200, json={} if body is None else body)


@pytest.mark.asyncio
async def test_token_travels_in_the_authorization_header_only() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok({"user_id": "@a:example.org"})

    http = make_http(handler)
    await http.request("GET", "/_matrix/client/v3/account/whoami")
    (request,) = seen
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(request.url)
    assert "access_token" not in str(request.url)


@pytest.mark.asyncio
async def test_token_is_not_sent_to_another_origin_or_when_unauthenticated() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok({"success": True})

    http = make_http(handler)
    await http.request("POST", "https://id.example.net/submit", body={"token": "1"})
    await http.request("GET", "/_matrix/client/versions", authed=False)
    assert all("Authorization" not in r.headers for r in seen)


def test_repr_hides_the_token() -> None:
    http = make_http(lambda r: ok())
    assert TOKEN not in repr(http)
    assert "set" in repr(http)


@pytest.mark.parametrize(
    "url",
    [
        "http://matrix.example.org",
        "http://10.0.0.1:8008",
        "ftp://127.0.0.1",
        "https://",
        "matrix.example.org",
    ],
)
def test_plain_http_is_refused_off_loopback(url: str) -> None:
    with pytest.raises(InsecureUrl):
        check_url_allowed(url)


@pytest.mark.parametrize(
    "url",
    ["https://matrix.example.org", "http://127.0.0.1:8008", "http://localhost:8008", "http://[::1]:8008"],
)
def test_https_and_loopback_http_are_allowed(url: str) -> None:
    check_url_allowed(url)


@pytest.mark.asyncio
async def test_absolute_url_to_plain_http_elsewhere_is_refused_before_sending() -> None:
    seen: list[httpx.Request] = []
    http = make_http(lambda r: seen.append(r) or ok())
    with pytest.raises(InsecureUrl):
        await http.request("POST", "http://evil.example.net/submit", body={})
    assert seen == []


@pytest.mark.asyncio
async def test_rate_limit_waits_for_retry_after_then_retries() -> None:
    answers = [
        httpx.Response(
            429, headers={"Retry-After": "2"}, json={"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 1500}
        ),
        ok({"ok": 1}),
    ]
    sleeps = Sleeps()
    http = make_http(lambda r: answers.pop(0), sleeps)
    assert await http.request("GET", "/x") == {"ok": 1}
    assert sleeps.waits == [2.0]  # the header wins over the deprecated body field


@pytest.mark.asyncio
async def test_rate_limit_falls_back_to_retry_after_ms() -> None:
    answers = [httpx.Response(429, json={"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 1500}), ok()]
    sleeps = Sleeps()
    http = make_http(lambda r: answers.pop(0), sleeps)
    await http.request("GET", "/x")
    assert sleeps.waits == [1.5]


@pytest.mark.asyncio
async def test_rate_limit_without_hint_backs_off_exponentially_and_gives_up() -> None:
    sleeps = Sleeps()
    http = MatrixHttp(
        BASE,
        transport=httpx.MockTransport(lambda r: httpx.Response(429, json={"errcode": "M_LIMIT_EXCEEDED"})),
        sleep=sleeps,
        rate_limit=RateLimitPolicy(max_retries=3, backoff_base=1.0, backoff_cap=3.0, max_auto_wait=5.0),
    )
    with pytest.raises(LimitExceeded) as caught:
        await http.request("GET", "/x")
    assert sleeps.waits == [1.0, 2.0, 3.0]
    assert caught.value.retry_after == 3.0


@pytest.mark.asyncio
async def test_long_rate_limit_is_handed_to_the_user_not_waited() -> None:
    sleeps = Sleeps()
    response = httpx.Response(429, headers={"Retry-After": "120"}, json={"errcode": "M_LIMIT_EXCEEDED"})
    http = make_http(lambda r: response, sleeps)
    with pytest.raises(LimitExceeded) as caught:
        await http.request("POST", "/x", body={})
    assert caught.value.retry_after == 120.0
    assert sleeps.waits == []


@pytest.mark.asyncio
async def test_rate_limit_is_not_retried_when_the_caller_says_so() -> None:
    sleeps = Sleeps()
    response = httpx.Response(429, headers={"Retry-After": "1"}, json={"errcode": "M_LIMIT_EXCEEDED"})
    http = make_http(lambda r: response, sleeps)
    with pytest.raises(LimitExceeded):
        await http.request("POST", "/x", body={}, retry_on_limit=False)
    assert sleeps.waits == []


@pytest.mark.asyncio
async def test_http_date_retry_after() -> None:
    response = httpx.Response(
        429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, json={"errcode": "M_LIMIT_EXCEEDED"}
    )
    answers = [response, ok()]
    sleeps = Sleeps()
    http = make_http(lambda r: answers.pop(0), sleeps)
    await http.request("GET", "/x")
    assert sleeps.waits == [0.0]  # a date in the past means: go now


@pytest.mark.asyncio
async def test_uia_challenge_is_not_a_token_error() -> None:
    body = {"flows": [{"stages": ["m.login.password"]}], "session": "S1", "params": {}}
    http = make_http(lambda r: httpx.Response(401, json=body))
    with pytest.raises(UiaRequired) as caught:
        await http.request("POST", "/_matrix/client/v3/account/password", body={"new_password": "x"})
    assert caught.value.challenge.session == "S1"
    assert caught.value.challenge.flows == (("m.login.password",),)


@pytest.mark.asyncio
@pytest.mark.parametrize("soft", [True, False])
async def test_unknown_token_carries_soft_logout(soft: bool) -> None:
    body = {"errcode": "M_UNKNOWN_TOKEN", "error": "Expired", "soft_logout": soft}
    http = make_http(lambda r: httpx.Response(401, json=body))
    with pytest.raises(UnknownToken) as caught:
        await http.request("GET", "/whoami")
    assert caught.value.soft_logout is soft
    assert caught.value.server_message == "Expired"


@pytest.mark.asyncio
async def test_errcode_picks_the_registered_class() -> None:
    body = {"errcode": "M_PASSWORD_TOO_SHORT", "error": "too short"}
    http = make_http(lambda r: httpx.Response(400, json=body))
    with pytest.raises(PasswordTooShort) as caught:
        await http.request("POST", "/p", body={})
    assert caught.value.status == 400


@pytest.mark.asyncio
async def test_json_error_without_errcode_keeps_the_status() -> None:
    http = make_http(lambda r: httpx.Response(404, json={}))
    with pytest.raises(MatrixError) as caught:
        await http.request("GET", "/missing")
    assert caught.value.status == 404
    assert caught.value.code == ""


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(502, html="<html><body>Bad gateway</body></html>"),
        httpx.Response(503, content=b"", headers={"Retry-After": "1"}),
        httpx.Response(500, text="Internal Server Error"),
    ],
)
async def test_a_server_error_without_a_matrix_body_keeps_its_status(response: httpx.Response) -> None:
    # A gateway's page or an empty 5xx is the server being down, not an answer the app cannot read.
    http = make_http(lambda r: response)
    with pytest.raises(MatrixError) as caught:
        await http.request("GET", "/x")
    assert (caught.value.status, caught.value.code) == (response.status_code, "")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(404, html="<html><body>Not found</body></html>"), "HTML page"),
        (httpx.Response(200, text="not json"), "text/plain"),
        (httpx.Response(200, json=[1, 2]), "application/json"),
        (httpx.Response(400, content=b""), "empty body"),
        (httpx.Response(200, content=b"[" * 100_000, headers={"content-type": "application/json"}), "JSON"),
    ],
)
async def test_unreadable_answers_are_malformed(response: httpx.Response, expected: str) -> None:
    http = make_http(lambda r: response)
    with pytest.raises(MalformedResponse) as caught:
        await http.request("GET", "/x")
    assert expected in str(caught.value)


@pytest.mark.asyncio
async def test_timeout_and_network_errors_are_mapped() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    def cut(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    with pytest.raises(RequestTimeout):
        await make_http(timeout).request("GET", "/x")
    for handler in (refused, cut):
        with pytest.raises(NetworkError) as caught:
            await make_http(handler).request("GET", "/x")
        assert type(caught.value) is NetworkError
        assert caught.value.host == "matrix.example.org"


@pytest.mark.asyncio
async def test_tls_failure_is_its_own_error() -> None:
    def bad_cert(request: httpx.Request) -> httpx.Response:
        try:
            raise ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] self-signed certificate")
        except ssl.SSLError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc

    with pytest.raises(TlsError) as caught:
        await make_http(bad_cert).request("GET", "/x")
    assert "certificate" in caught.value.detail


@pytest.mark.asyncio
async def test_errors_never_contain_the_token_or_the_body() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        echoed = json.loads(request.content)
        return httpx.Response(403, json={"errcode": "M_FORBIDDEN", "error": "no", "echo": echoed})

    http = make_http(handler)
    with pytest.raises(MatrixError) as caught:
        await http.request("POST", "/p", body={"password": "hunter22"})
    text = f"{caught.value} {caught.value!r}"
    assert TOKEN not in text
    assert "hunter22" not in text


@pytest.mark.asyncio
async def test_a_refused_token_is_refreshed_once_and_the_request_retried() -> None:
    tokens_seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        tokens_seen.append(request.headers.get("Authorization", ""))
        if request.headers.get("Authorization") == "Bearer fresh":
            return ok({"user_id": "@a:example.org"})
        return httpx.Response(401, json={"errcode": "M_UNKNOWN_TOKEN", "soft_logout": True})

    http = make_http(handler)
    refreshes: list[int] = []

    async def refresher() -> bool:
        refreshes.append(1)
        http.set_access_token("fresh")
        return True

    http.set_token_refresher(refresher)
    assert await http.request("GET", "/whoami") == {"user_id": "@a:example.org"}
    assert tokens_seen == [f"Bearer {TOKEN}", "Bearer fresh"]
    assert refreshes == [1]


@pytest.mark.asyncio
async def test_a_failed_refresh_leaves_the_token_error() -> None:
    http = make_http(lambda r: httpx.Response(401, json={"errcode": "M_UNKNOWN_TOKEN"}))
    calls: list[int] = []

    async def refresher() -> bool:
        calls.append(1)
        return False

    http.set_token_refresher(refresher)
    with pytest.raises(UnknownToken):
        await http.request("GET", "/whoami")
    with pytest.raises(UnknownToken):
        await http.request("GET", "/versions", authed=False)  # no token was sent: nothing to refresh
    assert calls == [1]


def test_the_network_stack_preload_leaves_nothing_for_the_first_client_and_request_to_load() -> None:

    # A real connection (refused, nobody listens on port 9 of loopback) goes through httpcore and anyio.
    code = (
        "import asyncio, sys\n"
        "from mxsettings.api.preload import load_network_stack\n"
        "load_network_stack()\n"
        "from mxsettings.api.client import verifying_context\n"
        "print(verifying_context.cache_info().currsize)\n"  # 1: the shared TLS context is made already
        "before = set(sys.modules)\n"
        "from mxsettings.api.client import MatrixHttp\n"
        "async def first():\n"
        "    http = MatrixHttp('http://127.0.0.1:9')\n"
        "    try:\n"
        "        await http.request('GET', '/_matrix/client/versions')\n"
        "    except Exception:\n"
        "        pass\n"
        "    await http.aclose()\n"
        "asyncio.run(first())\n"
        "stack = ('anyio', 'httpx', 'httpcore', 'h11')\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(stack)))\n"
        "print(verifying_context.cache_info().misses)\n"  # still 1: the client did not make another
    )
    assert run_fresh(code).splitlines() == ["1", "[]", "1"]
