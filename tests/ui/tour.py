"""A walk through every page and dialog of the app, against the spec-shaped fake homeserver.

``tour(visit)`` drives the real main window through its real code paths (sign in, each tab, typing, the
authentication dialogs of the UIA stages, closing the account) and calls ``visit(stop)`` at each state worth
looking at. It is shared by the translation, accessibility and keyboard tests, ``scripts/screenshots.py`` and
``scripts/ui_names.py``, so that each of them covers the same surfaces: a new page or dialog added here is
checked for untranslated text and unnamed controls, photographed and listed in ``docs/ui-names.md``.

It runs as an asyncio task on a qasync loop: in a test, ``run_tour(qtbot, qloop, visit)``; in a script,
``loop.run_until_complete(tour(visit))``. Waits poll with ``asyncio.sleep``, so the Qt loop keeps running.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QScrollArea, QWidget

from mxsettings.app import build_main_window
from mxsettings.store.secrets import MemorySecretStore, StoreProblem
from mxsettings.ui.dialogs.base import AuthDialog
from mxsettings.ui.dialogs.fallback_dialog import FallbackDialog
from mxsettings.ui.dialogs.password_dialog import PasswordDialog
from mxsettings.ui.dialogs.threepid_dialogs import EmailDialog, PhoneDialog, Step
from mxsettings.ui.main_window import MainWindow
from mxsettings.ui.pages.close_account_page import CloseAccountPage
from mxsettings.ui.pages.contact_page import ContactPage
from mxsettings.ui.pages.password_page import PasswordPage
from tests.fakes.homeserver import FakeHomeserver

BASE_URL = "https://matrix.example.org"
USER_ID = "@alice:example.org"
EMAIL = "alice@example.org"
NEW_EMAIL = "alice.work@example.org"
PHONE = "447700900123"  # as the server lists it: E.164 digits without "+"
NEW_PHONE_TYPED = "07700 900456"
IDP_NAME = "Example ID"
DELEGATED_URL = "https://auth.example.org"


def user_data() -> list[str]:
    """Text that is the user's or the server's, not the app's: never translated, allowed anywhere."""
    locale = QLocale()
    months = [locale.monthName(m, form) for m in range(1, 13) for form in QLocale.FormatType] + [
        locale.standaloneMonthName(m, form) for m in range(1, 13) for form in QLocale.FormatType
    ]
    days = [locale.dayName(d, form) for d in range(1, 8) for form in QLocale.FormatType]
    return [
        USER_ID,
        BASE_URL,
        "matrix.example.org",
        "example.org",
        EMAIL,
        NEW_EMAIL,
        "+" + PHONE,
        "+44 7700 900123",
        "07700 900123",
        "+44 7700 900456",
        "+447700900456",
        "447700900456",
        NEW_PHONE_TYPED,
        PHONE,
        IDP_NAME,
        DELEGATED_URL,
        "alice",
        # Dates ("Added on 3 December 2025") are formatted by QLocale from the locale's own data.
        *months,
        *days,
    ]


@dataclass(frozen=True)
class Stop:
    """One state to inspect. ``widget`` is the window or dialog; ``name`` a file-name-safe label."""

    name: str
    widget: QWidget
    title: str = ""  # what the state shows, for docs


Visit = Callable[[Stop], Awaitable[None] | None]
T = TypeVar("T")


def _fake() -> FakeHomeserver:
    fake = FakeHomeserver(base_url=BASE_URL, user_id=USER_ID)
    fake.login_flows = [
        {"type": "m.login.password"},
        {"type": "m.login.sso", "identity_providers": [{"id": "example-id", "name": IDP_NAME}]},
    ]
    fake.threepids = [
        {
            "medium": "email",
            "address": EMAIL,
            "validated_at": 1_700_000_000_000,
            "added_at": 1_700_000_000_000,
        },
        {
            "medium": "msisdn",
            "address": PHONE,
            "validated_at": 1_700_000_000_000,
            "added_at": 1_700_000_000_000,
        },
    ]
    return fake


@dataclass
class Tour:
    visit: Visit
    fake: FakeHomeserver = field(default_factory=_fake)
    opened: list[str] = field(default_factory=list)

    async def stop(self, name: str, widget: QWidget, title: str = "") -> None:
        await settle()
        result = self.visit(Stop(name, widget, title))
        if result is not None:
            await result


async def settle() -> None:
    """Let layouts, deferred deletes and queued signals run before a picture or a check."""
    for _ in range(3):
        await asyncio.sleep(0.01)
        QApplication.processEvents()


async def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"tour: never reached: {what}")
        await asyncio.sleep(0.02)


def visible_dialog(kind: type[T]) -> T | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


async def dialog(kind: type[T]) -> T:
    await until(lambda: visible_dialog(kind) is not None, f"a visible {kind.__name__}")
    found = visible_dialog(kind)
    assert found is not None
    return found


def _code_entry(page: ContactPage) -> QLineEdit | None:
    rows = [page.pending.row(key) for key in page.pending.keys() if key[0] == "msisdn"]  # noqa: SIM118 (not a dict)
    edits = [row.code_edit for row in rows if row is not None and row.code_edit.isVisible()]
    return edits[0] if edits else None


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def page_of(window: MainWindow, kind: type[T]) -> T:
    pages = [p for p in window.account_view.pages() if isinstance(p, kind)]
    assert pages, f"no {kind.__name__} among the tabs"
    return pages[0]


def show_tab(window: MainWindow, page: QWidget) -> None:
    window.account_view.tabs.setCurrentWidget(page)


async def tour(visit: Visit, *, size: tuple[int, int] = (780, 680)) -> None:
    # The tour closes one window before it opens the next: that must not end the application.
    quit_on_close = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        await _tour(visit, size)
    finally:
        QApplication.setQuitOnLastWindowClosed(quit_on_close)


async def _tour(visit: Visit, size: tuple[int, int]) -> None:
    t = Tour(visit)
    with tempfile.TemporaryDirectory() as config:
        window = build_main_window(
            config_dir=Path(config),
            secret_store=MemorySecretStore(),
            transport=t.fake.transport(),
            store_problem=StoreProblem.NO_BACKEND,
            open_url=t.opened.append,
        )
        window.resize(*size)
        window.show()
        window.start()
        try:
            await _sign_in(t, window)
            await _tabs(t, window)
            await _auth_dialogs(t, window)
            await _close_account(t, window)
        finally:
            for top in QApplication.topLevelWidgets():
                if isinstance(top, AuthDialog | QMessageBox) and top.isVisible():
                    top.close()
            await window.shutdown()
            window.close()
            window.deleteLater()
        await _delegated(t, size)
        await settle()


async def _sign_in(t: Tour, window: MainWindow) -> None:
    page = window.sign_in
    await until(lambda: window.stack.currentWidget() is page, "the sign-in page")
    await t.stop("sign-in", window, "Signing in: choose a homeserver (no secure keyring on this machine)")
    page.homeserver_input.setText(BASE_URL)
    page.look_up()
    await until(page.password_box.isVisible, "the password box")
    page.username_input.setText("alice")
    page.password_input.setText("wrong-password")
    page.sign_in()
    await until(page.password_error.isVisible, "the wrong-password message")
    await t.stop("sign-in-error", window, "A wrong password, said beside the field; single sign-on offered")
    page.password_input.setText(t.fake.password)
    page.sign_in()
    await until(lambda: window.stack.currentWidget() is window.account_view, "the account view")
    await until(lambda: not window.busy.isVisible(), "the end of the work after signing in")


async def _tabs(t: Tour, window: MainWindow) -> None:
    password = page_of(window, PasswordPage)
    show_tab(window, password)
    await t.stop("password-tab", window, "The Password tab")
    password.current_edit.setText(t.fake.password)
    password.new_edit.setText("password1")
    password.confirm_edit.setText("passw0rd")
    password.confirm_edit.editingFinished.emit()
    await until(password.strength_label.isVisible, "the strength meter (its helper process answers)")
    await t.stop("password-tab-typing", window, "Typing a new password: strength, rules, a mismatch")

    contacts = page_of(window, ContactPage)
    show_tab(window, contacts)
    await until(lambda: not contacts.runner.busy, "the contact list")
    await t.stop("contact-tab", window, "The Contact info tab")
    contacts.email_form.edit.setText(NEW_EMAIL)
    contacts.email_form.add_button.click()
    await until(lambda: bool(contacts.pending.keys()), "a pending email address")
    await until(lambda: not contacts.runner.busy, "the confirmation link being sent")
    await t.stop("contact-tab-pending", window, "An email address waiting for its link")
    contacts.phone_form.set_country("GB")
    contacts.phone_form.edit.setText(NEW_PHONE_TYPED)
    contacts.phone_form.add_button.click()
    await until(lambda: _code_entry(contacts) is not None, "a phone number waiting for its code")
    await until(lambda: not contacts.runner.busy, "the code being sent")
    code_edit = _code_entry(contacts)
    assert code_edit is not None
    code_edit.setFocus()
    scroll = _scroll_area_of(code_edit)
    if scroll is not None:
        scroll.ensureWidgetVisible(code_edit)
    await t.stop("contact-tab-code", window, "A phone number waiting for the code from the text message")
    # Waiting rows keep asking the server; left behind they would ask for the password later in the tour.
    for key in contacts.pending.keys():  # noqa: SIM118 (not a dict)
        row = contacts.pending.row(key)
        if row is not None:
            row.cancel_button.click()
    await until(lambda: not contacts.pending.keys(), "the pending rows cancelled")
    await until(lambda: not contacts.runner.busy, "the server told of the cancellations")

    closing = page_of(window, CloseAccountPage)
    show_tab(window, closing)
    await t.stop("close-account-tab", window, "The Close account tab")


async def _auth_dialogs(t: Tour, window: MainWindow) -> None:
    """The dialogs a server's UIA stages open, reached by changing the password on a server asking for
    them; each is cancelled, which leaves the form as it was."""
    page = page_of(window, PasswordPage)
    show_tab(window, page)
    for edit, text in ((page.current_edit, t.fake.password), (page.new_edit, "N3w-Password!x")):
        edit.setText(text)
    page.confirm_edit.setText("N3w-Password!x")

    t.fake.uia_flows = [["m.login.email.identity"]]
    page.apply()
    email = await dialog(EmailDialog)
    await until(email.send_button.isEnabled, "the account's addresses in the email dialog")
    await t.stop("email-dialog", email, "Confirming it is you by email: choose the address")
    email.send_button.click()
    await until(lambda: email.step is Step.WAITING, "the email dialog waiting for the link")
    await t.stop("email-dialog-waiting", email, "Waiting for the link in the email")
    email.cancel_button.click()
    await until(lambda: not page.runner.busy, "the cancelled password change")

    t.fake.uia_flows = [["m.login.msisdn"]]
    page.apply()
    phone = await dialog(PhoneDialog)
    await until(phone.send_button.isEnabled, "the account's numbers in the phone dialog")
    phone.send_button.click()
    await until(lambda: phone.step is Step.CODE, "the phone dialog asking for the code")
    await t.stop("phone-dialog-code", phone, "Confirming it is you by text message: the code")
    phone.cancel_button.click()
    await until(lambda: not page.runner.busy, "the cancelled password change")

    t.fake.uia_flows = [["m.login.recaptcha"]]
    page.apply()
    fallback = await dialog(FallbackDialog)
    await t.stop("browser-dialog", fallback, "A step the server runs on its own page")
    fallback.cancel_button.click()
    await until(lambda: not page.runner.busy, "the cancelled password change")
    t.fake.uia_flows = [["m.login.password"]]


async def _close_account(t: Tour, window: MainWindow) -> None:
    page = page_of(window, CloseAccountPage)
    show_tab(window, page)
    page.confirm_edit.setText(USER_ID)
    page.erase_check.setChecked(True)
    await t.stop("close-account-ready", window, "Closing the account: confirmed by typing the user ID")
    page.apply()
    asked = await dialog(PasswordDialog)
    asked.edit.setText("not-my-password")
    asked.continue_button.click()
    await until(
        lambda: (d := visible_dialog(PasswordDialog)) is not None and d.message.isVisible(), "a refusal"
    )
    refused = visible_dialog(PasswordDialog)
    assert refused is not None
    await t.stop("password-dialog-error", refused, "The server asks for the password again after a refusal")
    refused.edit.setText(t.fake.password)
    refused.continue_button.click()
    await until(lambda: page.closed_note is not None and page.closed_note.isVisible(), "the closed note")
    assert page.closed_note is not None
    await t.stop("account-closed-note", page.closed_note, "The account is closed")
    page.closed_note.close()
    await until(lambda: window.stack.currentWidget() is window.sign_in, "the sign-in page after closing")
    await t.stop("signed-out", window, "Back to signing in, with what happened")


async def _delegated(t: Tour, size: tuple[int, int]) -> None:
    """A server that hands account management to its own website (OAuth 2.0): the sign-in page says so."""
    fake = FakeHomeserver(base_url=BASE_URL, user_id=USER_ID)
    fake.login_flows = [{"type": "m.login.sso", "oauth_aware_preferred": True}]
    fake.auth_metadata = {
        "issuer": f"{DELEGATED_URL}/",
        "authorization_endpoint": f"{DELEGATED_URL}/authorize",
        "token_endpoint": f"{DELEGATED_URL}/oauth2/token",
        "account_management_uri": f"{DELEGATED_URL}/account/",
        "account_management_actions_supported": ["org.matrix.profile", "org.matrix.account_deactivate"],
    }
    with tempfile.TemporaryDirectory() as config:
        window = build_main_window(
            config_dir=Path(config),
            secret_store=MemorySecretStore(),
            transport=fake.transport(),
            open_url=t.opened.append,
        )
        window.resize(*size)
        window.show()
        window.start()
        try:
            page = window.sign_in
            await until(lambda: window.stack.currentWidget() is page, "the sign-in page")
            page.homeserver_input.setText(BASE_URL)
            page.look_up()
            await until(page.delegated_box.isVisible, "the delegated-server explanation")
            await t.stop("sign-in-delegated", window, "A server that manages accounts on its own website")
        finally:
            await window.shutdown()
            window.close()
            window.deleteLater()


def focusable(top: QWidget) -> list[QWidget]:
    """The widgets of ``top`` that Tab can reach now: visible, with a tab focus policy."""
    from PySide6.QtCore import Qt

    widgets = [top, *top.findChildren(QWidget)]
    return [
        w
        for w in widgets
        if w.window() is top  # a dialog parented to the window is a window of its own
        and w.isVisibleTo(top)
        and w.isVisible()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.isEnabled()
        and w.focusProxy() is None  # it hands the focus on (a tab widget to its tab bar)
        and not _inside_combo_popup(w)
    ]


def _inside_combo_popup(widget: QWidget) -> bool:
    """A combo box's list exists while closed; only the box itself is a control."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent.inherits("QComboBoxPrivateContainer"):
            return True
        parent = parent.parentWidget()
    return False


# Inputs and buttons, as docs/ui-names.md lists them.
CONTROL_TYPES = (QLineEdit, QPushButton)
