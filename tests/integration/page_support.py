"""Helpers for widget tests against the real Synapse: run a coroutine from a click-then-wait test, and an
``Account`` signed in on a device of its own (so the user's registration token is a second session)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

from mxsettings.api import discovery, session
from mxsettings.api.client import MatrixHttp
from mxsettings.api.homeserver import Homeserver
from mxsettings.services.accounts import Account
from mxsettings.store.accounts import AccountRecord, LoginMethod
from tests.conformance.recorder import RecordedRequest, RecordingTransport
from tests.harness.synapse import SynapseServer

T = TypeVar("T")


def run(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T], timeout: int = 20_000
) -> T:
    """Await ``coro`` on the running qasync loop from a synchronous test (qtbot keeps Qt turning)."""
    task = loop.create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def recorded_homeserver(
    base_url: str, traffic: list[RecordedRequest], token: str | None = None
) -> Homeserver:
    http = MatrixHttp(base_url, transport=RecordingTransport(records=traffic))
    http.set_access_token(token)
    return Homeserver(http)


async def sign_in(
    server: SynapseServer, localpart: str, password: str, traffic: list[RecordedRequest]
) -> Account:
    """What the account manager holds after a password sign-in: a new device, capabilities, auth metadata."""
    hs = recorded_homeserver(server.base_url, traffic)
    login = await session.login_password(hs, localpart, password)
    hs.http.set_access_token(login.access_token)
    record = AccountRecord(
        homeserver=server.base_url,
        user_id=login.user_id,
        device_id=login.device_id,
        login_method=LoginMethod.PASSWORD,
    )
    capabilities, metadata = await asyncio.gather(
        discovery.get_capabilities(hs), discovery.probe_auth_metadata(hs)
    )
    return Account(record, hs, capabilities, metadata)


async def whoami_with(base_url: str, token: str) -> str:
    """The user a token belongs to, asked by another client (the user's second session)."""
    http = MatrixHttp(base_url)
    http.set_access_token(token)
    try:
        return (await session.whoami(Homeserver(http))).user_id
    finally:
        await http.aclose()
