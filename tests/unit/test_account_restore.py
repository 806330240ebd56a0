"""Restoring a stored session: the three opening requests go out together, and none outlives a failure."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from mxsettings.api.client import MatrixHttp
from mxsettings.services.accounts import AccountManager, RestoreOutcome
from mxsettings.services.server_lookup import lookup_server
from mxsettings.store.accounts import AccountRecord, AccountRecords, LoginMethod
from mxsettings.store.secrets import MemorySecretStore, access_token_key
from tests.fakes.homeserver import FakeHomeserver

pytestmark = pytest.mark.asyncio

HS = "https://hs.example"
USER = "@alice:hs.example"


async def test_a_refused_token_ends_the_other_opening_requests_before_the_client_closes(
    tmp_path: Path,
) -> None:
    started: set[str] = set()
    ended: set[str] = set()
    never = asyncio.Event()

    async def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        started.add(path)
        try:
            if path.endswith("/account/whoami"):
                # Answer only once the others are on the wire, so that they are still running then.
                while len(started) < 3:
                    await asyncio.sleep(0)
                return httpx.Response(401, json={"errcode": "M_UNKNOWN_TOKEN", "error": "gone"})
            await never.wait()  # capabilities and the OAuth probe: a slow server
            raise AssertionError("unreachable")
        finally:
            ended.add(path)

    clients: list[MatrixHttp] = []

    def http_factory(base_url: str) -> MatrixHttp:
        clients.append(MatrixHttp(base_url, transport=httpx.MockTransport(handle)))
        return clients[-1]

    records = AccountRecords(tmp_path)
    record = AccountRecord(
        homeserver=HS,
        user_id=USER,
        device_id="DEV",
        login_method=LoginMethod.PASSWORD,
        api_versions=("v1.11",),
    )
    records.upsert(record)
    secrets = MemorySecretStore()
    await secrets.set(access_token_key(USER, "DEV"), "token-1")
    manager = AccountManager(records, secrets, http_factory)

    result = await asyncio.wait_for(manager.restore(record), 5)

    assert result.outcome is RestoreOutcome.SIGNED_OUT
    assert len(started) == 3
    assert ended == started, "a request was still running when restore returned"
    assert await secrets.get(access_token_key(USER, "DEV")) is None


class ThreadNoting(AccountRecords):
    """The real file, and the thread of every read and write of it."""

    def __init__(self, config_dir: Path) -> None:
        super().__init__(config_dir)
        self.threads: list[int] = []

    def _read(self) -> Any:
        self.threads.append(threading.get_ident())
        return super()._read()

    def _write(self, contents: Any) -> None:
        self.threads.append(threading.get_ident())
        super()._write(contents)


async def test_the_account_file_is_read_and_written_off_the_event_loop(tmp_path: Path) -> None:
    fake = FakeHomeserver()
    records = ThreadNoting(tmp_path)

    def factory(base_url: str) -> MatrixHttp:
        return MatrixHttp(base_url, transport=fake.transport())

    manager = AccountManager(records, MemorySecretStore(), factory)
    info = await lookup_server(fake.base_url, factory)
    account = await manager.sign_in_password(info, fake.user_id, fake.password)
    await info.homeserver.aclose()
    assert [r.user_id for r in AccountRecords(tmp_path).load()] == [fake.user_id]
    assert AccountRecords(tmp_path).active_user_id() == fake.user_id  # one write made it active too

    manager.set_active(fake.user_id)
    assert manager.active_user_id() == fake.user_id
    await manager.flush()
    assert await manager.known_records() == AccountRecords(tmp_path).load()

    again = AccountManager(records, MemorySecretStore(), factory)
    await again.restore_all()  # no token in this new memory store: nothing opens, but the file is read
    await manager.sign_out(account)
    assert AccountRecords(tmp_path).load() == []
    await manager.close()
    await again.close()

    assert records.threads, "the file was never touched"
    assert threading.get_ident() not in records.threads
