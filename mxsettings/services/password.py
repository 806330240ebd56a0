"""Changing the account password, and judging a new one before it is sent. Qt-free.

``PasswordChanger.change`` runs ``POST /account/password`` through the UIA driver:

* the current password typed in the form answers the ``m.login.password`` stage directly, so a server that
  only wants the password never shows a second prompt; any other stage (SSO, a captcha, an email link) goes
  to the ``Prompter``;
* a refused current password is raised as ``Forbidden`` (HTTP 401) so the form can put it beside its own
  field, and the UIA session is kept: the next attempt with the same new password resumes that session
  instead of starting over (a server may count abandoned sessions, and the user keeps any stage already done);
* changing the new password or the sign-out choice starts a fresh session: a UIA session authorises one
  request, and Synapse only warns when the body changes under it;
* ``logout_devices`` is always sent, because the server's default (true) is not a choice the user made;
* after a success that signed the other sessions out, ``whoami`` checks that this app is still signed in
  (the spec says the calling token SHOULD survive, not MUST); keeping the other sessions, the success itself
  is that proof, so the change costs exactly its two round trips.

``check_rules`` shows the spec's recommended rules; how hard the new password is to guess is asked of zxcvbn
in a helper process (``services/strength.py``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from mxsettings.api import account as account_api
from mxsettings.api import session as session_api
from mxsettings.auth.stages import password_auth
from mxsettings.errors import Forbidden, MxError, UiaRequired, UiaSessionExpired, Unknown, UnknownToken
from mxsettings.services.accounts import Account
from mxsettings.services.uia_driver import Prompter, run_uia

# The spec's recommendation (client-server API, "Password management"): 8+ characters with a lowercase and an
# uppercase letter, a digit and a symbol. Synapse refuses longer than 512 characters.
MIN_LENGTH = 8
MAX_LENGTH = 512


@dataclass(frozen=True)
class PasswordChanged:
    """What happened. ``still_signed_in`` is None when the check itself could not be made."""

    logout_devices: bool
    still_signed_in: bool | None


@dataclass(frozen=True)
class _Pending:
    """A UIA session left open by a refused current password, and what it was started for."""

    session: str
    request: bytes = field(repr=False)  # a keyed digest of the new password and the sign-out choice


class PasswordChanger:
    """Changes one account's password; keep one per form so a refused attempt can be resumed."""

    def __init__(self, account: Account, prompter: Prompter, *, poll_interval: float = 3.0) -> None:
        self._account = account
        self._prompter = prompter
        self._poll_interval = poll_interval
        self._pending: _Pending | None = None
        # The digest key lives as long as the form: enough to compare requests, useless to anyone else.
        self._key = secrets.token_bytes(32)

    def __repr__(self) -> str:
        return f"PasswordChanger({self._account.user_id!r}, resumable={self._pending is not None})"

    @property
    def resumable(self) -> bool:
        """True when the next attempt would continue the session of a refused current password."""
        return self._pending is not None

    def forget_session(self) -> None:
        self._pending = None

    async def change(
        self, current_password: str, new_password: str, *, logout_devices: bool
    ) -> PasswordChanged:
        """Change the password. ``current_password`` may be empty for an account without one (single
        sign-on): the server's other stages are then asked through the prompter.

        Raises ``Forbidden`` (status 401) for a wrong current password, the ``WeakPassword`` family for the
        server's policy, ``LimitExceeded``, ``Cancelled`` and the UIA errors.
        """
        request = self._digest(new_password, logout_devices)
        pending, self._pending = self._pending, None
        resume = pending if pending is not None and pending.request == request and current_password else None
        try:
            await self._run(current_password, new_password, logout_devices, request, resume)
        except (UiaSessionExpired, Unknown) as exc:
            # The kept session may have run out meanwhile (Synapse: 400 "Unknown session ID"); one fresh try.
            if resume is None or (isinstance(exc, Unknown) and exc.status != 400):
                raise
            await self._run(current_password, new_password, logout_devices, request, None)
        # Keeping the other sessions, the server's own 200 to this session's token is the proof that it still
        # works: asking again would only cost a round trip. Signing the others out is where a server might
        # take this session along, so only then is it checked.
        still_signed_in = await self._still_signed_in() if logout_devices else True
        return PasswordChanged(logout_devices=logout_devices, still_signed_in=still_signed_in)

    async def _run(
        self,
        current_password: str,
        new_password: str,
        logout_devices: bool,
        request: bytes,
        resume: _Pending | None,
    ) -> None:
        hs = self._account.homeserver
        last_session: list[str | None] = [resume.session if resume else None]

        async def send(auth: Any) -> None:
            try:
                await account_api.change_password(hs, new_password, logout_devices=logout_devices, auth=auth)
            except UiaRequired as required:
                last_session[0] = required.challenge.session
                raise

        first_auth = None
        known: str | None = current_password or None
        if resume is not None:
            first_auth = password_auth(resume.session, self._account.user_id, current_password)
            known = None  # already in first_auth: a refusal must not send it a second time
        generation = await hs.generation()
        try:
            await run_uia(
                send,
                self._prompter,
                user_id=self._account.user_id,
                homeserver_url=hs.base_url,
                client_prefix=generation.client_prefix,
                poll_interval=self._poll_interval,
                first_auth=first_auth,
                known_password=known,
                on_wrong_password="raise",  # noqa: S106 (a policy name, not a password)
            )
        except Forbidden as exc:
            session = last_session[0]
            if exc.status == 401 and session is not None:
                self._pending = _Pending(session, request)
            raise

    async def _still_signed_in(self) -> bool | None:
        try:
            await session_api.whoami(self._account.homeserver)
        except UnknownToken:
            return False
        except MxError:
            return None
        return True

    def _digest(self, new_password: str, logout_devices: bool) -> bytes:
        text = f"{int(logout_devices)}\0{new_password}".encode()
        return hmac.new(self._key, text, hashlib.sha256).digest()


# --- Judging a new password before it is sent --------------------------------------------------------------


@dataclass(frozen=True)
class PasswordRules:
    """Which of the spec's recommended rules a password meets (the server may demand fewer or more)."""

    long_enough: bool
    has_lowercase: bool
    has_uppercase: bool
    has_digit: bool
    has_symbol: bool

    @property
    def all_met(self) -> bool:
        return all(
            (self.long_enough, self.has_lowercase, self.has_uppercase, self.has_digit, self.has_symbol)
        )


def check_rules(password: str) -> PasswordRules:
    return PasswordRules(
        long_enough=len(password) >= MIN_LENGTH,
        has_lowercase=any(c.islower() for c in password),
        has_uppercase=any(c.isupper() for c in password),
        has_digit=any(c.isdigit() for c in password),
        # As Synapse counts it: anything that is not a letter or a digit, a space included.
        has_symbol=any(not c.isalnum() for c in password),
    )


def user_inputs_for(user_id: str) -> tuple[str, ...]:
    """The words of a user ID a guesser would try first: the localpart, the server name and their parts."""
    localpart, _, server = user_id.lstrip("@").partition(":")
    host = server.split(":")[0]
    parts = {localpart, host, *host.split("."), *localpart.replace("-", ".").replace("_", ".").split(".")}
    return tuple(sorted(p for p in parts if len(p) >= 3))
