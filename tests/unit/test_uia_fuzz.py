"""The UIA machine, its stage builders and the driver under arbitrary server answers.

Nothing but the app's own errors escapes, every step is of the documented kind and shape, and what the driver
sends back can be encoded as the HTTP client will encode it. Strings include lone surrogates: ``json.loads``
makes them from ``\\ud800``-style escapes, so a server can send them.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mxsettings.api.client import MatrixHttp, RateLimitPolicy
from mxsettings.api.models import ThreePidCredentials, UiaChallenge
from mxsettings.auth.stages import (
    M_LOGIN_DUMMY,
    M_LOGIN_EMAIL_IDENTITY,
    M_LOGIN_MSISDN,
    M_LOGIN_PASSWORD,
    M_LOGIN_RECAPTCHA,
    M_LOGIN_REGISTRATION_TOKEN,
    M_LOGIN_SSO,
    M_LOGIN_TERMS,
    M_OAUTH,
    NATIVE_STAGES,
    dummy_auth,
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
from mxsettings.errors import Cancelled, MalformedResponse, MxError, UiaRequired
from mxsettings.services.uia_driver import FallbackAsk, PasswordAsk, ThreePidAsk, run_uia

HS = "https://hs.example"
USER = "@alice:hs.example"
R0 = "/_matrix/client/r0"

# --- Strategies --------------------------------------------------------------------------------------------

CHARS = st.characters() | st.characters(categories=["Cs"])
TEXT = st.text(CHARS, max_size=12)
# What json.loads can return: NaN and infinities included, integers of any size.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=20,
)

STAGES = (
    st.sampled_from(
        sorted(
            NATIVE_STAGES
            | {M_LOGIN_RECAPTCHA, M_LOGIN_SSO, M_LOGIN_TERMS, M_LOGIN_REGISTRATION_TOKEN, M_OAUTH}
        )
    )
    | TEXT
)
# Few distinct sessions, so a sequence of answers often keeps its session (and sometimes loses it).
SESSIONS = st.sampled_from(["ses", "other", "a b/c&d=e?#", "\ud800"]) | TEXT
ERRCODES = st.sampled_from(["M_FORBIDDEN", "M_UNAUTHORIZED", "M_UNKNOWN", "M_THREEPID_AUTH_FAILED"]) | TEXT
PARAMS = st.dictionaries(STAGES, st.dictionaries(TEXT, json_values, max_size=3), max_size=3)
UIA_KEYS = ["flows", "session", "completed", "params", "errcode", "error"]


@st.composite
def uia_bodies(draw: st.DrawFn, session: str | None = None, mistyped: bool = False) -> dict[str, Any]:
    """A 401 body shaped like the spec's AuthenticationResponse, with random flows, stages and values.

    ``completed`` is often the start of an offered flow, as it is mid-exchange. ``session`` is used most of
    the time when given. ``mistyped`` replaces some values (and some flows) by any JSON and drops some keys.
    """
    flows = draw(st.lists(st.lists(STAGES, max_size=4), max_size=5))
    if flows and draw(st.booleans()):
        flow = draw(st.sampled_from(flows))
        completed = flow[: draw(st.integers(min_value=0, max_value=len(flow)))]
    else:
        completed = draw(st.lists(STAGES, max_size=3))
    body: dict[str, Any] = {"flows": [{"stages": f} for f in flows]}
    chosen = session if session is not None and draw(st.integers(0, 4)) else draw(st.none() | SESSIONS)
    optional = {
        "session": chosen,
        "completed": completed,
        "params": draw(PARAMS),
        "errcode": draw(st.none() | ERRCODES),
        "error": draw(st.none() | TEXT),
    }
    body.update({k: v for k, v in optional.items() if v is not None or draw(st.booleans())})
    if mistyped:
        for i in range(len(body["flows"])):
            if draw(st.integers(0, 3)) == 0:
                body["flows"][i] = draw(json_values)
        for key in draw(st.lists(st.sampled_from(UIA_KEYS), max_size=3)):
            body[key] = draw(json_values)
        for key in draw(st.lists(st.sampled_from(UIA_KEYS), max_size=2)):
            body.pop(key, None)
    return body


def answers_in(session: str | None) -> st.SearchStrategy[Any]:
    """Mostly well-formed challenges (they reach the machine), then near misses, then anything at all."""
    return st.one_of(
        uia_bodies(session), uia_bodies(session), uia_bodies(session, mistyped=True), json_values
    )


any_json = answers_in(None)
# One exchange: the answers mostly share a session.
exchanges = (st.none() | SESSIONS).flatmap(lambda s: st.lists(answers_in(s), min_size=1, max_size=8))

STAGE_TUPLES = st.lists(STAGES, max_size=4).map(tuple)
states = st.just(UiaState()) | st.builds(
    UiaState,
    started=st.booleans(),
    session=st.none() | SESSIONS,
    flow=st.none() | STAGE_TUPLES,
    stage=st.none() | STAGES,
    completed=STAGE_TUPLES,
    retry=st.integers(min_value=0, max_value=1000),
)
PREFIXES = st.sampled_from([DEFAULT_CLIENT_PREFIX, R0, R0 + "/"])


def as_bytes(values: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    """JSON text as a server sends it: a lone surrogate travels as an escape, NaN as a bare word."""
    return values.map(lambda v: json.dumps(v).encode())


def _parse(data: object) -> UiaChallenge | None:
    try:
        return UiaChallenge.parse(data)
    except MalformedResponse:
        return None


# --- What a step must look like ----------------------------------------------------------------------------

_URL_SAFE = r"[A-Za-z0-9._~%-]"
_FALLBACK = re.compile(rf"/auth/({_URL_SAFE}*)/fallback/web\?session=({_URL_SAFE}*)")


def _finishable(flow: tuple[str, ...], completed: tuple[str, ...], has_session: bool) -> bool:
    # The spec's rule, restated: completed is the flow's beginning, something is left, nothing left is done,
    # and stages the app cannot do itself need a session (for the fallback page).
    rest = flow[len(completed) :]
    return (
        flow[: len(completed)] == completed
        and bool(rest)
        and not set(rest) & set(completed)
        and (has_session or set(rest) <= NATIVE_STAGES)
    )


def _check_step(
    state: UiaState, ch: UiaChallenge, new_state: UiaState, step: Step, prefix: str = DEFAULT_CLIENT_PREFIX
) -> None:
    assert isinstance(new_state, UiaState)
    assert isinstance(step, Submit | AskStage | OpenFallback | Expired | NoUsableFlow)
    forgotten = state.started and state.session is not None and ch.session != state.session
    assert isinstance(step, Expired) == forgotten
    if isinstance(step, Expired):
        assert new_state == state
        assert step.expected_session == state.session
        assert step.got_session == ch.session
        return
    assert new_state.started
    assert new_state.session == ch.session
    assert new_state.completed == ch.completed
    assert isinstance(new_state.retry, int)
    assert new_state.retry >= 0
    finishable = [f for f in ch.flows if _finishable(f, ch.completed, ch.session is not None)]
    if isinstance(step, NoUsableFlow):
        assert not finishable
        assert step.flows == ch.flows
        assert step.completed == ch.completed
        assert new_state.flow is None
        return
    assert new_state.flow in finishable
    assert new_state.stage == step.stage
    assert isinstance(step.stage, str)
    assert step.stage not in ch.completed
    assert step.stage in {f[len(ch.completed)] for f in finishable}
    assert step.session == ch.session
    if isinstance(step, Submit):
        assert step.stage == M_LOGIN_DUMMY
        assert isinstance(step.auth, Mapping)
        assert step.auth["type"] == M_LOGIN_DUMMY
        assert step.auth.get("session") == ch.session
        assert ("session" in step.auth) == (ch.session is not None)
        return
    assert isinstance(step.params, Mapping)
    assert isinstance(step.retry, int)
    assert step.retry >= 0
    if isinstance(step, AskStage):
        assert step.stage in NATIVE_STAGES - {M_LOGIN_DUMMY}
        assert step.error is None or (
            isinstance(step.error, StageError)
            and isinstance(step.error.errcode, str)
            and isinstance(step.error.message, str)
        )
        return
    assert step.stage not in NATIVE_STAGES
    assert isinstance(step.session, str)
    # A path the caller can put behind the base URL as it is: the prefix, then only URL-safe characters that
    # quote the stage and the session exactly.
    assert isinstance(step.url_path, str)
    assert step.url_path.startswith(prefix.rstrip("/") + "/auth/")
    match = _FALLBACK.fullmatch(step.url_path[len(prefix.rstrip("/")) :])
    assert match is not None, step.url_path
    assert unquote(match.group(1), errors="surrogatepass") == step.stage
    assert unquote(match.group(2), errors="surrogatepass") == step.session


# --- The machine -------------------------------------------------------------------------------------------


@given(data=any_json, state=states, prefix=PREFIXES)
def test_any_challenge_gives_a_documented_step(data: object, state: UiaState, prefix: str) -> None:
    ch = _parse(data)
    if ch is None:
        return
    new_state, step = next_step(state, ch, client_prefix=prefix)
    _check_step(state, ch, new_state, step, prefix)


@given(bodies=exchanges, resume=st.none() | SESSIONS)
def test_any_sequence_of_challenges_gives_documented_steps(bodies: list[object], resume: str | None) -> None:
    state = UiaState() if resume is None else UiaState.resuming(resume)
    previous: Step | None = None
    for data in bodies:
        ch = _parse(data)
        if ch is None:
            continue
        new_state, step = next_step(state, ch)
        _check_step(state, ch, new_state, step)
        if isinstance(step, Submit | AskStage | OpenFallback):
            # Asked again with nothing completed in between counts up; anything else starts at zero.
            again = isinstance(previous, Submit | AskStage | OpenFallback) and (
                previous.stage == step.stage and state.completed == ch.completed
            )
            assert new_state.retry == (state.retry + 1 if again else 0)
        if isinstance(step, Expired):
            return  # the driver ends the exchange here
        state, previous = new_state, step


@given(content=st.binary(max_size=300) | as_bytes(any_json))
def test_any_401_bytes_reach_the_machine_as_app_errors_only(content: bytes) -> None:
    http = MatrixHttp(HS)
    try:
        http._decode(httpx.Response(401, content=content, headers={"content-type": "application/json"}))
    except UiaRequired as required:
        ch = required.challenge
    except MxError:
        return
    else:
        raise AssertionError("a 401 decoded as a success")
    # Everything the server said can be sent back: no lone surrogate got through the decoding.
    said = [*(s for f in ch.flows for s in f), *ch.completed, *ch.params, ch.session, ch.errcode, ch.error]
    for text in said:
        (text or "").encode("utf-8")
    new_state, step = next_step(UiaState(), ch)
    _check_step(UiaState(), ch, new_state, step)


# --- Stage builders ----------------------------------------------------------------------------------------


@given(session=st.none() | SESSIONS, user=TEXT, password=TEXT, sid=TEXT, secret=TEXT)
def test_stage_builders_take_any_session(
    session: str | None, user: str, password: str, sid: str, secret: str
) -> None:
    creds = ThreePidCredentials(sid=sid, client_secret=secret)
    built = {
        M_LOGIN_PASSWORD: password_auth(session, user, password),
        M_LOGIN_EMAIL_IDENTITY: email_identity_auth(session, creds),
        M_LOGIN_MSISDN: msisdn_auth(session, creds),
        M_LOGIN_DUMMY: dummy_auth(session),
    }
    for stage, auth in built.items():
        assert isinstance(auth, dict)
        assert auth["type"] == stage
        assert auth.get("session") == session
        assert ("session" in auth) == (session is not None)
    if session is not None:
        assert session_only_auth(session) == {"session": session}


# --- The driver, over the real client, against any sequence of answers ----------------------------------


@dataclass
class AnyPrompter:
    """Answers every ask at once; ``cancel`` makes the n-th ask a cancellation."""

    cancel: int | None = None
    asks: int = 0

    def _count(self) -> None:
        self.asks += 1
        if self.asks == self.cancel:
            raise Cancelled

    async def password(self, ask: PasswordAsk) -> str:
        self._count()
        return "pw"

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials:
        self._count()
        return ThreePidCredentials(sid="sid", client_secret="cs")

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials:
        self._count()
        return ThreePidCredentials(sid="sid", client_secret="cs")

    async def open_fallback(self, ask: FallbackAsk) -> AnyPrompter:
        self._count()
        assert ask.url.startswith(HS + DEFAULT_CLIENT_PREFIX + "/auth/")
        return self

    async def wait(self, seconds: float) -> None:
        return None

    def close(self) -> None:
        return None


Answer = tuple[int, bytes, dict[str, bytes]]
LATIN1 = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=30
)
HEADERS = st.dictionaries(
    st.sampled_from(["Retry-After", "Content-Type"]),
    (st.sampled_from(["0", "1", "3", "120", "²", "Mon, 01 Jan 99999999999 00:00:00 GMT"]) | LATIN1).map(
        lambda v: v.encode("latin-1")
    ),
    max_size=2,
)


def answers(session: str | None) -> st.SearchStrategy[Answer]:
    """Mostly UIA challenges, then any status with any bytes, then plain JSON for a success or an error."""
    return st.one_of(
        st.tuples(st.just(401), as_bytes(answers_in(session)), HEADERS),
        st.tuples(st.just(401), as_bytes(answers_in(session)), HEADERS),
        st.tuples(st.just(401), as_bytes(answers_in(session)), HEADERS),
        st.tuples(st.integers(min_value=100, max_value=599), st.binary(max_size=100), HEADERS),
        st.tuples(st.sampled_from([200, 400, 403, 429]), as_bytes(json_values), HEADERS),
    )


scripts = (st.none() | SESSIONS).flatmap(lambda s: st.lists(answers(s), max_size=8))


@dataclass
class ScriptedServer:
    """Serves the answers in order, then a plain success; records what the client sent."""

    script: list[Answer]
    bodies: list[Any] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content) if request.content else None)
        if len(self.bodies) > len(self.script):
            return httpx.Response(200, json={"done": True})
        status, content, headers = self.script[len(self.bodies) - 1]
        return httpx.Response(status, content=content, headers=headers)


@given(
    script=scripts,
    # A resumed session came from an earlier answer: never a lone surrogate (the client refuses those).
    first_session=st.none() | st.sampled_from(["ses", "other"]) | st.text(max_size=12),
    cancel=st.none() | st.integers(min_value=1, max_value=4),
)
def test_the_driver_under_any_answers_returns_the_result_or_raises_app_errors(
    script: list[Answer], first_session: str | None, cancel: int | None
) -> None:
    server = ScriptedServer(script)
    sleeps: list[float] = []
    first_auth = None if first_session is None else {"session": first_session}

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def exchange() -> object:
        http = MatrixHttp(HS, transport=httpx.MockTransport(server), sleep=sleep)

        async def send(auth: Mapping[str, Any] | None) -> object:
            body = {"erase": False} if auth is None else {"erase": False, "auth": dict(auth)}
            return await http.request("POST", DEFAULT_CLIENT_PREFIX + "/account/deactivate", body=body)

        try:
            return await run_uia(
                send, AnyPrompter(cancel), user_id=USER, homeserver_url=HS, first_auth=first_auth
            )
        finally:
            await http.aclose()

    try:
        result = asyncio.run(exchange())
    except MxError:
        return
    finally:
        # The client waits by itself only for short, sane rate-limit hints.
        assert all(0 <= s <= RateLimitPolicy().max_auto_wait for s in sleeps), sleeps
    # It ends at the first success and returns that body (compared as JSON text: NaN is not equal to itself).
    served = [*script, (200, b'{"done": true}', {})]
    status, content, _ = served[len(server.bodies) - 1]
    assert 200 <= status < 300
    assert json.dumps(result) == json.dumps(json.loads(content))
    assert all(not 200 <= s < 300 for s, _, _ in served[: len(server.bodies) - 1])


# --- Regressions found by the fuzzing above ----------------------------------------------------------------


def test_a_stage_or_session_with_a_lone_surrogate_gets_a_fallback_path() -> None:
    ch = UiaChallenge(flows=(("org.example.\ud800",),), session="s\udfff")
    _, step = next_step(UiaState(), ch)
    assert isinstance(step, OpenFallback)
    assert (
        step.url_path == DEFAULT_CLIENT_PREFIX + "/auth/org.example.%ED%A0%80/fallback/web?session=s%ED%BF%BF"
    )


def test_a_401_with_a_lone_surrogate_is_malformed_not_a_challenge_to_echo() -> None:
    content = b'{"flows": [{"stages": ["m.login.password"]}], "session": "\\ud800"}'
    with pytest.raises(MalformedResponse):
        MatrixHttp(HS)._decode(httpx.Response(401, content=content))
