"""The sign-in page: choose a homeserver, see what it offers, sign in with a password or single sign-on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mxsettings.ui.error_text import ErrorContext, ErrorText, Field
from mxsettings.ui.field_message import FieldMessage
from mxsettings.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from mxsettings.services.accounts import Account, AccountManager
    from mxsettings.services.server_lookup import HttpFactory, ServerInfo
    from mxsettings.store.accounts import AccountRecord

OpenUrl = Callable[[str], None]


class SignInPage(QWidget):
    """Emits ``signed_in(Account)``; ``cancelled`` when the user backs out of adding another account."""

    signed_in = Signal(object)
    cancelled = Signal()

    def __init__(
        self,
        manager: AccountManager,
        http_factory: HttpFactory,
        open_url: OpenUrl,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        self._manager = manager
        self._http_factory = http_factory
        self._open_url = open_url
        self._server: ServerInfo | None = None
        self._device_id: str | None = None  # set when signing in again after a soft logout
        self.runner = TaskRunner(self)
        self._build()

    # --- layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("Sign in to your Matrix account"), self)
        title.setObjectName("signInTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        self.intro = QLabel(self)
        self.intro.setObjectName("signInIntro")
        self.intro.setWordWrap(True)
        self.intro.setVisible(False)

        self._build_server_row()
        self._build_password_box()
        self._build_sso_box()
        self._build_delegated_box()
        self.form_error = FieldMessage(None, self, name="signInError")
        self.cancel_button = _button(self, "cancelSignInButton", self.tr("Back to my accounts"))
        self.cancel_button.setVisible(False)
        homeserver_label = QLabel(self.tr("&Homeserver:"), self)
        homeserver_label.setBuddy(self.homeserver_input)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addWidget(homeserver_label)
        layout.addLayout(self.server_row)
        layout.addWidget(self.homeserver_error)
        layout.addWidget(self.server_label)
        layout.addWidget(self.delegated_box)
        layout.addWidget(self.password_box)
        layout.addWidget(self.sso_box)
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._connect()
        self._show_server(None)

    def _build_server_row(self) -> None:
        self.homeserver_input = _line_edit(
            self,
            "homeserverInput",
            self.tr("Homeserver"),
            self.tr("A server name such as example.org, or its URL"),
        )
        self.homeserver_input.setPlaceholderText(self.tr("example.org"))
        self.lookup_button = _button(self, "lookupButton", self.tr("&Continue"))
        self.homeserver_error = FieldMessage(self.homeserver_input, self)
        self.server_row = QHBoxLayout()
        self.server_row.addWidget(self.homeserver_input, 1)
        self.server_row.addWidget(self.lookup_button)
        self.server_label = QLabel(self)
        self.server_label.setObjectName("serverSummary")
        self.server_label.setWordWrap(True)
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _build_password_box(self) -> None:
        self.password_box = QGroupBox(self.tr("Sign in with a password"), self)
        self.password_box.setObjectName("passwordLoginBox")
        self.username_input = _line_edit(
            self, "usernameInput", self.tr("User name"), self.tr("Your user name, Matrix ID or email address")
        )
        self.username_input.setPlaceholderText(self.tr("alice or @alice:example.org"))
        self.username_error = FieldMessage(self.username_input, self)
        self.password_input = _line_edit(self, "passwordInput", self.tr("Password"), "")
        self.password_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_error = FieldMessage(self.password_input, self)
        self.sign_in_button = _button(self, "signInButton", self.tr("&Sign in"))
        form = QFormLayout(self.password_box)
        form.addRow(self.tr("&User name:"), self.username_input)
        form.addRow("", self.username_error)
        form.addRow(self.tr("&Password:"), self.password_input)
        form.addRow("", self.password_error)
        form.addRow("", self.sign_in_button)

    def _build_sso_box(self) -> None:
        self.sso_box = QGroupBox(self.tr("Sign in with single sign-on"), self)
        self.sso_box.setObjectName("ssoLoginBox")
        self.sso_layout = QVBoxLayout(self.sso_box)
        self.sso_note = QLabel(self.tr("Your browser opens; come back here when you are done."), self.sso_box)
        self.sso_note.setWordWrap(True)
        self.sso_layout.addWidget(self.sso_note)

    def _build_delegated_box(self) -> None:
        self.delegated_box = QGroupBox(self.tr("Your server manages accounts on its own website"), self)
        self.delegated_box.setObjectName("delegatedBox")
        delegated = QVBoxLayout(self.delegated_box)
        self.delegated_text = QLabel(self.delegated_box)
        self.delegated_text.setWordWrap(True)
        self.account_page_button = _button(
            self.delegated_box, "accountPageButton", self.tr("Open the &account page")
        )
        delegated.addWidget(self.delegated_text)
        delegated.addWidget(self.account_page_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _connect(self) -> None:
        self.lookup_button.clicked.connect(self.look_up)
        self.homeserver_input.returnPressed.connect(self.look_up)
        self.homeserver_input.textEdited.connect(self._server_changed)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.password_input.returnPressed.connect(self.sign_in)
        self.username_input.returnPressed.connect(self.password_input.setFocus)
        self.account_page_button.clicked.connect(self._open_account_page)
        self.cancel_button.clicked.connect(self.cancelled)

    # --- states ----------------------------------------------------------------------------------------

    def reset(self, *, can_cancel: bool, message: str = "") -> None:
        """A fresh page: for the first account, another account, or after the server signed us out."""
        self._device_id = None
        self.username_input.setReadOnly(False)
        self.password_input.clear()
        self.cancel_button.setVisible(can_cancel)
        self.intro.setText(message)
        self.intro.setVisible(bool(message))
        self._clear_errors()
        self.homeserver_input.setFocus()

    def reauthenticate(self, record: AccountRecord, message: str) -> None:
        """After a soft logout: same server, same user, same device; only the password is asked for."""
        self.reset(can_cancel=True, message=message)
        self._device_id = record.device_id
        self.homeserver_input.setText(record.homeserver)
        self.username_input.setText(record.user_id)
        self.username_input.setReadOnly(True)
        self.look_up()

    def _server_changed(self) -> None:
        if self._server is not None:
            self._show_server(None)

    def _show_server(self, server: ServerInfo | None) -> None:
        previous, self._server = self._server, server
        if previous is not None and previous is not server:
            self.runner.run(previous.homeserver.aclose(), on_ok=lambda _: None)
        self.server_label.setVisible(server is not None)
        self.delegated_box.setVisible(server is not None and server.delegates_auth)
        self.password_box.setVisible(
            server is not None and server.offers_password and not server.delegates_auth
        )
        self.sso_box.setVisible(server is not None and server.offers_sso and not server.delegates_auth)
        self._fill_sso_buttons(server)
        if server is None:
            return
        self.server_label.setText(self.tr("Server: %1").replace("%1", server.base_url))
        if server.delegates_auth:
            self._explain_delegation(server)
        elif not (server.offers_password or server.offers_sso):
            self.form_error.show_error(
                self.tr("This server offers no way of signing in that this app knows.")
            )
        if self.password_box.isVisible():
            (self.password_input if self.username_input.text() else self.username_input).setFocus()

    def _explain_delegation(self, server: ServerInfo) -> None:
        url = server.auth_metadata.account_management_uri if server.auth_metadata else None
        text = self.tr(
            "This server hands signing in and account settings to its own website. Signing in to it from "
            "this app is coming; until then, manage your password, email addresses and sessions there."
        )
        if url is None:
            text += " " + self.tr("The server does not say where that website is.")
        self.delegated_text.setText(text)
        self.account_page_button.setEnabled(url is not None)

    def _fill_sso_buttons(self, server: ServerInfo | None) -> None:
        for button in self.sso_box.findChildren(QPushButton):
            button.deleteLater()
        if server is None or server.login_flows is None:
            return
        providers = [
            p for f in server.login_flows.flows if f.type == "m.login.sso" for p in f.identity_providers
        ]
        choices: list[tuple[str | None, str]] = [(p.id, p.name) for p in providers] or [(None, "")]
        for idp_id, name in choices:
            label = (
                self.tr("Continue with %1").replace("%1", name)
                if name
                else self.tr("Continue in the &browser")
            )
            button = _button(self.sso_box, f"ssoButton_{idp_id or 'default'}", label)
            button.clicked.connect(lambda _=False, idp=idp_id: self.sign_in_sso(idp))
            self.sso_layout.addWidget(button)

    # --- actions ---------------------------------------------------------------------------------------

    def look_up(self) -> None:
        from mxsettings.services.server_lookup import lookup_server

        self._clear_errors()
        self._show_server(None)
        self.runner.run(
            lookup_server(self.homeserver_input.text(), self._http_factory),
            on_ok=self._show_server,
            on_error=self._show_error,
            busy=(self.lookup_button, self.homeserver_input),
            context=ErrorContext.SIGN_IN,
            progress=self.tr("Looking up the server…"),
        )

    def sign_in(self) -> None:
        server = self._server
        if server is None:
            self.look_up()
            return
        self._clear_errors()
        user, password = self.username_input.text().strip(), self.password_input.text()
        if not user:
            self.username_error.show_error(self.tr("Enter your user name."))
            self.username_input.setFocus()
            return
        if not password:
            self.password_error.show_error(self.tr("Enter your password."))
            self.password_input.setFocus()
            return
        self.runner.run(
            self._manager.sign_in_password(server, user, password, device_id=self._device_id),
            on_ok=self._done,
            on_error=self._show_error,
            busy=(self.sign_in_button, self.username_input, self.password_input, self.lookup_button),
            context=ErrorContext.SIGN_IN,
            progress=self.tr("Signing in…"),
        )

    def sign_in_sso(self, idp_id: str | None) -> None:
        server = self._server
        if server is None:
            return
        self._clear_errors()
        self.runner.run(
            _sso(self._manager, server, idp_id, self._open_url),
            on_ok=self._done,
            on_error=self._show_error,
            busy=[*self.sso_box.findChildren(QPushButton), self.sign_in_button, self.lookup_button],
            context=ErrorContext.SIGN_IN,
            progress=self.tr("Waiting for the browser…"),
        )

    def _done(self, account: Account) -> None:
        self.password_input.clear()
        self._show_server(None)  # the account has a client of its own; the lookup's is closed
        self.signed_in.emit(account)

    async def aclose(self) -> None:
        """Close the looked-up server's client (the window is going away)."""
        server, self._server = self._server, None
        if server is not None:
            await server.homeserver.aclose()

    def _open_account_page(self) -> None:
        server = self._server
        if server is not None and server.auth_metadata and server.auth_metadata.account_management_uri:
            self._open_url(server.auth_metadata.account_management_uri)

    def _show_error(self, error: ErrorText) -> None:
        target = (
            {
                Field.HOMESERVER: (self.homeserver_error, self.homeserver_input),
                Field.USERNAME: (self.username_error, self.username_input),
                Field.PASSWORD: (self.password_error, self.password_input),
            }.get(error.field)
            if error.field is not None
            else None
        )
        if target is None:
            self.form_error.show_error(error.message)
            return
        message, field = target
        message.show_error(error.message)
        field.setFocus()
        if field is self.password_input:
            self.password_input.selectAll()

    def _clear_errors(self) -> None:
        for message in (self.homeserver_error, self.username_error, self.password_error, self.form_error):
            message.clear_message()


async def _sso(manager: AccountManager, server: ServerInfo, idp_id: str | None, open_url: OpenUrl) -> Account:
    from mxsettings.services.sso import sign_in_with_sso
    from mxsettings.store.accounts import LoginMethod

    login = await sign_in_with_sso(server.homeserver, idp_id, open_url)
    return await manager.adopt_login(server, login, LoginMethod.SSO)


def _line_edit(parent: QWidget, name: str, accessible: str, description: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setAccessibleDescription(description)
    return edit


def _button(parent: QWidget, name: str, text: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", ""))
    return button
