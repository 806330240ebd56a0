"""The authentication dialogs (``DialogPrompter``) driven by the real UIA driver against the fake homeserver:
the password asked again after a refusal, email and phone proofs with resend and rate limits, the browser
step, and cancelling. Each exchange runs as a task on the qasync loop while the test clicks."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mxsettings.api import account as account_api
from mxsettings.errors import Cancelled
from mxsettings.services.accounts import Account
from mxsettings.services.uia_driver import run_uia
from mxsettings.ui.dialogs.fallback_dialog import FallbackDialog
from mxsettings.ui.dialogs.password_dialog import PasswordDialog
from mxsettings.ui.dialogs.prompter import DialogPrompter, threepid_wait
from mxsettings.ui.dialogs.threepid_dialogs import EmailDialog, PhoneDialog, Step
from tests.fakes.homeserver import V3, FakeHomeserver
from tests.ui.fake_account import Browser, fake_account

D = TypeVar("D")
EMAIL = "alice@hs.example"
PHONE = "447700900001"


def setup(qtbot: QtBot, fake: FakeHomeserver) -> tuple[Account, DialogPrompter, Browser]:
    host = QWidget()
    qtbot.addWidget(host)
    browser = Browser()
    account = fake_account(fake)
    return account, DialogPrompter.for_account(host, account, open_url=browser), browser


def deactivate(
    loop: asyncio.AbstractEventLoop, account: Account, prompter: DialogPrompter, *, poll: float = 600
) -> asyncio.Task[Any]:
    coro: Coroutine[Any, Any, Any] = run_uia(
        lambda auth: account_api.deactivate(account.homeserver, auth=auth),
        prompter,
        user_id=account.user_id,
        homeserver_url=account.homeserver.base_url,
        poll_interval=poll,
    )
    return loop.create_task(coro)


def only_dialog(prompter: DialogPrompter, kind: type[D]) -> D | None:
    found = [d for d in prompter.dialogs if isinstance(d, kind)]
    return found[-1] if found else None


def wait_for_dialog(qtbot: QtBot, prompter: DialogPrompter, kind: type[D]) -> D:
    qtbot.waitUntil(lambda: only_dialog(prompter, kind) is not None, timeout=5000)
    dialog = only_dialog(prompter, kind)
    assert dialog is not None
    return dialog


def test_a_refused_password_is_asked_again_with_the_reason(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    account, prompter, _ = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter)
    first = wait_for_dialog(qtbot, prompter, PasswordDialog)
    assert not first.isModal()
    assert account.user_id in first.intro.text()
    assert not first.message.isVisible()
    assert not first.continue_button.isEnabled()
    qtbot.keyClicks(first.edit, "wrong")
    qtbot.keyClick(first.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (d := only_dialog(prompter, PasswordDialog)) is not None and d is not first, timeout=5000
    )
    second = only_dialog(prompter, PasswordDialog)
    assert second is not None
    assert second.message.text() == "The password is wrong. Try again."
    assert second.edit.accessibleDescription() == "The password is wrong. Try again."
    qtbot.keyClicks(second.edit, fake.password)
    qtbot.mouseClick(second.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.done, timeout=5000)
    task.result()
    assert fake.deactivated
    assert prompter.dialogs == []


def test_escape_cancels_the_action_and_nothing_more_is_sent(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    account, prompter, _ = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter)
    dialog = wait_for_dialog(qtbot, prompter, PasswordDialog)
    sent = len(fake.requests)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(task.done, timeout=5000)
    with pytest.raises(Cancelled):
        task.result()
    assert len(fake.requests) == sent
    assert not fake.deactivated
    assert prompter.dialogs == []


def test_email_identity_sends_a_link_resends_on_the_same_session_and_finishes_when_opened(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.email.identity"]])
    fake.threepids = [{"medium": "email", "address": EMAIL, "validated_at": 1, "added_at": 1}]
    account, prompter, _ = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter)
    dialog = wait_for_dialog(qtbot, prompter, EmailDialog)
    qtbot.waitUntil(lambda: dialog.combo.count() == 1, timeout=5000)
    assert dialog.combo.currentText() == EMAIL
    assert dialog.send_button.isEnabled()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.step is Step.WAITING, timeout=5000)
    assert EMAIL in dialog.intro.text()
    assert dialog.busy.isVisible()
    (first,) = fake.token_requests
    qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(fake.token_requests) == 2, timeout=5000)
    qtbot.waitUntil(lambda: dialog.message.text() == f"Sent again to {EMAIL}.", timeout=5000)
    attempts = [b["send_attempt"] for m, p, b in fake.requests if p.endswith("/password/email/requestToken")]  # type: ignore[index]
    assert attempts == [1, 2]
    assert fake.token_requests[1]["sid"] == first["sid"]  # same validation session
    fake.validate(first["sid"])
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)  # no waiting for the next poll
    qtbot.waitUntil(task.done, timeout=5000)
    task.result()
    assert fake.deactivated
    assert prompter.dialogs == []


def test_a_rate_limited_resend_holds_the_button_and_counts_down(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.email.identity"]])
    fake.threepids = [{"medium": "email", "address": EMAIL, "validated_at": 1, "added_at": 1}]
    account, prompter, _ = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter)
    dialog = wait_for_dialog(qtbot, prompter, EmailDialog)
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=5000)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.step is Step.WAITING, timeout=5000)
    fake.limit_once[f"{V3}/account/password/email/requestToken"] = 1
    with qtbot.waitSignal(dialog.runner.rate_limit_ended, timeout=5000):
        qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Try again in 1 second." in dialog.message.text(), timeout=5000)
        assert not dialog.resend_button.isEnabled()
    assert dialog.resend_button.isEnabled()
    assert dialog.message.text() == "You can try again now."
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.done, timeout=5000)
    with pytest.raises(Cancelled):
        task.result()


def test_an_account_without_email_says_so_and_can_only_cancel(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.email.identity"]])
    account, prompter, _ = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter)
    dialog = wait_for_dialog(qtbot, prompter, EmailDialog)
    qtbot.waitUntil(lambda: "no email address" in dialog.message.text(), timeout=5000)
    assert not dialog.send_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.done, timeout=5000)
    with pytest.raises(Cancelled):
        task.result()


def test_a_phone_code_is_typed_and_a_wrong_one_is_refused_in_words(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.msisdn"]])
    fake.threepids = [{"medium": "msisdn", "address": PHONE, "validated_at": 1, "added_at": 1}]
    account, prompter, _ = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter)
    dialog = wait_for_dialog(qtbot, prompter, PhoneDialog)
    qtbot.waitUntil(lambda: dialog.combo.count() == 1, timeout=5000)
    assert dialog.combo.currentText() == "+" + PHONE
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.step is Step.CODE, timeout=5000)
    assert dialog.code_edit.hasFocus()
    qtbot.keyClicks(dialog.code_edit, "000000")
    qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: dialog.message.text() == "The code is wrong. Check it and try again.", timeout=5000
    )
    assert not task.done()
    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, "123456")
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(task.done, timeout=5000)
    task.result()
    assert fake.deactivated


def test_the_browser_step_polls_until_done_and_closes_its_dialog(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.terms"]], fallback_polls_needed=4)
    account, prompter, browser = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter, poll=0.01)
    dialog = wait_for_dialog(qtbot, prompter, FallbackDialog)
    assert "terms" in dialog.intro.text()
    qtbot.waitUntil(task.done, timeout=5000)
    task.result()
    assert browser.opened == [f"{fake.base_url}{V3}/auth/m.login.terms/fallback/web?session=uia0"]
    polls = [
        b
        for m, p, b in fake.requests
        if p.endswith("/deactivate") and b == {"erase": False, "auth": {"session": "uia0"}}
    ]
    assert len(polls) == 4
    assert prompter.dialogs == []


def test_an_unknown_stage_goes_to_the_browser_too(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver(uia_flows=[["org.example.new_stage"]], fallback_polls_needed=1)
    account, prompter, browser = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter, poll=0.01)
    qtbot.waitUntil(task.done, timeout=5000)
    task.result()
    assert browser.opened == [f"{fake.base_url}{V3}/auth/org.example.new_stage/fallback/web?session=uia0"]


def test_dialogs_close_when_their_action_is_cancelled_from_outside(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.sso"]], fallback_polls_needed=99)
    account, prompter, _ = setup(qtbot, fake)
    task = deactivate(qloop, account, prompter)
    wait_for_dialog(qtbot, prompter, FallbackDialog)
    task.cancel()  # the page that started it went away
    qtbot.waitUntil(lambda: prompter.dialogs == [], timeout=5000)
    assert task.cancelled()


def test_waits_for_an_email_link_grow_to_a_ceiling() -> None:
    waits = [threepid_wait(retry) for retry in range(1, 12)]
    assert waits[0] == 3.0
    assert waits == sorted(waits)
    assert max(waits) == 20.0
    # The driver's 50 rounds then cover about a quarter of an hour of waiting for the user.
    assert sum(threepid_wait(r) for r in range(1, 51)) > 12 * 60
