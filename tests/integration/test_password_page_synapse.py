"""The Password tab against the real Synapse, typed and clicked like a person would: a change that the new
password then signs in with, a wrong current password retried in the same UIA session, the server's policy
on the new-password field, ``logout_devices`` both ways checked with a second session, and the tight
server's rate limits (the email dialog's resend; wrong passwords, which Synapse does not limit)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mxsettings.api import session
from mxsettings.api.models import ThreePidCredentials
from mxsettings.errors import Forbidden, UnknownToken
from mxsettings.services.accounts import Account
from mxsettings.services.uia_driver import ThreePidAsk
from mxsettings.ui.dialogs.prompter import DialogPrompter
from mxsettings.ui.dialogs.threepid_dialogs import EmailDialog, Step
from mxsettings.ui.pages.password_page import PasswordPage
from tests.conformance.recorder import RecordedRequest, problems
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer
from tests.integration.page_support import recorded_homeserver, run, sign_in, whoami_with

NEW = "N3w-Synapse-password"


@pytest.fixture
def traffic() -> Iterator[list[RecordedRequest]]:
    records: list[RecordedRequest] = []
    yield records
    found = problems(records)
    assert not found, "requests that do not match the Matrix definitions:\n" + "\n".join(found)


class Browser:
    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: str) -> None:
        self.opened.append(url)


def open_page(
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    server: SynapseServer,
    user: RegisteredUser,
    traffic: list[RecordedRequest],
) -> PasswordPage:
    account = run(qtbot, loop, sign_in(server, user.localpart, user.password, traffic))
    host = QWidget()
    qtbot.addWidget(host)
    browser = Browser()
    page = PasswordPage(
        account, prompter=DialogPrompter.for_account(host, account, open_url=browser), open_url=browser
    )
    qtbot.addWidget(page)
    page.show()
    return page


def change(qtbot: QtBot, page: PasswordPage, current: str, new: str = NEW, *, logout: bool = False) -> None:
    for edit in (page.current_edit, page.new_edit, page.confirm_edit):
        edit.clear()
    qtbot.keyClicks(page.current_edit, current)
    qtbot.keyClicks(page.new_edit, new)
    qtbot.keyClicks(page.confirm_edit, new)
    if page.logout_check.isChecked() != logout:
        qtbot.mouseClick(page.logout_check, Qt.MouseButton.LeftButton)
    assert page.submit_button.isEnabled()
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)


def wait_changed(qtbot: QtBot, page: PasswordPage) -> None:
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=20_000)


def close(qtbot: QtBot, loop: asyncio.AbstractEventLoop, account: Account) -> None:
    run(qtbot, loop, account.homeserver.aclose())


def test_change_then_sign_in_with_the_new_password_other_sessions_kept(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    new_user: NewUser,
    traffic: list[RecordedRequest],
) -> None:
    user = new_user("pwpage")
    page = open_page(qtbot, qloop, synapse, user, traffic)
    assert page.form.isVisible()  # Synapse advertises m.change_password
    change(qtbot, page, user.password)
    wait_changed(qtbot, page)
    assert "Your other sessions stay signed in." in page.result.text()
    assert "This app is still signed in." in page.result.text()
    assert run(qtbot, qloop, whoami_with(synapse.base_url, user.access_token)) == user.user_id
    hs = recorded_homeserver(synapse.base_url, traffic)
    assert run(qtbot, qloop, session.login_password(hs, user.localpart, NEW)).user_id == user.user_id
    with pytest.raises(Forbidden):
        run(qtbot, qloop, session.login_password(hs, user.localpart, user.password))
    run(qtbot, qloop, hs.aclose())
    bodies = [r.body for r in traffic if r.url.endswith("/account/password")]
    assert [b.get("logout_devices") for b in bodies] == [False, False]  # type: ignore[union-attr]
    close(qtbot, qloop, page.account)


def test_signing_out_other_sessions_revokes_the_second_session_only(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    new_user: NewUser,
    traffic: list[RecordedRequest],
) -> None:
    user = new_user("pwlogout")
    page = open_page(qtbot, qloop, synapse, user, traffic)
    change(qtbot, page, user.password, logout=True)
    wait_changed(qtbot, page)
    assert "Your other sessions have been signed out." in page.result.text()
    assert "This app is still signed in." in page.result.text()  # checked with whoami by the service
    with pytest.raises(UnknownToken):
        run(qtbot, qloop, whoami_with(synapse.base_url, user.access_token))
    close(qtbot, qloop, page.account)


def test_a_wrong_current_password_then_the_right_one_in_the_same_session(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    new_user: NewUser,
    traffic: list[RecordedRequest],
) -> None:
    user = new_user("pwwrong")
    page = open_page(qtbot, qloop, synapse, user, traffic)
    change(qtbot, page, "not-the-password-1")
    qtbot.waitUntil(page.current_error.isVisible, timeout=20_000)
    assert page.current_error.text() == "The current password is wrong."
    assert page.current_edit.hasFocus()
    page.current_edit.clear()
    qtbot.keyClicks(page.current_edit, user.password)
    qtbot.keyClick(page.current_edit, Qt.Key.Key_Return)
    wait_changed(qtbot, page)
    auths = [r.body.get("auth") for r in traffic if r.url.endswith("/account/password")]  # type: ignore[union-attr]
    assert auths[0] is None
    sessions = {a["session"] for a in auths[1:]}  # type: ignore[index]
    assert len(auths) == 3
    assert len(sessions) == 1  # the retry continued Synapse's session
    close(qtbot, qloop, page.account)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("abcdefghij", "The new password must contain a digit."),
        ("ab1cd", "The new password is too short for this server."),
        ("ABCDEFGH12", "The new password must contain a lowercase letter."),
    ],
)
def test_the_server_policy_is_shown_on_the_new_password(  # noqa: PLR0917 (fixtures)
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    new_user: NewUser,
    traffic: list[RecordedRequest],
    new: str,
    message: str,
) -> None:
    user = new_user("pwpolicy")
    page = open_page(qtbot, qloop, synapse, user, traffic)
    change(qtbot, page, user.password, new=new)
    qtbot.waitUntil(page.new_error.isVisible, timeout=20_000)
    assert page.new_error.text() == message
    assert page.new_edit.hasFocus()
    assert not page.current_error.isVisible()
    # Synapse judges the new password before any authentication: one request, no 401 first.
    assert len([r for r in traffic if r.url.endswith("/account/password")]) == 1
    assert run(qtbot, qloop, whoami_with(synapse.base_url, user.access_token)) == user.user_id
    close(qtbot, qloop, page.account)


def test_wrong_passwords_are_not_rate_limited_by_synapse(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse_tight: SynapseServer,
    new_user: NewUser,
    traffic: list[RecordedRequest],
) -> None:
    # rc_login.failed_attempts is 2 per 4 s on this server, yet UIA password stages never touch it: each
    # wrong password is answered on the field at once. The page must not invent a wait either.
    user = new_user("pwtight", server=synapse_tight)
    page = open_page(qtbot, qloop, synapse_tight, user, traffic)
    for attempt in range(4):
        change(qtbot, page, f"wrong-{attempt}-password")
        qtbot.waitUntil(lambda: page.current_error.isVisible() and not page.runner.busy, timeout=20_000)
        assert page.current_error.text() == "The current password is wrong."
        assert not page.runner.rate_limited
    change(qtbot, page, user.password)
    wait_changed(qtbot, page)
    close(qtbot, qloop, page.account)


def test_the_email_dialog_resend_honours_the_tight_server_rate_limit(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse_tight: SynapseServer,
    new_user: NewUser,
    traffic: list[RecordedRequest],
) -> None:
    user = new_user("pwmail", server=synapse_tight)
    admin = new_user("pwadmin", admin=True, server=synapse_tight)
    address = f"{user.localpart}@example.test"
    response = httpx.put(
        f"{synapse_tight.base_url}/_synapse/admin/v2/users/{user.user_id}",
        json={"threepids": [{"medium": "email", "address": address}]},
        headers={"Authorization": f"Bearer {admin.access_token}"},
        timeout=20,
    )
    assert response.status_code == 200, response.text
    synapse_tight.reset_rate_limits()  # rc_3pid_validation's per-address buckets start full
    account = run(qtbot, qloop, sign_in(synapse_tight, user.localpart, user.password, traffic))
    host = QWidget()
    qtbot.addWidget(host)
    prompter = DialogPrompter.for_account(host, account, open_url=Browser())
    user_done = asyncio.Event()

    async def stage() -> ThreePidCredentials:
        # As the UIA driver does: ask, send the credentials, and keep the exchange (and the dialog) open
        # while the user waits for the mail.
        proof = await prompter.email_identity(
            ThreePidAsk(stage="m.login.email.identity", session=None, params={})
        )
        proofs.append(proof)
        await user_done.wait()
        return proof

    proofs: list[ThreePidCredentials] = []
    task = qloop.create_task(stage())
    qtbot.waitUntil(lambda: any(isinstance(d, EmailDialog) for d in prompter.dialogs), timeout=20_000)
    (dialog,) = prompter.dialogs
    assert isinstance(dialog, EmailDialog)
    qtbot.waitUntil(lambda: dialog.combo.count() == 1, timeout=20_000)
    assert dialog.combo.currentText() == address
    mails = synapse_tight.mailbox.count()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: proofs != [], timeout=20_000)  # the link is on its way: the driver may ask
    (creds,) = proofs
    assert dialog.step is Step.WAITING
    qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Sent again"), timeout=20_000)
    with qtbot.waitSignal(dialog.runner.rate_limit_ended, timeout=20_000):
        qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Try again in" in dialog.message.text(), timeout=20_000)
        assert not dialog.resend_button.isEnabled()
    assert dialog.resend_button.isEnabled()
    qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Sent again"), timeout=20_000)
    qtbot.waitUntil(lambda: synapse_tight.mailbox.count() >= mails + 3, timeout=20_000)
    requests = [r.body for r in traffic if r.url.endswith("/account/password/email/requestToken")]
    assert [b["send_attempt"] for b in requests] == [1, 2, 3, 4]  # type: ignore[index]
    assert {b["client_secret"] for b in requests} == {creds.client_secret}  # type: ignore[index]
    user_done.set()
    qtbot.waitUntil(task.done, timeout=20_000)
    assert prompter.dialogs == []  # the exchange is over: its dialog went with it
    close(qtbot, qloop, account)
