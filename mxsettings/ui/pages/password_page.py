"""The Password tab: current, new and confirmed password, a strength meter and the spec's recommended rules,
an explicit choice about the other sessions, and whatever authentication the server asks for.

What the server allows decides the tab's shape (``load``): a server that delegates authentication gets a
button to its account page, a server with ``m.change_password`` off an explanation, any other the form.
Errors land beside the field they are about (a wrong current password on that field, the server's policy on
the new one), a rate limit counts down, and the change itself runs in ``mxsettings.services.password``.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mxsettings.services.account_management import account_page_url
from mxsettings.services.accounts import Account
from mxsettings.services.password import (
    MAX_LENGTH,
    PasswordChanged,
    PasswordChanger,
    check_rules,
    user_inputs_for,
)
from mxsettings.services.strength import Strength, StrengthEstimator
from mxsettings.services.uia_driver import Prompter
from mxsettings.store.accounts import LoginMethod
from mxsettings.ui.colours import follow_palette, strength_colour
from mxsettings.ui.error_text import ErrorContext, ErrorText, Field, rate_limit_message
from mxsettings.ui.field_message import FieldMessage
from mxsettings.ui.password_feedback import translate_feedback
from mxsettings.ui.task_runner import TaskRunner


class PasswordPage(QWidget):
    def __init__(
        self,
        account: Account,
        *,
        prompter: Prompter,
        open_url: Callable[[str], None],
        parent: QWidget | None = None,
        poll_interval: float = 3.0,
        strength: StrengthEstimator | None = None,
    ) -> None:
        """``poll_interval``: seconds between checks while a stage is finished in the browser. ``strength``
        answers the meter (a helper process of its own by default)."""
        super().__init__(parent)
        self.setObjectName("passwordPage")
        self.account = account
        self._open_url = open_url
        self._changer = PasswordChanger(account, prompter, poll_interval=poll_interval)
        self._user_inputs = user_inputs_for(account.user_id)
        self.strength = strength if strength is not None else StrengthEstimator()
        self._strength_wanted = ""  # the new password the meter should show, latest first
        self._strength_asking: list[asyncio.Task[None]] = []  # the one question on its way, if any
        # The helper ends with the page; the slot must not be a method (the page is half destroyed then).
        self.destroyed.connect(functools.partial(_end_strength, self.strength, self._strength_asking))
        self._optional_current = False
        self._account_page: str | None = None
        self.runner = TaskRunner(self)
        self._build()
        self.runner.rate_limit_tick.connect(lambda s: self.result.show_error(rate_limit_message(s)))
        self.runner.rate_limit_ended.connect(self._rate_limit_over)
        self.load()

    # --- building ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        content = QWidget(self)
        self._build_header(content)
        self._build_fields()
        self._lay_out(content)
        self._connect()

    def _build_header(self, content: QWidget) -> None:
        self.heading = QLabel(self.tr("Change your password"), content)
        self.heading.setObjectName("passwordHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.notice = _wrapped(content, "passwordNotice")
        self.account_page_button = QPushButton(self.tr("Open the &account page"), content)
        self.account_page_button.setObjectName("passwordAccountPageButton")
        self.account_page_button.setAccessibleName(self.tr("Open your server's account page in the browser"))
        self.account_page_button.clicked.connect(self._open_account_page)
        self.form = QWidget(content)
        self.form.setObjectName("passwordForm")
        self.result = FieldMessage(None, content, name="passwordResult")

    def _build_fields(self) -> None:
        self.current_edit = _password_edit(self.form, "currentPasswordEdit", self.tr("Current password"))
        self.current_error = FieldMessage(self.current_edit, self.form, name="currentPasswordError")
        self.new_edit = _password_edit(self.form, "newPasswordEdit", self.tr("New password"))
        self.new_error = FieldMessage(self.new_edit, self.form, name="newPasswordError")
        self.strength_bar = QProgressBar(self.form)
        self.strength_bar.setObjectName("passwordStrengthBar")
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setMaximumHeight(8)
        self.strength_bar.setAccessibleName(self.tr("Password strength"))
        self._strength_score = 0
        # The bar's filled part is drawn in the palette's highlight colour.
        self._restyle_strength = follow_palette(
            self.strength_bar, QPalette.ColorRole.Highlight, lambda: strength_colour(self._strength_score)
        )
        self.strength_label = _wrapped(self.form, "passwordStrengthLabel")
        self.rules_label = _wrapped(self.form, "passwordRulesLabel")
        self.confirm_edit = _password_edit(self.form, "confirmPasswordEdit", self.tr("Confirm new password"))
        self.confirm_error = FieldMessage(self.confirm_edit, self.form, name="confirmPasswordError")
        self.show_check = QCheckBox(self.tr("S&how passwords"), self.form)
        self.show_check.setObjectName("showPasswordsCheck")
        self.show_check.setAccessibleName(self.tr("Show the passwords as plain text"))
        self.logout_check = QCheckBox(self.tr("Sign out of my &other sessions"), self.form)
        self.logout_check.setObjectName("logoutDevicesCheck")
        self.logout_check.setAccessibleName(self.tr("Sign out of my other sessions"))
        self.logout_hint = _wrapped(self.form, "logoutDevicesHint")
        self.logout_hint.setText(
            self.tr(
                "Choose this if someone else may know your password. Your other devices will have to sign "
                "in again, and a session signed out this way loses its encrypted messages unless they are "
                "in key backup or on another verified session."
            )
        )
        self.logout_check.setAccessibleDescription(self.logout_hint.text())
        self.logout_hint.setIndent(24)  # under the check box's text, not its box: it belongs to the choice
        self.submit_button = QPushButton(self.tr("&Change password"), self.form)
        self.submit_button.setObjectName("changePasswordButton")
        self.submit_button.setAccessibleName(self.tr("Change password"))
        self.submit_button.setDefault(True)

    def _lay_out(self, content: QWidget) -> None:
        # Labels above their fields: one column reads in order, and long translations cannot squeeze it.
        self.current_label = _buddy(self.form, self.tr("C&urrent password"), self.current_edit)
        column = QVBoxLayout(self.form)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        groups = (
            (self.current_label, self.current_edit, self.current_error),
            (
                _buddy(self.form, self.tr("&New password"), self.new_edit),
                self.new_edit,
                self.new_error,
                self.strength_bar,
                self.strength_label,
                self.rules_label,
            ),
            (
                _buddy(self.form, self.tr("Con&firm new password"), self.confirm_edit),
                self.confirm_edit,
                self.confirm_error,
            ),
            (self.show_check,),
            (self.logout_check, self.logout_hint),
        )
        for group in groups:
            for widget in group:
                column.addWidget(widget)
            column.addSpacing(10)
        column.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignLeft)
        content.setMaximumWidth(640)

        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice)
        layout.addWidget(self.account_page_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.form)
        layout.addWidget(self.result)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("passwordScroll")
        scroll.setWidgetResizable(True)
        # Not a Tab stop of its own: it scrolls to whichever control gets the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _connect(self) -> None:
        for edit in (self.current_edit, self.new_edit, self.confirm_edit):
            edit.textChanged.connect(self._edited)
            edit.returnPressed.connect(self.apply)
        self.new_edit.textChanged.connect(self._judge_new_password)
        self.confirm_edit.editingFinished.connect(lambda: self._check_confirmation(finished=True))
        self.show_check.toggled.connect(self._show_passwords)
        self.submit_button.clicked.connect(self.apply)
        order = (self.current_edit, self.new_edit, self.confirm_edit, self.show_check, self.logout_check)
        for first, second in zip(
            (*order, self.submit_button)[:-1], (*order, self.submit_button)[1:], strict=True
        ):
            QWidget.setTabOrder(first, second)
        self._inputs = (*order, self.submit_button)

    # --- loading -------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Fit the tab to what the server allows, from what the account already knows (no request)."""
        account = self.account
        self._account_page = account_page_url(account.auth_metadata)
        if account.delegates_auth:
            self._show_notice(
                self.tr("Your server manages passwords on its own account page. Change your password there.")
                if self._account_page
                else self.tr(
                    "Your server manages sign-in itself but gives no address for its account page. Ask "
                    "your server's administrator how to change your password."
                ),
                button=self._account_page is not None,
            )
            return
        if not account.capabilities.change_password:
            self._show_notice(
                self.tr(
                    "Your server does not allow changing the password from an app. Ask your server's "
                    "administrator, or use your server's own website if it has one."
                ),
                button=False,
            )
            return
        self.notice.setVisible(False)
        self.account_page_button.setVisible(False)
        self.form.setVisible(True)
        self._optional_current = account.record.login_method is LoginMethod.SSO
        self.current_label.setText(
            self.tr("C&urrent password (if you have one)")
            if self._optional_current
            else self.tr("C&urrent password")
        )
        self._judge_new_password(self.new_edit.text())
        self._update_submit()

    def _show_notice(self, text: str, *, button: bool) -> None:
        self.notice.setText(text)
        self.notice.setVisible(True)
        self.account_page_button.setVisible(button)
        self.form.setVisible(False)
        self._optional_current = False

    def _open_account_page(self) -> None:
        if self._account_page is not None:
            self._open_url(self._account_page)

    # --- as the user types ---------------------------------------------------------------------------------

    def _edited(self) -> None:
        self.current_error.clear_message()
        self._check_confirmation()
        self._update_submit()

    def _judge_new_password(self, password: str) -> None:
        self.new_error.clear_message()
        if len(password) > MAX_LENGTH:
            self.new_error.show_error(
                self.tr("The new password is too long: at most %1 characters.").replace("%1", str(MAX_LENGTH))
            )
        rules = check_rules(password)
        lines = [
            (rules.long_enough, self.tr("8 or more characters")),
            (rules.has_lowercase, self.tr("a lowercase letter")),
            (rules.has_uppercase, self.tr("an uppercase letter")),
            (rules.has_digit, self.tr("a digit")),
            (rules.has_symbol, self.tr("a symbol, such as ! or #")),
        ]
        met, missing = self.tr("done"), self.tr("missing")
        self.rules_label.setText(
            self.tr("Recommended:")
            + "\n"
            # Neutral bullets before anything is typed: an empty field has failed nothing yet.
            + "\n".join(("✔ " if ok else "✗ " if password else "• ") + text for ok, text in lines)
        )
        self.rules_label.setAccessibleDescription(
            "; ".join(
                self.tr("%1: %2").replace("%1", text).replace("%2", met if ok else missing)
                for ok, text in lines
            )
        )
        self._ask_strength(password)

    def _ask_strength(self, password: str) -> None:
        """Show the meter for ``password`` once the helper answers; at most one question is on its way, and
        the newest text is asked next (typing faster than the answers come skips the ones in between)."""
        self._strength_wanted = password
        if not password:
            self._show_strength(None)
            return
        if any(not task.done() for task in self._strength_asking):
            return  # the question on its way asks again for the newest text when its answer comes
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a page built outside the app): no meter
        self._strength_asking[:] = [loop.create_task(self._follow_strength())]

    async def _follow_strength(self) -> None:
        while self._strength_wanted:
            asked = self._strength_wanted
            strength = await self.strength.estimate(asked, self._user_inputs)
            if not shiboken6.isValid(self):
                return
            if asked == self._strength_wanted:
                self._show_strength(strength)
                return

    def _show_strength(self, strength: Strength | None) -> None:
        self.strength_bar.setVisible(strength is not None)
        self.strength_label.setVisible(strength is not None)
        if strength is None:
            self.strength_label.setText("")
            self.strength_bar.setAccessibleDescription("")
            return
        words = (self.tr("Very weak"), self.tr("Weak"), self.tr("Fair"), self.tr("Good"), self.tr("Strong"))
        word = words[strength.score]
        self.strength_bar.setValue(max(1, strength.score))  # an empty bar would look like "nothing typed"
        self._strength_score = strength.score
        self._restyle_strength()
        self.strength_bar.setAccessibleDescription(word)
        # zxcvbn's advice is English: only sentences the app knows (and so translates) are shown.
        advice = next(
            (t for t in map(translate_feedback, (strength.warning, *strength.suggestions)) if t), ""
        )
        self.strength_label.setText(
            self.tr("Strength: %1. %2").replace("%1", word).replace("%2", advice)
            if advice
            else self.tr("Strength: %1").replace("%1", word)
        )

    def _check_confirmation(self, *, finished: bool = False) -> None:
        new, confirm = self.new_edit.text(), self.confirm_edit.text()
        # While typing, only once the text can no longer become the new password (no nagging mid-word);
        # on leaving the field, any difference.
        if confirm and confirm != new and (finished or not new.startswith(confirm)):
            self.confirm_error.show_error(self.tr("This does not match the new password."))
        else:
            self.confirm_error.clear_message()

    def _show_passwords(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.current_edit, self.new_edit, self.confirm_edit):
            edit.setEchoMode(mode)

    def can_submit(self) -> bool:
        """True when the form can be sent: the server allows it and the typed values can succeed."""
        new = self.new_edit.text()
        return (
            self.form.isVisibleTo(self)
            and (bool(self.current_edit.text()) or self._optional_current)
            and bool(new.strip())
            and len(new) <= MAX_LENGTH
            and self.confirm_edit.text() == new
        )

    def _update_submit(self) -> None:
        if not self.runner.busy and not self.runner.rate_limited:
            self.submit_button.setEnabled(self.can_submit())

    # --- changing ------------------------------------------------------------------------------------------

    def apply(self) -> None:
        """Start the change (the button, or Enter in any field)."""
        if self.runner.busy or self.runner.rate_limited or not self.can_submit():
            return
        for message in (self.current_error, self.new_error, self.confirm_error, self.result):
            message.clear_message()
        self.runner.run(
            self._changer.change(
                self.current_edit.text(), self.new_edit.text(), logout_devices=self.logout_check.isChecked()
            ),
            on_ok=self._changed,
            on_error=self._failed,
            busy=self._inputs,
            context=ErrorContext.CHANGE_PASSWORD,
            progress=self.tr("Changing the password…"),
        )

    def _changed(self, outcome: PasswordChanged) -> None:
        for edit in (self.current_edit, self.new_edit, self.confirm_edit):
            edit.clear()
        self.strength.close()  # the meter is done: the helper and its word lists go
        parts = [self.tr("Your password has been changed.")]
        parts.append(
            self.tr("Your other sessions have been signed out.")
            if outcome.logout_devices
            else self.tr("Your other sessions stay signed in.")
        )
        if outcome.still_signed_in is True:
            parts.append(self.tr("This app is still signed in."))
        elif outcome.still_signed_in is False:
            parts.append(
                self.tr("The server signed this app out as well: sign in again with the new password.")
            )
        self.result.show_note(" ".join(parts))
        self._update_submit()
        self.current_edit.setFocus()

    def _failed(self, text: ErrorText) -> None:
        target = (
            {
                Field.CURRENT_PASSWORD: (self.current_error, self.current_edit),
                Field.PASSWORD: (self.current_error, self.current_edit),
                Field.NEW_PASSWORD: (self.new_error, self.new_edit),
            }.get(text.field)
            if text.field is not None
            else None
        )
        message = text.message if not text.detail else f"{text.message} ({text.detail})"
        if target is None:
            self.result.show_error(message)
            self._update_submit()
            return
        label, edit = target
        label.show_error(message)
        self._update_submit()
        edit.setFocus()
        edit.selectAll()

    def _rate_limit_over(self) -> None:
        self.result.show_note(rate_limit_message(0))
        self._update_submit()


def _wrapped(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _password_edit(parent: QWidget, name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    # No autocompletion or input method prediction for secrets.
    edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText)
    return edit


def _buddy(parent: QWidget, text: str, field: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(field)
    return label


def _end_strength(strength: StrengthEstimator, asking: list[asyncio.Task[None]]) -> None:
    for task in asking:
        task.cancel()
    strength.close()
