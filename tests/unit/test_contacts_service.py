"""ContactService against the fake homeserver: one password prompt, session-only tries, retries that do not
mail twice, resumed waits that never prompt, forgotten UIA sessions, expiry and lost secrets."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from mxsettings.api.client import MatrixHttp
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import ThreePid, UnbindResult
from mxsettings.errors import MalformedResponse, NetworkError, ThreePidAuthFailed
from mxsettings.services.contact_input import parse_phone
from mxsettings.services.contacts import (
    AddOutcome,
    ContactService,
    WaitReport,
    WaitSchedule,
    WaitState,
    Waker,
)
from mxsettings.store.pending import PendingStore
from mxsettings.store.secrets import MemorySecretStore
from tests.fakes.homeserver import FakeHomeserver, error
from tests.ui.contact_support import ScriptedPrompter

pytestmark = pytest.mark.asyncio

QUICK = WaitSchedule(first=0.001, growth=2.0, longest=0.004)
ADD_PATH = "/_matrix/client/v3/account/3pid/add"


@dataclass
class Rig:
    fake: FakeHomeserver
    service: ContactService
    store: PendingStore
    secrets: MemorySecretStore
    prompter: ScriptedPrompter
    broken: list[Callable[[httpx.Request], httpx.Response | None]]

    def adds(self) -> list[dict[str, object]]:
        return [body or {} for _, path, body in self.fake.requests if path == ADD_PATH]


@pytest_asyncio.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    fake = FakeHomeserver()
    broken: list[Callable[[httpx.Request], httpx.Response | None]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        for fault in broken:
            answer = fault(request)
            if answer is not None:
                return answer
        return fake.handle(request)

    http = MatrixHttp(fake.base_url, transport=httpx.MockTransport(handle))
    http.set_access_token(fake.access_token)
    secrets = MemorySecretStore()
    store = PendingStore(tmp_path, secrets)
    secret_numbers = itertools.count(1)
    service = ContactService(
        Homeserver(http),
        fake.user_id,
        store,
        schedule=QUICK,
        new_secret=lambda: f"secret-{next(secret_numbers)}",
    )
    yield Rig(fake, service, store, secrets, ScriptedPrompter(fake.password), broken)
    await http.aclose()


async def test_start_email_stores_the_row_and_keeps_the_secret_out_of_the_file(rig: Rig) -> None:
    item = await rig.service.start_email("Alice@Example.ORG")
    assert (item.address, item.send_attempt, item.sid) == ("alice@example.org", 1, "sid0")
    assert await rig.store.client_secret(item) == "secret-1"
    assert "secret-1" not in rig.store.path.read_text()
    assert "secret-1" not in repr(item) + repr(rig.service)


async def test_pressing_add_again_after_a_lost_answer_repeats_the_same_request(rig: Rig) -> None:
    calls = []

    def lose_the_first(request: httpx.Request) -> httpx.Response | None:
        if not request.url.path.endswith("/requestToken"):
            return None
        calls.append(json.loads(request.content))
        if len(calls) == 1:
            raise httpx.ReadError("connection reset", request=request)
        return None

    rig.broken.append(lose_the_first)
    with pytest.raises(NetworkError):
        await rig.service.start_email("alice@example.org")
    await rig.service.start_email("alice@example.org")
    assert [(c["client_secret"], c["send_attempt"]) for c in calls] == [("secret-1", 1)] * 2


async def test_resend_raises_the_attempt_with_the_same_secret(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    again = await rig.service.resend(item)
    assert again.send_attempt == 2
    assert await rig.store.client_secret(again) == "secret-1"
    assert await rig.store.load(rig.fake.user_id) == [again]


async def test_the_wait_asks_once_then_tries_with_the_session_only(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    reports: list[WaitReport] = []

    def report(progress: WaitReport) -> None:
        reports.append(progress)
        if len(reports) == 4:
            rig.fake.validate(item.sid)

    outcome = await rig.service.wait_until_added(item, rig.prompter, waker=Waker(), report=report)
    assert outcome is AddOutcome.ADDED
    assert len(rig.prompter.asks) == 1
    assert {r.state for r in reports} == {WaitState.WAITING}
    assert [r.next_try_in for r in reports] == [0.001, 0.002, 0.004, 0.004]
    session_only = rig.adds()[2:]
    assert session_only
    assert all(body["auth"] == {"session": "uia1"} for body in session_only)
    assert await rig.store.load(rig.fake.user_id) == []
    assert [t["address"] for t in rig.fake.threepids] == ["alice@example.org"]


async def test_check_now_wakes_the_wait_and_is_reported_as_the_users(rig: Rig) -> None:
    slow = ContactService(
        rig.service._hs, rig.fake.user_id, rig.store, schedule=WaitSchedule(first=60, growth=1, longest=60)
    )
    item = await slow.start_email("alice@example.org")
    waker = Waker()
    reports: list[WaitReport] = []

    def report(progress: WaitReport) -> None:
        reports.append(progress)
        if len(reports) == 1:
            waker.wake()
        elif len(reports) == 2:
            rig.fake.validate(item.sid)
            waker.wake()

    outcome = await asyncio.wait_for(slow.wait_until_added(item, rig.prompter, waker=waker, report=report), 5)
    assert outcome is AddOutcome.ADDED
    assert [r.checked_by_user for r in reports] == [False, True]


async def test_a_resumed_wait_without_a_session_never_prompts(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    outcome = await rig.service.wait_until_added(
        item, rig.prompter, waker=Waker(), report=lambda _: None, may_ask=False
    )
    assert outcome is AddOutcome.NEEDS_CONFIRMATION
    assert rig.prompter.asks == []


async def test_check_now_pressed_during_a_silent_try_asks_instead_of_being_lost(rig: Rig) -> None:
    # A resumed wait may not prompt; "I opened the link" pressed while its first try is on the wire must
    # still reach the person: that same try's "the server wants the password" turns into the prompt.
    item = await rig.service.start_email("alice@example.org")
    rig.fake.validate(item.sid)
    waker = Waker()

    def press_while_in_flight(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == ADD_PATH:
            waker.wake()
        return None

    rig.broken.append(press_while_in_flight)
    outcome = await rig.service.wait_until_added(
        item, rig.prompter, waker=waker, report=lambda _: None, may_ask=False
    )
    assert outcome is AddOutcome.ADDED
    assert len(rig.prompter.asks) == 1


async def test_a_closed_prompt_ends_the_wait_for_the_person(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    rig.prompter.password_answer = None
    outcome = await rig.service.wait_until_added(item, rig.prompter, waker=Waker(), report=lambda _: None)
    assert outcome is AddOutcome.NEEDS_CONFIRMATION


async def test_the_confirmed_session_is_kept_for_the_next_start(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    with pytest.raises(ThreePidAuthFailed):
        await rig.service.add(item, rig.prompter)
    (stored,) = await rig.store.load(rig.fake.user_id)
    assert stored.uia_session == "uia1"
    rig.fake.validate(item.sid)
    await rig.service.add(stored, ScriptedPrompter(None), may_ask=False)  # nothing asked: the session holds
    assert rig.adds()[-1]["auth"] == {"session": "uia1"}


@pytest.mark.parametrize("forgets_with", ["new session", "synapse 400"])
async def test_a_forgotten_session_is_started_afresh(rig: Rig, forgets_with: str) -> None:
    item = await rig.service.start_email("alice@example.org")
    with pytest.raises(ThreePidAuthFailed):
        await rig.service.add(item, rig.prompter)
    (stored,) = await rig.store.load(rig.fake.user_id)
    if forgets_with == "new session":
        rig.fake._uia_sessions.clear()
    else:

        def unknown_session(request: httpx.Request) -> httpx.Response | None:
            body = json.loads(request.content or b"{}")
            if request.url.path == ADD_PATH and body.get("auth") == {"session": "uia1"}:
                return error(400, "M_UNKNOWN", "Unknown session ID: uia1")
            return None

        rig.broken.append(unknown_session)
    rig.fake.validate(item.sid)
    await rig.service.add(stored, rig.prompter)
    assert len(rig.prompter.asks) == 2
    assert [t["address"] for t in rig.fake.threepids] == ["alice@example.org"]


async def test_an_unreachable_server_is_reported_and_waited_out(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    offline = [True]

    def unreachable(request: httpx.Request) -> httpx.Response | None:
        if offline[0] and request.url.path == ADD_PATH:
            raise httpx.ConnectError("unreachable", request=request)
        return None

    rig.broken.append(unreachable)
    states: list[WaitState] = []

    def report(progress: WaitReport) -> None:
        states.append(progress.state)
        if len(states) == 2:
            offline[0] = False
            rig.fake.validate(item.sid)

    assert (
        await rig.service.wait_until_added(item, rig.prompter, waker=Waker(), report=report)
        is AddOutcome.ADDED
    )
    assert states[:2] == [WaitState.OFFLINE, WaitState.OFFLINE]


async def test_a_failing_gateway_is_waited_out_like_an_unreachable_server(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    failing = [True]

    def bad_gateway(request: httpx.Request) -> httpx.Response | None:
        if failing[0] and request.url.path == ADD_PATH:
            return httpx.Response(502, html="<html><body>502 Bad Gateway</body></html>")
        return None

    rig.broken.append(bad_gateway)
    states: list[WaitState] = []

    def report(progress: WaitReport) -> None:
        states.append(progress.state)
        if len(states) == 2:
            failing[0] = False
            rig.fake.validate(item.sid)

    outcome = await rig.service.wait_until_added(item, rig.prompter, waker=Waker(), report=report)
    assert outcome is AddOutcome.ADDED
    assert states[:2] == [WaitState.OFFLINE, WaitState.OFFLINE]


async def test_a_wait_started_again_uses_the_session_the_person_confirmed(rig: Rig) -> None:
    # The first wait gets the password, then ends on a refusal; the row it was started with knows nothing
    # of the confirmed session. Starting the wait again with that row must not ask a second time.
    item = await rig.service.start_email("alice@example.org")
    refuse = [False]

    def refuse_once(request: httpx.Request) -> httpx.Response | None:
        if refuse[0] and request.url.path == ADD_PATH:
            refuse[0] = False
            return httpx.Response(200, text="<html>portal</html>", headers={"content-type": "text/html"})
        return None

    rig.broken.append(refuse_once)

    def report(progress: WaitReport) -> None:
        refuse[0] = True  # after the first (password-confirmed) try: the next one meets the portal page

    with pytest.raises(MalformedResponse):
        await rig.service.wait_until_added(item, rig.prompter, waker=Waker(), report=report)
    assert len(rig.prompter.asks) == 1
    rig.fake.validate(item.sid)
    outcome = await rig.service.wait_until_added(item, rig.prompter, waker=Waker(), report=lambda _: None)
    assert outcome is AddOutcome.ADDED
    assert len(rig.prompter.asks) == 1


async def test_an_expired_row_gets_one_last_look(tmp_path: Path, rig: Rig) -> None:
    now = [1000.0]
    store = PendingStore(tmp_path / "x", rig.secrets, token_lifetime=10, clock=lambda: now[0])
    service = ContactService(rig.service._hs, rig.fake.user_id, store, schedule=QUICK)
    item = await service.start_email("alice@example.org")
    now[0] += 11
    outcome = await service.wait_until_added(item, rig.prompter, waker=Waker(), report=lambda _: None)
    assert outcome is AddOutcome.EXPIRED
    assert len(rig.adds()) == 2  # the last look: the challenge, then the password


async def test_a_lost_secret_is_reported_and_resend_starts_over(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    await rig.secrets.delete(f"pending_secret {item.user_id} {item.sid}")
    outcome = await rig.service.wait_until_added(item, rig.prompter, waker=Waker(), report=lambda _: None)
    assert outcome is AddOutcome.LOST
    fresh = await rig.service.resend(item)
    assert fresh.send_attempt == 1
    assert await rig.store.client_secret(fresh) == "secret-2"


async def test_a_phone_code_then_the_addition(rig: Rig) -> None:
    item = await rig.service.start_phone(parse_phone("01512 3456789", "DE"))
    assert item.submit_url == "https://hs.example/submit/msisdn"
    assert (item.country, item.phone_number, item.address) == ("DE", "15123456789", "4915123456789")
    confirmed = await rig.service.submit_code(item, " 123456 ")
    assert confirmed.code_confirmed
    await rig.service.add(confirmed, rig.prompter)
    assert rig.fake.threepids[0]["address"] == "4915123456789"


async def test_load_drops_rows_finished_elsewhere_and_remove_reports_the_unbind(rig: Rig) -> None:
    item = await rig.service.start_email("alice@example.org")
    rig.fake.threepids.append({"medium": "email", "address": item.address, "validated_at": 1, "added_at": 2})
    listed = await rig.service.load()
    assert listed.pending == ()
    assert await rig.store.load(rig.fake.user_id) == []
    assert await rig.service.remove(ThreePid("email", item.address)) is UnbindResult.NO_SUPPORT
    assert (await rig.service.load()).threepids == ()
