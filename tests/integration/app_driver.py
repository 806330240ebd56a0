"""The whole app (``build_main_window``) against Synapse, driven the way a person drives it (pytest-qt).

Shared by the fault, scenario and secrets tests. ``AppDriver`` opens the main window on a server (usually a
``FaultProxy`` in front of Synapse), signs in by typing or opens a stored session as the app does at start,
and offers one method per step a person takes: type the password change and press the button, add an email
address and answer the password prompt, open the mailed link, remove an address. Each step returns once the
app has finished reacting (nothing busy), so a test reads what is on screen straight after.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import urllib.request
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from mxsettings.api.client import Timeouts
from mxsettings.app import build_main_window
from mxsettings.store.accounts import AccountRecord, AccountRecords, LoginMethod
from mxsettings.store.secrets import MemorySecretStore, SecretStore, access_token_key
from mxsettings.ui.dialogs.password_dialog import PasswordDialog
from mxsettings.ui.field_message import FieldMessage
from mxsettings.ui.main_window import MainWindow
from mxsettings.ui.pages.contact_page import ContactPage
from mxsettings.ui.pages.contact_rows import AddressRow, PendingRow
from mxsettings.ui.pages.password_page import PasswordPage
from mxsettings.ui.task_runner import TaskRunner
from tests.harness.mailbox import Mailbox, validation_link
from tests.harness.synapse import RegisteredUser, SynapseServer
from tests.qt_loop import shut_down

W = TypeVar("W", bound=QWidget)
T = TypeVar("T")

# Short enough that a stalled request ends in seconds, long enough for Synapse on a busy 2-core machine.
FAST = Timeouts(connect=2.0, read=2.0, write=2.0, pool=2.0)
WAIT = 20_000  # ms; every wait ends as soon as its state is reached


class Browser:
    """Stands in for the system browser: remembers what the app asked it to open."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: str) -> None:
        self.opened.append(url)


@dataclass
class AppDriver:
    qtbot: QtBot
    loop: asyncio.AbstractEventLoop
    server_url: str  # what the app is told the homeserver is (the proxy, usually)
    config_dir: Path
    secrets: SecretStore = field(default_factory=MemorySecretStore)
    timeouts: Timeouts = FAST
    transport: httpx.AsyncBaseTransport | None = None
    browser: Browser = field(default_factory=Browser)
    windows: list[MainWindow] = field(default_factory=list)

    # --- opening the app ---------------------------------------------------------------------------------

    @property
    def window(self) -> MainWindow:
        return self.windows[-1]

    def open(self) -> MainWindow:
        """Start the app as ``mxsettings`` does: show the window, then restore what was saved."""
        window = build_main_window(
            config_dir=self.config_dir,
            secret_store=self.secrets,
            transport=self.transport,
            open_url=self.browser,
            timeouts=self.timeouts,
        )
        # Not qtbot.addWidget: pytest-qt would close and delete the window before the fixture's teardown
        # could close its network clients; ``close`` does both, in that order.
        window.show()
        window.start()
        self.windows.append(window)
        self.qtbot.waitUntil(lambda: window.stack.currentWidget() is not window.loading, timeout=WAIT)
        return window

    def store_session(self, user: RegisteredUser, versions: tuple[str, ...]) -> None:
        """What an earlier run left behind after signing in: the record, and the token in the keyring."""
        record = AccountRecord(
            homeserver=self.server_url,
            user_id=user.user_id,
            device_id=user.device_id,
            login_method=LoginMethod.PASSWORD,
            api_versions=versions,
        )
        AccountRecords(self.config_dir).upsert(record)
        self.run(self.secrets.set(access_token_key(user.user_id, user.device_id), user.access_token))

    def open_signed_in(self, user: RegisteredUser, versions: tuple[str, ...]) -> MainWindow:
        self.store_session(user, versions)
        window = self.open()
        self.wait_for_account(user.user_id)
        return window

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        task = self.loop.create_task(coro)
        self.qtbot.waitUntil(task.done, timeout=WAIT)
        return task.result()

    def close(self) -> None:
        """Quit: close the network clients, then destroy the windows on this (the GUI) thread."""
        shut_down(self.qtbot, self.loop, self.windows)
        self.windows.clear()
        # Collected here, on the GUI thread, so no widget wrapper dies later in a worker thread.
        gc.collect()

    # --- what is on screen -------------------------------------------------------------------------------

    def wait_for_account(self, user_id: str) -> None:
        view = self.window.account_view
        self.qtbot.waitUntil(
            lambda: self.window.stack.currentWidget() is view and view.user_label.text() == user_id,
            timeout=WAIT,
        )

    def runners(self) -> list[TaskRunner]:
        """Every runner of the window whose tasks a person started (not the contact rows' long waits)."""
        found = [self.window.runner, self.window.sign_in.runner]
        for page in self.window.account_view.pages():
            found.append(page.runner)  # type: ignore[attr-defined]
        return found

    def idle(self) -> bool:
        """Nothing is running that a person started, and the busy indicator is off."""
        return not any(r.busy for r in self.runners()) and not self.window.busy.isVisible()

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(self.idle, timeout=WAIT)

    def messages(self) -> list[str]:
        """Every message on screen now: field messages, notices, dialog texts (for secrets scans too)."""
        shown: list[str] = []
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible():
                continue
            shown.append(widget.windowTitle())
            for label in widget.findChildren(QLabel):
                if label.isVisibleTo(widget) and label.text():
                    shown.append(label.text())
        shown.append(self.window.status_text.text())
        return shown

    # --- signing in --------------------------------------------------------------------------------------

    def look_up_server(self) -> None:
        page = self.window.sign_in
        type_into(self.qtbot, page.homeserver_input, self.server_url)
        self.qtbot.keyClick(page.homeserver_input, Qt.Key.Key_Return)
        self.qtbot.waitUntil(page.password_box.isVisible, timeout=WAIT)

    def press_sign_in(self, user: str, password: str) -> None:
        page = self.window.sign_in
        type_into(self.qtbot, page.username_input, user)
        type_into(self.qtbot, page.password_input, password)
        self.qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
        self.wait_idle()

    def sign_in_message(self) -> str:
        page = self.window.sign_in
        return shown_text(page.homeserver_error, page.username_error, page.password_error, page.form_error)

    def sign_out(self) -> None:
        self.qtbot.mouseClick(self.window.account_view.sign_out_button, Qt.MouseButton.LeftButton)
        self.wait_idle()

    # --- the Password tab --------------------------------------------------------------------------------

    def password_page(self) -> PasswordPage:
        return self._tab(PasswordPage)

    def press_change_password(self, current: str, new: str) -> None:
        page = self.password_page()
        for edit, text in ((page.current_edit, current), (page.new_edit, new), (page.confirm_edit, new)):
            if edit.text() != text:
                type_into(self.qtbot, edit, text)
        assert page.submit_button.isEnabled()
        self.qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
        self.wait_idle()

    def password_message(self) -> str:
        page = self.password_page()
        return shown_text(page.current_error, page.new_error, page.confirm_error, page.result)

    # --- the Contact info tab ----------------------------------------------------------------------------

    def contact_page(self) -> ContactPage:
        page = self._tab(ContactPage)
        self.qtbot.waitUntil(lambda: not page.runner.busy, timeout=WAIT)  # the list has loaded
        return page

    def press_add_email(self, address: str) -> None:
        page = self.contact_page()
        type_into(self.qtbot, page.email_form.edit, address)
        self.qtbot.mouseClick(page.email_form.add_button, Qt.MouseButton.LeftButton)
        self.wait_idle()

    def email_form_message(self) -> str:
        return shown_text(self.contact_page().email_form.error)

    def pending_row(self, address: str) -> PendingRow | None:
        found = self.contact_page().findChild(PendingRow, f"pending:email:{address}")
        return found if isinstance(found, PendingRow) and shiboken6.isValid(found) else None

    def address_row(self, address: str) -> AddressRow | None:
        found = self.contact_page().findChild(AddressRow, f"contact:email:{address}")
        return found if isinstance(found, AddressRow) and shiboken6.isValid(found) else None

    def answer_password_prompt(self, password: str) -> PasswordDialog:
        """The "confirm it is you" dialog comes up; type the password and press Continue."""
        dialog = self.wait_for_password_prompt()
        type_into(self.qtbot, dialog.edit, password)
        self.qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
        return dialog

    def wait_for_password_prompt(self) -> PasswordDialog:
        self.qtbot.waitUntil(lambda: self.password_prompt() is not None, timeout=WAIT)
        dialog = self.password_prompt()
        assert dialog is not None
        return dialog

    def password_prompt(self) -> PasswordDialog | None:
        for dialog in self.window.findChildren(PasswordDialog):
            if shiboken6.isValid(dialog) and dialog.isVisible():
                return dialog
        return None

    def press_check_now(self, address: str) -> None:
        row = self.pending_row(address)
        assert row is not None, f"no pending row for {address}"
        self.qtbot.mouseClick(row.check_button, Qt.MouseButton.LeftButton)

    def press_remove(self, address: str) -> None:
        """Remove, then "Yes, remove"."""
        row = self.address_row(address)
        assert row is not None, f"{address} is not listed"
        self.qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
        self.press_confirm_remove(address)

    def press_confirm_remove(self, address: str) -> None:
        row = self.address_row(address)
        assert row is not None, f"{address} is not listed"
        assert row.confirm_button.isVisible()
        self.qtbot.mouseClick(row.confirm_button, Qt.MouseButton.LeftButton)
        self.wait_idle()

    # --- starting an action without waiting for it (two at once, or something between) -------------------

    def start_change_password(self, current: str, new: str) -> None:
        """As ``press_change_password``, but returns as soon as the button is pressed."""
        page = self.password_page()
        for edit, text in ((page.current_edit, current), (page.new_edit, new), (page.confirm_edit, new)):
            if edit.text() != text:
                type_into(self.qtbot, edit, text)
        assert page.submit_button.isEnabled()
        self.qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)

    def start_add_email(self, address: str) -> None:
        """As ``press_add_email``, but returns as soon as Add is pressed (the tab's list must have loaded;
        unlike ``contact_page`` this does not wait for the tab's other work to end)."""
        page = self._tab(ContactPage)
        type_into(self.qtbot, page.email_form.edit, address)
        self.qtbot.mouseClick(page.email_form.add_button, Qt.MouseButton.LeftButton)

    def start_remove(self, address: str) -> None:
        """Remove, then "Yes, remove"; returns as soon as the answer is given, even while the tab is busy."""
        found = self._tab(ContactPage).findChild(AddressRow, f"contact:email:{address}")
        assert isinstance(found, AddressRow), f"{address} is not listed"
        assert shiboken6.isValid(found), f"{address} is not listed"
        row = found
        self.qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
        assert row.confirm_button.isVisible()
        self.qtbot.mouseClick(row.confirm_button, Qt.MouseButton.LeftButton)

    # --- helpers -------------------------------------------------------------------------------------------

    def _tab(self, kind: type[W]) -> W:
        tabs = self.window.account_view.tabs
        for index in range(tabs.count()):
            page = tabs.widget(index)
            if isinstance(page, kind):
                if tabs.currentIndex() != index:
                    tabs.setCurrentIndex(index)  # as a click on the tab does
                return page
        raise AssertionError(f"no {kind.__name__} tab")


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """As a person does: click into the field, select what is there, type over it."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, text)
    assert field.text() == text


def shown_text(*messages: FieldMessage) -> str:
    """The first message that says something (by its text: a message on a hidden tab is still there)."""
    return next((m.text() for m in messages if m.text()), "")


def open_mailed_link(qtbot: QtBot, mailbox: Mailbox, address: str, since: int) -> None:
    """What the person does in their mail program: open the newest link sent to ``address``."""
    found: list[object] = []

    def arrived() -> bool:
        try:
            found.append(mailbox.wait_for(address, since, timeout=0))
        except TimeoutError:
            return False
        return True

    qtbot.waitUntil(arrived, timeout=WAIT)
    # urllib, not httpx: httpx logs every URL it fetches, and this one holds the client secret, which the
    # secrets test looks for in every log record (the person's browser is not the app's log).
    link = validation_link(found[-1])  # type: ignore[arg-type]
    with urllib.request.urlopen(link, timeout=10) as response:  # noqa: S310 (a loopback http link)
        assert response.status == 200, response.read()


def set_emails(synapse: SynapseServer, admin: RegisteredUser, user: RegisteredUser, *emails: str) -> None:
    """Put addresses on an account directly (the admin API), for tests that start from a listed address."""
    response = httpx.put(
        f"{synapse.base_url}/_synapse/admin/v2/users/{user.user_id}",
        json={"threepids": [{"medium": "email", "address": e} for e in emails]},
        headers={"Authorization": f"Bearer {admin.access_token}"},
        timeout=20,
    )
    assert response.status_code == 200, response.text


def server_versions(synapse: SynapseServer) -> tuple[str, ...]:
    response = httpx.get(f"{synapse.base_url}/_matrix/client/versions", timeout=10)
    response.raise_for_status()
    return tuple(response.json()["versions"])


class ErrorLog(logging.Handler):
    """Collects every log record at WARNING or above, from any logger, while installed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def problems(self) -> list[str]:
        return [f"{r.name}: {r.levelname}: {r.getMessage()}" for r in self.records]


def install_error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
