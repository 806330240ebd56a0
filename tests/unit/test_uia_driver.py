"""The UIA driver against a scripted fake server and a scripted prompter: what is sent, asked and raised."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from mxsettings.api.models import ThreePidCredentials, UiaChallenge
from mxsettings.auth.stages import (
    M_LOGIN_DUMMY,
    M_LOGIN_EMAIL_IDENTITY,
    M_LOGIN_MSISDN,
    M_LOGIN_PASSWORD,
    M_LOGIN_SSO,
)
from mxsettings.auth.uia import StageError
from mxsettings.errors import (
    Cancelled,
    Forbidden,
    InvalidParam,
    MatrixError,
    UiaError,
    UiaNoUsableFlow,
    UiaRequired,
    UiaSessionExpired,
    error_from_body,
)
from mxsettings.services.uia_driver import (
    FallbackAsk,
    PasswordAsk,
    ThreePidAsk,
    run_uia,
)
from tests.fresh_python import run_fresh

USER = "@alice:example.org"
HS = "https://matrix.example.org"
SES = "sess1"
CREDS = ThreePidCredentials(sid="sid1", client_secret="secret1")


# --- A scripted server -------------------------------------------------------------------------------------


def challenge(
    *flows: Sequence[str],
    session: str = SES,
    completed: Sequence[str] = (),
    errcode: str | None = None,
    error: str = "",
) -> UiaRequired:
    data: dict[str, Any] = {"flows": [{"stages": list(f)} for f in flows], "session": session, "params": {}}
    if completed:
        data["completed"] = list(completed)
    if errcode is not None:
        data["errcode"] = errcode
        data["error"] = error
    return UiaRequired(UiaChallenge.parse(data))


def http_error(status: int, errcode: str) -> MatrixError:
    return error_from_body(status, {"errcode": errcode, "error": "nope"})


Answer = str | Exception
V = TypeVar("V")


@dataclass
class FakeServer:
    """The ``send`` callable: records each auth dict and answers from a script (a value or an exception)."""

    script: list[Answer]
    sent: list[Mapping[str, Any] | None] = field(default_factory=list)

    async def __call__(self, auth: Mapping[str, Any] | None) -> str:
        self.sent.append(None if auth is None else dict(auth))
        if not self.script:
            raise AssertionError("the driver sent more requests than the script has answers")
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


# --- A scripted prompter -----------------------------------------------------------------------------------


@dataclass
class FakeWaiter:
    """A fallback page the user never needs long for: ``wait`` returns at once unless told to cancel."""

    cancel_on_wait: int | None = None
    waits: list[float] = field(default_factory=list)
    closed: int = 0

    async def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.cancel_on_wait is not None and len(self.waits) >= self.cancel_on_wait:
            raise Cancelled

    def close(self) -> None:
        self.closed += 1


@dataclass
class FakePrompter:
    """Answers each kind of ask from its own list; an exception in the list is raised instead."""

    passwords: list[str | Exception] = field(default_factory=list)
    threepids: list[ThreePidCredentials | Exception] = field(default_factory=list)
    waiter: FakeWaiter = field(default_factory=FakeWaiter)
    asks: list[PasswordAsk | ThreePidAsk | FallbackAsk] = field(default_factory=list)

    async def password(self, ask: PasswordAsk) -> str:
        self.asks.append(ask)
        return _take(self.passwords)

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials:
        self.asks.append(ask)
        return _take(self.threepids)

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials:
        self.asks.append(ask)
        return _take(self.threepids)

    async def open_fallback(self, ask: FallbackAsk) -> FakeWaiter:
        self.asks.append(ask)
        return self.waiter


def _take(answers: list[V | Exception]) -> V:
    if not answers:
        raise AssertionError("the driver asked more than the script answers")
    answer = answers.pop(0)
    if isinstance(answer, Exception):
        raise answer
    return answer


async def drive(server: FakeServer, prompter: FakePrompter, **kwargs: Any) -> str:
    kwargs.setdefault("poll_interval", 0)
    return await run_uia(server, prompter, user_id=USER, homeserver_url=HS + "/", **kwargs)


def password_dict(password: str, session: str = SES) -> dict[str, Any]:
    return {
        "type": M_LOGIN_PASSWORD,
        "identifier": {"type": "m.id.user", "user": USER},
        "password": password,
        "session": session,
    }


# --- Tests -------------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_success_without_a_challenge_returns_the_value() -> None:
    server = FakeServer(["done"])
    assert await drive(server, FakePrompter()) == "done"
    assert server.sent == [None]


@pytest.mark.asyncio
async def test_the_first_send_carries_first_auth() -> None:
    server = FakeServer(["done"])
    await drive(server, FakePrompter(), first_auth={"type": M_LOGIN_DUMMY})
    assert server.sent == [{"type": M_LOGIN_DUMMY}]


@pytest.mark.asyncio
async def test_password_asked_once() -> None:
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), "ok"])
    prompter = FakePrompter(passwords=["pw"])
    assert await drive(server, prompter) == "ok"
    assert server.sent == [None, password_dict("pw")]
    assert prompter.asks == [PasswordAsk(user_id=USER, session=SES)]


@pytest.mark.asyncio
async def test_wrong_then_right_password_in_the_same_session() -> None:
    wrong = challenge([M_LOGIN_PASSWORD], errcode="M_FORBIDDEN", error="Invalid password")
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), wrong, "ok"])
    prompter = FakePrompter(passwords=["bad", "good"])
    assert await drive(server, prompter) == "ok"
    assert server.sent == [None, password_dict("bad"), password_dict("good")]
    assert prompter.asks[1] == PasswordAsk(
        user_id=USER, session=SES, error=StageError("M_FORBIDDEN", "Invalid password"), retry=1
    )


@pytest.mark.asyncio
async def test_known_password_answers_the_first_ask_without_prompting() -> None:
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), "ok"])
    prompter = FakePrompter()
    assert await drive(server, prompter, known_password="typed") == "ok"
    assert server.sent == [None, password_dict("typed")]
    assert prompter.asks == []


@pytest.mark.asyncio
async def test_a_refused_known_password_asks_the_prompter_with_the_error() -> None:
    wrong = challenge([M_LOGIN_PASSWORD], errcode="M_FORBIDDEN", error="Invalid password")
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), wrong, "ok"])
    prompter = FakePrompter(passwords=["right"])
    assert await drive(server, prompter, known_password="typed") == "ok"
    assert server.sent[1:] == [password_dict("typed"), password_dict("right")]
    assert [a.error for a in prompter.asks if isinstance(a, PasswordAsk)] == [
        StageError("M_FORBIDDEN", "Invalid password")
    ]


@pytest.mark.asyncio
async def test_wrong_password_raises_forbidden_when_asked_to() -> None:
    wrong = challenge([M_LOGIN_PASSWORD], errcode="M_FORBIDDEN", error="Invalid password")
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), wrong])
    prompter = FakePrompter()
    with pytest.raises(Forbidden) as caught:
        await drive(server, prompter, known_password="typed", on_wrong_password="raise")
    assert caught.value.server_message == "Invalid password"
    assert caught.value.status == 401
    assert len(server.sent) == 2
    assert prompter.asks == []


@pytest.mark.asyncio
async def test_dummy_is_answered_without_prompting() -> None:
    server = FakeServer([challenge([M_LOGIN_DUMMY]), "ok"])
    prompter = FakePrompter()
    assert await drive(server, prompter) == "ok"
    assert server.sent == [None, {"type": M_LOGIN_DUMMY, "session": SES}]
    assert prompter.asks == []


@pytest.mark.asyncio
async def test_email_stage_sends_the_credentials() -> None:
    server = FakeServer([challenge([M_LOGIN_EMAIL_IDENTITY]), "ok"])
    prompter = FakePrompter(threepids=[CREDS])
    assert await drive(server, prompter) == "ok"
    assert server.sent[1] == {
        "type": M_LOGIN_EMAIL_IDENTITY,
        "threepid_creds": {"sid": "sid1", "client_secret": "secret1"},
        "session": SES,
    }


@pytest.mark.asyncio
async def test_msisdn_not_yet_validated_is_asked_again_as_waiting() -> None:
    pending = challenge([M_LOGIN_MSISDN], errcode="M_UNAUTHORIZED", error="not validated")
    server = FakeServer([challenge([M_LOGIN_MSISDN]), pending, "ok"])
    prompter = FakePrompter(threepids=[CREDS, CREDS])
    assert await drive(server, prompter) == "ok"
    asks = [a for a in prompter.asks if isinstance(a, ThreePidAsk)]
    assert [(a.stage, a.waiting) for a in asks] == [(M_LOGIN_MSISDN, False), (M_LOGIN_MSISDN, True)]
    assert server.sent[2] is not None
    assert server.sent[2]["type"] == M_LOGIN_MSISDN


@pytest.mark.asyncio
async def test_fallback_stage_completes_after_polls() -> None:
    polls = 3
    still_open = [challenge([M_LOGIN_SSO, M_LOGIN_DUMMY]) for _ in range(polls)]
    done = challenge([M_LOGIN_SSO, M_LOGIN_DUMMY], completed=[M_LOGIN_SSO])
    server = FakeServer([challenge([M_LOGIN_SSO, M_LOGIN_DUMMY]), *still_open, done, "ok"])
    prompter = FakePrompter()
    assert await drive(server, prompter) == "ok"
    url = f"{HS}/_matrix/client/v3/auth/m.login.sso/fallback/web?session={SES}"
    assert prompter.asks == [FallbackAsk(stage=M_LOGIN_SSO, url=url, session=SES, params={})]
    session_only = [a for a in server.sent if a == {"session": SES}]
    assert len(session_only) == polls + 1
    assert server.sent[-1] == {"type": M_LOGIN_DUMMY, "session": SES}
    assert prompter.waiter.waits == [0] * (polls + 1)
    assert prompter.waiter.closed == 1


@pytest.mark.asyncio
async def test_fallback_page_is_closed_when_the_request_succeeds() -> None:
    server = FakeServer([challenge([M_LOGIN_SSO]), challenge([M_LOGIN_SSO]), "ok"])
    prompter = FakePrompter()
    assert await drive(server, prompter, client_prefix="/_matrix/client/r0") == "ok"
    ask = prompter.asks[0]
    assert isinstance(ask, FallbackAsk)
    assert ask.url == f"{HS}/_matrix/client/r0/auth/m.login.sso/fallback/web?session={SES}"
    assert prompter.waiter.closed == 1


@pytest.mark.asyncio
async def test_fallback_page_is_closed_when_the_request_fails() -> None:
    server = FakeServer([challenge([M_LOGIN_SSO]), http_error(403, "M_FORBIDDEN")])
    prompter = FakePrompter()
    with pytest.raises(Forbidden):
        await drive(server, prompter)
    assert prompter.waiter.closed == 1


@pytest.mark.asyncio
async def test_cancel_during_fallback_wait_stops_sending() -> None:
    server = FakeServer([challenge([M_LOGIN_SSO]), challenge([M_LOGIN_SSO]), "never"])
    prompter = FakePrompter(waiter=FakeWaiter(cancel_on_wait=2))
    with pytest.raises(Cancelled):
        await drive(server, prompter)
    assert server.sent == [None, {"session": SES}]
    assert prompter.waiter.closed == 1


@pytest.mark.asyncio
async def test_cancel_from_password_prompt() -> None:
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), "never"])
    prompter = FakePrompter(passwords=[Cancelled()])
    with pytest.raises(Cancelled):
        await drive(server, prompter)
    assert server.sent == [None]


@pytest.mark.asyncio
async def test_expired_session() -> None:
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), challenge([M_LOGIN_PASSWORD], session="other")])
    with pytest.raises(UiaSessionExpired):
        await drive(server, FakePrompter(passwords=["pw"]))


@pytest.mark.asyncio
async def test_a_resumed_session_the_server_forgot_is_expired() -> None:
    server = FakeServer([challenge([M_LOGIN_PASSWORD], session="new")])
    with pytest.raises(UiaSessionExpired):
        await drive(server, FakePrompter(), first_auth={"session": "old"})


def unknown_session(session: str = SES) -> MatrixError:
    # Synapse's answer to a request carrying a session it no longer knows (expired after 48 hours).
    return error_from_body(400, {"errcode": "M_UNKNOWN", "error": f"Unknown session ID: {session}"})


@pytest.mark.asyncio
async def test_a_session_forgotten_while_the_password_was_typed_is_replaced_without_asking_again() -> None:
    server = FakeServer(
        [challenge([M_LOGIN_PASSWORD]), unknown_session(), challenge([M_LOGIN_PASSWORD], session="s2"), "ok"]
    )
    prompter = FakePrompter(passwords=["pw"])
    assert await drive(server, prompter) == "ok"
    assert server.sent == [None, password_dict("pw"), None, password_dict("pw", session="s2")]
    assert len(prompter.asks) == 1


@pytest.mark.asyncio
async def test_a_forgotten_resumed_session_starts_afresh_and_asks() -> None:
    server = FakeServer([unknown_session("old"), challenge([M_LOGIN_PASSWORD], session="s2"), "ok"])
    prompter = FakePrompter(passwords=["pw"])
    assert await drive(server, prompter, first_auth={"session": "old"}) == "ok"
    assert server.sent == [{"session": "old"}, None, password_dict("pw", session="s2")]
    assert len(prompter.asks) == 1


@pytest.mark.asyncio
async def test_a_session_forgotten_twice_is_said_to_have_expired() -> None:
    server = FakeServer(
        [
            challenge([M_LOGIN_PASSWORD]),
            unknown_session(),
            challenge([M_LOGIN_PASSWORD], session="s2"),
            unknown_session("s2"),
        ]
    )
    with pytest.raises(UiaSessionExpired):
        await drive(server, FakePrompter(passwords=["pw"]))
    assert len(server.sent) == 4


@pytest.mark.asyncio
async def test_a_400_m_unknown_without_a_session_is_the_servers_own_error() -> None:
    server = FakeServer([unknown_session()])
    with pytest.raises(MatrixError) as caught:
        await drive(server, FakePrompter())
    assert caught.value.status == 400
    assert server.sent == [None]


@pytest.mark.asyncio
async def test_no_usable_flow() -> None:
    server = FakeServer([challenge([M_LOGIN_PASSWORD], completed=[M_LOGIN_DUMMY])])
    with pytest.raises(UiaNoUsableFlow) as caught:
        await drive(server, FakePrompter())
    assert caught.value.flows == ((M_LOGIN_PASSWORD,),)


@pytest.mark.asyncio
async def test_a_normal_error_on_resend_is_raised_as_is() -> None:
    refused = http_error(400, "M_INVALID_PARAM")
    server = FakeServer([challenge([M_LOGIN_PASSWORD]), refused])
    with pytest.raises(InvalidParam) as caught:
        await drive(server, FakePrompter(passwords=["pw"]))
    assert caught.value is refused


@pytest.mark.asyncio
async def test_a_server_that_never_finishes_hits_the_round_cap() -> None:
    server = FakeServer([challenge([M_LOGIN_DUMMY]) for _ in range(10)])
    with pytest.raises(UiaError, match="5 rounds"):
        await drive(server, FakePrompter(), max_rounds=5)
    assert len(server.sent) == 6


def test_the_engine_and_driver_load_without_qt_or_httpx() -> None:
    code = (
        "import sys, mxsettings.auth.uia, mxsettings.services.uia_driver;"
        "print(sorted(m for m in ('PySide6', 'httpx', 'qasync') if m in sys.modules))"
    )
    assert run_fresh(code) == "[]"
