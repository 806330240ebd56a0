"""Finding a homeserver and learning what it offers: well-known, capabilities, login flows, OAuth metadata."""

from __future__ import annotations

from mxsettings.api.client import MatrixHttp
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import AuthMetadata, Capabilities, LoginFlows, WellKnown
from mxsettings.errors import MatrixError

WELL_KNOWN_PATH = "/.well-known/matrix/client"
AUTH_METADATA_PATH = "/_matrix/client/v1/auth_metadata"


async def fetch_well_known(http: MatrixHttp) -> WellKnown | None:
    """The server name's ``/.well-known/matrix/client``; None when it has none (404: try the name itself).

    ``http`` is bound to ``https://<server name>``. Redirects are followed, as the next spec version asks.
    """
    try:
        data = await http.request("GET", WELL_KNOWN_PATH, authed=False, follow_redirects=True)
    except MatrixError as exc:
        if exc.status == 404:
            return None
        raise
    return WellKnown.parse(data)


async def get_capabilities(hs: Homeserver) -> Capabilities:
    generation = await hs.generation()
    if not generation.has_capabilities:
        return Capabilities()
    data = await hs.http.request("GET", f"{generation.client_prefix}/capabilities")
    return Capabilities.parse(data)


async def get_login_flows(hs: Homeserver) -> LoginFlows | None:
    """``GET /login``; None when the server does not offer the legacy login API (it delegates to OAuth)."""
    generation = await hs.generation()
    try:
        data = await hs.http.request("GET", f"{generation.login_prefix}/login", authed=False)
    except MatrixError as exc:
        if exc.status in (404, 405):
            return None
        raise
    return LoginFlows.parse(data)


async def probe_auth_metadata(hs: Homeserver) -> AuthMetadata | None:
    """The OAuth 2.0 server metadata when the server delegates authentication, else None.

    Only a probe for now: the app uses it to point the user at the account page.
    """
    try:
        data = await hs.http.request("GET", AUTH_METADATA_PATH, authed=False)
    except MatrixError as exc:
        if exc.status in (400, 404, 405):
            return None
        raise
    return AuthMetadata.parse(data)
