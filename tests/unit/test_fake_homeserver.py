"""The fake homeserver: its answers follow the Matrix definitions and its UIA behaves like a server's."""

from __future__ import annotations

import pytest

from mxsettings.api import account, session
from mxsettings.api.client import MatrixHttp
from mxsettings.api.homeserver import Homeserver
from mxsettings.errors import Cancelled, UiaSessionExpired
from mxsettings.services.uia_driver import FallbackAsk, PasswordAsk, ThreePidAsk, run_uia
from tests.conformance.recorder import RecordingTransport, problems
from tests.fakes.homeserver import FakeHomeserver

pytestmark = pytest.mark.asyncio


class Waiter:
    def __init__(self) -> None:
        self.closed = False

    async def wait(self, seconds: float) -> None:
        return None

    def close(self) -> None:
        self.closed = True


class Prompter:
    def __init__(self, password: str) -> None:
        self._password = password
        self.fallbacks: list[FallbackAsk] = []
        self.waiter = Waiter()

    async def password(self, ask: PasswordAsk) -> str:
        return self._password

    async def email_identity(self, ask: ThreePidAsk) -> object:
        raise Cancelled

    async def msisdn(self, ask: ThreePidAsk) -> object:
        raise Cancelled

    async def open_fallback(self, ask: FallbackAsk) -> Waiter:
        self.fallbacks.append(ask)
        return self.waiter


async def test_recaptcha_then_password_through_the_fallback() -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.recaptcha", "m.login.password"]], fallback_polls_needed=3)
    transport = RecordingTransport(fake.transport())
    hs = Homeserver(MatrixHttp(fake.base_url, transport=transport))
    hs.http.set_access_token(fake.access_token)
    prompter = Prompter(fake.password)
    await run_uia(
        lambda auth: account.change_password(hs, "n3w-Password", logout_devices=False, auth=auth),
        prompter,  # type: ignore[arg-type]
        user_id=fake.user_id,
        homeserver_url=fake.base_url,
        poll_interval=0,
    )
    await hs.aclose()
    assert fake.password == "n3w-Password"
    assert fake.password_changes == [{"new_password": "n3w-Password", "logout_devices": False}]
    assert [a.stage for a in prompter.fallbacks] == ["m.login.recaptcha"]
    assert prompter.waiter.closed
    assert problems(transport.records) == []


async def test_a_forgetful_server_expires_the_uia_session() -> None:
    fake = FakeHomeserver(expire_uia_sessions=True)
    hs = Homeserver(MatrixHttp(fake.base_url, transport=fake.transport()))
    hs.http.set_access_token(fake.access_token)
    with pytest.raises(UiaSessionExpired):
        await run_uia(
            lambda auth: account.deactivate(hs, auth=auth),
            Prompter(fake.password),  # type: ignore[arg-type]
            user_id=fake.user_id,
            homeserver_url=fake.base_url,
        )
    await hs.aclose()
    assert not fake.deactivated


async def test_login_and_phone_validation_with_submit_url() -> None:
    fake = FakeHomeserver()
    transport = RecordingTransport(fake.transport())
    hs = Homeserver(MatrixHttp(fake.base_url, transport=transport))
    login = await session.login_password(hs, "alice", fake.password)
    hs.http.set_access_token(login.access_token)
    requested = await account.request_msisdn_token(hs, "GB", "7700900001", "cs", 1)
    assert requested.submit_url == "https://hs.example/submit/msisdn"
    assert await account.submit_token(hs, requested.submit_url, requested.sid, "cs", "123456")
    await hs.aclose()
    assert problems(transport.records, submit_urls=[requested.submit_url]) == []
