"""Signing in, restoring, refreshing and signing out accounts against the real Synapse and Secret Service."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mxsettings.api import session
from mxsettings.api.client import MatrixHttp
from mxsettings.errors import Forbidden
from mxsettings.services.accounts import AccountManager, RestoreOutcome
from mxsettings.services.server_lookup import lookup_server
from mxsettings.store.accounts import AccountRecords
from mxsettings.store.secrets import MemorySecretStore, SecretStore, access_token_key, choose_secret_store
from tests.conformance.recorder import RecordedRequest, RecordingTransport, problems
from tests.harness.synapse import NewUser, SynapseServer

pytestmark = pytest.mark.asyncio


@pytest.fixture
def records(tmp_path: Path) -> AccountRecords:
    return AccountRecords(tmp_path / "config")


@pytest.fixture
def traffic() -> list[RecordedRequest]:
    return []


@pytest.fixture
def http_factory(traffic: list[RecordedRequest]) -> Iterator[Callable[[str], MatrixHttp]]:
    yield lambda base: MatrixHttp(base, transport=RecordingTransport(records=traffic))
    found = problems(traffic)
    assert not found, "\n".join(found)


async def signed_in(
    manager: AccountManager,
    server: SynapseServer,
    user: str,
    password: str,
    factory: Callable[[str], MatrixHttp],
) -> str:
    info = await lookup_server(server.base_url, factory)
    try:
        account = await manager.sign_in_password(info, user, password)
    finally:
        await info.homeserver.aclose()
    return account.user_id


async def test_sign_in_then_restore_from_the_real_keyring(
    synapse: SynapseServer,
    new_user: NewUser,
    records: AccountRecords,
    http_factory: Callable[[str], MatrixHttp],
) -> None:
    choice = choose_secret_store()
    assert choice.secure, f"expected the Secret Service of the test session, got {choice.reason}"
    user = new_user("restore")
    first = AccountManager(records, choice.store, http_factory)
    assert await signed_in(first, synapse, user.localpart, user.password, http_factory) == user.user_id
    (account,) = first.accounts
    assert account.capabilities.change_password
    await first.close()

    # A new app start: new manager, same config folder, same keyring.
    second = AccountManager(records, choose_secret_store().store, http_factory)
    (result,) = await second.restore_all()
    assert result.outcome is RestoreOutcome.RESTORED
    assert result.account is not None
    assert result.account.user_id == user.user_id
    assert second.active_user_id() == user.user_id
    await second.close()
    assert "syt_" not in records.path.read_text()  # the record holds no token


async def test_restore_sends_three_concurrent_requests(
    synapse: SynapseServer,
    new_user: NewUser,
    records: AccountRecords,
    http_factory: Callable[[str], MatrixHttp],
    traffic: list[RecordedRequest],
) -> None:
    user = new_user()
    secrets = MemorySecretStore()
    first = AccountManager(records, secrets, http_factory)
    await signed_in(first, synapse, user.localpart, user.password, http_factory)
    await first.close()
    traffic.clear()
    second = AccountManager(records, secrets, http_factory)
    (result,) = await second.restore_all()
    assert result.outcome is RestoreOutcome.RESTORED
    paths = sorted(r.url.split("/_matrix/client/")[1] for r in traffic)
    assert paths == ["v1/auth_metadata", "v3/account/whoami", "v3/capabilities"]
    await second.close()


async def test_a_revoked_token_sends_the_account_back_to_sign_in(
    synapse: SynapseServer,
    new_user: NewUser,
    records: AccountRecords,
    http_factory: Callable[[str], MatrixHttp],
) -> None:
    user = new_user("revoked")
    secrets = MemorySecretStore()
    first = AccountManager(records, secrets, http_factory)
    await signed_in(first, synapse, user.localpart, user.password, http_factory)
    await first.close()
    # Another session of the same user signs every device out.
    other = MatrixHttp(synapse.base_url)
    other.set_access_token(user.access_token)
    await other.request("POST", "/_matrix/client/v3/logout/all", body={})
    await other.aclose()
    second = AccountManager(records, secrets, http_factory)
    (result,) = await second.restore_all()
    assert result.outcome is RestoreOutcome.SIGNED_OUT
    assert second.accounts == []
    assert records.load() == []
    assert await secrets.get(access_token_key(result.record.user_id, result.record.device_id)) is None


async def test_two_accounts_each_with_their_own_client(
    synapse: SynapseServer,
    new_user: NewUser,
    records: AccountRecords,
    http_factory: Callable[[str], MatrixHttp],
) -> None:
    alice, bob = new_user("alice"), new_user("bob")
    manager = AccountManager(records, MemorySecretStore(), http_factory)
    await signed_in(manager, synapse, alice.localpart, alice.password, http_factory)
    await signed_in(manager, synapse, bob.localpart, bob.password, http_factory)
    a, b = manager.get(alice.user_id), manager.get(bob.user_id)
    assert a is not None
    assert b is not None
    assert a.homeserver.http is not b.homeserver.http
    assert manager.active_user_id() == bob.user_id
    manager.set_active(alice.user_id)
    assert manager.active_user_id() == alice.user_id  # at once, for the window
    await manager.flush()
    assert records.active_user_id() == alice.user_id  # and in the file, written off the event loop
    await manager.sign_out(b)
    assert [acc.user_id for acc in manager.accounts] == [alice.user_id]
    assert [r.user_id for r in records.load()] == [alice.user_id]
    await manager.close()


async def test_a_wrong_password_stores_nothing(
    synapse: SynapseServer,
    new_user: NewUser,
    records: AccountRecords,
    http_factory: Callable[[str], MatrixHttp],
) -> None:
    user = new_user()
    secrets: SecretStore = MemorySecretStore()
    manager = AccountManager(records, secrets, http_factory)
    with pytest.raises(Forbidden):
        await signed_in(manager, synapse, user.localpart, "wrong-password-1", http_factory)
    assert manager.accounts == []
    assert records.load() == []


async def test_short_lived_tokens_are_refreshed_before_they_expire(
    synapse_refresh: SynapseServer,
    new_user: NewUser,
    records: AccountRecords,
    http_factory: Callable[[str], MatrixHttp],
) -> None:
    user = new_user("refresh", server=synapse_refresh)
    secrets = MemorySecretStore()
    manager = AccountManager(records, secrets, http_factory)
    await signed_in(manager, synapse_refresh, user.localpart, user.password, http_factory)
    (account,) = manager.accounts
    first_token = await secrets.get(access_token_key(account.user_id, account.record.device_id))
    assert account.record.expires_at is not None
    key = access_token_key(account.user_id, account.record.device_id)

    async def refreshed() -> None:
        while await secrets.get(key) == first_token:
            await asyncio.sleep(0.1)

    # The keeper refreshes a third of the lifetime ahead, without any request needing to fail first.
    await asyncio.wait_for(refreshed(), timeout=10)
    assert account.record.expires_at is not None
    assert (await session.whoami(account.homeserver)).user_id == user.user_id
    await manager.close()
