"""A stored session as an earlier run leaves it: the account record, and the token in the keyring."""

from __future__ import annotations

import asyncio
from pathlib import Path

from mxsettings.store.accounts import AccountRecord, AccountRecords, LoginMethod
from mxsettings.store.secrets import access_token_key, choose_secret_store
from tests.harness.synapse import RegisteredUser, SynapseServer


class NoKeyring(RuntimeError):
    """The benchmark runs against a real keyring (scripts/run-bench.sh provides one)."""


def store_session(config_dir: Path, homeserver: str, user: RegisteredUser, versions: tuple[str, ...]) -> None:
    choice = choose_secret_store()
    if not choice.secure:
        raise NoKeyring(f"no secure keyring ({choice.reason}): run the benchmark with scripts/run-bench.sh")
    records = AccountRecords(config_dir)
    records.upsert(
        AccountRecord(
            homeserver=homeserver,
            user_id=user.user_id,
            device_id=user.device_id,
            login_method=LoginMethod.PASSWORD,
            api_versions=versions,
        )
    )
    records.set_active_user_id(user.user_id)
    asyncio.run(choice.store.set(access_token_key(user.user_id, user.device_id), user.access_token))


def new_user(synapse: SynapseServer, prefix: str) -> RegisteredUser:
    import secrets

    from tests.harness.synapse import make_password

    return synapse.register_user(f"{prefix}-{secrets.token_hex(3)}", make_password())
