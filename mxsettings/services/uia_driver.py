"""Runs one request through user-interactive authentication: send, read the challenge, ask, resend.

The request itself is a ``send`` callable, so every UIA endpoint (password change, adding an address,
deactivation) shares this loop. The user is reached only through a ``Prompter``; the UI implements it with
non-modal dialogs and tests with a scripted fake. The decisions are made by the pure machine in
``mxsettings.auth.uia``; this module only performs them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeAlias, TypeVar

from mxsettings.api.models import ThreePidCredentials
from mxsettings.auth.stages import (
    M_LOGIN_EMAIL_IDENTITY,
    M_LOGIN_PASSWORD,
    email_identity_auth,
    msisdn_auth,
    password_auth,
    session_only_auth,
)
from mxsettings.auth.uia import (
    DEFAULT_CLIENT_PREFIX,
    AskStage,
    Expired,
    NoUsableFlow,
    OpenFallback,
    StageError,
    Step,
    Submit,
    UiaState,
    next_step,
)
from mxsettings.errors import (
    UiaError,
    UiaNoUsableFlow,
    UiaRequired,
    UiaSessionExpired,
    Unknown,
    error_from_body,
)

T = TypeVar("T")

# Sends the original request with this ``auth`` (None for the first try) and returns its parsed result;
# raises ``UiaRequired`` on a 401 with flows and any other ``MxError`` as it comes.
Send: TypeAlias = Callable[[Mapping[str, Any] | None], Awaitable[T]]

WrongPassword: TypeAlias = Literal["ask", "raise"]

MAX_ROUNDS = 50


# --- What the user is asked --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PasswordAsk:
    """Ask for the account password. ``error`` is set when the previous one was refused."""

    user_id: str
    session: str | None
    error: StageError | None = None
    retry: int = 0


@dataclass(frozen=True)
class ThreePidAsk:
    """Ask the user to prove an email address or phone number (``stage`` says which).

    ``waiting`` means credentials were already sent and the server did not accept them yet (the link was
    not followed or the code not entered): keep the same validation session instead of starting another.
    """

    stage: str
    session: str | None
    params: Mapping[str, Any]
    error: StageError | None = None
    retry: int = 0

    @property
    def waiting(self) -> bool:
        return self.retry > 0


@dataclass(frozen=True)
class FallbackAsk:
    """Open ``url`` (the server's page for ``stage``) for the user to finish there."""

    stage: str
    url: str
    session: str
    params: Mapping[str, Any]


class FallbackWaiter(Protocol):
    """The open fallback page, as seen while the driver polls the server."""

    async def wait(self, seconds: float) -> None:
        """Return after ``seconds``, or earlier when the user says they are done; raise ``Cancelled``."""
        ...

    def close(self) -> None:
        """Dismiss the page or the "waiting for the browser" note; may be called more than once."""
        ...


class Prompter(Protocol):
    """Everything the driver may ask the user. Any method may raise ``Cancelled``."""

    async def password(self, ask: PasswordAsk) -> str: ...

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials: ...

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials: ...

    async def open_fallback(self, ask: FallbackAsk) -> FallbackWaiter: ...


# --- The loop ----------------------------------------------------------------------------------------------


async def run_uia(
    send: Send[T],
    prompter: Prompter,
    *,
    user_id: str,
    homeserver_url: str,
    client_prefix: str = DEFAULT_CLIENT_PREFIX,
    poll_interval: float = 3.0,
    first_auth: Mapping[str, Any] | None = None,
    known_password: str | None = None,
    on_wrong_password: WrongPassword = "ask",  # noqa: S107 (a policy name, not a password)
    max_rounds: int = MAX_ROUNDS,
) -> T:
    """Send the request until it is no longer answered with a UIA challenge, and return its result.

    ``known_password`` answers the first password ask without prompting (a form that already has the
    current password). When a password is refused, ``on_wrong_password="ask"`` asks the prompter again
    with the error, and ``"raise"`` raises the server's error (``Forbidden``) so the form can show it on
    its own field. Non-UIA errors propagate unchanged; ``Cancelled`` from the prompter stops without
    another send. Raises ``UiaSessionExpired``, ``UiaNoUsableFlow``, or ``UiaError`` after ``max_rounds``
    answers that did not finish it (polling a fallback page does not count: the user ends that).

    A session the server no longer knows (Synapse forgets one after 48 hours, and answers a request that
    carries it with 400 ``M_UNKNOWN`` "Unknown session ID") is replaced once by a fresh one, answered with
    the password just sent, if any: a person who took long over a prompt is not asked twice, nor shown a
    server error. A second forgotten session raises ``UiaSessionExpired``.
    """
    options = _Options(
        user_id=user_id,
        homeserver_url=homeserver_url.rstrip("/"),
        client_prefix=client_prefix,
        poll_interval=poll_interval,
        raise_wrong_password=on_wrong_password == "raise",  # noqa: S105 (a policy name)
        max_rounds=max_rounds,
    )
    run = _Run(prompter, options, known_password, _initial_state(first_auth))
    try:
        return await run.loop(send, first_auth)
    finally:
        run.close_waiter()


def _initial_state(first_auth: Mapping[str, Any] | None) -> UiaState:
    # A request resuming a session must notice when the server no longer knows it.
    session = first_auth.get("session") if first_auth is not None else None
    return UiaState.resuming(session) if isinstance(session, str) else UiaState()


@dataclass(frozen=True)
class _Options:
    user_id: str
    homeserver_url: str
    client_prefix: str
    poll_interval: float
    raise_wrong_password: bool
    max_rounds: int


@dataclass
class _OpenPage:
    stage: str
    waiter: FallbackWaiter


@dataclass
class _Run:
    """The mutable part of one exchange: machine state, rounds used, the open fallback page."""

    prompter: Prompter
    options: _Options
    known_password: str | None = field(repr=False)
    state: UiaState
    rounds: int = 0
    page: _OpenPage | None = None
    restarted: bool = False  # a forgotten session was replaced once already

    async def loop(self, send: Send[T], auth: Mapping[str, Any] | None) -> T:
        while True:
            try:
                return await send(auth)
            except UiaRequired as required:
                self.state, step = next_step(
                    self.state, required.challenge, client_prefix=self.options.client_prefix
                )
            except Unknown as exc:
                if not _forgotten_session(exc, auth):
                    raise
                self._start_afresh(auth)
                auth = None
                continue
            auth = await self.answer(step)

    def _start_afresh(self, forgotten: Mapping[str, Any] | None) -> None:
        """The server forgot the session ``forgotten`` carried: the next send starts a new one."""
        if self.restarted:
            raise UiaSessionExpired
        self.restarted = True
        self.close_waiter()
        self.state = UiaState()
        sent = forgotten.get("password") if forgotten is not None else None
        if isinstance(sent, str) and forgotten is not None and forgotten.get("type") == M_LOGIN_PASSWORD:
            # Typed a moment ago for this very request: it answers the new session's password stage too.
            self.known_password = sent

    async def answer(self, step: Step) -> Mapping[str, Any]:
        if isinstance(step, OpenFallback) and step.waiting and self._page_open_for(step.stage):
            return await self._poll(step.session)
        self.close_waiter()
        self._count_round()
        if isinstance(step, Submit):
            return step.auth
        if isinstance(step, AskStage):
            return await self._ask(step)
        if isinstance(step, OpenFallback):
            return await self._open_fallback(step)
        raise _terminal_error(step)

    def close_waiter(self) -> None:
        page, self.page = self.page, None
        if page is not None:
            page.waiter.close()

    def _count_round(self) -> None:
        self.rounds += 1
        if self.rounds > self.options.max_rounds:
            raise UiaError(f"authentication did not finish after {self.options.max_rounds} rounds")

    def _page_open_for(self, stage: str) -> bool:
        return self.page is not None and self.page.stage == stage

    async def _poll(self, session: str) -> Mapping[str, Any]:
        assert self.page is not None
        await self.page.waiter.wait(self.options.poll_interval)
        return session_only_auth(session)

    async def _open_fallback(self, step: OpenFallback) -> Mapping[str, Any]:
        url = self.options.homeserver_url + step.url_path
        ask = FallbackAsk(stage=step.stage, url=url, session=step.session, params=step.params)
        self.page = _OpenPage(step.stage, await self.prompter.open_fallback(ask))
        return await self._poll(step.session)

    async def _ask(self, step: AskStage) -> Mapping[str, Any]:
        if step.stage == M_LOGIN_PASSWORD:
            return password_auth(step.session, self.options.user_id, await self._password(step))
        ask = ThreePidAsk(
            stage=step.stage, session=step.session, params=step.params, error=step.error, retry=step.retry
        )
        if step.stage == M_LOGIN_EMAIL_IDENTITY:
            return email_identity_auth(step.session, await self.prompter.email_identity(ask))
        return msisdn_auth(step.session, await self.prompter.msisdn(ask))

    async def _password(self, step: AskStage) -> str:
        if step.error is not None and self.options.raise_wrong_password:
            body = {"errcode": step.error.errcode, "error": step.error.message}
            raise error_from_body(401, body)
        # The form's password answers only the first ask: a refused one must not be sent again.
        known, self.known_password = self.known_password, None
        if known is not None and step.error is None:
            return known
        ask = PasswordAsk(
            user_id=self.options.user_id, session=step.session, error=step.error, retry=step.retry
        )
        return await self.prompter.password(ask)


def _forgotten_session(error: Unknown, auth: Mapping[str, Any] | None) -> bool:
    # Synapse's answer to a session it does not know: 400 M_UNKNOWN "Unknown session ID: ...".
    return error.status == 400 and auth is not None and isinstance(auth.get("session"), str)


def _terminal_error(step: Expired | NoUsableFlow) -> UiaError:
    if isinstance(step, Expired):
        return UiaSessionExpired()
    return UiaNoUsableFlow(step.flows)
