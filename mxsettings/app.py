"""Composition root: builds the QApplication, the qasync loop and the main window."""

from __future__ import annotations

import asyncio
import sys

from PySide6.QtWidgets import QApplication

from mxsettings.ui.main_window import MainWindow


def build_main_window() -> MainWindow:
    """Build the main window without starting the event loop (tests call this under pytest-qt)."""
    return MainWindow()


def run() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("mxsettings")
    app.setOrganizationName("mxsettings")
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = build_main_window()
    window.show()
    with loop:
        closed = asyncio.Event()
        app.aboutToQuit.connect(closed.set)
        loop.run_until_complete(closed.wait())
    return 0
