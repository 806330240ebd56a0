"""Closing the account against the fake homeserver: the typed-back user ID, erase, the server's full
authentication (password, single sign-on), what happens on refusal, rate limits, and delegating servers."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mxsettings.services.accounts import Account
from mxsettings.ui.dialogs.fallback_dialog import FallbackDialog
from mxsettings.ui.dialogs.password_dialog import PasswordDialog
from mxsettings.ui.dialogs.prompter import DialogPrompter
from mxsettings.ui.pages.close_account_page import CloseAccountPage
from tests.fakes.homeserver import V3, FakeHomeserver
from tests.ui.fake_account import Browser, delegated_metadata, fake_account


def make_page(qtbot: QtBot, fake: FakeHomeserver) -> tuple[CloseAccountPage, DialogPrompter, Browser]:
    host = QWidget()
    qtbot.addWidget(host)
    browser = Browser()
    account = fake_account(fake)
    prompter = DialogPrompter.for_account(host, account, open_url=browser)
    page = CloseAccountPage(account, prompter=prompter, open_url=browser, poll_interval=0.01)
    qtbot.addWidget(page)
    page.show()
    return page, prompter, browser


def password_dialog(prompter: DialogPrompter) -> PasswordDialog | None:
    found = [d for d in prompter.dialogs if isinstance(d, PasswordDialog)]
    return found[-1] if found else None


def answer_password(qtbot: QtBot, prompter: DialogPrompter, password: str) -> PasswordDialog:
    qtbot.waitUntil(lambda: password_dialog(prompter) is not None, timeout=5000)
    dialog = password_dialog(prompter)
    assert dialog is not None
    qtbot.keyClicks(dialog.edit, password)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    return dialog


def test_the_button_waits_for_the_user_id_typed_back(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver()
    page, _, _ = make_page(qtbot, fake)
    assert not page.close_button.isEnabled()
    qtbot.keyClicks(page.confirm_edit, "@alice:hs.exampl")
    assert not page.close_button.isEnabled()
    page.apply()  # Enter with a wrong confirmation sends nothing
    assert fake.requests == []
    qtbot.keyClicks(page.confirm_edit, "e ")
    assert page.close_button.isEnabled()
    page.confirm_edit.setText("  @ALICE:hs.example")
    assert page.close_button.isEnabled()
    page.confirm_edit.setText("alice")
    assert not page.close_button.isEnabled()


def test_closing_asks_for_the_password_and_reports_the_identity_server(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, prompter, _ = make_page(qtbot, fake)
    closed: list[Account] = []
    page.account_closed.connect(closed.append)
    qtbot.keyClicks(page.confirm_edit, fake.user_id)
    qtbot.mouseClick(page.erase_check, Qt.MouseButton.LeftButton)
    qtbot.keyClick(page.confirm_edit, Qt.Key.Key_Return)
    answer_password(qtbot, prompter, fake.password)
    qtbot.waitUntil(lambda: closed == [page.account], timeout=5000)
    assert fake.deactivations == [{"erase": True}]
    note = page.closed_note
    assert note is not None
    assert note.objectName() == "accountClosedNote"
    assert not note.isModal()
    assert "No identity server lists your email addresses or phone numbers any more." in note.text()
    assert "erase your messages" in note.text()
    assert page.result.text() == "Your account is closed."
    note.close()


def test_a_refused_password_and_a_cancel_keep_the_account(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, prompter, _ = make_page(qtbot, fake)
    closed: list[Account] = []
    page.account_closed.connect(closed.append)
    qtbot.keyClicks(page.confirm_edit, fake.user_id)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    first = answer_password(qtbot, prompter, "wrong")
    qtbot.waitUntil(lambda: password_dialog(prompter) not in (None, first), timeout=5000)
    again = password_dialog(prompter)
    assert again is not None
    assert again.message.text() == "The password is wrong. Try again."
    qtbot.mouseClick(again.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.close_button.isEnabled, timeout=5000)
    assert closed == []
    assert not fake.deactivated
    assert page.confirm_edit.text() == fake.user_id  # ready for another try


def test_single_sign_on_accounts_close_through_the_browser(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.sso"]], fallback_polls_needed=2)
    page, prompter, browser = make_page(qtbot, fake)
    closed: list[Account] = []
    page.account_closed.connect(closed.append)
    qtbot.keyClicks(page.confirm_edit, fake.user_id)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed != [], timeout=5000)
    assert browser.opened == [f"{fake.base_url}{V3}/auth/m.login.sso/fallback/web?session=uia0"]
    assert not [d for d in prompter.dialogs if isinstance(d, FallbackDialog)]
    assert page.closed_note is not None
    page.closed_note.close()


def test_a_failure_says_the_account_is_still_open(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver(expire_uia_sessions=True)
    page, prompter, _ = make_page(qtbot, fake)
    closed: list[Account] = []
    page.account_closed.connect(closed.append)
    qtbot.keyClicks(page.confirm_edit, fake.user_id)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    answer_password(qtbot, prompter, fake.password)
    qtbot.waitUntil(page.result.isVisible, timeout=5000)
    assert page.result.text() == (
        "The confirmation took too long and the server forgot it. Please start again. "
        "Your account is still open and this app still signed in."
    )
    assert closed == []


def test_a_rate_limit_counts_down(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver(limit_once={f"{V3}/account/deactivate": 1})
    page, _, _ = make_page(qtbot, fake)
    qtbot.keyClicks(page.confirm_edit, fake.user_id)
    with qtbot.waitSignal(page.runner.rate_limit_ended, timeout=5000):
        qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Try again in 1 second." in page.result.text(), timeout=5000)
        assert not page.close_button.isEnabled()
    assert page.close_button.isEnabled()
    assert not fake.deactivated


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ((), "https://auth.hs.example/account/"),
        (
            ("org.matrix.profile", "org.matrix.account_deactivate"),
            "https://auth.hs.example/account/?action=org.matrix.account_deactivate",
        ),
    ],
)
def test_a_delegating_server_gets_its_account_page(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, actions: tuple[str, ...], expected: str
) -> None:
    fake = FakeHomeserver(auth_metadata=delegated_metadata(*actions))
    page, _, browser = make_page(qtbot, fake)
    assert not page.form.isVisible()
    assert "account page" in page.warning.text()
    qtbot.mouseClick(page.account_page_button, Qt.MouseButton.LeftButton)
    assert browser.opened == [expected]
    assert fake.requests == []


def test_inputs_have_names_and_a_keyboard_order(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver()
    page, _, _ = make_page(qtbot, fake)
    for widget in (page.confirm_edit, page.erase_check, page.close_button):
        assert widget.objectName()
        assert widget.accessibleName()
    assert page.confirm_label.buddy() is page.confirm_edit
    assert page.confirm_edit.nextInFocusChain() is page.erase_check
    assert page.erase_check.nextInFocusChain() is page.close_button
