"""The pure UIA machine, fed spec-shaped 401 bodies: flow choice, stage steps, retries, expiry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mxsettings.api.models import ThreePidCredentials, UiaChallenge
from mxsettings.auth.stages import (
    M_LOGIN_DUMMY,
    M_LOGIN_EMAIL_IDENTITY,
    M_LOGIN_MSISDN,
    M_LOGIN_PASSWORD,
    M_LOGIN_RECAPTCHA,
    M_LOGIN_SSO,
    NATIVE_STAGES,
    dummy_auth,
    email_identity_auth,
    msisdn_auth,
    password_auth,
    session_only_auth,
)
from mxsettings.auth.uia import (
    AskStage,
    Expired,
    NoUsableFlow,
    OpenFallback,
    StageError,
    Step,
    Submit,
    UiaState,
    choose_flow,
    fallback_path,
    next_step,
    remaining_stages,
)

PASSWORD = M_LOGIN_PASSWORD
EMAIL = M_LOGIN_EMAIL_IDENTITY
DUMMY = M_LOGIN_DUMMY
RECAPTCHA = M_LOGIN_RECAPTCHA
SSO = M_LOGIN_SSO


def body(
    *flows: Sequence[str],
    session: str | None = "ses",
    completed: Sequence[str] = (),
    params: dict[str, Any] | None = None,
    errcode: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """A 401 body shaped as the spec's ``AuthenticationResponse``."""
    data: dict[str, Any] = {"flows": [{"stages": list(f)} for f in flows], "params": params or {}}
    if session is not None:
        data["session"] = session
    if completed:
        data["completed"] = list(completed)
    if errcode is not None:
        data["errcode"] = errcode
        data["error"] = error or ""
    return data


def challenge(*flows: Sequence[str], **kwargs: Any) -> UiaChallenge:
    return UiaChallenge.parse(body(*flows, **kwargs))


def run(*bodies: dict[str, Any], state: UiaState | None = None) -> tuple[UiaState, list[Step]]:
    """Feed challenges in order, as the driver would after performing each step."""
    current = state or UiaState()
    steps: list[Step] = []
    for data in bodies:
        current, step = next_step(current, UiaChallenge.parse(data))
        steps.append(step)
    return current, steps


def first_step(data: dict[str, Any]) -> Step:
    return next_step(UiaState(), UiaChallenge.parse(data))[1]


# --- Stage auth dicts --------------------------------------------------------------------------------------


CREDS = ThreePidCredentials(sid="sid1", client_secret="cs", id_server="id.example.org", id_access_token="tok")


def test_password_auth_identifies_the_user_by_id() -> None:
    assert password_auth("ses", "@a:hs", "pw") == {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": "@a:hs"},
        "password": "pw",
        "session": "ses",
    }


def test_auth_dicts_leave_out_a_missing_session() -> None:
    assert "session" not in password_auth(None, "@a:hs", "pw")
    assert dummy_auth(None) == {"type": "m.login.dummy"}


def test_threepid_auth_dicts_carry_the_credentials() -> None:
    creds = {"sid": "sid1", "client_secret": "cs", "id_server": "id.example.org", "id_access_token": "tok"}
    assert email_identity_auth("s", CREDS) == {"type": EMAIL, "threepid_creds": creds, "session": "s"}
    assert msisdn_auth("s", CREDS) == {"type": M_LOGIN_MSISDN, "threepid_creds": creds, "session": "s"}


def test_session_only_and_dummy() -> None:
    assert session_only_auth("s") == {"session": "s"}
    assert dummy_auth("s") == {"type": "m.login.dummy", "session": "s"}


# --- Table: the first challenge ----------------------------------------------------------------------------

FIRST_STEPS: list[tuple[str, dict[str, Any], Step]] = [
    (
        "single password stage",
        body([PASSWORD]),
        AskStage(stage=PASSWORD, session="ses"),
    ),
    (
        "prefers the fully native flow over recaptcha + password",
        body([RECAPTCHA, PASSWORD], [EMAIL]),
        AskStage(stage=EMAIL, session="ses"),
    ),
    (
        "prefers the shortest native flow",
        body([DUMMY, PASSWORD], [PASSWORD]),
        AskStage(stage=PASSWORD, session="ses"),
    ),
    (
        "keeps only flows whose prefix is completed",
        body([DUMMY, PASSWORD], [PASSWORD, EMAIL], completed=[DUMMY]),
        AskStage(stage=PASSWORD, session="ses"),
    ),
    (
        "the dummy stage is answered without asking",
        body([DUMMY]),
        Submit(stage=DUMMY, session="ses", auth={"type": "m.login.dummy", "session": "ses"}),
    ),
    (
        "an unknown stage goes to the fallback page",
        body(["org.example.custom"]),
        OpenFallback(
            stage="org.example.custom",
            url_path="/_matrix/client/v3/auth/org.example.custom/fallback/web?session=ses",
            session="ses",
        ),
    ),
    (
        "an SSO-only account goes through the fallback page",
        body([SSO]),
        OpenFallback(
            stage=SSO, url_path="/_matrix/client/v3/auth/m.login.sso/fallback/web?session=ses", session="ses"
        ),
    ),
    (
        "a fallback stage before a native one",
        body([RECAPTCHA, PASSWORD], params={RECAPTCHA: {"public_key": "k"}}),
        OpenFallback(
            stage=RECAPTCHA,
            url_path="/_matrix/client/v3/auth/m.login.recaptcha/fallback/web?session=ses",
            session="ses",
            params={"public_key": "k"},
        ),
    ),
    (
        "the stage's params come with the ask",
        body([EMAIL], params={EMAIL: {"hint": "x"}, PASSWORD: {"other": 1}}),
        AskStage(stage=EMAIL, session="ses", params={"hint": "x"}),
    ),
    (
        "without a session only native flows can be finished",
        body([SSO], [PASSWORD], session=None),
        AskStage(stage=PASSWORD, session=None),
    ),
    (
        "no flow is possible from what is completed",
        body([PASSWORD], [EMAIL, PASSWORD], completed=[DUMMY]),
        NoUsableFlow(flows=((PASSWORD,), (EMAIL, PASSWORD)), completed=(DUMMY,)),
    ),
    (
        "no flows at all",
        body(),
        NoUsableFlow(flows=(), completed=()),
    ),
    (
        "a flow whose rest repeats a completed stage cannot be finished",
        body([PASSWORD, PASSWORD], [PASSWORD, DUMMY], completed=[PASSWORD]),
        Submit(stage=DUMMY, session="ses", auth={"type": "m.login.dummy", "session": "ses"}),
    ),
    (
        "a fallback stage needs a session",
        body([SSO], session=None),
        NoUsableFlow(flows=((SSO,),), completed=()),
    ),
]


@pytest.mark.parametrize(
    ("data", "expected"), [(d, e) for _, d, e in FIRST_STEPS], ids=[n for n, _, _ in FIRST_STEPS]
)
def test_first_step(data: dict[str, Any], expected: Step) -> None:
    assert first_step(data) == expected


# --- Sequences of challenges -------------------------------------------------------------------------------


def test_wrong_password_asks_the_same_stage_again_with_the_error() -> None:
    _, steps = run(
        body([PASSWORD]),
        body([PASSWORD], errcode="M_FORBIDDEN", error="Invalid password"),
    )
    assert steps[1] == AskStage(
        stage=PASSWORD, session="ses", error=StageError("M_FORBIDDEN", "Invalid password"), retry=1
    )


def test_a_completed_stage_is_not_asked_again() -> None:
    _, steps = run(
        body([PASSWORD, EMAIL]),
        body([PASSWORD, EMAIL], completed=[PASSWORD]),
    )
    assert steps[1] == AskStage(stage=EMAIL, session="ses")


def test_an_error_about_another_stage_is_not_shown_on_the_next_one() -> None:
    _, steps = run(
        body([PASSWORD, EMAIL]),
        body([PASSWORD, EMAIL], completed=[PASSWORD], errcode="M_UNKNOWN", error="odd"),
    )
    assert steps[1] == AskStage(stage=EMAIL, session="ses")


def test_an_error_on_the_first_challenge_is_kept() -> None:
    # The request may have carried an auth dict of its own (a resumed exchange).
    step = first_step(body([PASSWORD], errcode="M_FORBIDDEN", error="no"))
    assert step == AskStage(stage=PASSWORD, session="ses", error=StageError("M_FORBIDDEN", "no"))


def test_a_different_session_means_the_server_forgot_ours() -> None:
    state, steps = run(body([PASSWORD], session="one"), body([PASSWORD], session="two"))
    assert steps[1] == Expired(expected_session="one", got_session="two")
    assert state.session == "one"


def test_a_missing_session_after_one_was_given_is_expiry() -> None:
    _, steps = run(body([PASSWORD], session="one"), body([PASSWORD], session=None))
    assert steps[1] == Expired(expected_session="one", got_session=None)


def test_a_resumed_session_that_the_server_replaced_is_expiry() -> None:
    _, steps = run(body([PASSWORD], session="new"), state=UiaState.resuming("old"))
    assert steps == [Expired(expected_session="old", got_session="new")]


def test_the_fallback_keeps_waiting_until_the_stage_is_completed() -> None:
    _, steps = run(body([SSO]), body([SSO]), body([SSO]))
    path = "/_matrix/client/v3/auth/m.login.sso/fallback/web?session=ses"
    assert steps == [OpenFallback(stage=SSO, url_path=path, session="ses", retry=n) for n in range(3)]
    assert [s.waiting for s in steps if isinstance(s, OpenFallback)] == [False, True, True]


def test_the_fallback_completes_then_the_next_stage_is_asked() -> None:
    _, steps = run(
        body([SSO, PASSWORD]),
        body([SSO, PASSWORD]),
        body([SSO, PASSWORD], completed=[SSO]),
    )
    assert isinstance(steps[1], OpenFallback)
    assert steps[1].waiting
    assert steps[2] == AskStage(stage=PASSWORD, session="ses")


def test_email_not_yet_validated_is_asked_again_as_waiting() -> None:
    _, steps = run(
        body([EMAIL]),
        body([EMAIL], errcode="M_UNAUTHORIZED", error="Unable to get validated threepid"),
    )
    assert isinstance(steps[1], AskStage)
    assert steps[1].waiting
    assert steps[1].error == StageError("M_UNAUTHORIZED", "Unable to get validated threepid")


def test_the_chosen_flow_is_kept_while_it_is_possible() -> None:
    # Both flows start the same way; after the first stage the other flow is shorter, but switching would
    # ask the user for something new in the middle of the exchange.
    flows = ([PASSWORD, EMAIL], [PASSWORD, M_LOGIN_MSISDN])
    state, _ = run(body(*flows))
    assert state.flow == (PASSWORD, EMAIL)
    reordered = body(flows[1], flows[0], completed=[PASSWORD])
    state, steps = run(reordered, state=state)
    assert steps == [AskStage(stage=EMAIL, session="ses")]


def test_a_new_flow_is_chosen_when_the_old_one_became_impossible() -> None:
    state, _ = run(body([DUMMY, PASSWORD], [PASSWORD]))
    assert state.flow == (PASSWORD,)
    _, steps = run(body([DUMMY, PASSWORD], [PASSWORD], completed=[DUMMY]), state=state)
    assert steps == [AskStage(stage=PASSWORD, session="ses")]


# --- Fallback URL ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "session", "prefix", "expected"),
    [
        (
            "m.login.sso",
            "abc",
            "/_matrix/client/v3",
            "/_matrix/client/v3/auth/m.login.sso/fallback/web?session=abc",
        ),
        (
            "m.login.sso",
            "abc",
            "/_matrix/client/r0",
            "/_matrix/client/r0/auth/m.login.sso/fallback/web?session=abc",
        ),
        (
            "m.login.sso",
            "abc",
            "/_matrix/client/r0/",
            "/_matrix/client/r0/auth/m.login.sso/fallback/web?session=abc",
        ),
        (
            "org.example/odd stage",
            "a b/c&d=e?",
            "/_matrix/client/v3",
            "/_matrix/client/v3/auth/org.example%2Fodd%20stage/fallback/web?session=a%20b%2Fc%26d%3De%3F",
        ),
    ],
)
def test_fallback_path(stage: str, session: str, prefix: str, expected: str) -> None:
    assert fallback_path(stage, session, prefix) == expected


def test_the_machine_uses_the_r0_prefix() -> None:
    _, step = next_step(UiaState(), challenge([RECAPTCHA], session="s/1"), client_prefix="/_matrix/client/r0")
    assert isinstance(step, OpenFallback)
    assert step.url_path == "/_matrix/client/r0/auth/m.login.recaptcha/fallback/web?session=s%2F1"


# --- Helpers -----------------------------------------------------------------------------------------------


def test_remaining_stages() -> None:
    assert remaining_stages((DUMMY, PASSWORD), (DUMMY,)) == (PASSWORD,)
    assert remaining_stages((PASSWORD,), (DUMMY,)) is None
    assert remaining_stages((PASSWORD,), (PASSWORD,)) is None


def test_choose_flow_prefers_fewest_fallback_stages_then_shortest() -> None:
    flows = challenge([RECAPTCHA, PASSWORD], [SSO], [RECAPTCHA, SSO])
    assert choose_flow(flows) == (SSO,)


# --- Properties --------------------------------------------------------------------------------------------

STAGE_NAMES = st.one_of(
    st.sampled_from(sorted(NATIVE_STAGES | {RECAPTCHA, SSO, "m.login.terms", "m.oauth"})),
    st.text(max_size=12),
)
FLOWS = st.lists(st.lists(STAGE_NAMES, max_size=4), max_size=5)
BODIES = st.builds(
    lambda flows, completed, session, errcode: body(
        *flows, completed=completed, session=session, errcode=errcode, error="e" if errcode else None
    ),
    FLOWS,
    st.lists(STAGE_NAMES, max_size=3),
    st.one_of(st.none(), st.sampled_from(["ses", "other"]), st.text(max_size=8)),
    st.one_of(st.none(), st.sampled_from(["M_FORBIDDEN", "M_UNAUTHORIZED"])),
)


def _next_stages(ch: UiaChallenge) -> set[str]:
    return {rest[0] for flow in ch.flows if (rest := remaining_stages(flow, ch.completed)) is not None}


def _check(step: Step, ch: UiaChallenge) -> None:
    if isinstance(step, Submit | AskStage | OpenFallback):
        assert step.stage in _next_stages(ch)
        assert step.stage not in ch.completed
        assert step.session == ch.session
    if isinstance(step, Submit):
        assert step.stage == DUMMY
    if isinstance(step, AskStage):
        assert step.stage in NATIVE_STAGES - {DUMMY}
    if isinstance(step, OpenFallback):
        assert step.stage not in NATIVE_STAGES
    if isinstance(step, NoUsableFlow):
        assert step.flows == ch.flows


@given(BODIES)
def test_any_challenge_gives_a_step_for_a_remaining_flow(data: dict[str, Any]) -> None:
    ch = UiaChallenge.parse(data)
    _, step = next_step(UiaState(), ch)
    _check(step, ch)
    if ch.session is not None and _next_stages(ch):
        assert not isinstance(step, NoUsableFlow)


@given(st.lists(BODIES, min_size=1, max_size=6))
def test_any_sequence_of_challenges_gives_steps(bodies: list[dict[str, Any]]) -> None:
    state = UiaState()
    for data in bodies:
        ch = UiaChallenge.parse(data)
        state, step = next_step(state, ch)
        if isinstance(step, Expired):
            assert step.got_session == ch.session
            assert step.expected_session != ch.session
            return
        _check(step, ch)
