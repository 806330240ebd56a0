"""Starts mxsettings as the ``mxsettings`` command does, with the benchmark's paint watcher installed.

The watcher needs the QApplication before ``mxsettings.app.run`` builds the window, so this launcher makes it
(``run`` takes the existing instance). Nothing is added to the app's own code. In memory mode the launcher
then waits for the stored session to open and the Contact info list to load, visits every tab, sits idle and
reports its resident memory; then changes the password on the Password tab, sits idle and reports it again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from bench import probe


def main() -> int:
    app = QApplication(sys.argv)
    probe.watch_first_paint(app, lambda: _after_paint(app))
    from mxsettings.cli import main as mxsettings_main  # what the ``mxsettings`` command runs

    return mxsettings_main([])


def _after_paint(app: QApplication) -> None:
    if probe.startup_only():
        app.quit()
        return
    follower = _Follower(app)
    follower.heartbeat.start()
    follower.poll()


class _Follower(QObject):
    """Waits for the opened account, walks the tabs, then measures once idle. A QObject owned by the
    application: PySide6 holds a timer's bound-method target weakly, and a plain object would be collected."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.tab = -1
        # From the first paint until the account is shown: the event loop's longest stall while the app
        # loads its keyring, network stack and pages and opens the stored session.
        from bench.heartbeat import Heartbeat  # after the paint: it is not part of the start-up figure

        self.heartbeat = Heartbeat(self)

    def poll(self) -> None:
        from mxsettings.ui.main_window import MainWindow

        windows = [w for w in self.app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and self._ready(windows[0]):
            probe.report(event="opened", seconds=probe.since_start(), stall_ms=self.heartbeat.stop())
            self._walk(windows[0])
            return
        if probe.since_start() > 60:
            probe.report(event="error", message="the stored session did not open within 60 s")
            self.app.quit()
            return
        QTimer.singleShot(10, self.poll)

    @staticmethod
    def _ready(window: object) -> bool:
        from mxsettings.ui.main_window import MainWindow

        assert isinstance(window, MainWindow)
        if not hasattr(window, "account_view"):
            return False  # painted, not yet wired to the app's services (MainWindow.attach)
        if window.stack.currentWidget() is not window.account_view or window.busy.isVisible():
            return False
        # The Contact info list loads on its own (its runner is not behind the busy indicator).
        return not any(page.runner.busy for page in window.account_view.pages())

    def _walk(self, window: object) -> None:
        from mxsettings.ui.main_window import MainWindow

        assert isinstance(window, MainWindow)
        tabs = window.account_view.tabs
        self.tab += 1
        if self.tab < tabs.count():
            tabs.setCurrentIndex(self.tab)
            QTimer.singleShot(100, lambda: self._walk(window))
            return
        tabs.setCurrentIndex(0)
        QTimer.singleShot(probe.IDLE_MS, lambda: self._measure_opened(window))

    def _measure_opened(self, window: object) -> None:
        probe.report(event="idle", stage="opened", rss_mb=probe.rss_mb(), parts=probe.rss_parts())
        self._change_password(window)

    def _change_password(self, window: object) -> None:
        """A flow before the measurement: the stored account's password changed on the Password tab, as a
        person would (the other sessions stay signed in, so the app stays signed in too)."""
        import os
        import secrets

        from mxsettings.ui.main_window import MainWindow
        from mxsettings.ui.pages.password_page import PasswordPage

        assert isinstance(window, MainWindow)
        page = next(p for p in window.account_view.pages() if isinstance(p, PasswordPage))
        window.account_view.tabs.setCurrentWidget(page)
        new = f"Bench-{secrets.token_urlsafe(12)}-9"
        for edit, text in (
            (page.current_edit, os.environ[probe.PASSWORD_ENV]),
            (page.new_edit, new),
            (page.confirm_edit, new),
        ):
            edit.setText(text)
        page.submit_button.click()
        self._wait_for_change(page)

    def _wait_for_change(self, page: object) -> None:
        from mxsettings.ui.pages.password_page import PasswordPage

        assert isinstance(page, PasswordPage)
        if page.runner.busy and probe.since_start() < 60:
            QTimer.singleShot(10, lambda: self._wait_for_change(page))
            return
        shown = page.result.text() if page.result.isVisible() else ""
        if "changed" not in shown:
            probe.report(event="error", message=f"the password change did not succeed: {shown!r}")
            self.app.quit()
            return
        probe.report(event="changed", seconds=probe.since_start())
        QTimer.singleShot(probe.IDLE_MS, self._measure_changed)

    def _measure_changed(self) -> None:
        probe.report(event="idle", stage="password-changed", rss_mb=probe.rss_mb(), parts=probe.rss_parts())
        self.app.quit()


if __name__ == "__main__":
    sys.exit(main())
