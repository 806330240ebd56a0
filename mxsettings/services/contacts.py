"""Contact information on the homeserver account: list, add (and finish adding by itself), remove. Qt-free.

Adding goes: ``requestToken`` (the server mails a link or texts a code), the user proves the address, then
the address is attached to the account. Servers do not say when the link was opened, so the service asks
by trying the attachment itself (``/account/3pid/add``, or the deprecated ``POST /account/3pid`` on old
servers) with a growing interval until it stops failing with ``M_THREEPID_AUTH_FAILED``; a "check now" wakes
it at once. Which endpoint and body a server gets is the API layer's business (``Generation``).

On current servers the attachment needs user-interactive authentication. Synapse checks it *before* the
validation, so the first try asks for the password even though the link is not opened yet; the UIA session
it completes is then reused, session only, for every later try (Synapse keeps it for 48 hours), so the user
is asked once and the addition finishes by itself once the link is opened. The session is kept with the
pending row, so a restart does not ask again either.

Every request that may send a mail or text keeps its ``client_secret`` and ``send_attempt`` for a retry of
the same request (a lost connection must not send a second mail); only ``resend`` raises the attempt.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mxsettings.api import account
from mxsettings.api.generation import ContactAdd, Generation
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import ThreePid, ThreePidCredentials, TokenRequested, UnbindResult
from mxsettings.auth.stages import session_only_auth
from mxsettings.errors import (
    Cancelled,
    LimitExceeded,
    MatrixError,
    MxError,
    NetworkError,
    SecretLost,
    SessionNotValidated,
    ThreePidAuthFailed,
    TokenIncorrect,
    UiaSessionExpired,
    Unknown,
)
from mxsettings.services.contact_input import MEDIUM_EMAIL, MEDIUM_MSISDN, PhoneNumber, canonical_email
from mxsettings.services.uia_driver import (
    FallbackAsk,
    FallbackWaiter,
    PasswordAsk,
    Prompter,
    ThreePidAsk,
    run_uia,
)
from mxsettings.store.pending import PendingStore, PendingVerification


def new_client_secret() -> str:
    # 43 characters of [A-Za-z0-9_-]: inside the spec's charset and length for client_secret.
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class WaitSchedule:
    """Seconds between tries while waiting for the link: ``first``, growing by ``growth`` up to ``longest``.

    Quick at first, when the person is most likely opening their mail right now; slower later, so a tab left
    open for an hour costs the server a few hundred requests, not thousands.
    """

    first: float = 2.0
    growth: float = 1.5
    longest: float = 20.0

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(self.longest, delay * self.growth)


class WaitState(enum.Enum):
    WAITING = "waiting"  # the server has not seen the link opened (or the code) yet
    OFFLINE = "offline"  # the server could not be reached; the row is kept and the tries go on


@dataclass(frozen=True)
class WaitReport:
    """How the last try went, sent after every unsuccessful one."""

    state: WaitState
    checked_by_user: bool  # the try was a "check now": the person expects an answer in words
    next_try_in: float


class AddOutcome(enum.Enum):
    ADDED = "added"
    EXPIRED = "expired"  # the server's token ran out before the address was confirmed; resend
    NEEDS_CONFIRMATION = "needs_confirmation"  # the password is wanted, and was declined or may not be asked
    LOST = "lost"  # the client secret is gone, so the session cannot be proven; resend starts a new one


class ConfirmationNeeded(Exception):
    """The server wants the user to confirm it is them, and this try was not allowed to ask.

    Tries that nobody started by hand (resuming after a restart) must not pop up a password dialog.
    Control flow between ``add`` and the wait (which returns ``NEEDS_CONFIRMATION``), not an app error.
    """

    def __init__(self) -> None:
        super().__init__("the server asks the user to confirm, and this try may not ask")


class Waker:
    """Lets the waiting loop sleep until its next try, or until the user says "check now"."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def wake(self) -> None:
        self._event.set()

    def take(self) -> bool:
        """True when ``wake`` was called since the last sleep or take (and forgets that it was)."""
        woken = self._event.is_set()
        self._event.clear()
        return woken

    async def sleep(self, seconds: float) -> bool:
        """True when woken by ``wake`` rather than by the time running out."""
        try:
            async with asyncio.timeout(seconds):
                await self._event.wait()
        except TimeoutError:
            return False
        finally:
            self._event.clear()
        return True


@dataclass(frozen=True)
class ContactList:
    generation: Generation
    threepids: tuple[ThreePid, ...]
    pending: tuple[PendingVerification, ...]


Send = Callable[[Mapping[str, Any] | None], Awaitable[None]]


class ContactService:
    """One account's contact addresses. ``pending`` keeps unfinished additions across restarts."""

    def __init__(
        self,
        homeserver: Homeserver,
        user_id: str,
        pending: PendingStore,
        *,
        schedule: WaitSchedule = WaitSchedule(),
        new_secret: Callable[[], str] = new_client_secret,
    ) -> None:
        self._hs = homeserver
        self._user_id = user_id
        self._pending = pending
        self._schedule = schedule
        self._new_secret = new_secret
        # Secret and attempt of a request that did not get an answer, so pressing Add again repeats it
        # exactly instead of mailing twice. Memory only: nothing was promised to the user yet.
        self._drafts: dict[tuple[str, str], tuple[str, int]] = {}

    def __repr__(self) -> str:
        return f"ContactService({self._user_id!r})"

    @property
    def pending_store(self) -> PendingStore:
        return self._pending

    async def load(self, *, with_pending: bool = True) -> ContactList:
        generation = await self._hs.generation()
        listed = (await account.list_threepids(self._hs)).threepids
        rows = await self._pending.load(self._user_id) if with_pending else []
        on_account = {(t.medium, t.address) for t in listed}
        waiting: list[PendingVerification] = []
        for row in rows:
            if row.key in on_account:
                # Finished elsewhere, or the app stopped between adding and forgetting the row.
                await self._pending.remove(row)
            else:
                waiting.append(row)
        return ContactList(generation, listed, tuple(waiting))

    # --- asking for a link or a code -----------------------------------------------------------------

    async def start_email(self, address: str, *, bind: bool = False) -> PendingVerification:
        """Have the server mail a link to ``address``; the returned row is already stored."""
        address = canonical_email(address)
        return await self._start(MEDIUM_EMAIL, address, bind=bind)

    async def start_phone(self, phone: PhoneNumber, *, bind: bool = False) -> PendingVerification:
        """Have the server text a code to ``phone``; the returned row is already stored."""
        return await self._start(
            MEDIUM_MSISDN, phone.msisdn, bind=bind, country=phone.country, phone_number=phone.national
        )

    async def _start(self, medium: str, address: str, **details: Any) -> PendingVerification:
        key = (medium, address)
        secret, attempt = self._drafts.setdefault(key, (self._new_secret(), 1))
        # A template until the server has answered: sid and times come from the answer.
        item = PendingVerification(self._user_id, medium, address, "", attempt, 0.0, 0.0, **details)
        requested = await self._request_token(item, secret, attempt)
        item = self._sent(item, requested, attempt)
        await self._pending.save(item, secret)
        self._drafts.pop(key, None)
        return item

    async def resend(self, item: PendingVerification) -> PendingVerification:
        """Ask for a new mail or text (``send_attempt`` + 1); the row gets the new expiry."""
        secret = await self._pending.client_secret(item)
        attempt = item.send_attempt + 1
        if secret is None:
            # The old session cannot be proven any more; a fresh one replaces it.
            secret, attempt = self._new_secret(), 1
        requested = await self._request_token(item, secret, attempt)
        fresh = replace(self._sent(item, requested, attempt), code_confirmed=False)
        await self._pending.save(fresh, secret)
        return fresh

    async def _request_token(self, item: PendingVerification, secret: str, attempt: int) -> TokenRequested:
        if item.medium == MEDIUM_EMAIL:
            return await account.request_email_token(self._hs, item.address, secret, attempt)
        country, number = item.country or "", item.phone_number or item.address
        return await account.request_msisdn_token(self._hs, country, number, secret, attempt)

    def _sent(
        self, item: PendingVerification, requested: TokenRequested, attempt: int
    ) -> PendingVerification:
        now = self._pending.now()
        return replace(
            item,
            sid=requested.sid,
            submit_url=requested.submit_url,
            send_attempt=attempt,
            created_at=now,
            expires_at=self._pending.expiry_from_now(),
        )

    # --- proving the address ----------------------------------------------------------------------------

    async def submit_code(self, item: PendingVerification, code: str) -> PendingVerification:
        """Post the texted code to the server's ``submit_url``; raises ``TokenIncorrect`` for a wrong one."""
        if item.submit_url is None:
            raise ValueError("this confirmation takes no code")
        secret = await self._secret(item)
        if not await account.submit_token(self._hs, item.submit_url, item.sid, secret, code.strip()):
            raise TokenIncorrect(status=200)  # {"success": false}: the code did not match
        confirmed = replace(item, code_confirmed=True)
        await self._pending.update(confirmed)
        return confirmed

    # --- attaching it to the account --------------------------------------------------------------------

    async def add(self, item: PendingVerification, prompter: Prompter, *, may_ask: bool = True) -> None:
        """One try at attaching the address; on success the pending row is gone.

        Raises ``ThreePidAuthFailed`` while the address is not confirmed yet, ``ConfirmationNeeded`` when the
        server wants the password and ``may_ask`` is false, and any other error as it comes.
        """
        secret = await self._secret(item)
        generation = await self._hs.generation()
        creds = ThreePidCredentials(sid=item.sid, client_secret=secret)
        asker: Prompter = prompter if may_ask else _NoAsking()
        await self._add_with_auth(item, creds, asker, generation)
        await self._pending.remove(item)

    async def _add_with_auth(
        self,
        item: PendingVerification,
        creds: ThreePidCredentials,
        prompter: Prompter,
        generation: Generation,
    ) -> None:
        resume = item.uia_session if generation.contact_add is ContactAdd.ADD_WITH_UIA else None
        sessions: list[str] = []

        async def send(auth: Mapping[str, Any] | None) -> None:
            session = auth.get("session") if auth is not None else None
            if isinstance(session, str):
                sessions.append(session)
            await account.add_threepid(self._hs, creds, auth=auth, bind=item.bind)

        try:
            try:
                await self._uia(send, prompter, generation, resume)
            except (UiaSessionExpired, Unknown) as exc:
                # A forgotten session: Synapse answers 400 M_UNKNOWN "Unknown session ID", others a new one.
                if resume is None or (isinstance(exc, Unknown) and exc.status != 400):
                    raise
                sessions.clear()
                await self._uia(send, prompter, generation, None)
        except (MxError, ConfirmationNeeded):
            # Keep the session the user confirmed, so the next try (or the next start) does not ask again.
            if sessions and sessions[-1] != item.uia_session:
                await self._pending.update(replace(item, uia_session=sessions[-1]))
            raise

    async def _uia(self, send: Send, prompter: Prompter, generation: Generation, resume: str | None) -> None:
        await run_uia(
            send,
            prompter,
            user_id=self._user_id,
            homeserver_url=self._hs.base_url,
            client_prefix=generation.client_prefix,
            first_auth=session_only_auth(resume) if resume is not None else None,
        )

    async def wait_until_added(
        self,
        item: PendingVerification,
        prompter: Prompter,
        *,
        waker: Waker,
        report: Callable[[WaitReport], None],
        may_ask: bool = True,
    ) -> AddOutcome:
        """Try to attach the address until it works or the server's token expires.

        Not-yet-confirmed, unreachable-server and server-failure (5xx) tries are reported and retried. A
        password prompt that may not be shown, or was closed, ends the wait as ``NEEDS_CONFIRMATION``; any
        other error (a refusal) ends it with that error. Either way the row stays for the person to act on.
        """
        delays = self._schedule.delays()
        by_user = False
        # The caller's row may predate a try that stored a confirmed UIA session (a wait that ended with an
        # error and is started again): without this the restarted wait would ask for the password again.
        item = await self._reloaded(item)
        while True:
            last_look = item.expired(self._pending.now())  # the link may still have been opened in time
            try:
                await self.add(item, prompter, may_ask=may_ask)
            except ConfirmationNeeded:
                if waker.take():
                    # "Check now" was pressed while this silent try was under way: the person is here, so
                    # the same press asks for the password rather than being lost with the try.
                    may_ask, by_user = True, True
                    continue
                return AddOutcome.EXPIRED if last_look else AddOutcome.NEEDS_CONFIRMATION
            except Cancelled:
                # The person closed the prompt: wait for them to press a button.
                return AddOutcome.EXPIRED if last_look else AddOutcome.NEEDS_CONFIRMATION
            except SecretLost:
                return AddOutcome.LOST
            except MxError as exc:
                passing = _passing_failure(exc)
                if passing is None:
                    raise
                state, floor = passing
            else:
                return AddOutcome.ADDED
            if last_look:
                return AddOutcome.EXPIRED
            item = await self._reloaded(item)
            delay = min(max(next(delays), floor), max(0.0, item.expires_at - self._pending.now()))
            report(WaitReport(state, by_user, delay))
            by_user = await waker.sleep(delay)
            if by_user:
                may_ask = True  # the person pressed a button: a prompt is what they expect now
                delays = self._schedule.delays()

    async def _reloaded(self, item: PendingVerification) -> PendingVerification:
        # The try may have stored a confirmed UIA session in the row; the next try needs it.
        for row in await self._pending.load(self._user_id):
            if row.key == item.key and row.sid == item.sid:
                return row
        return item

    async def cancel(self, item: PendingVerification) -> None:
        """Forget a pending addition (the server lets its session expire on its own)."""
        await self._pending.remove(item)

    async def remove(self, threepid: ThreePid) -> UnbindResult:
        """Remove an address from the account; the result says whether the identity server was told."""
        return await account.delete_threepid(self._hs, threepid.medium, threepid.address)

    async def _secret(self, item: PendingVerification) -> str:
        secret = await self._pending.client_secret(item)
        if secret is None:
            raise SecretLost
        return secret


def _passing_failure(error: MxError) -> tuple[WaitState, float] | None:
    """What a failed try means to a wait (its state, and the least time before the next try), or None for a
    refusal that ends it."""
    if isinstance(error, ThreePidAuthFailed | SessionNotValidated):
        return WaitState.WAITING, 0.0
    if isinstance(error, NetworkError):
        return WaitState.OFFLINE, 0.0
    if isinstance(error, LimitExceeded):
        return WaitState.WAITING, error.retry_after or 0.0
    if isinstance(error, MatrixError) and error.status >= 500:
        # A gateway's 502/503, or the server failing while it restarts: as passing as being offline, so the
        # row keeps trying by itself instead of waiting for a button.
        return WaitState.OFFLINE, 0.0
    return None


class _NoAsking:
    """The prompter of tries nobody started by hand: every question ends the try."""

    async def password(self, ask: PasswordAsk) -> str:
        raise ConfirmationNeeded

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials:
        raise ConfirmationNeeded

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials:
        raise ConfirmationNeeded

    async def open_fallback(self, ask: FallbackAsk) -> FallbackWaiter:
        raise ConfirmationNeeded
