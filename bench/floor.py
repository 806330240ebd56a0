"""The floor: a bare PySide6 window with two tabs of a few fields, built by the benchmark itself.

Run as a child process (``python -m bench.floor``) by ``bench.startup``; it reports when its window has first
painted and, in memory mode, its resident memory once idle after visiting both tabs.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFormLayout, QLineEdit, QMainWindow, QTabWidget, QWidget

from bench import probe


def _tab(labels: tuple[str, ...]) -> QWidget:
    page = QWidget()
    form = QFormLayout(page)
    for label in labels:
        form.addRow(label, QLineEdit())
    return page


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Floor")
    tabs = QTabWidget()
    tabs.addTab(_tab(("Current password", "New password", "Repeat it")), "Password")
    tabs.addTab(_tab(("Email address", "Phone number", "Country")), "Contact info")
    window.setCentralWidget(tabs)
    window.resize(760, 560)

    def painted() -> None:
        if probe.startup_only():
            app.quit()
            return
        QTimer.singleShot(0, lambda: tabs.setCurrentIndex(1))
        QTimer.singleShot(50, lambda: tabs.setCurrentIndex(0))
        QTimer.singleShot(probe.IDLE_MS, measure)

    def measure() -> None:
        probe.report(event="idle", rss_mb=probe.rss_mb(), parts=probe.rss_parts())
        app.quit()

    probe.watch_first_paint(app, painted)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
