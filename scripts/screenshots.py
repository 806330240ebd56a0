"""Render every page and dialog into docs/screenshots/ (offscreen), light and dark, against the spec-shaped
fake homeserver.

    .venv/bin/python scripts/screenshots.py [OUTDIR]       # or: make screenshots
    MXSETTINGS_LANG=de .venv/bin/python scripts/screenshots.py /tmp/de   # in German (needs make translations)

Every picture comes from the real widgets driven through their real code paths (``tests/ui/tour.py``, the
same walk the translation and accessibility tests make); only the server is fake, so the pictures need no
network and look the same on every run. ``NAME.png`` is light, ``NAME-dark.png`` dark: Fusion with its own
light palette, and with a dark palette like the ones desktops hand Qt in dark mode. Open them after changing
a window.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from mxsettings.ui.i18n import install_translators
from tests.ui.tour import Stop, tour


def dark_palette() -> QPalette:
    """Close to what KDE's Breeze Dark and GNOME's dark portal setting give Qt."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#333333",
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#9a9a9a",
        role.Text: "#e6e6e6",
        role.Button: "#3a3a3a",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ffffff",
        role.Highlight: "#3d8fd1",
        role.HighlightedText: "#ffffff",
        role.Link: "#8ab4f8",
        role.LinkVisited: "#c58af9",
        role.Light: "#4a4a4a",
        role.Midlight: "#404040",
        role.Mid: "#303030",
        role.Dark: "#1a1a1a",
        role.Shadow: "#000000",
    }
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7a7a7a"))
    return p


async def shoot(app: QApplication, outdir: Path) -> None:
    for suffix, palette in (("", app.style().standardPalette()), ("-dark", dark_palette())):
        app.setPalette(palette)

        def save(stop: Stop, suffix: str = suffix) -> None:
            path = outdir / f"{stop.name}{suffix}.png"
            stop.widget.grab().save(str(path))
            print(path)

        await tour(save)


def main() -> int:
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    outdir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")  # the same look on every machine, so the pictures only change when the app does
    install_translators(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(shoot(app, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
