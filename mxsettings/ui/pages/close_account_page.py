"""Closing the account: a plain warning, the user ID typed back, an "erase my messages" choice, and the
server's full authentication through the prompter's dialogs.

``account_closed`` is emitted with the ``Account`` only after the server confirmed; the main window then
forgets the account locally and returns to sign-in. A refusal, a cancelled dialog or a network error leaves
everything in place and says so. What the server reports about the identity server is explained in a note
that outlives the page (the window goes back to sign-in at once). A server that delegates authentication gets
its account page instead, with the deactivate action when it advertises one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from mxsettings.services.account_management import ACCOUNT_DEACTIVATE, account_page_url
from mxsettings.services.accounts import Account
from mxsettings.services.deactivation import AccountClosed, Unbind, close_account, confirmation_matches
from mxsettings.services.uia_driver import Prompter
from mxsettings.ui.colours import error_colour, follow_palette
from mxsettings.ui.error_text import ErrorContext, ErrorText, rate_limit_message
from mxsettings.ui.field_message import FieldMessage
from mxsettings.ui.rich_text import escape
from mxsettings.ui.task_runner import TaskRunner


class CloseAccountPage(QWidget):
    account_closed = Signal(object)  # the Account, after the server deactivated it

    def __init__(
        self,
        account: Account,
        *,
        prompter: Prompter,
        open_url: Callable[[str], None],
        parent: QWidget | None = None,
        poll_interval: float = 3.0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closeAccountPage")
        self.account = account
        self._prompter = prompter
        self._open_url = open_url
        self._poll_interval = poll_interval
        self._account_page: str | None = None
        self.closed_note: QMessageBox | None = None
        self.runner = TaskRunner(self)
        self._build()
        self.runner.rate_limit_tick.connect(lambda s: self.result.show_error(rate_limit_message(s)))
        self.runner.rate_limit_ended.connect(lambda: self.result.show_note(rate_limit_message(0)))
        self.load()

    def _build(self) -> None:
        self.heading = QLabel(self.tr("Close your account"), self)
        self.heading.setObjectName("closeAccountHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.warning = _wrapped(self, "closeAccountWarning")
        self.account_page_button = QPushButton(self.tr("Open the &account page"), self)
        self.account_page_button.setObjectName("closeAccountPageButton")
        self.account_page_button.setAccessibleName(self.tr("Open your server's account page in the browser"))
        self.account_page_button.clicked.connect(self._open_account_page)
        self._build_form()
        self._lay_out()

    def _build_form(self) -> None:
        self.form = QWidget(self)
        self.form.setObjectName("closeAccountForm")
        self.confirm_label = _wrapped(self.form, "closeAccountConfirmLabel")
        self.confirm_label.setTextFormat(Qt.TextFormat.RichText)
        self.confirm_label.setText(
            escape(self.tr("To confirm, type your user ID below: %1")).replace(
                "%1", f"<b>{escape(self.account.user_id)}</b>"
            )
        )
        self.confirm_edit = QLineEdit(self.form)
        self.confirm_edit.setObjectName("closeAccountConfirmEdit")
        self.confirm_edit.setAccessibleName(self.tr("Your user ID, typed to confirm"))
        self.confirm_label.setBuddy(self.confirm_edit)
        self.erase_check = QCheckBox(self.tr("Also &erase my messages"), self.form)
        self.erase_check.setObjectName("closeAccountEraseCheck")
        self.erase_check.setAccessibleName(self.tr("Also erase my messages"))
        self.erase_hint = _wrapped(self.form, "closeAccountEraseHint")
        self.erase_hint.setText(
            self.tr(
                "People who join your rooms later will not see what you wrote. People who already received "
                "your messages may keep their copies."
            )
        )
        self.erase_check.setAccessibleDescription(self.erase_hint.text())
        self.erase_hint.setIndent(24)  # under the check box's text: it explains that choice
        self.close_button = QPushButton(self.tr("C&lose my account"), self.form)
        self.close_button.setObjectName("closeAccountButton")
        self.close_button.setAccessibleName(self.tr("Close my account permanently"))
        # Red, because it cannot be undone; the button text says what it does, not only the colour.
        follow_palette(self.close_button, QPalette.ColorRole.ButtonText, error_colour)
        font = self.close_button.font()
        font.setWeight(QFont.Weight.DemiBold)
        self.close_button.setFont(font)
        self.result = FieldMessage(self.confirm_edit, self, name="closeAccountResult")

    def _lay_out(self) -> None:
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.confirm_label)
        form_layout.addWidget(self.confirm_edit)
        form_layout.addSpacing(8)
        form_layout.addWidget(self.erase_check)
        form_layout.addWidget(self.erase_hint)
        form_layout.addSpacing(8)
        form_layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.warning)
        layout.addSpacing(6)
        layout.addWidget(self.account_page_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.form)
        layout.addWidget(self.result)
        layout.addStretch(1)

        self.confirm_edit.textChanged.connect(self._update)
        self.confirm_edit.returnPressed.connect(self.apply)
        self.erase_check.toggled.connect(self.result.clear_message)
        self.close_button.clicked.connect(self.apply)
        QWidget.setTabOrder(self.confirm_edit, self.erase_check)
        QWidget.setTabOrder(self.erase_check, self.close_button)

    # --- loading -------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Fit the page to the server (no request): the form, or the account page of a delegating server."""
        if self.account.delegates_auth:
            self._account_page = account_page_url(self.account.auth_metadata, ACCOUNT_DEACTIVATE)
            self.warning.setText(
                self.tr("Your server closes accounts on its own account page. Open it to close your account.")
                if self._account_page
                else self.tr(
                    "Your server manages accounts itself but gives no address for its account page. Ask "
                    "your server's administrator to close your account."
                )
            )
            self.account_page_button.setVisible(self._account_page is not None)
            self.form.setVisible(False)
            return
        # Rich text for the list; every item is its own sentence for the translators.
        items = (
            self.tr("You will not be able to sign in again, and nobody can take your user ID afterwards."),
            self.tr("You leave all your rooms."),
            self.tr(
                "Your email addresses and phone numbers are removed from the account, and from the identity "
                "server where you made them discoverable."
            ),
            self.tr(
                "Your messages stay visible to the people who received them, unless you also erase them."
            ),
        )
        self.warning.setTextFormat(Qt.TextFormat.RichText)
        self.warning.setText(
            "<p><b>"
            + escape(self.tr("Closing your account cannot be undone."))
            + "</b></p><ul>"
            + "".join(f"<li>{escape(item)}</li>" for item in items)
            + "</ul>"
        )
        self.account_page_button.setVisible(False)
        self.form.setVisible(True)
        self._update()

    def _open_account_page(self) -> None:
        if self._account_page is not None:
            self._open_url(self._account_page)

    # --- closing -------------------------------------------------------------------------------------------

    def can_submit(self) -> bool:
        return self.form.isVisibleTo(self) and confirmation_matches(
            self.confirm_edit.text(), self.account.user_id
        )

    def _update(self) -> None:
        if not self.runner.busy and not self.runner.rate_limited:
            self.close_button.setEnabled(self.can_submit())

    def apply(self) -> None:
        if self.runner.busy or self.runner.rate_limited or not self.can_submit():
            return
        self.result.clear_message()
        self.runner.run(
            close_account(
                self.account,
                self._prompter,
                erase=self.erase_check.isChecked(),
                poll_interval=self._poll_interval,
            ),
            on_ok=self._closed,
            on_error=self._failed,
            busy=(self.confirm_edit, self.erase_check, self.close_button),
            context=ErrorContext.DEACTIVATE,
            progress=self.tr("Closing the account…"),
        )

    def _failed(self, text: ErrorText) -> None:
        message = text.message if not text.detail else f"{text.message} ({text.detail})"
        self.result.show_error(
            message + " " + self.tr("Your account is still open and this app still signed in.")
        )
        self._update()

    def _closed(self, outcome: AccountClosed) -> None:
        self.result.show_note(self.tr("Your account is closed."))
        self.form.setEnabled(False)
        self.closed_note = self._note(outcome)
        self.account_closed.emit(self.account)

    def _note(self, outcome: AccountClosed) -> QMessageBox:
        """A non-modal note parented to the window, so it stays when the window replaces this page."""
        lines = [self.tr("The account %1 is closed.").replace("%1", outcome.user_id)]
        if outcome.erased:
            lines.append(self.tr("The server was asked to erase your messages."))
        if outcome.unbind is Unbind.REMOVED:
            lines.append(
                # "success" also when nothing was ever published (Synapse says so for every plain account),
                # so the sentence claims only what is true either way.
                self.tr("No identity server lists your email addresses or phone numbers any more.")
            )
        else:
            lines.append(
                self.tr(
                    "Your server could not confirm that your email addresses and phone numbers were "
                    "withdrawn from an identity server. If you had made them discoverable, ask that "
                    "identity server to remove them."
                )
            )
        note = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Account closed"),
            "\n\n".join(lines),
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        note.setObjectName("accountClosedNote")
        note.setAccessibleName(self.tr("Account closed"))
        # The app's own OK, not a standard button: its text would come from Qt's catalogue.
        ok = note.addButton(self.tr("OK"), QMessageBox.ButtonRole.AcceptRole)
        ok.setObjectName("accountClosedOkButton")
        note.setDefaultButton(ok)
        note.setModal(False)
        note.setWindowModality(Qt.WindowModality.NonModal)
        note.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        note.show()
        return note


def _wrapped(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
