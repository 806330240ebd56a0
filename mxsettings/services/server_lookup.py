"""From what the user typed on the sign-in page to a homeserver the app can talk to.

Accepts a server name (``example.org``), a user ID (``@alice:example.org``) or a URL. Names go through
``/.well-known/matrix/client`` (which may also name an identity server); the result is always checked with
``/versions``. Then the login flows and the OAuth metadata are asked for at the same time, so the page can
show what the server offers.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from mxsettings.api.client import MatrixHttp, is_loopback_host
from mxsettings.api.discovery import fetch_well_known, get_login_flows, probe_auth_metadata
from mxsettings.api.generation import Generation
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import AuthMetadata, LoginFlows, WellKnown
from mxsettings.errors import (
    InvalidServerAddress,
    MalformedResponse,
    MatrixError,
    NetworkError,
    NotAMatrixServer,
    TlsError,
)
from mxsettings.services.settle import settle

# Builds the HTTP client for a base URL; the app passes one that shares its transport settings, tests pass
# one bound to a fake or a recording transport.
HttpFactory = Callable[[str], MatrixHttp]

# A DNS name or IP literal, with an optional port: what a Matrix server name may be.
_SERVER_NAME = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")


@dataclass(frozen=True)
class ServerInfo:
    """A homeserver that answered, and what it offers for signing in."""

    homeserver: Homeserver
    generation: Generation
    login_flows: LoginFlows | None
    auth_metadata: AuthMetadata | None
    identity_server: str | None

    @property
    def base_url(self) -> str:
        return self.homeserver.base_url

    @property
    def delegates_auth(self) -> bool:
        """OAuth 2.0 is in charge: the legacy login API is absent, or the server prefers OAuth-aware SSO."""
        if self.auth_metadata is None:
            return False
        if self.login_flows is None or not self.login_flows.flows:
            return True
        return any(f.oauth_aware_preferred for f in self.login_flows.flows)

    @property
    def offers_password(self) -> bool:
        return self.login_flows is not None and self.login_flows.supports("m.login.password")

    @property
    def offers_sso(self) -> bool:
        return self.login_flows is not None and self.login_flows.supports("m.login.sso")


def split_input(text: str) -> tuple[str | None, str | None]:
    """(base URL, server name): exactly one is set. Raises ``InvalidServerAddress``."""
    text = text.strip()
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidServerAddress(text)
        return text.rstrip("/"), None
    if text.startswith("@") and ":" in text:
        text = text.split(":", 1)[1]  # the server name is everything after the first colon
    # A bare word ("matrix") is a typo far more often than a server on the local network.
    bare_word = "." not in text and not text.startswith("[") and not is_loopback_host(_host(text))
    if not _SERVER_NAME.match(text) or bare_word:
        raise InvalidServerAddress(text)
    return None, text.lower()


def _host(server_name: str) -> str:
    return urlsplit(f"//{server_name}").hostname or server_name


def well_known_origin(server_name: str) -> str:
    """Where a name's well-known file lives: https on its host (no port), or plain http on loopback.

    The loopback case keeps the port so a homeserver on this computer (the demo, the tests) can be named.
    """
    host = _host(server_name)
    if is_loopback_host(host):
        return f"http://{server_name}"
    return f"https://{host}" if ":" not in host else f"https://[{host}]"


async def lookup_server(text: str, http_factory: HttpFactory) -> ServerInfo:
    base_url, server_name = split_input(text)
    identity_server: str | None = None
    if server_name is not None:
        well_known = await _well_known(server_name, http_factory)
        if well_known is not None:
            base_url, identity_server = well_known.homeserver_base_url, well_known.identity_server_base_url
        else:
            base_url = well_known_origin(server_name)
    assert base_url is not None
    homeserver = Homeserver(http_factory(base_url))
    try:
        generation = await _generation(homeserver)
        login_flows, auth_metadata = await _offers(homeserver)
    except BaseException:
        await homeserver.aclose()
        raise
    return ServerInfo(homeserver, generation, login_flows, auth_metadata, identity_server)


async def _well_known(server_name: str, http_factory: HttpFactory) -> WellKnown | None:
    http = http_factory(well_known_origin(server_name))
    try:
        return await fetch_well_known(http)
    except TlsError:
        raise  # a certificate problem must be seen, not silently routed around
    except (NetworkError, MatrixError, MalformedResponse):
        # No usable well-known file: the spec says to carry on with the name itself.
        return None
    finally:
        await http.aclose()


async def _generation(homeserver: Homeserver) -> Generation:
    try:
        return await homeserver.generation()
    except MalformedResponse:
        raise NotAMatrixServer(homeserver.base_url) from None


async def _offers(homeserver: Homeserver) -> tuple[LoginFlows | None, AuthMetadata | None]:
    flows_task = asyncio.ensure_future(get_login_flows(homeserver))
    metadata_task = asyncio.ensure_future(probe_auth_metadata(homeserver))
    try:
        try:
            login_flows, auth_metadata = await asyncio.gather(flows_task, metadata_task)
        finally:
            await settle(flows_task, metadata_task)  # the caller closes the client on a failure
    except MalformedResponse:
        raise NotAMatrixServer(homeserver.base_url) from None
    if login_flows is None and auth_metadata is None and await homeserver.versions() is None:
        # Neither /versions, nor a login API, nor OAuth: whatever answered is not a homeserver.
        raise NotAMatrixServer(homeserver.base_url)
    return login_flows, auth_metadata
