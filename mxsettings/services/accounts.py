"""Signed-in accounts: signing in, restoring at start, keeping tokens fresh, signing out.

Each account has its own HTTP client, capabilities and OAuth metadata; nothing is shared between accounts.
Tokens go to the ``SecretStore`` only; the account list (no secrets) to ``AccountRecords``.

``accounts.json`` is read and written in a worker thread, one change at a time: each write is fsynced, which
on a slow disk takes long enough to be felt on the event loop (sign-in, every token refresh, a switch of
account). The active account is kept in memory as well, so the window can ask for it at any time.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from mxsettings.api import discovery, session
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import AuthMetadata, Capabilities, LoginResponse, Versions
from mxsettings.errors import MatrixError, MxError, NetworkError, UnknownToken, UserLocked
from mxsettings.services.server_lookup import HttpFactory, ServerInfo
from mxsettings.services.settle import settle
from mxsettings.store.accounts import AccountRecord, AccountRecords, LoginMethod
from mxsettings.store.secrets import SecretStore, access_token_key, refresh_token_key

log = logging.getLogger(__name__)

# Refresh this long before the access token runs out, so a request never races the expiry.
REFRESH_MARGIN_MS = 30_000


@dataclass(eq=False)
class Account:
    """One signed-in account and what its server allows it."""

    record: AccountRecord
    homeserver: Homeserver
    capabilities: Capabilities = field(default_factory=Capabilities)
    auth_metadata: AuthMetadata | None = None

    @property
    def user_id(self) -> str:
        return self.record.user_id

    @property
    def delegates_auth(self) -> bool:
        return self.auth_metadata is not None

    def __repr__(self) -> str:
        return f"Account({self.user_id!r}, {self.homeserver.base_url!r})"


class RestoreOutcome(enum.Enum):
    RESTORED = "restored"
    SIGNED_OUT = "signed_out"  # the token is gone for good: sign in again
    SOFT_LOGGED_OUT = "soft_logged_out"  # the device survives: only the password is needed
    LOCKED = "locked"  # the account is locked by the server admin; only waiting helps
    NOT_IN_KEYRING = (
        "not_in_keyring"  # the keyring has no token (it was in memory, or the keyring was emptied)
    )
    UNREACHABLE = "unreachable"  # the server could not be asked; the account stays, the user may retry


@dataclass(frozen=True)
class RestoreResult:
    record: AccountRecord
    outcome: RestoreOutcome
    account: Account | None = None
    error: MxError | None = None


class AccountManager:
    """Owns every account of this app instance. Qt-free; the UI calls it through its TaskRunner."""

    def __init__(self, records: AccountRecords, secrets: SecretStore, http_factory: HttpFactory) -> None:
        self._records = records
        self._secrets = secrets
        self._http_factory = http_factory
        self._accounts: dict[str, Account] = {}
        self._refreshers: dict[str, asyncio.Task[None]] = {}
        self._active_id: str | None = None  # what accounts.json says, kept here for the window to read
        self._file_lock: asyncio.Lock | None = None  # made on the running loop, at the first change
        self._saving: set[asyncio.Task[None]] = set()  # changes scheduled by set_active

    @property
    def accounts(self) -> list[Account]:
        return list(self._accounts.values())

    @property
    def secrets_persistent(self) -> bool:
        return self._secrets.persistent

    def get(self, user_id: str) -> Account | None:
        return self._accounts.get(user_id)

    async def known_records(self) -> list[AccountRecord]:
        return await asyncio.to_thread(self._records.load)

    def active_user_id(self) -> str | None:
        active = self._active_id
        return active if active in self._accounts else next(iter(self._accounts), None)

    def set_active(self, user_id: str) -> None:
        """Make ``user_id`` the active account now; the file follows in the background (``flush``)."""
        if user_id not in self._accounts:
            raise KeyError(user_id)
        self._active_id = user_id
        task = asyncio.get_running_loop().create_task(
            self._save(lambda: self._records.set_active_user_id(user_id))
        )
        self._saving.add(task)
        task.add_done_callback(self._saved)

    async def flush(self) -> None:
        """Wait until every change of the account file made so far is written."""
        while self._saving:
            await asyncio.gather(*self._saving, return_exceptions=True)

    def _saved(self, task: asyncio.Task[None]) -> None:
        self._saving.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # The choice holds for this run; the next start opens the previously active account.
            log.warning("the active account could not be saved: %s", type(task.exception()).__name__)

    async def _save(self, change: Callable[[], None]) -> None:
        """Apply ``change`` to accounts.json in a worker thread, after the changes before it."""
        if self._file_lock is None:
            self._file_lock = asyncio.Lock()
        async with self._file_lock:
            await asyncio.to_thread(change)

    # --- signing in ------------------------------------------------------------------------------------

    async def sign_in_password(
        self, server: ServerInfo, user: str, password: str, *, device_id: str | None = None
    ) -> Account:
        login = await session.login_password(
            server.homeserver, user, password, device_id=device_id, refresh_token=True
        )
        return await self._adopt(server, login, LoginMethod.PASSWORD)

    async def sign_in_token(self, server: ServerInfo, login_token: str) -> Account:
        login = await session.login_token(server.homeserver, login_token)
        return await self._adopt(server, login, LoginMethod.SSO)

    async def adopt_login(self, server: ServerInfo, login: LoginResponse, method: LoginMethod) -> Account:
        """Take over a login made elsewhere (the SSO flow)."""
        return await self._adopt(server, login, method)

    async def _adopt(self, server: ServerInfo, login: LoginResponse, method: LoginMethod) -> Account:
        versions = await server.homeserver.versions()
        record = AccountRecord(
            homeserver=server.base_url,
            user_id=login.user_id,
            device_id=login.device_id,
            login_method=method,
            identity_server=server.identity_server,
            expires_at=_expires_at(login.expires_in_ms),
            api_versions=versions.versions if versions is not None else (),
        )
        previous = self._accounts.get(record.user_id)
        if previous is not None:
            await self._forget_locally(previous)
        # The account gets a client of its own: the lookup's client stays with the sign-in page.
        homeserver = Homeserver(self._http_factory(record.homeserver), versions=versions or Versions(()))
        homeserver.http.set_access_token(login.access_token)
        account = Account(record, homeserver, auth_metadata=server.auth_metadata)
        await self._secrets.set(access_token_key(record.user_id, record.device_id), login.access_token)
        if login.refresh_token is not None:
            await self._secrets.set(refresh_token_key(record.user_id, record.device_id), login.refresh_token)
        await self._save(lambda: self._records.upsert(record, make_active=True))
        self._active_id = record.user_id
        self._accounts[record.user_id] = account
        account.capabilities = await discovery.get_capabilities(homeserver)
        self._install_refresh(account, login.refresh_token)
        return account

    # --- restoring at start ----------------------------------------------------------------------------

    async def restore_all(self) -> list[RestoreResult]:
        """Every stored account, checked with whoami; all at once."""
        records, self._active_id = await asyncio.to_thread(
            lambda: (self._records.load(), self._records.active_user_id())
        )
        return list(await asyncio.gather(*(self.restore(r) for r in records)))

    async def restore(self, record: AccountRecord) -> RestoreResult:
        token = await self._secrets.get(access_token_key(record.user_id, record.device_id))
        if token is None:
            return RestoreResult(record, RestoreOutcome.NOT_IN_KEYRING)
        versions = Versions(record.api_versions) if record.api_versions is not None else None
        homeserver = Homeserver(self._http_factory(record.homeserver), versions=versions)
        homeserver.http.set_access_token(token)
        account = Account(record, homeserver)
        refresh_token = await self._secrets.get(refresh_token_key(record.user_id, record.device_id))
        self._install_refresh(account, refresh_token)
        # whoami, capabilities and the OAuth probe together: opening a session costs one round trip.
        whoami_task = asyncio.ensure_future(session.whoami(homeserver))
        capabilities_task = asyncio.ensure_future(discovery.get_capabilities(homeserver))
        metadata_task = asyncio.ensure_future(discovery.probe_auth_metadata(homeserver))
        try:
            try:
                whoami, capabilities, metadata = await asyncio.gather(
                    whoami_task, capabilities_task, metadata_task
                )
            finally:
                # A failure closes the client below: the other requests end first.
                await settle(whoami_task, capabilities_task, metadata_task)
        except UnknownToken as exc:
            await self._drop(account, keep_record=exc.soft_logout)
            outcome = RestoreOutcome.SOFT_LOGGED_OUT if exc.soft_logout else RestoreOutcome.SIGNED_OUT
            return RestoreResult(record, outcome, error=exc)
        except UserLocked as exc:
            await self._drop(account, keep_record=True)
            return RestoreResult(record, RestoreOutcome.LOCKED, error=exc)
        except (NetworkError, MatrixError, MxError) as exc:
            await self._stop_refresh(record.user_id)
            await homeserver.aclose()
            return RestoreResult(record, RestoreOutcome.UNREACHABLE, error=exc)
        if whoami.user_id != record.user_id:
            # The token belongs to someone else: never show one account's data under another's name.
            await self._drop(account, keep_record=False)
            return RestoreResult(record, RestoreOutcome.SIGNED_OUT)
        account.capabilities, account.auth_metadata = capabilities, metadata
        self._accounts[record.user_id] = account
        return RestoreResult(record, RestoreOutcome.RESTORED, account)

    # --- signing out -----------------------------------------------------------------------------------

    async def sign_out(self, account: Account) -> None:
        """Server-side logout, then the token leaves the keyring and the account the list.

        A token the server no longer knows is already signed out; any other failure leaves everything in
        place so the user can try again.
        """
        with contextlib.suppress(UnknownToken):
            await session.logout(account.homeserver)
        await self._drop(account, keep_record=False)

    async def session_ended(self, account: Account, *, soft_logout: bool) -> None:
        """The server stopped taking the account's token while it was in use: forget it as ``restore``
        does at start. After a soft logout the record stays, so signing in again keeps the device.

        Does nothing for an account already forgotten (two requests can meet the same revoked token).
        """
        if self._accounts.get(account.user_id) is not account:
            return
        await self._drop(account, keep_record=soft_logout)

    async def forget(self, account: Account) -> None:
        """Remove the account from this computer without asking the server (after a deactivation)."""
        await self._drop(account, keep_record=False)

    async def close(self) -> None:
        await self.flush()
        for account in list(self._accounts.values()):
            await self._stop_refresh(account.user_id)
            await account.homeserver.aclose()
        self._accounts.clear()

    async def _drop(self, account: Account, *, keep_record: bool) -> None:
        record = account.record
        await self._forget_locally(account)
        await self._secrets.delete(access_token_key(record.user_id, record.device_id))
        await self._secrets.delete(refresh_token_key(record.user_id, record.device_id))
        if not keep_record:
            await self._save(lambda: self._records.remove(record.user_id))
            if self._active_id == record.user_id:
                self._active_id = None

    async def _forget_locally(self, account: Account) -> None:
        await self._stop_refresh(account.user_id)
        if self._accounts.get(account.user_id) is account:
            del self._accounts[account.user_id]
        await account.homeserver.aclose()

    # --- keeping the access token fresh ----------------------------------------------------------------

    def _install_refresh(self, account: Account, refresh_token: str | None) -> None:
        if refresh_token is None:
            return
        keeper = _TokenKeeper(self, account, refresh_token)
        account.homeserver.http.set_token_refresher(keeper.refresh_now)
        if account.record.expires_at is not None:
            self._refreshers[account.user_id] = asyncio.get_running_loop().create_task(keeper.run())

    async def _stop_refresh(self, user_id: str) -> None:
        task = self._refreshers.pop(user_id, None)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _store_refreshed(
        self, account: Account, access: str, refresh: str, expires_in_ms: int | None
    ) -> None:
        record = account.record
        await self._secrets.set(access_token_key(record.user_id, record.device_id), access)
        await self._secrets.set(refresh_token_key(record.user_id, record.device_id), refresh)
        account.record = refreshed = replace(record, expires_at=_expires_at(expires_in_ms))
        await self._save(lambda: self._records.upsert(refreshed))


class _TokenKeeper:
    """Refreshes one account's access token before it expires, and once more when the server refuses it."""

    def __init__(self, manager: AccountManager, account: Account, refresh_token: str) -> None:
        self._manager = manager
        self._account = account
        self._refresh_token = refresh_token
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"_TokenKeeper({self._account.user_id!r})"

    async def run(self) -> None:
        while (expires_at := self._account.record.expires_at) is not None:
            remaining = expires_at - _now_ms()
            # A third of the lifetime ahead for short-lived tokens, at most the margin for long ones.
            wait_ms = remaining - min(REFRESH_MARGIN_MS, remaining // 3)
            await asyncio.sleep(max(0.0, wait_ms / 1000))
            if not await self.refresh_now():
                await asyncio.sleep(5)  # the server is away; the next request will try again too

    async def refresh_now(self) -> bool:
        """True when a new access token is in place."""
        async with self._lock:
            homeserver = self._account.homeserver
            try:
                # The refresh is sent without the stale token, by the refresh endpoint's own rules.
                refreshed = await session.refresh(homeserver, self._refresh_token)
            except MxError as exc:
                log.info("token refresh failed for an account: %s", type(exc).__name__)
                return False
            self._refresh_token = refreshed.refresh_token or self._refresh_token
            homeserver.http.set_access_token(refreshed.access_token)
            await self._manager._store_refreshed(
                self._account, refreshed.access_token, self._refresh_token, refreshed.expires_in_ms
            )
            return True


def _now_ms() -> int:
    return int(time.time() * 1000)


def _expires_at(expires_in_ms: int | None) -> int | None:
    return None if expires_in_ms is None else _now_ms() + expires_in_ms
