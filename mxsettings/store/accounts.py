"""The accounts the app knows, without their secrets: ``accounts.json`` in the config directory.

Tokens never come here (they live in a ``SecretStore``); this file only says which accounts exist, where
their servers are and which one was active. A damaged file costs the list, never a crash: the app then
asks the user to sign in again, and the damaged file is kept aside for them.
"""

from __future__ import annotations

import enum
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mxsettings.store.private_json import read_json_object, write_private_json

log = logging.getLogger(__name__)

APP_DIR_NAME = "mxsettings"
FILE_NAME = "accounts.json"
CONFIG_DIR_ENV = "MXSETTINGS_CONFIG_DIR"
_FORMAT_VERSION = 1


class LoginMethod(enum.StrEnum):
    """How the account signed in, so the app knows how to sign it in again."""

    PASSWORD = "password"  # noqa: S105 - the name of a login method (m.login.password), not a password
    SSO = "sso"


@dataclass(frozen=True)
class AccountRecord:
    """One signed-in account. ``expires_at`` is when the access token expires (ms since the epoch)."""

    homeserver: str  # the client-server API base URL, as discovered at sign-in
    user_id: str
    device_id: str
    login_method: LoginMethod
    identity_server: str | None = None
    expires_at: int | None = None
    # The server's /versions list when it was last seen ([] for a server without the endpoint), so a restored
    # session knows which API generation to speak without asking again.
    api_versions: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "homeserver": self.homeserver,
            "user_id": self.user_id,
            "device_id": self.device_id,
            "login_method": self.login_method.value,
            "identity_server": self.identity_server,
            "expires_at": self.expires_at,
            "api_versions": None if self.api_versions is None else list(self.api_versions),
        }

    @classmethod
    def from_json(cls, data: object) -> AccountRecord | None:
        """The record, or None when a required field is missing or mistyped. Unknown keys are ignored."""
        if not isinstance(data, Mapping):
            return None
        required = [data.get(name) for name in ("homeserver", "user_id", "device_id")]
        identity_server = data.get("identity_server")
        expires_at = data.get("expires_at")
        if not all(isinstance(value, str) and value for value in required):
            return None
        if identity_server is not None and not isinstance(identity_server, str):
            return None
        # bool is an int in Python; a JSON true is not a timestamp.
        if expires_at is not None and (not isinstance(expires_at, int) or isinstance(expires_at, bool)):
            return None
        method_name = data.get("login_method")
        if not isinstance(method_name, str) or method_name not in {m.value for m in LoginMethod}:
            return None
        homeserver, user_id, device_id = (str(value) for value in required)
        versions = data.get("api_versions")
        api_versions = (
            tuple(versions)
            if isinstance(versions, list) and all(isinstance(v, str) for v in versions)
            else None
        )
        return cls(
            homeserver,
            user_id,
            device_id,
            LoginMethod(method_name),
            identity_server or None,
            expires_at,
            api_versions,
        )


@dataclass(frozen=True)
class _Contents:
    records: tuple[AccountRecord, ...] = ()
    active_user_id: str | None = None


class AccountRecords:
    """``accounts.json`` under ``config_dir``. Every method reads or writes the file; it is a few hundred
    bytes, read at startup and written when an account is added, removed or made active."""

    def __init__(self, config_dir: Path) -> None:
        self._dir = config_dir

    @property
    def path(self) -> Path:
        return self._dir / FILE_NAME

    def load(self) -> list[AccountRecord]:
        return list(self._read().records)

    def save(self, records: Iterable[AccountRecord]) -> None:
        """Replace the list; the active account stays active if it is still in it."""
        self._write(_Contents(tuple(records), self._read().active_user_id))

    def upsert(self, record: AccountRecord, *, make_active: bool = False) -> None:
        """Add the account, or replace the one with the same user ID (keeping its place in the list); with
        ``make_active``, it becomes the active account in the same write."""
        contents = self._read()
        records = list(contents.records)
        for index, existing in enumerate(records):
            if existing.user_id == record.user_id:
                records[index] = record
                break
        else:
            records.append(record)
        active = record.user_id if make_active else contents.active_user_id
        self._write(_Contents(tuple(records), active))

    def remove(self, user_id: str) -> None:
        """Forget the account (a no-op if unknown); if it was active, no account is active any more."""
        contents = self._read()
        self._write(
            _Contents(tuple(r for r in contents.records if r.user_id != user_id), contents.active_user_id)
        )

    def active_user_id(self) -> str | None:
        return self._read().active_user_id

    def set_active_user_id(self, user_id: str | None) -> None:
        contents = self._read()
        if user_id is not None and all(r.user_id != user_id for r in contents.records):
            raise ValueError("no such account")
        self._write(replace(contents, active_user_id=user_id))

    # --- file format -----------------------------------------------------------------------------------

    def _read(self) -> _Contents:
        data = read_json_object(
            self.path,
            is_valid=lambda d: isinstance(d.get("accounts", []), list),
            missing="starting with no accounts",
        )
        return _Contents() if data is None else _parse(data, self.path)

    def _write(self, contents: _Contents) -> None:
        active = contents.active_user_id
        if active is not None and all(r.user_id != active for r in contents.records):
            active = None
        document = {
            "version": _FORMAT_VERSION,
            "active_user_id": active,
            "accounts": [r.to_json() for r in contents.records],
        }
        write_private_json(self.path, document)


def _parse(data: Mapping[str, Any], path: Path) -> _Contents:
    records: list[AccountRecord] = []
    seen: set[str] = set()
    for index, item in enumerate(data.get("accounts", [])):
        record = AccountRecord.from_json(item)
        if record is None:
            log.warning("%s: account entry %d is incomplete; skipped", path, index)
        elif record.user_id in seen:
            log.warning("%s: account entry %d repeats a user ID; skipped", path, index)
        else:
            seen.add(record.user_id)
            records.append(record)
    active = data.get("active_user_id")
    return _Contents(tuple(records), active if isinstance(active, str) and active in seen else None)


def default_config_dir(*, platform: str = sys.platform) -> Path:
    """The per-user config directory, by the platform's convention (no Qt needed).

    ``$MXSETTINGS_CONFIG_DIR`` wins; then ``%APPDATA%`` on Windows, ``~/Library/Application Support`` on
    macOS, and ``$XDG_CONFIG_HOME`` or ``~/.config`` elsewhere.
    """
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    if platform == "win32":
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    elif platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        # The XDG spec says a relative path there is invalid and must be ignored.
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / APP_DIR_NAME
