"""The few colours the app adds to the system palette, in a light and a dark variant.

Everything else is the palette's own. These are for meaning that text alone also carries (an error, a
dangerous button, password strength), and each pair keeps a contrast of at least 4.5:1 against the window
background of a light (about #efefef) or a dark (about #2b2b2b) palette: a fixed red such as #c62828 drops
to about 2.6:1 on a dark window. A widget styled here follows a later palette change (the desktop switching
to dark mode while the app runs).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

# Material 3's error tones: 40 on light backgrounds, 80 on dark ones.
ERROR_LIGHT, ERROR_DARK = "#b3261e", "#f2b8b5"
# Strength 0..4: red, red, orange, green, green; the dark variants are the light tones of the same hues.
STRENGTH_LIGHT = ("#b3261e", "#b3261e", "#a35200", "#1e6b23", "#1b5e20")
STRENGTH_DARK = ("#f2b8b5", "#f2b8b5", "#ffb870", "#81c995", "#81c995")


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is dark (the palette the desktop gives, dark mode included)."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_colour() -> str:
    return ERROR_DARK if is_dark() else ERROR_LIGHT


def strength_colour(score: int) -> str:
    return (STRENGTH_DARK if is_dark() else STRENGTH_LIGHT)[max(0, min(score, 4))]


class _PaletteWatcher(QObject):
    """Keeps one palette role of a widget at ``colour()`` ("" for the inherited colour).

    A palette, not a style sheet: Qt stops telling a widget with a style sheet about palette changes, while
    a widget with one role of its own still hears when the rest of its palette (the window colour) changes.
    """

    def __init__(self, widget: QWidget, role: QPalette.ColorRole, colour: Callable[[], str]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._role = role
        self._colour = colour
        widget.installEventFilter(self)

    def apply(self) -> None:
        wanted = self._colour()
        palette = self._widget.palette()
        if not wanted:
            if palette.resolveMask():
                self._widget.setPalette(QPalette())  # inherit everything again
            return
        colour = QColor(wanted)
        # Setting the palette comes back here as a palette change: only set a different one. Disabled
        # widgets keep the palette's grey.
        if palette.color(QPalette.ColorGroup.Active, self._role) != colour:
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                palette.setColor(group, self._role, colour)
            self._widget.setPalette(palette)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self.apply()
        return False


def follow_palette(
    widget: QWidget, role: QPalette.ColorRole, colour: Callable[[], str]
) -> Callable[[], None]:
    """Give ``widget``'s ``role`` the colour ``colour()`` now and after every palette change (the desktop
    switching to dark mode); returns the function that re-applies it, for when what ``colour`` depends on
    changes."""
    watcher = _PaletteWatcher(widget, role, colour)
    watcher.apply()
    return watcher.apply
