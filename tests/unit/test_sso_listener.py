"""The SSO loopback listener on its own: what it accepts, what it ignores, and that it never leaks the token.

Raw sockets play both the browser and the junk a local port can receive; no homeserver is involved.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import pytest_asyncio

from mxsettings.errors import Cancelled
from mxsettings.services.sso import (
    CALLBACK_PATH,
    MAX_REQUEST_HEAD,
    SsoCallbackListener,
    sso_redirect_url,
)

TOKEN = "syl_SeCrEtLoGiNtOkEn_0123456789"


@pytest_asyncio.fixture
async def listener() -> AsyncIterator[SsoCallbackListener]:
    async with SsoCallbackListener(read_timeout=0.3) as started:
        yield started


def state_of(listener: SsoCallbackListener) -> str:
    return parse_qs(urlsplit(listener.redirect_url).query)["state"][0]


def callback_target(listener: SsoCallbackListener, **params: str) -> str:
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in params.items())
    return f"{CALLBACK_PATH}?{query}"


def good_callback(listener: SsoCallbackListener, token: str = TOKEN) -> str:
    """What the homeserver sends the browser to: our redirect URL plus the login token."""
    return callback_target(listener, state=state_of(listener), loginToken=token)


async def exchange(port: int, data: bytes, *, timeout: float = 5.0) -> bytes:
    """Send raw bytes, read until the listener closes the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
        await writer.wait_closed()


async def get(port: int, target: str, *, method: str = "GET") -> tuple[int, bytes]:
    raw = await exchange(port, f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return status_of(raw), raw


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1])


async def assert_port_closed(port: int) -> None:
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)


# --- the redirect URL -------------------------------------------------------------------------------------


def test_sso_redirect_url_with_an_identity_provider() -> None:
    url = sso_redirect_url(
        "https://hs.example/",
        "/_matrix/client/v3",
        "http://127.0.0.1:4567/sso-callback?state=a-b_c",
        "oidc-ci",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "hs.example")
    assert parts.path == "/_matrix/client/v3/login/sso/redirect/oidc-ci"
    # The whole redirect URL is one quoted value, its own "?" and "=" included.
    assert "redirectUrl=http%3A%2F%2F127.0.0.1%3A4567%2Fsso-callback%3Fstate%3Da-b_c" in parts.query
    assert parse_qs(parts.query) == {
        "redirectUrl": ["http://127.0.0.1:4567/sso-callback?state=a-b_c"],
        "action": ["login"],
    }


def test_sso_redirect_url_without_an_identity_provider_and_for_registration() -> None:
    url = sso_redirect_url(
        "https://hs.example", "/_matrix/client/r0", "http://127.0.0.1:1/cb", None, "register"
    )
    parts = urlsplit(url)
    assert parts.path == "/_matrix/client/r0/login/sso/redirect"
    assert parse_qs(parts.query)["action"] == ["register"]


def test_an_identity_provider_id_stays_one_path_segment() -> None:
    url = sso_redirect_url("https://hs.example", "/_matrix/client/v3", "http://127.0.0.1:1/cb", "a/b c?d")
    assert urlsplit(url).path == "/_matrix/client/v3/login/sso/redirect/a%2Fb%20c%3Fd"


# --- accepting the callback -------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_redirect_url_is_loopback_with_a_random_state() -> None:
    async with SsoCallbackListener() as first, SsoCallbackListener() as second:
        parts = urlsplit(first.redirect_url)
        assert (parts.scheme, parts.hostname, parts.port, parts.path) == (
            "http",
            "127.0.0.1",
            first.port,
            CALLBACK_PATH,
        )
        assert len(state_of(first)) >= 40
        assert state_of(first) != state_of(second)
        assert first.port != second.port


@pytest.mark.asyncio
async def test_the_callback_with_our_state_delivers_the_token(listener: SsoCallbackListener) -> None:
    port = listener.port
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    status, raw = await get(port, good_callback(listener))
    assert await waiting == TOKEN
    assert status == 200
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"text/html; charset=utf-8" in head
    assert b"Cache-Control: no-store" in head
    assert b"Referrer-Policy: no-referrer" in head
    assert b"close this tab" in body
    assert TOKEN.encode() not in raw
    await assert_port_closed(port)  # one-shot: the listener is gone once it has the token


@pytest.mark.asyncio
async def test_the_absolute_request_form_is_understood(listener: SsoCallbackListener) -> None:
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    target = f"http://127.0.0.1:{listener.port}" + callback_target(
        listener, state=state_of(listener), loginToken=TOKEN
    )
    status, _ = await get(listener.port, target)
    assert status == 200
    assert await waiting == TOKEN


@pytest.mark.asyncio
async def test_a_client_that_leaves_early_still_delivers_the_token(listener: SsoCallbackListener) -> None:
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    _, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    target = good_callback(listener)
    writer.write(f"GET {target} HTTP/1.1\r\n\r\n".encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    assert await waiting == TOKEN


# --- what is ignored --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"\x00\xff\xfe junk \x80\r\n\r\n", 400),
        (b"GET\r\n\r\n", 400),
        (b"GET /sso-callback HTTP/1.1 extra\r\n\r\n", 400),
        (b"GET /sso-callback SPDY/3\r\n\r\n", 400),
        (b"GET /favicon.ico HTTP/1.1\r\n\r\n", 404),
        (b"POST /sso-callback?state=x HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405),
    ],
    ids=["binary", "no-target", "extra-field", "not-http", "other-path", "post"],
)
@pytest.mark.asyncio
async def test_junk_requests_get_an_error_and_are_ignored(
    listener: SsoCallbackListener, request_bytes: bytes, status: int
) -> None:
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    raw = await exchange(listener.port, request_bytes)
    assert status_of(raw) == status
    assert not waiting.done()
    # Still listening: the real callback afterwards is accepted.
    ok, _ = await get(listener.port, good_callback(listener))
    assert ok == 200
    assert await waiting == TOKEN


@pytest.mark.parametrize(
    "params",
    [
        {"loginToken": TOKEN},
        {"state": "", "loginToken": TOKEN},
        {"state": "not-our-state", "loginToken": TOKEN},
        {"state": "<ours>"},
        {"state": "<ours>", "loginToken": ""},
    ],
    ids=["missing-state", "empty-state", "wrong-state", "no-token", "empty-token"],
)
@pytest.mark.asyncio
async def test_callbacks_without_our_state_or_a_token_are_refused(
    listener: SsoCallbackListener, params: dict[str, str]
) -> None:
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    params = {k: (state_of(listener) if v == "<ours>" else v) for k, v in params.items()}
    status, raw = await get(listener.port, callback_target(listener, **params))
    assert status == 400
    assert b"close this tab" not in raw
    assert not waiting.done()
    ok, _ = await get(listener.port, good_callback(listener, "syl_real"))
    assert ok == 200
    assert await waiting == "syl_real"


@pytest.mark.asyncio
async def test_repeated_state_or_token_parameters_are_refused(listener: SsoCallbackListener) -> None:
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    ours = state_of(listener)
    for target in (
        f"{CALLBACK_PATH}?state={ours}&state={ours}&loginToken={TOKEN}",
        f"{CALLBACK_PATH}?state={ours}&loginToken={TOKEN}&loginToken=syl_other",
    ):
        status, _ = await get(listener.port, target)
        assert status == 400
    assert not waiting.done()
    waiting.cancel()


@pytest.mark.asyncio
async def test_an_oversized_request_head_is_refused(listener: SsoCallbackListener) -> None:
    raw = await exchange(listener.port, b"GET /" + b"a" * (MAX_REQUEST_HEAD + 10) + b" HTTP/1.1\r\n\r\n")
    assert status_of(raw) == 400


# --- slow and silent clients ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_silent_client_is_dropped_after_the_read_timeout(listener: SsoCallbackListener) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    started = time.monotonic()
    try:
        assert await asyncio.wait_for(reader.read(), 5.0) == b""  # closed by the listener, no answer
    finally:
        writer.close()
        await writer.wait_closed()
    assert 0.2 <= time.monotonic() - started < 3.0


@pytest.mark.asyncio
async def test_a_slow_client_does_not_block_the_real_callback(listener: SsoCallbackListener) -> None:
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    # A half-sent request (slowloris) and an idle connection stay open while the browser comes back.
    slow_reader, slow_writer = await asyncio.open_connection("127.0.0.1", listener.port)
    slow_writer.write(b"GET /sso-callback?state=")
    await slow_writer.drain()
    _, idle_writer = await asyncio.open_connection("127.0.0.1", listener.port)
    try:
        ok, _ = await get(listener.port, good_callback(listener))
        assert ok == 200
        assert await waiting == TOKEN
        # Closing the listener drops them too, without an answer.
        assert await asyncio.wait_for(slow_reader.read(), 5.0) == b""
    finally:
        for writer in (slow_writer, idle_writer):
            writer.close()
            await writer.wait_closed()


@pytest.mark.asyncio
async def test_connections_beyond_the_limit_are_closed_at_once() -> None:
    async with SsoCallbackListener(read_timeout=5.0, max_connections=2) as small:
        writers = []
        for _ in range(2):
            _, writer = await asyncio.open_connection("127.0.0.1", small.port)
            writers.append(writer)
        await asyncio.sleep(0.05)  # let the listener accept both
        extra_reader, extra_writer = await asyncio.open_connection("127.0.0.1", small.port)
        writers.append(extra_writer)
        try:
            assert await asyncio.wait_for(extra_reader.read(), 2.0) == b""
        finally:
            for writer in writers:
                writer.close()
                await writer.wait_closed()


# --- how the wait ends ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_no_callback_raises_timeout_and_closes_the_port(listener: SsoCallbackListener) -> None:
    port = listener.port
    with pytest.raises(TimeoutError):
        await listener.wait_for_login_token(0.2)
    await assert_port_closed(port)


@pytest.mark.asyncio
async def test_closing_the_listener_cancels_the_wait(listener: SsoCallbackListener) -> None:
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    await asyncio.sleep(0)
    await listener.close()
    with pytest.raises(Cancelled):
        await waiting
    with pytest.raises(Cancelled):
        await listener.wait_for_login_token(1.0)
    await listener.close()  # idempotent


@pytest.mark.asyncio
async def test_the_port_is_closed_when_the_context_ends() -> None:
    async with SsoCallbackListener() as scoped:
        port = scoped.port
    await assert_port_closed(port)
    with pytest.raises(RuntimeError):
        await scoped.start()


# --- secrets stay out of the logs -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_neither_the_token_nor_the_state_is_logged(
    listener: SsoCallbackListener, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    state = state_of(listener)
    waiting = asyncio.ensure_future(listener.wait_for_login_token(5.0))
    await get(listener.port, callback_target(listener, state="wrong", loginToken=TOKEN + "_forged"))
    await get(listener.port, callback_target(listener, loginToken=TOKEN + "_nostate"))
    await exchange(listener.port, f"GET /x?loginToken={TOKEN}_junk HTTP/1.1\r\n\r\n".encode())
    await get(listener.port, callback_target(listener, state=state, loginToken=TOKEN))
    assert await waiting == TOKEN

    messages = [record.getMessage() for record in caplog.records]
    assert any("received the login token" in m for m in messages)  # the logging did happen
    assert any("wrong state" in m for m in messages)
    for message in messages:
        assert TOKEN not in message
        assert state not in message
    assert TOKEN not in repr(listener)
