"""A message shown beside the input it concerns, and announced to screen readers.

Errors go where the user is looking: under the field. The field's accessible description carries the same
text, so a screen reader reads it when the field has focus, and an alert event announces it at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QFont, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from mxsettings.ui.colours import error_colour, follow_palette


class FieldMessage(QLabel):
    """An error (or note) label bound to one input; hidden while empty."""

    def __init__(self, field: QWidget | None, parent: QWidget | None = None, *, name: str = "") -> None:
        super().__init__(parent)
        self._field = field
        self._hint = field.accessibleDescription() if field is not None else ""
        self.setObjectName(name or (f"{field.objectName()}Error" if field is not None else "formError"))
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)
        self._error = False
        # Errors in the palette's red (light or dark variant), notes in the ordinary text colour: both stay
        # readable in dark mode, and the words, not the colour, say which is which.
        self._restyle = follow_palette(
            self, QPalette.ColorRole.WindowText, lambda: error_colour() if self._error else ""
        )

    def show_error(self, message: str) -> None:
        self._set(message, error=True)

    def show_note(self, message: str) -> None:
        self._set(message, error=False)

    def clear_message(self) -> None:
        self._set("", error=False)

    def _set(self, message: str, *, error: bool) -> None:
        self.setText(message)
        self.setProperty("error", error)
        self._error = error
        self._restyle()
        font = self.font()
        font.setWeight(QFont.Weight.DemiBold if error else QFont.Weight.Normal)
        self.setFont(font)
        self.setVisible(bool(message))
        self.setAccessibleName(message)
        if self._field is not None:
            self._field.setAccessibleDescription(message or self._hint)
        if message:
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))
