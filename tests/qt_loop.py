"""The qasync loop fixture for widget tests (pytest-qt), shared by tests/ui and tests/integration.

``qloop`` -- the asyncio loop for a test that clicks and then waits (qt-test-notes §3, pattern A)
--------------------------------------------------------------------------------------------------
A qasync ``QEventLoop`` around pytest-qt's ``qapp``, created with ``already_running=True`` and set as both
the current and the *running* loop. Qt's own event loop then drives asyncio: ``TaskRunner.run`` can create
tasks from a plain slot, and every ``qtbot.wait*`` call lets those tasks advance. Use it in ordinary
(synchronous) tests::

    def test_apply_shows_the_error(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
        page = PasswordPage(service=FakeService(fails_with=Forbidden(status=401)))
        qtbot.addWidget(page)
        qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.error_label.text() != "", timeout=5000)

Rules that keep the suite green:

* Wait with ``qtbot.waitUntil`` / ``qtbot.waitSignal``; never ``time.sleep``.
* Do not mark these tests ``@pytest.mark.asyncio`` and never call ``qtbot.wait*`` inside an ``async def``
  test: the nested Qt loop would step other tasks while the test's task runs, and the runner's teardown
  hangs (notes §3, gotcha 2). Futures or events the test resolves are made with ``qloop.create_future()``
  or ``asyncio.Event()`` and set from the test body.
* The teardown cancels tasks a test left running and lets them finish, then stops and closes the loop and
  runs one real ``qapp.exec()``: stopping an ``already_running`` loop calls ``QApplication.exit()`` with
  no ``exec()`` running, which leaves Qt's quitNow flag set, and every later ``qtbot.wait*`` in the session
  would return at once and time out (notes §3, gotcha 1).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pytest
import qasync
import shiboken6
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mxsettings.ui.gc_guard import MainThreadCollector

if TYPE_CHECKING:
    from mxsettings.ui.main_window import MainWindow

_DRAIN_SECONDS = 5.0
_SHUTDOWN_MS = 20_000


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A running qasync loop on the session's QApplication, torn down so later tests still wait."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    collector = MainThreadCollector()  # as in the app: no garbage collection in worker threads
    try:
        yield loop
    finally:
        collector.stop()
        collector.deleteLater()
        _drain(loop, qapp)
        loop.stop()
        loop.close()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        QTimer.singleShot(0, qapp.quit)
        qapp.exec()  # the one real exec() clears quitNow, which loop.stop() set


def _drain(loop: asyncio.AbstractEventLoop, qapp: QApplication) -> None:
    """Cancel what the test left running and let it finish, so no coroutine is destroyed while pending."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    deadline = time.monotonic() + _DRAIN_SECONDS
    while any(not task.done() for task in pending) and time.monotonic() < deadline:
        qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    qapp.processEvents()  # the tasks' done callbacks


def shut_down(qtbot: QtBot, loop: asyncio.AbstractEventLoop, windows: Iterable[MainWindow]) -> None:
    """Quit as the app does: each window closes its network clients, then it is destroyed here.

    Fixtures call this rather than leaving their windows to ``qtbot.addWidget``: pytest-qt deletes the
    widgets it was given before fixtures are torn down, and a window deleted first cannot close its clients
    (their connections would outlive the test and warn in a later one). A failed shutdown fails the test.
    """
    for window in windows:
        if not shiboken6.isValid(window):
            continue
        closing = loop.create_task(window.shutdown())
        qtbot.waitUntil(closing.done, timeout=_SHUTDOWN_MS)
        closing.result()
        window.close()
        with qtbot.waitSignal(window.destroyed, timeout=_SHUTDOWN_MS):
            window.deleteLater()
