"""Restoring a stored session: the three opening requests go out together, and none outlives a failure."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from mxsettings.api.client import MatrixHttp
from mxsettings.services.accounts import AccountManager, RestoreOutcome
from mxsettings.store.accounts import AccountRecord, AccountRecords, LoginMethod
from mxsettings.store.secrets import MemorySecretStore, access_token_key

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
