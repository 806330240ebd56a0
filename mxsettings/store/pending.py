"""Contact-address confirmations still waiting for the user: ``pending.json`` in the config directory.

Adding an email address or phone number takes minutes to hours (the user has to open a link or type a code),
so what the app needs to finish it outlives the window: the address, the server's ``sid``, where a code goes
(``submit_url``), the ``send_attempt`` reached and when the server forgets the token. The ``client_secret``
that proves the session is ours is the one secret among these; it lives in the ``SecretStore`` under
``pending_secret_key`` and never in this file.

The file holds every account's rows, keyed by user ID; one row per (medium, address) and account, since a
new request for the same address replaces the old one. Reading and writing happen in a worker thread (the
file is fsynced), one change at a time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mxsettings.store.private_json import read_json_object, write_private_json
from mxsettings.store.secrets import SecretStore, pending_secret_key

log = logging.getLogger(__name__)

FILE_NAME = "pending.json"
_FORMAT_VERSION = 1

# Synapse mails a token that works for ``email.validation_token_lifetime``, "1h" unless the admin changed it
# (synapse/config/emailconfig.py); the spec sets no lifetime. A setting, since other servers differ.
DEFAULT_TOKEN_LIFETIME = 3600.0

Clock = Callable[[], float]


@dataclass(frozen=True)
class PendingVerification:
    """One address the user asked to add, not confirmed yet. Times are seconds since the epoch.

    ``address`` is what the server will list: the email with its domain lower-cased, or the phone number's
    digits without ``+``. ``country`` and ``phone_number`` are what the msisdn request was sent with, kept
    for a resend. ``uia_session`` is the authentication session the user already confirmed: on its own it
    proves nothing (it works only with the account's access token and, for the addition, the client
    secret), and keeping it spares the user a second password prompt after a restart.
    """

    user_id: str
    medium: str
    address: str
    sid: str
    send_attempt: int
    created_at: float  # when the current link or code was asked for
    expires_at: float
    submit_url: str | None = None
    bind: bool = False
    country: str | None = None
    phone_number: str | None = None
    code_confirmed: bool = False  # the code went to submit_url and was accepted; only the addition is left
    uia_session: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.medium, self.address)

    def expired(self, now: float) -> bool:
        return now >= self.expires_at

    def to_json(self) -> dict[str, Any]:
        return {
            "medium": self.medium,
            "address": self.address,
            "sid": self.sid,
            "send_attempt": self.send_attempt,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "submit_url": self.submit_url,
            "bind": self.bind,
            "country": self.country,
            "phone_number": self.phone_number,
            "code_confirmed": self.code_confirmed,
            "uia_session": self.uia_session,
        }

    @classmethod
    def from_json(cls, user_id: str, data: object) -> PendingVerification | None:
        """The row, or None when a field is missing or mistyped (a damaged row costs only itself)."""
        if not isinstance(data, Mapping):
            return None
        texts = [data.get(name) for name in ("medium", "address", "sid")]
        if not all(isinstance(value, str) and value for value in texts):
            return None
        attempt, created, expires = data.get("send_attempt"), data.get("created_at"), data.get("expires_at")
        if not _is_int(attempt) or not _is_number(created) or not _is_number(expires):
            return None
        optional = {name: data.get(name) for name in ("submit_url", "country", "phone_number", "uia_session")}
        if any(value is not None and not isinstance(value, str) for value in optional.values()):
            return None
        medium, address, sid = (str(value) for value in texts)
        return cls(
            user_id=user_id,
            medium=medium,
            address=address,
            sid=sid,
            send_attempt=int(attempt),  # type: ignore[arg-type]
            created_at=float(created),  # type: ignore[arg-type]
            expires_at=float(expires),  # type: ignore[arg-type]
            submit_url=optional["submit_url"],
            bind=data.get("bind") is True,
            country=optional["country"],
            phone_number=optional["phone_number"],
            code_confirmed=data.get("code_confirmed") is True,
            uia_session=optional["uia_session"],
        )


# Turns an account's rows into the new rows, and says which row it replaced or dropped.
_Edit = Callable[[list[PendingVerification]], tuple[list[PendingVerification], PendingVerification | None]]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class PendingStore:
    """``pending.json`` under ``config_dir`` plus the client secrets in ``secrets``."""

    def __init__(
        self,
        config_dir: Path,
        secrets: SecretStore,
        *,
        token_lifetime: float = DEFAULT_TOKEN_LIFETIME,
        clock: Clock = time.time,
    ) -> None:
        self._dir = config_dir
        self._secrets = secrets
        self._clock = clock
        self.token_lifetime = token_lifetime
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"PendingStore({str(self.path)!r})"

    @property
    def path(self) -> Path:
        return self._dir / FILE_NAME

    @property
    def keeps_secrets(self) -> bool:
        """False when the secrets vanish with the process: then nothing can be resumed after a restart."""
        return self._secrets.persistent

    def now(self) -> float:
        return self._clock()

    def expiry_from_now(self) -> float:
        return self._clock() + self.token_lifetime

    async def load(self, user_id: str) -> list[PendingVerification]:
        """The account's waiting rows, oldest first."""
        async with self._lock:
            document = await asyncio.to_thread(self._read)
        return _rows(document, user_id)

    async def save(self, item: PendingVerification, client_secret: str) -> None:
        """Add the row, or replace the one for the same address (and forget that one's secret).

        The secret is stored first: a row whose secret failed to be kept would be a row that cannot finish.
        """
        await self._secrets.set(pending_secret_key(item.user_id, item.sid), client_secret)
        async with self._lock:
            previous = await self._change(item.user_id, lambda rows: _upsert(rows, item))
        if previous is not None and previous.sid != item.sid:
            await self._secrets.delete(pending_secret_key(previous.user_id, previous.sid))

    async def update(self, item: PendingVerification) -> bool:
        """Replace the row of ``item``'s session if it is still there (not cancelled or resent meanwhile)."""
        async with self._lock:
            previous = await self._change(item.user_id, lambda rows: _replace_existing(rows, item))
        return previous is not None

    async def client_secret(self, item: PendingVerification) -> str | None:
        return await self._secrets.get(pending_secret_key(item.user_id, item.sid))

    async def remove(self, item: PendingVerification) -> None:
        """Forget the row and its secret (the row first: a row without a secret is worse than a stray one)."""
        async with self._lock:
            await self._change(item.user_id, lambda rows: _without(rows, item))
        await self._secrets.delete(pending_secret_key(item.user_id, item.sid))

    # --- file -----------------------------------------------------------------------------------------

    async def _change(self, user_id: str, edit: _Edit) -> PendingVerification | None:
        document = await asyncio.to_thread(self._read)
        rows, previous = edit(_rows(document, user_id))
        accounts = dict(document.get("accounts", {}))
        if rows:
            accounts[user_id] = [row.to_json() for row in rows]
        else:
            accounts.pop(user_id, None)
        await asyncio.to_thread(self._write, {"version": _FORMAT_VERSION, "accounts": accounts})
        return previous

    def _read(self) -> dict[str, Any]:
        data = read_json_object(
            self.path,
            is_valid=lambda d: isinstance(d.get("accounts", {}), dict),
            missing="no pending confirmations",
        )
        return data or {}

    def _write(self, document: Mapping[str, Any]) -> None:
        write_private_json(self.path, document)


def _rows(document: Mapping[str, Any], user_id: str) -> list[PendingVerification]:
    raw = document.get("accounts", {}).get(user_id, [])
    rows: list[PendingVerification] = []
    for entry in raw if isinstance(raw, list) else []:
        row = PendingVerification.from_json(user_id, entry)
        if row is None:
            log.warning("a pending confirmation entry is incomplete; skipped")
        else:
            rows.append(row)
    return rows


def _upsert(
    rows: list[PendingVerification], item: PendingVerification
) -> tuple[list[PendingVerification], PendingVerification | None]:
    previous = next((row for row in rows if row.key == item.key), None)
    kept = [row for row in rows if row.key != item.key]
    return [*kept, item], previous


def _replace_existing(
    rows: list[PendingVerification], item: PendingVerification
) -> tuple[list[PendingVerification], PendingVerification | None]:
    # Only the same session: a row that was resent (new sid) or cancelled meanwhile is not overwritten.
    previous = next((row for row in rows if row.key == item.key and row.sid == item.sid), None)
    if previous is None:
        return rows, None
    return [item if row is previous else row for row in rows], previous


def _without(
    rows: list[PendingVerification], item: PendingVerification
) -> tuple[list[PendingVerification], PendingVerification | None]:
    # Only the same session: a newer request for the same address is not undone by a stale cancel.
    return [row for row in rows if not (row.key == item.key and row.sid == item.sid)], None
