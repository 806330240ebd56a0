"""How the app introduces itself to the desktop: its ID (the .desktop file's name, the Wayland app ID, the
AppStream ID, the Flatpak ID and the icon name are all this one string) and its icon.

The icon comes from the icon theme when the app is installed (the desktop file, Flatpak or a distribution
package put the hicolor sizes there); otherwise from the SVG shipped beside the code: ``mxsettings/icons/`` in
the PyInstaller bundle, ``resources/icons/`` in a source checkout.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

APP_ID = "io.github.mxsettings.MxSettings"

_PACKAGE = Path(__file__).resolve().parents[1]


def icon_file() -> Path | None:
    """The app's SVG icon, or None when neither the bundle nor the checkout has it."""
    name = f"{APP_ID}.svg"
    for candidate in (_PACKAGE / "icons" / name, _PACKAGE.parent / "resources" / "icons" / name):
        if candidate.is_file():
            return candidate
    return None


def app_icon() -> QIcon:
    svg = icon_file()
    fallback = QIcon(str(svg)) if svg is not None else QIcon()
    return QIcon.fromTheme(APP_ID, fallback)
