"""PendingStore: rows survive a restart, the client secret stays in the secret store, expiry is a setting."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mxsettings.store.pending import DEFAULT_TOKEN_LIFETIME, PendingStore, PendingVerification
from mxsettings.store.secrets import MemorySecretStore, pending_secret_key

pytestmark = pytest.mark.asyncio

SECRET = "cs-Very-Secret-0123456789_abcdefghijklmnopqrs"
USER = "@alice:example.org"


def item(**changes: object) -> PendingVerification:
    base: dict[str, object] = {
        "user_id": USER,
        "medium": "email",
        "address": "alice@example.org",
        "sid": "sid1",
        "send_attempt": 1,
        "created_at": 1000.0,
        "expires_at": 4600.0,
    }
    base.update(changes)
    return PendingVerification(**base)  # type: ignore[arg-type]


async def test_a_row_survives_a_new_store_on_the_same_directory(tmp_path: Path) -> None:
    secrets = MemorySecretStore()
    row = item(bind=True, uia_session="uia7")
    await PendingStore(tmp_path, secrets).save(row, SECRET)
    again = PendingStore(tmp_path, secrets)
    assert await again.load(USER) == [row]
    assert await again.client_secret(row) == SECRET


async def test_the_client_secret_never_lands_in_the_file(tmp_path: Path) -> None:
    secrets = MemorySecretStore()
    store = PendingStore(tmp_path, secrets)
    await store.save(item(), SECRET)
    text = store.path.read_text()
    assert SECRET not in text
    assert "client_secret" not in text
    assert await secrets.get(pending_secret_key(USER, "sid1")) == SECRET
    assert SECRET not in repr(item()) + repr(store)


async def test_the_file_is_private(tmp_path: Path) -> None:
    store = PendingStore(tmp_path / "config", MemorySecretStore())
    await store.save(item(), SECRET)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "config").st_mode) == 0o700


async def test_a_new_request_for_the_same_address_replaces_the_row_and_its_secret(tmp_path: Path) -> None:
    secrets = MemorySecretStore()
    store = PendingStore(tmp_path, secrets)
    await store.save(item(), SECRET)
    await store.save(item(sid="sid2", send_attempt=1), "other-secret")
    assert [row.sid for row in await store.load(USER)] == ["sid2"]
    assert await secrets.get(pending_secret_key(USER, "sid1")) is None
    assert await secrets.get(pending_secret_key(USER, "sid2")) == "other-secret"


async def test_update_leaves_a_row_that_was_resent_or_cancelled_alone(tmp_path: Path) -> None:
    store = PendingStore(tmp_path, MemorySecretStore())
    await store.save(item(sid="sid2"), SECRET)
    assert not await store.update(item(sid="sid1", uia_session="stale"))
    assert (await store.load(USER))[0].uia_session is None
    assert await store.update(item(sid="sid2", uia_session="uia1"))
    assert (await store.load(USER))[0].uia_session == "uia1"
    await store.remove(item(sid="sid2"))
    assert not await store.update(item(sid="sid2", uia_session="uia2"))
    assert await store.load(USER) == []


async def test_remove_forgets_row_and_secret_and_keeps_other_accounts(tmp_path: Path) -> None:
    secrets = MemorySecretStore()
    store = PendingStore(tmp_path, secrets)
    other = item(user_id="@bob:example.org")
    await store.save(item(), SECRET)
    await store.save(other, "bob-secret")
    await store.remove(item())
    assert await store.load(USER) == []
    assert await store.load("@bob:example.org") == [other]
    assert await secrets.get(pending_secret_key(USER, "sid1")) is None


async def test_expiry_follows_the_token_lifetime_setting(tmp_path: Path) -> None:
    now = [5000.0]
    assert DEFAULT_TOKEN_LIFETIME == 3600  # Synapse's email.validation_token_lifetime default
    store = PendingStore(tmp_path, MemorySecretStore(), token_lifetime=600, clock=lambda: now[0])
    assert store.expiry_from_now() == 5600
    row = item(expires_at=store.expiry_from_now())
    assert not row.expired(store.now())
    now[0] += 600
    assert row.expired(store.now())


async def test_a_damaged_file_is_set_aside_and_damaged_rows_skipped(tmp_path: Path) -> None:
    store = PendingStore(tmp_path, MemorySecretStore())
    store.path.write_text("{not json")
    assert await store.load(USER) == []
    assert (tmp_path / "pending.json.damaged").exists()
    good = item().to_json()
    store.path.write_text(json.dumps({"version": 1, "accounts": {USER: [{"medium": "email"}, good, 3]}}))
    assert await store.load(USER) == [item()]


async def test_rows_with_mistyped_fields_are_skipped() -> None:
    assert PendingVerification.from_json(USER, {**item().to_json(), "send_attempt": True}) is None
    assert PendingVerification.from_json(USER, {**item().to_json(), "submit_url": 5}) is None
    assert PendingVerification.from_json(USER, {**item().to_json(), "sid": ""}) is None
    assert PendingVerification.from_json(USER, item().to_json()) == item()
