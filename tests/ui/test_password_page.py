"""The Password tab against the fake homeserver: the flows Synapse will not produce (a captcha before the
password, single sign-on only, a fallback that needs several polls, a forgetful server, the capability
off, a delegating server), plus the form's own rules. Typed with qtbot, waited for on visible text."""

from __future__ import annotations

import asyncio
import itertools

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from mxsettings.services.uia_driver import Prompter
from mxsettings.store.accounts import LoginMethod
from mxsettings.ui.dialogs.fallback_dialog import FallbackDialog
from mxsettings.ui.dialogs.prompter import DialogPrompter
from mxsettings.ui.dialogs.threepid_dialogs import EmailDialog
from mxsettings.ui.pages.password_page import PasswordPage
from tests.fakes.homeserver import V3, FakeHomeserver
from tests.ui.fake_account import Browser, RecordingPrompter, delegated_metadata, fake_account

NEW = "N3w-Password!x"
PASSWORD_PATH = f"{V3}/account/password"


def make_page(
    qtbot: QtBot,
    fake: FakeHomeserver,
    *,
    prompter: Prompter | None = None,
    login_method: LoginMethod = LoginMethod.PASSWORD,
    poll_interval: float = 0.01,
) -> tuple[PasswordPage, Browser]:
    """The page on an account of ``fake``, with the real dialogs (as the app wires them) unless a prompter
    is given."""
    browser = Browser()
    account = fake_account(fake, login_method=login_method)
    if prompter is None:
        host = QWidget()  # the window the app would parent the dialogs to
        qtbot.addWidget(host)
        prompter = DialogPrompter.for_account(host, account, open_url=browser)
    page = PasswordPage(account, prompter=prompter, open_url=browser, poll_interval=poll_interval)
    qtbot.addWidget(page)
    page.show()
    return page, browser


def fill(qtbot: QtBot, page: PasswordPage, current: str, new: str = NEW, confirm: str | None = None) -> None:
    for edit in (page.current_edit, page.new_edit, page.confirm_edit):
        edit.clear()
    qtbot.keyClicks(page.current_edit, current)
    qtbot.keyClicks(page.new_edit, new)
    qtbot.keyClicks(page.confirm_edit, new if confirm is None else confirm)


def click_change(qtbot: QtBot, page: PasswordPage) -> None:
    assert page.submit_button.isEnabled()
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)


def password_bodies(fake: FakeHomeserver) -> list[dict[str, object]]:
    return [body or {} for method, path, body in fake.requests if path == PASSWORD_PATH]


def fallback_dialog(page: PasswordPage) -> FallbackDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, FallbackDialog) and w.isVisible()]
    return found[0] if found else None


def test_the_current_password_answers_the_server_without_a_second_prompt(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    prompter = RecordingPrompter()
    page, _ = make_page(qtbot, fake, prompter=prompter)
    fill(qtbot, page, fake.password)
    qtbot.keyClick(page.confirm_edit, Qt.Key.Key_Return)  # Enter submits
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)
    assert prompter.asks == []
    assert fake.password == NEW
    assert fake.password_changes == [{"new_password": NEW, "logout_devices": False}]
    assert "Your other sessions stay signed in." in page.result.text()
    assert "This app is still signed in." in page.result.text()
    assert (page.current_edit.text(), page.new_edit.text(), page.confirm_edit.text()) == ("", "", "")
    assert not page.submit_button.isEnabled()


def test_sign_out_other_sessions_is_sent_as_chosen(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)
    qtbot.mouseClick(page.logout_check, Qt.MouseButton.LeftButton)
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: "have been signed out" in page.result.text(), timeout=5000)
    assert fake.password_changes == [{"new_password": NEW, "logout_devices": True}]


def test_a_wrong_current_password_lands_on_its_field_and_the_retry_keeps_the_session(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, "not-my-password")
    click_change(qtbot, page)
    qtbot.waitUntil(page.current_error.isVisible, timeout=5000)
    assert page.current_error.text() == "The current password is wrong."
    assert page.current_edit.accessibleDescription() == "The current password is wrong."
    assert page.current_edit.hasFocus()
    assert page.current_edit.selectedText() == "not-my-password"
    assert not page.result.isVisible()
    assert fake.password != NEW

    page.current_edit.clear()
    qtbot.keyClicks(page.current_edit, fake.password)
    assert not page.current_error.isVisible()  # typing clears the stale error
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)
    sessions = [body.get("auth", {}).get("session") for body in password_bodies(fake)]  # type: ignore[union-attr]
    # First try without auth, the wrong password, then the right one resuming that same session.
    assert sessions == [None, "uia0", "uia0"]


def test_a_new_password_typed_after_a_refusal_starts_a_fresh_session(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, "not-my-password")
    click_change(qtbot, page)
    qtbot.waitUntil(page.current_error.isVisible, timeout=5000)
    fill(qtbot, page, fake.password, new=NEW + "2")
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)
    sessions = [body.get("auth", {}).get("session") for body in password_bodies(fake)]  # type: ignore[union-attr]
    assert sessions == [None, "uia0", None, "uia1"]
    assert fake.password == NEW + "2"


def test_the_button_is_enabled_only_when_the_change_can_succeed(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    assert not page.submit_button.isEnabled()
    qtbot.keyClicks(page.current_edit, "old")
    qtbot.keyClicks(page.new_edit, "abcdefgh")
    assert not page.submit_button.isEnabled()
    qtbot.keyClicks(page.confirm_edit, "abcd")
    assert not page.confirm_error.isVisible()  # still on its way to the new password
    qtbot.keyClicks(page.confirm_edit, "x")
    assert page.confirm_error.text() == "This does not match the new password."
    assert not page.submit_button.isEnabled()
    qtbot.keyClick(page.confirm_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(page.confirm_edit, "efgh")
    assert not page.confirm_error.isVisible()
    assert page.submit_button.isEnabled()
    page.new_edit.setText("a" * 513)
    page.confirm_edit.setText("a" * 513)
    assert "too long" in page.new_error.text()
    assert not page.submit_button.isEnabled()


def test_strength_and_the_recommended_rules_follow_the_typing(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    assert not page.strength_bar.isVisible()
    qtbot.keyClicks(page.new_edit, "password")
    # The rules at once; the strength when the helper process answers.
    assert "✗ an uppercase letter" in page.rules_label.text()
    assert "✔ 8 or more characters" in page.rules_label.text()
    assert "an uppercase letter: missing" in page.rules_label.accessibleDescription()
    qtbot.waitUntil(lambda: page.strength_label.text().startswith("Strength: Very weak"), timeout=10_000)
    page.new_edit.setText("Tr0ub4dor&3-horse-Staple!")
    assert "✗" not in page.rules_label.text()
    qtbot.waitUntil(lambda: page.strength_label.text().startswith("Strength: Strong"), timeout=10_000)
    assert page.strength_bar.accessibleDescription() == "Strong"
    page.new_edit.setText("alice-hs")  # the user's own name is an easy guess
    qtbot.waitUntil(lambda: page.strength_bar.value() <= 2, timeout=10_000)
    page.new_edit.clear()
    assert not page.strength_bar.isVisible()  # nothing typed: no meter, without asking anyone


def test_the_strength_helper_ends_with_the_change_and_with_the_page(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)
    qtbot.waitUntil(page.strength_label.isVisible, timeout=10_000)
    helper = page.strength._process
    assert helper is not None
    assert helper.poll() is None  # the meter's word lists live in the helper, not in the app
    page.apply()
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)
    assert helper.poll() is not None
    assert not page.strength.running

    qtbot.keyClicks(page.new_edit, "another")
    qtbot.waitUntil(lambda: page.strength.running, timeout=10_000)  # typing again starts a new one

    # A page that goes away (its account signed out, the window closed) takes its helper along.
    gone = PasswordPage(fake_account(fake), prompter=RecordingPrompter(), open_url=Browser())
    gone.new_edit.setText("password1")
    qtbot.waitUntil(lambda: gone.strength.running, timeout=10_000)
    helper = gone.strength._process
    assert helper is not None
    gone.deleteLater()
    qtbot.waitUntil(lambda: helper.poll() is not None, timeout=10_000)


def test_show_passwords_reveals_all_three_fields(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    qtbot.mouseClick(page.show_check, Qt.MouseButton.LeftButton)
    modes = {e.echoMode() for e in (page.current_edit, page.new_edit, page.confirm_edit)}
    assert modes == {page.current_edit.EchoMode.Normal}


def test_a_captcha_before_the_password_opens_the_browser_then_the_form_answers_the_password(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.recaptcha", "m.login.password"]], fallback_polls_needed=3)
    page, browser = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)
    assert browser.opened == [f"{fake.base_url}{V3}/auth/m.login.recaptcha/fallback/web?session=uia0"]
    polls = [body for body in password_bodies(fake) if body.get("auth") == {"session": "uia0"}]
    assert len(polls) == 3
    assert fake.password == NEW
    assert fallback_dialog(page) is None  # closed once the server had the stage


def test_single_sign_on_only_account_confirms_in_the_browser_and_done_speeds_it_up(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.sso"]], fallback_polls_needed=1)
    # A poll interval no test would wait for: only "I have finished" can bring the check forward.
    page, browser = make_page(qtbot, fake, login_method=LoginMethod.SSO, poll_interval=600)
    assert page.current_label.text() == "C&urrent password (if you have one)"
    fill(qtbot, page, "")
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: fallback_dialog(page) is not None, timeout=5000)
    dialog = fallback_dialog(page)
    assert dialog is not None
    assert browser.opened == [f"{fake.base_url}{V3}/auth/m.login.sso/fallback/web?session=uia0"]
    assert "identity provider" in dialog.intro.text()
    assert dialog.url in dialog.address.text()  # for when no browser opened
    qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)
    assert len(browser.opened) == 2
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)
    assert fake.password == NEW


def test_an_email_only_flow_is_answered_from_the_tab(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.email.identity"]])
    fake.threepids = [{"medium": "email", "address": "alice@hs.example", "validated_at": 1, "added_at": 1}]
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)  # typed, but this server does not ask for it
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: email_dialog() is not None, timeout=5000)
    dialog = email_dialog()
    assert dialog is not None
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=5000)
    qtbot.keyClick(dialog.send_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: fake.token_requests != [], timeout=5000)
    fake.validate(fake.token_requests[0]["sid"])  # the user opens the link in the mail
    qtbot.waitUntil(dialog.done_button.isVisible, timeout=5000)
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)
    assert fake.password == NEW
    assert email_dialog() is None


def email_dialog() -> EmailDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, EmailDialog) and w.isVisible()]
    return found[0] if found else None


def test_cancelling_the_browser_step_changes_nothing_and_says_nothing(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(uia_flows=[["m.login.recaptcha", "m.login.password"]], fallback_polls_needed=99)
    page, _ = make_page(qtbot, fake, poll_interval=600)
    fill(qtbot, page, fake.password)
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: fallback_dialog(page) is not None, timeout=5000)
    dialog = fallback_dialog(page)
    assert dialog is not None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(page.submit_button.isEnabled, timeout=5000)
    assert fake.password_changes == []
    assert not page.result.isVisible()
    assert page.new_edit.text() == NEW  # nothing typed is lost
    requests_after_cancel = len(fake.requests)
    qtbot.waitUntil(lambda: not page.runner.busy, timeout=5000)
    assert len(fake.requests) == requests_after_cancel


def test_a_forgotten_uia_session_is_explained(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver(expire_uia_sessions=True)
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)
    click_change(qtbot, page)
    qtbot.waitUntil(page.result.isVisible, timeout=5000)
    assert (
        page.result.text() == "The confirmation took too long and the server forgot it. Please start again."
    )
    assert fake.password_changes == []


def test_a_rate_limit_counts_down_and_then_lets_the_user_try_again(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver(limit_once={PASSWORD_PATH: 1})
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)
    with qtbot.waitSignal(page.runner.rate_limit_ended, timeout=5000):
        click_change(qtbot, page)
        qtbot.waitUntil(lambda: "Try again in 1 second." in page.result.text(), timeout=5000)
        assert not page.submit_button.isEnabled()
        assert not page.new_edit.isEnabled()
    assert page.result.text() == "You can try again now."
    assert page.submit_button.isEnabled()
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=5000)


def test_capability_off_explains_and_offers_no_form(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = FakeHomeserver(change_password_enabled=False)
    page, _ = make_page(qtbot, fake)
    assert page.notice.isVisible()
    assert "does not allow changing the password" in page.notice.text()
    assert not page.form.isVisible()
    assert not page.account_page_button.isVisible()
    page.apply()  # even a stray Enter sends nothing
    assert fake.requests == []


@pytest.mark.parametrize("actions", [(), ("org.matrix.profile",)])
def test_a_delegating_server_gets_its_account_page(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, actions: tuple[str, ...]
) -> None:
    fake = FakeHomeserver(change_password_enabled=False, auth_metadata=delegated_metadata(*actions))
    page, browser = make_page(qtbot, fake)
    assert not page.form.isVisible()
    assert "account page" in page.notice.text()
    qtbot.mouseClick(page.account_page_button, Qt.MouseButton.LeftButton)
    # There is no action for passwords (MSC4191): the bare page.
    assert browser.opened == ["https://auth.hs.example/account/"]
    assert fake.requests == []


def test_a_delegating_server_without_an_account_page_says_so(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    metadata = delegated_metadata()
    del metadata["account_management_uri"]
    fake = FakeHomeserver(change_password_enabled=False, auth_metadata=metadata)
    page, _ = make_page(qtbot, fake)
    assert "gives no address for its account page" in page.notice.text()
    assert not page.account_page_button.isVisible()


def test_every_input_has_a_name_and_the_tab_order_follows_the_form(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    widgets = (
        page.current_edit,
        page.new_edit,
        page.confirm_edit,
        page.show_check,
        page.logout_check,
        page.submit_button,
    )
    for widget in widgets:
        assert widget.objectName()
        assert widget.accessibleName()
    for first, second in itertools.pairwise(widgets):
        assert first.nextInFocusChain() is second or _next_focus(first) is second


def _next_focus(widget: object) -> object:
    current = widget.nextInFocusChain()  # type: ignore[attr-defined]
    while not (current.focusPolicy() & Qt.FocusPolicy.TabFocus):
        current = current.nextInFocusChain()
    return current


@pytest.mark.parametrize("logout", [False, True])
def test_the_change_costs_two_round_trips_and_a_check_only_when_others_are_signed_out(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, logout: bool
) -> None:
    # Keeping the other sessions, the server's 200 to this session's token is the proof it still works;
    # signing them out, the server might take this one along, so whoami checks (and the page would say so).
    fake = FakeHomeserver()
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)
    if logout:
        qtbot.mouseClick(page.logout_check, Qt.MouseButton.LeftButton)
    before = len(fake.requests)
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: "This app is still signed in." in page.result.text(), timeout=5000)
    # (This bare page learns the server's versions on first use; the app has them from signing in.)
    sent = [(m, path) for m, path, _ in fake.requests[before:] if path != "/_matrix/client/versions"]
    expected = [("POST", PASSWORD_PATH)] * 2 + ([("GET", f"{V3}/account/whoami")] if logout else [])
    assert sent == expected


def test_a_server_that_signed_this_app_out_too_is_said(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = FakeHomeserver()
    original = fake.handle

    def revoking(request: httpx.Request) -> httpx.Response:
        answer = original(request)
        if request.url.path == PASSWORD_PATH and answer.status_code == 200:
            fake.access_token = "revoked-with-the-others"
        return answer

    fake.handle = revoking  # type: ignore[method-assign]  (before the page's client takes it)
    page, _ = make_page(qtbot, fake)
    fill(qtbot, page, fake.password)
    qtbot.mouseClick(page.logout_check, Qt.MouseButton.LeftButton)
    click_change(qtbot, page)
    qtbot.waitUntil(lambda: "signed this app out as well" in page.result.text(), timeout=5000)
