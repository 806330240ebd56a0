"""The rows of the Contact info tab: an address on the account, and an address still being confirmed.

Rows only show and ask; every action is a signal the page turns into a task. Each row's ``objectName`` is
``contact:<medium>:<address>`` or ``pending:<medium>:<address>`` and its inputs and buttons keep fixed names
inside it (``removeButton``, ``checkNowButton``, ``codeEdit``, ...), so tests and automation find them the
same way on every row.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from mxsettings.ui.countdown import Countdown
from mxsettings.ui.field_message import FieldMessage


def _row_frame(frame: QFrame) -> None:
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setFrameShadow(QFrame.Shadow.Plain)


def _label(parent: QWidget, name: str, *, bold: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def _button(parent: QWidget, name: str, text: str, accessible: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    return button


class AddressRow(QFrame):
    """An address on the account, with a Remove that asks once more, naming the address, before it acts."""

    remove_confirmed = Signal()

    def __init__(self, medium: str, address: str, display: str, dates: str, parent: QWidget | None = None):
        super().__init__(parent)
        _row_frame(self)
        self.setObjectName(f"contact:{medium}:{address}")
        self.setAccessibleName(display)
        self.medium, self.address, self.display = medium, address, display
        self._removable: bool | None = None
        self.address_label = _label(self, "addressLabel", bold=True)
        self.address_label.setText(display)
        self.dates_label = _label(self, "datesLabel")
        self.set_dates(dates)
        self.remove_button = _button(
            self, "removeButton", self.tr("Remove"), self.tr("Remove %1").replace("%1", display)
        )
        self.confirm_label = _label(self, "confirmRemoveLabel")
        self.confirm_label.setText(self.tr("Remove %1 from your account?").replace("%1", display))
        self.confirm_button = _button(
            self,
            "confirmRemoveButton",
            self.tr("Yes, remove"),
            self.tr("Yes, remove %1").replace("%1", display),
        )
        self.keep_button = _button(
            self, "keepButton", self.tr("Keep"), self.tr("Keep %1").replace("%1", display)
        )
        self.error = FieldMessage(self.remove_button, self, name="removeError")

        top = QHBoxLayout()
        text = QVBoxLayout()
        text.addWidget(self.address_label)
        text.addWidget(self.dates_label)
        top.addLayout(text, 1)
        top.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        confirm = QHBoxLayout()
        confirm.addWidget(self.confirm_label, 1)
        confirm.addWidget(self.confirm_button)
        confirm.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(confirm)
        layout.addWidget(self.error)

        self.remove_button.clicked.connect(self.ask_confirmation)
        self.keep_button.clicked.connect(self.reset)
        self.confirm_button.clicked.connect(self.remove_confirmed)
        self.set_removable(True)

    def set_dates(self, dates: str) -> None:
        self.dates_label.setText(dates)
        self.dates_label.setVisible(bool(dates))

    def set_removable(self, removable: bool) -> None:
        """Offer Remove or not. The same answer again changes nothing: a reload of the list must not undo
        a confirmation the person is looking at."""
        if removable is self._removable:
            return
        self._removable = removable
        self.remove_button.setVisible(removable)
        self._show_confirmation(False)

    def ask_confirmation(self) -> None:
        self.error.clear_message()
        self._show_confirmation(True)
        self.keep_button.setFocus()  # the safe answer is the one under the keyboard

    def reset(self) -> None:
        self._show_confirmation(False)
        self.remove_button.setFocus()

    def _show_confirmation(self, shown: bool) -> None:
        for widget in (self.confirm_label, self.confirm_button, self.keep_button):
            widget.setVisible(shown)
        self.remove_button.setEnabled(not shown)


class PendingRow(QFrame):
    """An address waiting for its link or code: what is happening, and what the person can do about it."""

    check_requested = Signal()
    resend_requested = Signal()
    cancel_requested = Signal()
    code_submitted = Signal(str)

    def __init__(
        self, medium: str, address: str, display: str, check_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        _row_frame(self)
        self.setObjectName(f"pending:{medium}:{address}")
        self.setAccessibleName(self.tr("%1, not confirmed yet").replace("%1", display))
        self.medium, self.address, self.display = medium, address, display
        self.address_label = _label(self, "addressLabel", bold=True)
        self.address_label.setText(display)
        self.status_label = _label(self, "statusLabel")
        self.code_label = QLabel(self.tr("Code:"), self)
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("codeEdit")
        self.code_edit.setAccessibleName(self.tr("Code sent to %1").replace("%1", display))
        self.code_edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.code_edit.setMaxLength(32)
        self.code_label.setBuddy(self.code_edit)
        self.submit_code_button = _button(
            self,
            "submitCodeButton",
            self.tr("Confirm code"),
            self.tr("Confirm the code for %1").replace("%1", display),
        )
        self.error = FieldMessage(self.code_edit, self, name="rowError")
        self.check_button = _button(
            self,
            "checkNowButton",
            check_text,
            self.tr("%1: %2").replace("%1", check_text.replace("&", "")).replace("%2", display),
        )
        self.resend_button = _button(
            self, "resendButton", self.tr("Resend"), self.tr("Send again to %1").replace("%1", display)
        )
        self.cancel_button = _button(
            self, "cancelButton", self.tr("Cancel"), self.tr("Stop adding %1").replace("%1", display)
        )
        self._build_layout()
        self.code_edit.returnPressed.connect(self._submit_code)
        self.submit_code_button.clicked.connect(self._submit_code)
        self.check_button.clicked.connect(self.check_requested)
        self.resend_button.clicked.connect(self.resend_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._cooldown: Countdown | None = None
        self._cooldown_timer = QTimer(self)
        self._cooldown_timer.setSingleShot(True)
        self._cooldown_timer.timeout.connect(self._cooldown_tick)
        self.show_code_entry(False)

    def _build_layout(self) -> None:
        code = QHBoxLayout()
        code.addWidget(self.code_label)
        code.addWidget(self.code_edit, 1)
        code.addWidget(self.submit_code_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.resend_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.address_label)
        layout.addWidget(self.status_label)
        layout.addLayout(code)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # --- what the row says ---------------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def show_code_entry(self, shown: bool) -> None:
        """The code field, for a number whose server takes the texted code (``submit_url``)."""
        for widget in (self.code_label, self.code_edit, self.submit_code_button):
            widget.setVisible(shown)
        self.check_button.setVisible(not shown)
        if shown:
            self.code_edit.setFocus()

    def show_expired(self, text: str) -> None:
        self.show_code_entry(False)
        self.status_label.setText(text)
        self.check_button.setVisible(False)
        self.resend_button.setFocus()

    # --- resend cooldown -----------------------------------------------------------------------------------

    def start_cooldown(self, seconds: float) -> None:
        """Keep Resend disabled for ``seconds``, showing the wait on the button itself."""
        if seconds <= 0:
            self._end_cooldown()
            return
        self._cooldown = Countdown(seconds)
        self.resend_button.setEnabled(False)
        self._cooldown_tick()

    def _cooldown_tick(self) -> None:
        countdown = self._cooldown
        if countdown is None or countdown.finished:
            self._end_cooldown()
            return
        self.resend_button.setText(self.tr("Resend (%1 s)").replace("%1", str(countdown.seconds_left)))
        self._cooldown_timer.start(max(1, math.ceil(countdown.until_next_change() * 1000)))

    def _end_cooldown(self) -> None:
        self._cooldown = None
        self._cooldown_timer.stop()
        self.resend_button.setText(self.tr("Resend"))
        self.resend_button.setEnabled(True)

    def _submit_code(self) -> None:
        if self.submit_code_button.isEnabled():
            self.code_submitted.emit(self.code_edit.text())
