"""The user-interactive authentication (UIA) state machine: pure, no I/O.

Feed it each 401 challenge with ``next_step(state, challenge)``; it returns the new state and one step that
says what to do next. The driver (``mxsettings.services.uia_driver``) performs the step and resends; success
and ordinary errors end the exchange there, so they never reach this module.

Flow choice follows the rule Nheko uses: keep only flows whose first stages are exactly ``completed``,
prefer flows the app can finish natively, then the shortest, and keep the chosen flow while it stays
possible so the user is not bounced between flows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple, TypeAlias
from urllib.parse import quote

from mxsettings.api.models import UiaChallenge
from mxsettings.auth.stages import M_LOGIN_DUMMY, NATIVE_STAGES, dummy_auth

DEFAULT_CLIENT_PREFIX = "/_matrix/client/v3"

Flow: TypeAlias = tuple[str, ...]

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class StageError(NamedTuple):
    """The ``errcode`` / ``error`` a challenge carried after a failed attempt at a stage."""

    errcode: str
    message: str


# --- Steps -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submit:
    """Resend with this ``auth`` without asking the user (``m.login.dummy``)."""

    stage: str
    session: str | None
    auth: Mapping[str, Any]


@dataclass(frozen=True)
class AskStage:
    """Ask the user for a native stage (password, email, msisdn) and resend with its auth dict.

    ``retry`` counts how many times in a row this stage was already asked in this session: for a password
    it means the last one was refused (``error`` says why); for email and msisdn it means the address is
    still waiting for the user to follow the link or type the code.
    """

    stage: str
    session: str | None
    params: Mapping[str, Any] = field(default_factory=lambda: _NO_PARAMS)
    error: StageError | None = None
    retry: int = 0

    @property
    def waiting(self) -> bool:
        return self.retry > 0


@dataclass(frozen=True)
class OpenFallback:
    """Let the user finish ``stage`` on the server's fallback web page, then poll with the session only.

    ``url_path`` starts with the client prefix; the caller puts the homeserver base URL in front.
    ``waiting`` is true when the page was already opened for this stage and the server still lists it as
    not completed: keep polling, do not open the page again.
    """

    stage: str
    url_path: str
    session: str
    params: Mapping[str, Any] = field(default_factory=lambda: _NO_PARAMS)
    retry: int = 0

    @property
    def waiting(self) -> bool:
        return self.retry > 0


@dataclass(frozen=True)
class Expired:
    """The server answered with a different session: it forgot ours, and the exchange must restart."""

    expected_session: str
    got_session: str | None


@dataclass(frozen=True)
class NoUsableFlow:
    """No offered flow can still be finished from what is already ``completed``."""

    flows: tuple[Flow, ...]
    completed: Flow


Step: TypeAlias = Submit | AskStage | OpenFallback | Expired | NoUsableFlow


# --- State -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UiaState:
    """What the machine remembers between the challenges of one exchange.

    ``stage``, ``completed`` and ``retry`` describe the last step returned, so the next challenge tells
    whether that stage went through (``completed`` grew) or must be asked again.
    """

    started: bool = False
    session: str | None = None
    flow: Flow | None = None
    stage: str | None = None
    completed: Flow = ()
    retry: int = 0

    @classmethod
    def resuming(cls, session: str) -> UiaState:
        """A state for a request that already carries ``session`` (a resumed exchange)."""
        return cls(started=True, session=session)


# --- Flow choice -------------------------------------------------------------------------------------------


def remaining_stages(flow: Flow, completed: Flow) -> Flow | None:
    """The stages still to do in ``flow``, or None when the flow cannot be finished any more.

    A flow is finishable when ``completed`` is exactly its beginning, something is left to do, and nothing
    left is already completed (the spec says completed stages cannot be retried).
    """
    if flow[: len(completed)] != completed:
        return None
    rest = flow[len(completed) :]
    if not rest or any(stage in completed for stage in rest):
        return None
    return rest


def _usable(rest: Flow, has_session: bool) -> bool:
    # The fallback page and the session-only poll both need a session; without one only native stages work.
    return has_session or all(stage in NATIVE_STAGES for stage in rest)


def _preference(rest: Flow) -> tuple[int, int]:
    non_native = sum(1 for stage in rest if stage not in NATIVE_STAGES)
    return (non_native, len(rest))


def choose_flow(challenge: UiaChallenge, previous: Flow | None = None) -> Flow | None:
    """The flow to follow: ``previous`` while still possible, else the most native, then shortest one.

    Ties go to the flow the server listed first.
    """
    candidates = [
        flow
        for flow in challenge.flows
        if (rest := remaining_stages(flow, challenge.completed)) is not None
        and _usable(rest, challenge.session is not None)
    ]
    if previous is not None and previous in candidates:
        return previous
    if not candidates:
        return None
    return min(candidates, key=lambda flow: _preference(flow[len(challenge.completed) :]))


def fallback_path(stage: str, session: str, client_prefix: str = DEFAULT_CLIENT_PREFIX) -> str:
    """``{prefix}/auth/{stage}/fallback/web?session={session}``, both values quoted as opaque strings."""
    prefix = client_prefix.rstrip("/")
    # surrogatepass: a lone surrogate (from a stage name the server wrote as an escape) is still quoted.
    stage_q, session_q = (quote(v, safe="", errors="surrogatepass") for v in (stage, session))
    return f"{prefix}/auth/{stage_q}/fallback/web?session={session_q}"


# --- The machine -------------------------------------------------------------------------------------------


def next_step(
    state: UiaState, challenge: UiaChallenge, *, client_prefix: str = DEFAULT_CLIENT_PREFIX
) -> tuple[UiaState, Step]:
    """Read one challenge; return the state to keep and the step to perform. Never raises."""
    if state.started and state.session is not None and challenge.session != state.session:
        return state, Expired(expected_session=state.session, got_session=challenge.session)
    flow = choose_flow(challenge, state.flow)
    if flow is None:
        stuck = UiaState(started=True, session=challenge.session, completed=challenge.completed)
        return stuck, NoUsableFlow(flows=challenge.flows, completed=challenge.completed)
    stage = flow[len(challenge.completed)]
    # Asked again with no progress in between: the attempt failed, or an out-of-band stage is still pending.
    again = stage == state.stage and challenge.completed == state.completed
    retry = state.retry + 1 if again else 0
    new_state = UiaState(
        started=True,
        session=challenge.session,
        flow=flow,
        stage=stage,
        completed=challenge.completed,
        retry=retry,
    )
    # An errcode belongs to the stage the app just tried; shown on the next stage it would mislead. The first
    # request may carry the caller's own auth dict (a resumed exchange), so its error is kept too.
    error = _error_of(challenge) if again or state.stage is None else None
    return new_state, _step_for(stage, retry, error, challenge, client_prefix)


def _step_for(
    stage: str, retry: int, error: StageError | None, challenge: UiaChallenge, client_prefix: str
) -> Step:
    session = challenge.session
    params = challenge.params.get(stage, _NO_PARAMS)
    if stage == M_LOGIN_DUMMY:
        return Submit(stage=stage, session=session, auth=MappingProxyType(dummy_auth(session)))
    if stage in NATIVE_STAGES:
        return AskStage(stage=stage, session=session, params=params, error=error, retry=retry)
    # choose_flow only keeps non-native stages when the challenge has a session.
    assert session is not None
    path = fallback_path(stage, session, client_prefix)
    return OpenFallback(stage=stage, url_path=path, session=session, params=params, retry=retry)


def _error_of(challenge: UiaChallenge) -> StageError | None:
    if challenge.errcode is None:
        return None
    return StageError(challenge.errcode, challenge.error or "")
