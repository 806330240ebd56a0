"""From what the user typed to a homeserver: names, user IDs, URLs, well-known, and servers that are not."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable

import httpx
import pytest

from mxsettings.api.client import MatrixHttp
from mxsettings.errors import InsecureUrl, InvalidServerAddress, NetworkError, NotAMatrixServer, TlsError
from mxsettings.services.server_lookup import lookup_server, split_input, well_known_origin

pytestmark = pytest.mark.asyncio

Routes = dict[tuple[str, str], httpx.Response]
VERSIONS = httpx.Response(200, json={"versions": ["v1.11"]})
PASSWORD_FLOWS = httpx.Response(200, json={"flows": [{"type": "m.login.password"}]})
NO_OAUTH = httpx.Response(404, json={"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"})


def factory(routes: Routes, seen: list[str] | None = None) -> Callable[[str], MatrixHttp]:
    def handler(request: httpx.Request) -> httpx.Response:
        key = (request.url.host, request.url.path)
        if seen is not None:
            seen.append(f"{request.url.scheme}://{request.url.host}{request.url.path}")
        return routes.get(key, httpx.Response(404, json={"errcode": "M_UNRECOGNIZED"}))

    return lambda base: MatrixHttp(base, transport=httpx.MockTransport(handler))


def homeserver_routes(host: str) -> Routes:
    return {
        (host, "/_matrix/client/versions"): VERSIONS,
        (host, "/_matrix/client/v3/login"): PASSWORD_FLOWS,
        (host, "/_matrix/client/v1/auth_metadata"): NO_OAUTH,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.org", (None, "example.org")),
        ("  Example.ORG ", (None, "example.org")),
        ("@alice:example.org", (None, "example.org")),
        ("@alice:example.org:8448", (None, "example.org:8448")),
        ("https://matrix.example.org/", ("https://matrix.example.org", None)),
        ("localhost:8008", (None, "localhost:8008")),
    ],
)
async def test_input_forms(text: str, expected: tuple[str | None, str | None]) -> None:
    assert split_input(text) == expected


@pytest.mark.parametrize("text", ["", "matrix", "exa mple.org", "ftp://example.org", "https://", "@alice"])
async def test_bad_input_is_refused(text: str) -> None:
    with pytest.raises(InvalidServerAddress):
        split_input(text)


async def test_well_known_origin_drops_the_port_except_on_loopback() -> None:
    assert well_known_origin("example.org:8448") == "https://example.org"
    assert well_known_origin("127.0.0.1:8008") == "http://127.0.0.1:8008"


async def test_server_name_follows_well_known_and_notes_the_identity_server() -> None:
    routes = homeserver_routes("matrix.example.org") | {
        ("example.org", "/.well-known/matrix/client"): httpx.Response(
            200,
            json={
                "m.homeserver": {"base_url": "https://matrix.example.org/"},
                "m.identity_server": {"base_url": "https://id.example.org"},
            },
        )
    }
    info = await lookup_server("@alice:example.org", factory(routes))
    assert info.base_url == "https://matrix.example.org"
    assert info.identity_server == "https://id.example.org"
    assert info.offers_password
    assert not info.offers_sso
    assert not info.delegates_auth
    await info.homeserver.aclose()


async def test_without_well_known_the_name_itself_is_the_server() -> None:
    seen: list[str] = []
    info = await lookup_server("example.org", factory(homeserver_routes("example.org"), seen))
    assert info.base_url == "https://example.org"
    assert info.identity_server is None
    assert seen[0] == "https://example.org/.well-known/matrix/client"
    await info.homeserver.aclose()


async def test_a_url_skips_well_known() -> None:
    seen: list[str] = []
    info = await lookup_server(
        "https://matrix.example.org", factory(homeserver_routes("matrix.example.org"), seen)
    )
    assert all("well-known" not in url for url in seen)
    assert info.generation.name == "v3"
    await info.homeserver.aclose()


async def test_a_web_page_is_not_a_matrix_server() -> None:
    routes: Routes = {
        ("example.org", "/_matrix/client/versions"): httpx.Response(404, html="<html>Not found</html>"),
    }
    with pytest.raises(NotAMatrixServer):
        await lookup_server("https://example.org", factory(routes))


async def test_a_json_api_that_is_not_matrix_is_refused() -> None:
    with pytest.raises(NotAMatrixServer):
        await lookup_server("https://api.example.org", factory({}))


async def test_delegated_authentication_is_recognised() -> None:
    metadata = {
        "issuer": "https://auth.example.org/",
        "authorization_endpoint": "https://auth.example.org/authorize",
        "token_endpoint": "https://auth.example.org/token",
        "account_management_uri": "https://auth.example.org/account",
    }
    routes = homeserver_routes("matrix.example.org")
    routes[("matrix.example.org", "/_matrix/client/v3/login")] = NO_OAUTH
    routes[("matrix.example.org", "/_matrix/client/v1/auth_metadata")] = httpx.Response(200, json=metadata)
    info = await lookup_server("https://matrix.example.org", factory(routes))
    assert info.delegates_auth
    assert info.auth_metadata is not None
    assert info.auth_metadata.account_management_uri == "https://auth.example.org/account"
    await info.homeserver.aclose()


async def test_plain_http_elsewhere_than_loopback_is_refused() -> None:
    with pytest.raises(InsecureUrl):
        await lookup_server("http://matrix.example.org", factory({}))


async def test_unreachable_and_tls_failures_are_reported_as_such() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    def bad_cert(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("x", request=request) from ssl.SSLCertVerificationError(
            "CERTIFICATE_VERIFY_FAILED"
        )

    for handler, error in ((refused, NetworkError), (bad_cert, TlsError)):
        with pytest.raises(error):
            await lookup_server(
                "example.org", lambda base, h=handler: MatrixHttp(base, transport=httpx.MockTransport(h))
            )


async def test_a_garbled_login_answer_ends_the_oauth_probe_before_the_client_closes() -> None:
    probe_ended = asyncio.Event()
    never = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/_matrix/client/versions":
            return httpx.Response(200, json={"versions": ["v1.11"]})
        if path == "/_matrix/client/v3/login":
            return httpx.Response(200, text="<html>a captive portal</html>")
        try:
            await never.wait()  # the OAuth probe: a slow answer
        finally:
            probe_ended.set()
        raise AssertionError("unreachable")

    with pytest.raises(NotAMatrixServer):
        await lookup_server(
            "https://hs.example", lambda base: MatrixHttp(base, transport=httpx.MockTransport(handler))
        )
    assert probe_ended.is_set(), "the OAuth probe still ran after the lookup failed"
