"""Single sign-on (``m.login.sso``) through the system browser and a one-shot loopback listener.

The flow (spec: client-server API, "SSO client login"; see docs/matrix-account-api.md §2.5):

1. Start :class:`SsoCallbackListener` on ``127.0.0.1`` with an ephemeral port. Its redirect URL carries a
   random ``state`` that only this process knows.
2. Open the system browser at ``{base}{prefix}/login/sso/redirect[/{idpId}]?redirectUrl=...``. The user signs
   in at the identity provider; the homeserver then sends the browser to ``redirectUrl?...&loginToken=...``.
3. The listener takes the ``loginToken`` from the first request whose ``state`` matches. Anything else that
   reaches the port (another local program, a stale tab, a forged link) gets a 400 page and is ignored, so a
   login token cannot be pushed into this client from outside (CSRF) or replayed into a later attempt.
4. Exchange the token with ``m.login.token`` at once: the spec wants login tokens to live about 5 s (Synapse
   gives 2 min, MAS 30 s).

Qt-free and httpx-free: the UI passes ``QDesktopServices.openUrl`` as ``open_browser``; tests pass an HTTP
client that plays the browser. The login token is a credential: it is never logged, and neither is the
request line that carries it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
from collections.abc import Callable
from types import TracebackType
from typing import Self
from urllib.parse import SplitResult, parse_qs, quote, urlencode, urlsplit

from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import LoginResponse
from mxsettings.api.session import login_token
from mxsettings.errors import Cancelled

log = logging.getLogger("mxsettings.services.sso")

LOOPBACK_HOST = "127.0.0.1"
CALLBACK_PATH = "/sso-callback"
DEFAULT_TIMEOUT = 300.0  # seconds for the whole browser round: signing in at an IdP can take a while
DEFAULT_READ_TIMEOUT = 10.0  # per connection: browsers open speculative connections that never send
MAX_REQUEST_HEAD = 16 * 1024  # a request line plus headers; a login token is well under 100 bytes
MAX_CONNECTIONS = 32  # open at once; more are dropped, so junk traffic cannot pile up sockets

# Served to the browser, not shown in a Qt widget, so Qt's translation does not reach it.
# TODO(i18n): translate these pages (pick the language from Accept-Language or the app's locale).
_PAGE_TITLE_DONE = "Signed in"
_PAGE_TEXT_DONE = "You are signed in to mxsettings. You can close this tab and go back to the app."
_PAGE_TITLE_BAD = "Not a valid sign-in link"
_PAGE_TEXT_BAD = (
    "This link does not belong to a sign-in that mxsettings started, or it is incomplete. "
    "Nothing was changed. Start the sign-in again from the app."
)
_PAGE_TITLE_NOT_FOUND = "Not found"
_PAGE_TEXT_NOT_FOUND = "There is nothing here."


def sso_redirect_url(
    base_url: str, client_prefix: str, redirect_url: str, idp_id: str | None, action: str = "login"
) -> str:
    """The homeserver URL that starts SSO in the browser.

    ``client_prefix`` is the API prefix of the login endpoints (``/_matrix/client/v3``). ``action``
    (``login`` or ``register``, spec v1.18) tells an OAuth-aware server what the user came for.
    """
    url = f"{base_url.rstrip('/')}{client_prefix}/login/sso/redirect"
    if idp_id is not None:
        # IdP ids are opaque to the client: quote everything, "/" included, so an id stays one path segment.
        url += "/" + quote(idp_id, safe="")
    return url + "?" + urlencode({"redirectUrl": redirect_url, "action": action}, quote_via=quote)


class SsoCallbackListener:
    """A one-shot HTTP server on loopback that waits for the browser to bring back the ``loginToken``.

    Use it as ``async with SsoCallbackListener() as listener:``; ``redirect_url`` is valid once started.
    Only ``GET /sso-callback?state=<ours>&loginToken=...`` is accepted; every connection answers one request
    and is closed (``Connection: close``), and a connection that does not send a full request head within
    ``read_timeout`` seconds is dropped.
    """

    def __init__(
        self, *, read_timeout: float = DEFAULT_READ_TIMEOUT, max_connections: int = MAX_CONNECTIONS
    ) -> None:
        self._read_timeout = read_timeout
        self._max_connections = max_connections
        self._state = secrets.token_urlsafe(32)
        self._server: asyncio.Server | None = None
        self._port: int | None = None
        self._token: asyncio.Future[str] | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._closed = False

    def __repr__(self) -> str:
        return f"SsoCallbackListener(port={self._port}, closed={self._closed})"

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        if self._closed:
            raise RuntimeError("the SSO listener was closed; start a new one")
        if self._server is not None:
            return
        self._token = asyncio.get_running_loop().create_future()
        # Bound to 127.0.0.1 only: the redirect names that address, and nothing off this machine may reach it.
        self._server = await asyncio.start_server(
            self._on_connection, host=LOOPBACK_HOST, port=0, limit=MAX_REQUEST_HEAD
        )
        self._port = self._server.sockets[0].getsockname()[1]
        log.debug("SSO listener on %s:%s", LOOPBACK_HOST, self._port)

    async def close(self) -> None:
        """Stop listening and drop open connections. Idempotent; a pending wait ends with ``Cancelled``."""
        if self._closed:
            return
        self._closed = True
        if self._token is not None and not self._token.done():
            self._token.set_exception(Cancelled())
            # Mark it retrieved: nobody may be waiting, and an unread exception would be logged at GC time.
            self._token.exception()
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)
        if server is not None:
            await server.wait_closed()
        log.debug("SSO listener closed")

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ what the caller sees

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the SSO listener is not started")
        return self._port

    @property
    def redirect_url(self) -> str:
        """``http://127.0.0.1:<port>/sso-callback?state=<random>``; the homeserver appends ``loginToken``."""
        return f"http://{LOOPBACK_HOST}:{self.port}{CALLBACK_PATH}?state={self._state}"

    async def wait_for_login_token(self, timeout: float) -> str:
        """The ``loginToken`` of the first callback with our ``state``; the listener is closed afterwards.

        Raises ``TimeoutError`` (``asyncio.TimeoutError``) when no valid callback came within ``timeout``
        seconds, and ``Cancelled`` when the listener was closed meanwhile (the user gave up). Cancelling the
        awaiting task propagates as usual.
        """
        if self._token is None or self._closed:
            raise Cancelled()
        try:
            # shield: a timeout must not cancel the future itself, close() settles it with Cancelled instead.
            return await asyncio.wait_for(asyncio.shield(self._token), timeout)
        finally:
            await self.close()

    # ------------------------------------------------------------------ one connection

    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is None or self._closed or len(self._connections) >= self._max_connections:
            writer.close()
            return
        self._connections.add(task)
        try:
            await self._serve_one(reader, writer)
        except asyncio.CancelledError:
            pass  # close() cancelled us; just drop the connection
        except Exception as exc:  # a broken client must never break the listener or the event loop
            log.debug("SSO listener: connection failed: %s", type(exc).__name__)
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(writer.wait_closed(), 1.0)

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self._read_timeout)
        except TimeoutError:
            log.debug("SSO listener: a client sent no request within %.1f s", self._read_timeout)
            return
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            await self._respond(writer, 400, _PAGE_TITLE_BAD, _PAGE_TEXT_BAD)
            return
        status, token = self._check_request(head)
        if token is None:
            if status == 404:
                await self._respond(writer, 404, _PAGE_TITLE_NOT_FOUND, _PAGE_TEXT_NOT_FOUND)
            else:
                await self._respond(writer, status, _PAGE_TITLE_BAD, _PAGE_TEXT_BAD)
            return
        # Answer the browser first (a few ms), then hand the token over even if the browser went away.
        try:
            await self._respond(writer, 200, _PAGE_TITLE_DONE, _PAGE_TEXT_DONE)
        finally:
            if self._token is not None and not self._token.done():
                self._token.set_result(token)
                log.info("SSO listener: received the login token")

    def _check_request(self, head: bytes) -> tuple[int, str | None]:
        """(HTTP status, token): the token only for a GET of our path with our state and one login token."""
        request = _request_target(head)
        if request is None:
            log.debug("SSO listener: rejected a malformed request")
            return 400, None
        method, target = request
        if target.path != CALLBACK_PATH:
            log.debug("SSO listener: no such path")  # e.g. the browser asking for /favicon.ico
            return 404, None
        if method != "GET":
            log.debug("SSO listener: rejected method %s", method[:10])
            return 405, None
        query = parse_qs(target.query, keep_blank_values=True)
        states = query.get("state", [])
        # Compared in constant time: the state is the only secret that keeps forged callbacks out.
        if len(states) != 1 or not hmac.compare_digest(states[0].encode(), self._state.encode()):
            log.warning("SSO listener: ignored a callback with a missing or wrong state")
            return 400, None
        tokens = query.get("loginToken", [])
        if len(tokens) != 1 or not tokens[0]:
            log.warning("SSO listener: ignored a callback without a login token")
            return 400, None
        return 200, tokens[0]

    async def _respond(self, writer: asyncio.StreamWriter, status: int, title: str, text: str) -> None:
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[status]
        body = _page(title, text).encode("utf-8")
        headers = [
            f"HTTP/1.1 {status} {reason}",
            "Content-Type: text/html; charset=utf-8",
            f"Content-Length: {len(body)}",
            "Connection: close",
            # The address bar holds the login token: keep it out of caches and Referer headers.
            "Cache-Control: no-store",
            "Referrer-Policy: no-referrer",
            "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'",
            "X-Content-Type-Options: nosniff",
        ]
        if status == 405:
            headers.append("Allow: GET")
        writer.write(("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + body)
        # A client that stops reading must not hold the listener: the page is small, so this is short.
        await asyncio.wait_for(writer.drain(), self._read_timeout)


def _request_target(head: bytes) -> tuple[str, SplitResult] | None:
    """The method and split target of an HTTP/1.x request line, or None when it is not one."""
    try:
        request_line = head.split(b"\r\n", 1)[0].decode("ascii")
    except UnicodeDecodeError:
        return None
    parts = request_line.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        return None
    # urlsplit also takes the absolute form "http://127.0.0.1:port/path?..." that proxies send.
    return parts[0], urlsplit(parts[1])


def _page(title: str, text: str) -> str:
    # Only fixed strings of this module go in here; nothing from the request is echoed back.
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.5}"
        "</style></head>"
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    )


async def sign_in_with_sso(
    hs: Homeserver,
    idp_id: str | None,
    open_browser: Callable[[str], object],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    action: str = "login",
) -> LoginResponse:
    """Sign in through the browser and return the new session.

    ``idp_id`` is one of the ``identity_providers`` of the ``m.login.sso`` flow, or None to let the
    homeserver choose. ``open_browser`` gets the URL to show (its return value is ignored, so
    ``QDesktopServices.openUrl`` fits). Raises ``TimeoutError`` when the browser did not come back within
    ``timeout`` seconds, ``Cancelled`` when the wait was abandoned, and the usual API errors from the
    token exchange (``Forbidden`` for an expired or already used token).
    """
    generation = await hs.generation()
    async with SsoCallbackListener() as listener:
        # The SSO endpoints sit beside /login, so they share its prefix (r0: /_matrix/client/r0).
        url = sso_redirect_url(hs.base_url, generation.login_prefix, listener.redirect_url, idp_id, action)
        open_browser(url)
        token = await listener.wait_for_login_token(timeout)
    # At once: the token is short-lived and single-use.
    return await login_token(hs, token)
