"""SSO sign-in end to end: the app's loopback listener, a real Synapse and a real OpenID provider.

The system browser is played by :class:`Browser`, an httpx client that follows redirects one hop at a time,
fills the provider's login form and, on a homeserver without ``sso.client_whitelist``, follows the "Continue
to your account" link. Like a real browser it sends Synapse's ``Secure`` session cookies back over plain
http on loopback (see shared/docs/sso-oauth-test-notes.md, gotcha 4).
"""

from __future__ import annotations

import asyncio
import html
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from mxsettings.api import discovery, session
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import IdentityProvider, LoginResponse
from mxsettings.errors import Forbidden
from mxsettings.services.sso import CALLBACK_PATH, sign_in_with_sso
from tests.conformance.openapi import validate_request
from tests.harness.oidc import PASSWORD, OidcProvider
from tests.harness.synapse import SERVER_NAME, SynapseServer
from tests.integration.api_support import ApiFactory

pytestmark = pytest.mark.asyncio

IDP_ID = "oidc-ci"  # Synapse prefixes the configured idp_id "ci" with "oidc-"
MAX_HOPS = 20
_FORM = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]+)"', re.IGNORECASE)
_CONTINUE_LINK = re.compile(r'<a href="([^"]+)"[^>]*class="primary-button"', re.IGNORECASE)


@dataclass
class Hop:
    method: str
    url: str
    status: int
    location: str | None


@dataclass
class Visit:
    """What the browser went through, up to the page the app's listener served."""

    hops: list[Hop] = field(default_factory=list)
    final: httpx.Response | None = None

    @property
    def login_token(self) -> str:
        """The token the homeserver put into the listener's URL (for the replay test)."""
        assert self.final is not None
        tokens = parse_qs(urlsplit(str(self.final.url)).query)["loginToken"]
        assert len(tokens) == 1
        return tokens[0]

    def hop_to(self, path: str) -> Hop:
        return next(h for h in self.hops if urlsplit(h.url).path == path)


class Browser:
    """Plays the system browser for ``sign_in_with_sso``: ``open`` starts a visit in the background.

    ``before(url)`` runs first in the same task (the wrong-state test uses it to forge callbacks).
    """

    def __init__(
        self,
        *,
        login: str,
        password: str = PASSWORD,
        before: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self.login = login
        self.password = password
        self.before = before
        self.opened: list[str] = []
        self.visits: list[asyncio.Task[Visit]] = []

    def open(self, url: str) -> None:
        # Called synchronously by sign_in_with_sso (as QDesktopServices.openUrl would be); the visit runs
        # concurrently with the listener's wait on the same event loop.
        self.opened.append(url)
        self.visits.append(asyncio.get_running_loop().create_task(self._run(url)))

    async def _run(self, url: str) -> Visit:
        if self.before is not None:
            await self.before(url)
        return await self.visit(url)

    async def result(self) -> Visit:
        assert len(self.visits) == 1, self.opened
        return await self.visits[0]

    async def visit(self, url: str) -> Visit:
        visit = Visit()
        async with httpx.AsyncClient(follow_redirects=False, timeout=15.0) as client:
            method, target, form = "GET", url, None
            for _ in range(MAX_HOPS):
                response = await client.request(method, target, data=form)
                _send_secure_cookies_over_loopback_http(client)
                visit.hops.append(
                    Hop(method, str(response.url), response.status_code, response.headers.get("location"))
                )
                method, form = "GET", None
                if response.is_redirect:
                    target = urljoin(str(response.url), response.headers["location"])
                    continue
                if urlsplit(str(response.url)).path == CALLBACK_PATH:
                    visit.final = response
                    return visit
                page = response.text
                if response.status_code == 200 and (action := _FORM.search(page)):
                    # The provider's login form (only the login round has one; consent is granted at once).
                    method, target = "POST", urljoin(str(response.url), html.unescape(action.group(1)))
                    form = {"login": self.login, "password": self.password}
                    continue
                if response.status_code == 200 and (link := _CONTINUE_LINK.search(page)):
                    # Synapse's confirmation page: "Continue to your account" is a plain link.
                    target = html.unescape(link.group(1))
                    continue
                raise AssertionError(
                    f"the browser got stuck at {response.status_code} {response.url}: {page[:500]}"
                )
        raise AssertionError(f"more than {MAX_HOPS} hops: {visit.hops}")


async def sign_in(hs: Homeserver, browser: Browser, *, timeout: float = 30.0) -> tuple[LoginResponse, Visit]:
    """``sign_in_with_sso`` with ``browser``; a stuck browser fails the test at once, not at the timeout."""
    signing_in = asyncio.ensure_future(sign_in_with_sso(hs, IDP_ID, browser.open, timeout=timeout))
    try:
        while not signing_in.done():
            await asyncio.wait([signing_in, *browser.visits], return_when=asyncio.FIRST_EXCEPTION)
            for visit in browser.visits:
                if visit.done() and visit.exception() is not None:
                    await visit  # raises the browser's AssertionError
    finally:
        signing_in.cancel()
    return signing_in.result(), await browser.result()


def _send_secure_cookies_over_loopback_http(client: httpx.AsyncClient) -> None:
    # Synapse marks its oidc_session cookies Secure; browsers treat http://127.0.0.1 as a secure context and
    # send them, http.cookiejar does not. Clearing the flag makes httpx behave like the browser here.
    for cookie in client.cookies.jar:
        cookie.secure = False


def new_login() -> str:
    return f"sso-{secrets.token_hex(4)}"


async def test_login_flows_offer_the_oidc_provider(api: ApiFactory, synapse_sso: SynapseServer) -> None:
    async with api(synapse_sso.base_url) as hs:
        flows = await discovery.get_login_flows(hs)
    assert flows is not None
    assert flows.supports("m.login.sso")
    assert flows.supports("m.login.token")
    sso = next(f for f in flows.flows if f.type == "m.login.sso")
    assert sso.identity_providers == (IdentityProvider(id=IDP_ID, name="CI OIDC"),)


async def test_sign_in_with_whitelisted_loopback_redirect(
    api: ApiFactory, synapse_sso: SynapseServer, oidc_provider: OidcProvider
) -> None:
    login = new_login()
    browser = Browser(login=login)
    async with api(synapse_sso.base_url) as hs:
        response, visit = await sign_in(hs, browser)
        hs.http.set_access_token(response.access_token)
        me = await session.whoami(hs)

    assert response.user_id == f"@{login}:{SERVER_NAME}"
    assert me.user_id == response.user_id
    assert me.device_id == response.device_id
    # The URL the app opened is a spec-shaped SSO redirect naming our IdP and the loopback listener.
    (opened,) = browser.opened
    assert urlsplit(opened).path == f"/_matrix/client/v3/login/sso/redirect/{IDP_ID}"
    assert validate_request("GET", opened, None) == []
    query = parse_qs(urlsplit(opened).query)
    assert query["action"] == ["login"]
    redirect = urlsplit(query["redirectUrl"][0])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", CALLBACK_PATH)
    assert synapse_sso.base_url not in query["redirectUrl"][0]
    # Whitelisted: the OIDC callback sends the browser straight to the listener, with our state kept.
    callback = visit.hop_to("/_synapse/client/oidc/callback")
    assert callback.status == 302
    assert callback.location is not None
    assert callback.location.startswith(query["redirectUrl"][0] + "&loginToken=")
    # The provider really was in the loop: its login form was posted.
    assert any(h.method == "POST" and h.url.startswith(oidc_provider.issuer) for h in visit.hops)
    assert visit.final is not None
    assert visit.final.status_code == 200
    assert "close this tab" in visit.final.text


async def test_sign_in_through_the_confirmation_page(
    api: ApiFactory, synapse_sso_confirm: SynapseServer
) -> None:
    login = new_login()
    browser = Browser(login=login)
    async with api(synapse_sso_confirm.base_url) as hs:
        response, visit = await sign_in(hs, browser)
        hs.http.set_access_token(response.access_token)
        me = await session.whoami(hs)

    assert me.user_id == f"@{login}:{SERVER_NAME}"
    # Not whitelisted: Synapse asks the user to confirm before handing the token to the redirect URL.
    callback = visit.hop_to("/_synapse/client/oidc/callback")
    assert callback.status == 200
    assert visit.final is not None
    assert visit.final.status_code == 200


async def test_a_second_sign_in_maps_to_the_same_user_and_a_new_device(
    api: ApiFactory, synapse_sso: SynapseServer
) -> None:
    login = new_login()
    async with api(synapse_sso.base_url) as hs:
        first, _ = await sign_in(hs, Browser(login=login))
        second, _ = await sign_in(hs, Browser(login=login))
    assert first.user_id == second.user_id == f"@{login}:{SERVER_NAME}"
    assert first.device_id != second.device_id


async def test_a_login_token_cannot_be_used_twice(api: ApiFactory, synapse_sso: SynapseServer) -> None:
    browser = Browser(login=new_login())
    async with api(synapse_sso.base_url) as hs:
        _, visit = await sign_in(hs, browser)
        with pytest.raises(Forbidden) as refused:
            await session.login_token(hs, visit.login_token)
    assert refused.value.status == 403


async def test_a_callback_with_a_wrong_state_is_ignored(api: ApiFactory, synapse_sso: SynapseServer) -> None:
    forged: list[httpx.Response] = []

    async def forge(url: str) -> None:
        # Before the real browser comes back, someone else pushes a token of their own (login CSRF) into the
        # listener: with a wrong state, and with none.
        redirect = urlsplit(parse_qs(urlsplit(url).query)["redirectUrl"][0])
        listener = f"http://127.0.0.1:{redirect.port}{CALLBACK_PATH}"
        async with httpx.AsyncClient(timeout=5.0) as client:
            forged.append(await client.get(listener, params={"state": "guess", "loginToken": "syl_evil"}))
            forged.append(await client.get(listener, params={"loginToken": "syl_evil"}))

    login = new_login()
    async with api(synapse_sso.base_url) as hs:
        response, _ = await sign_in(hs, Browser(login=login, before=forge))

    assert [r.status_code for r in forged] == [400, 400]
    assert all("close this tab" not in r.text for r in forged)
    assert response.user_id == f"@{login}:{SERVER_NAME}"


async def test_no_callback_times_out_and_closes_the_port(api: ApiFactory, synapse_sso: SynapseServer) -> None:
    opened: list[str] = []
    async with api(synapse_sso.base_url) as hs:
        with pytest.raises(TimeoutError):
            await sign_in_with_sso(hs, IDP_ID, opened.append, timeout=0.5)
    (url,) = opened
    port = urlsplit(parse_qs(urlsplit(url).query)["redirectUrl"][0]).port
    assert port is not None
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)
