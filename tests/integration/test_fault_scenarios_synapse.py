"""Faults that are not one bad answer on the wire, through the whole app, against a real Synapse of its own.

The network faults of ``test_faults_synapse.py`` hit one request. These hit the account between requests:

* (a) the server restarts while an email confirmation waits for its link;
* (b) the server forgets a user-interactive-authentication (UIA) session while the person is answering it;
* (c) the access token is revoked between two actions on the pages;
* (d) two actions are started at once on one account.

Each is driven through the UI (``AppDriver``) and ends with what the person is left with: a specific message,
the app usable (nothing busy, the action can be done again), nothing lost (one mail, one password prompt),
and no unhandled exception or error in the log (pytest-qt fails a test on a Qt warning or a slot's exception
by itself). The module starts a Synapse of its own, so that stopping it and editing its database cannot
disturb the session server the other tests share.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import httpx
import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from mxsettings.store.secrets import access_token_key
from mxsettings.ui.dialogs.password_dialog import PasswordDialog
from tests.harness.fault_proxy import Fault, FaultProxy
from tests.harness.mailbox import Mailbox
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer
from tests.integration.app_driver import (
    WAIT,
    AppDriver,
    ErrorLog,
    open_mailed_link,
    server_versions,
    set_emails,
)

NEW_PASSWORD = "N3w-scenario-password"
OFFLINE = "The server cannot be reached right now. Nothing is lost: the app keeps trying."
ADD_WAIT = 45_000  # ms: the wait for a link tries again after 2, 3, 4.5, 6.75, 10 ... s


def waiting_text(address: str) -> str:
    return f"We sent a link to {address}. Open it, and the address is added by itself."


# --- the module's own server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_synapse() -> Iterator[SynapseServer]:
    server = SynapseServer(name="synapse-scenarios")
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def synapse(own_synapse: SynapseServer) -> SynapseServer:
    """The module's server, running (a test that stopped it and failed leaves it for the next to start)."""
    own_synapse.start()
    return own_synapse


@pytest.fixture
def mailbox(synapse: SynapseServer) -> Mailbox:
    return synapse.mailbox


@pytest.fixture(scope="module")
def versions(own_synapse: SynapseServer) -> tuple[str, ...]:
    return server_versions(own_synapse)


class PromptCounter(QObject):
    """Counts every password prompt ("Confirm it is you") that comes up while installed."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, PasswordDialog):
            self.shown += 1
        return False


@pytest.fixture
def prompts(qapp: QApplication) -> Iterator[PromptCounter]:
    counter = PromptCounter()
    qapp.installEventFilter(counter)
    try:
        yield counter
    finally:
        qapp.removeEventFilter(counter)


# --- helpers ------------------------------------------------------------------------------------------------


def answers(proxy: FaultProxy, path: str, status: int) -> int:
    """How many requests to a path ending in ``path`` got ``status`` back."""
    return sum(1 for e in proxy.exchanges if e.path.endswith(path) and e.status == status)


def stored_pending(app: AppDriver, user: RegisteredUser) -> list[str]:
    store = app.contact_page().service.pending_store
    return [item.address for item in app.run(store.load(user.user_id))]


def forget_uia_sessions(synapse: SynapseServer) -> int:
    """Do now what Synapse's clean-up does to a UIA session 48 hours old: delete it (and what hangs on it).

    Synapse's session lifetime is a constant (``AuthHandler.SESSION_EXPIRE_MS``), not configuration, and it
    reads a session from the database on every request, so deleting the rows is exactly an expiry.
    """
    with contextlib.closing(sqlite3.connect(synapse.workdir / "homeserver.db", timeout=30)) as db, db:
        (count,) = db.execute("SELECT count(*) FROM ui_auth_sessions").fetchone()
        db.execute("DELETE FROM ui_auth_sessions_ips")
        db.execute("DELETE FROM ui_auth_sessions_credentials")
        db.execute("DELETE FROM ui_auth_sessions")
    return int(count)


def revoke(synapse: SynapseServer, user: RegisteredUser) -> None:
    """The person signs this device out elsewhere (another client, or the admin): its token is gone."""
    response = httpx.post(
        f"{synapse.base_url}/_matrix/client/v3/logout",
        headers={"Authorization": f"Bearer {user.access_token}"},
        json={},
        timeout=20,
    )
    assert response.status_code == 200, response.text


def start_adding(app: AppDriver, proxy: FaultProxy, user: RegisteredUser, address: str) -> None:
    """Add, confirm the password once: the row then waits for the link with a confirmed UIA session."""
    app.press_add_email(address)
    app.answer_password_prompt(user.password)
    app.qtbot.waitUntil(lambda: answers(proxy, "/3pid/add", 400) >= 1, timeout=WAIT)
    row = app.pending_row(address)
    assert row is not None
    assert row.status_label.text() == waiting_text(address)


# --- (a) the server restarts while a confirmation waits -----------------------------------------------------


def test_a_server_restart_while_the_link_is_awaited_loses_nothing(  # noqa: PLR0917 (fixtures)
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    versions: tuple[str, ...],
    prompts: PromptCounter,
    error_log: ErrorLog,
) -> None:
    user = new_user("restart", server=synapse)
    address = f"{user.localpart}@example.test"
    app.open_signed_in(user, versions)
    mails = mailbox.count()
    start_adding(app, proxy, user, address)
    app.qtbot.waitUntil(lambda: mailbox.count() == mails + 1, timeout=WAIT)

    synapse.stop()
    row = app.pending_row(address)
    assert row is not None
    app.qtbot.waitUntil(lambda: row.status_label.text() == OFFLINE, timeout=ADD_WAIT)
    assert row.error.text() == ""  # a state, not a failure
    assert app.idle()
    assert stored_pending(app, user) == [address]
    assert app.pending_row(address) is row
    tries = len(proxy.exchanges)

    synapse.start()
    open_mailed_link(app.qtbot, mailbox, address, mails)  # the link works on the restarted server
    # Added by itself, on the wait's own schedule: nobody presses a button.
    app.qtbot.waitUntil(lambda: app.address_row(address) is not None, timeout=ADD_WAIT)
    assert app.contact_page().message.text() == f"{address} was added to your account."
    assert app.pending_row(address) is None
    assert answers(proxy, "/3pid/add", 200) == 1
    assert len(proxy.exchanges) > tries
    assert mailbox.count() == mails + 1, "a second mail was sent"
    assert prompts.shown == 1, "the password was asked for again"
    assert stored_pending(app, user) == []
    assert app.idle()
    assert error_log.problems() == []


# --- (b) the server forgets the UIA session while the person answers it -------------------------------------


def test_a_uia_session_forgotten_while_the_password_prompt_is_open(  # noqa: PLR0917 (fixtures)
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    versions: tuple[str, ...],
    prompts: PromptCounter,
    error_log: ErrorLog,
) -> None:
    user = new_user("uiaexpiry", server=synapse)
    address = f"{user.localpart}@example.test"
    app.open_signed_in(user, versions)
    mails = mailbox.count()
    app.press_add_email(address)
    app.wait_for_password_prompt()
    assert answers(proxy, "/3pid/add", 401) == 1
    assert forget_uia_sessions(synapse) >= 1  # the session the open prompt belongs to

    app.answer_password_prompt(user.password)
    # The app starts a fresh session by itself and answers it with the password just typed.
    app.qtbot.waitUntil(lambda: answers(proxy, "/3pid/add", 400) >= 2, timeout=WAIT)
    app.qtbot.waitUntil(lambda: app.password_prompt() is None, timeout=WAIT)
    row = app.pending_row(address)
    assert row is not None
    assert row.error.text() == ""
    assert row.status_label.text() == waiting_text(address)
    assert answers(proxy, "/3pid/add", 401) == 2  # the forgotten session's challenge, and the new one's
    assert prompts.shown == 1
    assert app.idle()

    open_mailed_link(app.qtbot, mailbox, address, mails)
    app.press_check_now(address)
    app.qtbot.waitUntil(lambda: app.address_row(address) is not None, timeout=WAIT)
    assert prompts.shown == 1, "the password was asked for again"
    assert mailbox.count() == mails + 1
    assert stored_pending(app, user) == []
    assert app.idle()
    assert error_log.problems() == []


def test_a_kept_password_change_session_that_expired_is_replaced_without_a_word(  # noqa: PLR0917
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    new_user: NewUser,
    versions: tuple[str, ...],
    prompts: PromptCounter,
    error_log: ErrorLog,
) -> None:
    user = new_user("pwexpiry", server=synapse)
    app.open_signed_in(user, versions)
    app.press_change_password("not-the-Password-1", NEW_PASSWORD)
    assert app.password_message() == "The current password is wrong."
    assert app.password_page()._changer.resumable  # the next try would go on in the same session
    assert forget_uia_sessions(synapse) >= 1

    app.press_change_password(user.password, NEW_PASSWORD)
    assert app.password_message().startswith("Your password has been changed."), app.password_message()
    assert answers(proxy, "/account/password", 200) == 1
    assert prompts.shown == 0
    assert app.idle()
    assert error_log.problems() == []


# --- (c) the token is revoked between two actions -----------------------------------------------------------


@pytest.mark.parametrize("second", ["change-password", "add-email", "remove-email"])
def test_a_token_revoked_between_two_actions_returns_to_sign_in(  # noqa: PLR0917 (fixtures)
    second: str,
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    versions: tuple[str, ...],
    error_log: ErrorLog,
) -> None:
    user = new_user("revoked", server=synapse)
    admin = new_user("revokedadmin", admin=True, server=synapse)
    address = f"{user.localpart}@example.test"
    if second == "remove-email":
        set_emails(synapse, admin, user, address)
    app.open_signed_in(user, versions)
    # The first action works.
    app.press_change_password(user.password, NEW_PASSWORD)
    assert app.password_message().startswith("Your password has been changed."), app.password_message()
    password = NEW_PASSWORD

    revoke(synapse, user)
    mails = mailbox.count()
    match second:
        case "change-password":
            app.press_change_password(password, "An0ther-new-password")
        case "add-email":
            app.press_add_email(address)
        case "remove-email":
            app.press_remove(address)
    window = app.window
    app.qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=WAIT)
    app.wait_idle()
    assert window.notice.isVisible()
    assert window.notice.text() == f"{user.user_id} was signed out by the server; sign in again to manage it."
    assert window.manager.accounts == []
    assert app.run(app.secrets.get(access_token_key(user.user_id, user.device_id))) is None
    assert app.password_prompt() is None

    # Signing in again brings everything back, and the action can be done again.
    app.look_up_server()
    app.press_sign_in(user.localpart, password)
    app.wait_for_account(user.user_id)
    match second:
        case "change-password":
            app.press_change_password(password, "An0ther-new-password")
            assert app.password_message().startswith("Your password has been changed.")
        case "add-email":
            # The address asked for before the sign-out still waits, with the one mail sent then.
            app.qtbot.waitUntil(lambda: app.pending_row(address) is not None, timeout=WAIT)
            assert mailbox.count() == mails + 1
            open_mailed_link(app.qtbot, mailbox, address, mails)
            app.press_check_now(address)
            app.answer_password_prompt(password)
            app.qtbot.waitUntil(lambda: app.address_row(address) is not None, timeout=WAIT)
            assert mailbox.count() == mails + 1
        case "remove-email":
            app.press_remove(address)
            app.qtbot.waitUntil(lambda: app.address_row(address) is None, timeout=WAIT)
    app.wait_idle()
    assert error_log.problems() == []


# --- (d) two actions at once --------------------------------------------------------------------------------


def test_a_password_change_and_an_added_address_at_once(  # noqa: PLR0917 (fixtures)
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    versions: tuple[str, ...],
    prompts: PromptCounter,
    error_log: ErrorLog,
) -> None:
    user = new_user("atonce", server=synapse)
    address = f"{user.localpart}@example.test"
    app.open_signed_in(user, versions)
    app.contact_page()  # the list has loaded
    mails = mailbox.count()
    proxy.fail(Fault.DELAY, method="POST", path=r"/account/password$", delay=1.0)
    app.start_change_password(user.password, NEW_PASSWORD)
    app.start_add_email(address)
    password_page = app.password_page()
    assert password_page.runner.busy  # both are running now
    app.qtbot.waitUntil(lambda: app.pending_row(address) is not None, timeout=WAIT)
    app.qtbot.waitUntil(lambda: not password_page.runner.busy, timeout=WAIT)
    assert app.password_message().startswith("Your password has been changed."), app.password_message()
    # The address's confirmation asks for the password the account has now.
    app.answer_password_prompt(NEW_PASSWORD)
    app.qtbot.waitUntil(lambda: answers(proxy, "/3pid/add", 400) >= 1, timeout=WAIT)
    open_mailed_link(app.qtbot, mailbox, address, mails)
    app.press_check_now(address)
    app.qtbot.waitUntil(lambda: app.address_row(address) is not None, timeout=WAIT)
    assert mailbox.count() == mails + 1
    assert prompts.shown == 1
    assert answers(proxy, "/account/password", 200) == 1
    app.wait_idle()
    assert error_log.problems() == []


def test_a_double_click_changes_the_password_once(  # noqa: PLR0917 (fixtures)
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    versions: tuple[str, ...],
    prompts: PromptCounter,
    error_log: ErrorLog,
) -> None:
    user = new_user("dblclick", server=synapse)
    address = f"{user.localpart}@example.test"
    app.open_signed_in(user, versions)
    page = app.password_page()
    proxy.fail(Fault.DELAY, method="POST", path=r"/account/password$", delay=0.5)
    app.start_change_password(user.password, NEW_PASSWORD)
    app.qtbot.mouseDClick(page.submit_button, Qt.MouseButton.LeftButton)
    app.qtbot.keyClick(page.confirm_edit, Qt.Key.Key_Return)
    app.wait_idle()
    assert app.password_message().startswith("Your password has been changed."), app.password_message()
    assert [e.status for e in proxy.exchanges if e.path.endswith("/account/password")] == [401, 200]

    # The same for Add: the second press while the link is being sent sends nothing.
    mails = mailbox.count()
    proxy.fail(Fault.DELAY, method="POST", path=r"/requestToken$", delay=0.5)
    contact = app.contact_page()
    app.start_add_email(address)
    app.qtbot.mouseDClick(contact.email_form.add_button, Qt.MouseButton.LeftButton)
    app.qtbot.keyClick(contact.email_form.edit, Qt.Key.Key_Return)
    app.wait_idle()
    app.answer_password_prompt(NEW_PASSWORD)
    app.qtbot.waitUntil(lambda: answers(proxy, "/3pid/add", 400) >= 1, timeout=WAIT)
    assert answers(proxy, "/requestToken", 200) == 1
    assert mailbox.count() == mails + 1
    assert prompts.shown == 1
    app.wait_idle()
    assert error_log.problems() == []


def test_two_addresses_removed_at_once_while_the_list_reloads(  # noqa: PLR0917 (fixtures)
    app: AppDriver,
    proxy: FaultProxy,
    synapse: SynapseServer,
    new_user: NewUser,
    versions: tuple[str, ...],
    error_log: ErrorLog,
) -> None:
    user = new_user("tworemove", server=synapse)
    admin = new_user("tworemoveadmin", admin=True, server=synapse)
    first, second = f"{user.localpart}-1@example.test", f"{user.localpart}-2@example.test"
    set_emails(synapse, admin, user, first, second)
    app.open_signed_in(user, versions)
    app.contact_page()
    # The first removal ends (and reloads the list) while the second still runs; then the second fails.
    proxy.fail(Fault.DELAY, method="POST", path=r"/3pid/delete$", times=1, delay=0.3)
    proxy.fail(Fault.STALL, method="POST", path=r"/3pid/delete$", times=1)
    app.start_remove(first)
    app.start_remove(second)
    app.wait_idle()
    assert app.address_row(first) is None
    row = app.address_row(second)
    assert row is not None, "the address whose removal failed is gone from the list"
    assert "did not answer in time" in row.error.text(), row.error.text()
    assert row.confirm_button.isVisible()
    assert row.confirm_button.isEnabled()
    proxy.clear()
    app.press_confirm_remove(second)
    app.qtbot.waitUntil(lambda: app.address_row(second) is None, timeout=WAIT)
    assert app.contact_page().message.text().startswith(f"{second} was removed")
    app.wait_idle()
    assert error_log.problems() == []
