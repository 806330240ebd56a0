"""What every authentication dialog shares: non-modal, awaited through futures, cancelled as a whole.

A dialog is shown with ``show()``, never ``exec()``: a nested event loop would stall the qasync loop (and
with it every other account's requests). The prompter awaits futures that the dialog's buttons resolve.
Cancel, Escape and the window's close button all end in ``reject()``, which fails every pending future
with ``Cancelled``, so the UIA driver stops without sending again. ``dismiss()`` is the quiet way out, used
when the step is over.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QWidget

from mxsettings.errors import Cancelled
from mxsettings.ui.error_text import rate_limit_message
from mxsettings.ui.field_message import FieldMessage
from mxsettings.ui.task_runner import TaskRunner

T = TypeVar("T")


class AuthDialog(QDialog):
    """Base of the password, email, phone and browser dialogs."""

    def __init__(self, parent: QWidget | None, *, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        # A fixed width, and the height fitted to it (``event``): word-wrapped text then gets exactly the
        # height it needs in every step (Qt sizes a free window for the label's narrowest width).
        self.setFixedWidth(460)
        self._futures: set[asyncio.Future[object]] = set()
        self._cancelled = False
        self._dismissed = False
        # Requests a dialog starts itself (sending a code, a resend) run here, with their own countdowns.
        self.runner = TaskRunner(self)
        self.runner.attach_to(self)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show):
            # Height for the fixed width, whenever a message or a step changes what is shown.
            self.adjustSize()
        return handled

    def set_title(self, title: str) -> None:
        self.setWindowTitle(title)
        self.setAccessibleName(title)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    # --- awaiting the user ---------------------------------------------------------------------------------

    async def _await(self, future: asyncio.Future[T]) -> T:
        if self._cancelled:
            future.cancel()
            raise Cancelled
        self._futures.add(future)  # type: ignore[arg-type]
        try:
            return await future
        finally:
            self._futures.discard(future)

    def _resolve(self, future: asyncio.Future[T] | None, value: T) -> None:
        if future is not None and not future.done():
            future.set_result(value)

    # --- ending ----------------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel, Escape or the close button: the whole action is cancelled."""
        if not self._dismissed and not self._cancelled:
            self._cancelled = True
            for future in list(self._futures):
                if not future.done():
                    future.set_exception(Cancelled())
            self.runner.cancel_all()
            self.on_cancel()
        super().reject()

    def on_cancel(self) -> None:
        """Subclasses wake their own waits here."""

    def dismiss(self) -> None:
        """Close without cancelling anything: the step this dialog was for is over."""
        if self._dismissed or not shiboken6.isValid(self):
            return
        self._dismissed = True
        self.runner.cancel_all()
        self.hide()
        self.deleteLater()


def busy_bar(parent: QWidget, name: str, accessible: str) -> QProgressBar:
    """An indeterminate progress bar: it moves without a number, and says what is awaited."""
    bar = QProgressBar(parent)
    bar.setObjectName(name)
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(10)
    bar.setAccessibleName(accessible)
    return bar


def wrapped_label(parent: QWidget, text: str = "", *, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def button(parent: QWidget, text: str, name: str, accessible: str) -> QPushButton:
    widget = QPushButton(text, parent)
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setAutoDefault(False)
    return widget


def follow_rate_limit(runner: TaskRunner, message: FieldMessage) -> None:
    """Keep ``message`` counting down while ``runner`` holds its buttons for a rate limit."""
    runner.rate_limit_tick.connect(lambda seconds: message.show_error(rate_limit_message(seconds)))
    runner.rate_limit_ended.connect(lambda: message.show_note(rate_limit_message(0)))
