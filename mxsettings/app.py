"""Composition root: builds every collaborator and passes it in.

``build_main_window`` is the documented factory for tests and tools: it takes the config folder, the secret
store and the HTTP transport, and returns a window that is not shown and whose event loop is not started.
``run`` is what the ``mxsettings`` command does: paint the window first, then load the network stack and
restore the saved accounts.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from mxsettings.ui.main_window import MainWindow

if TYPE_CHECKING:
    import asyncio
    import concurrent.futures

    import httpx

    from mxsettings.api.client import MatrixHttp, Timeouts
    from mxsettings.services.accounts import Account
    from mxsettings.store.pending import PendingStore
    from mxsettings.store.secrets import SecretStore, StoreProblem

OpenUrl = Callable[[str], None]

log = logging.getLogger(__name__)


def open_in_browser(url: str) -> None:
    QDesktopServices.openUrl(QUrl(url))


def build_main_window(
    *,
    config_dir: Path,
    secret_store: SecretStore,
    transport: httpx.AsyncBaseTransport | None = None,
    store_problem: StoreProblem | None = None,
    open_url: OpenUrl = open_in_browser,
    settings: QSettings | None = None,
    timeouts: Timeouts | None = None,
    window: MainWindow | None = None,
) -> MainWindow:
    """The main window wired to real services, from injected collaborators. Call ``window.start()`` (with
    a running qasync loop) to restore the saved accounts. ``timeouts`` replaces the HTTP client's defaults
    (the fault tests use short ones). ``window`` is a bare ``MainWindow`` already on screen (what ``run``
    paints first) to wire instead of a new one; ``settings`` then stays the bare window's."""
    from mxsettings.api.client import MatrixHttp, Timeouts
    from mxsettings.services.accounts import AccountManager
    from mxsettings.store.accounts import AccountRecords
    from mxsettings.store.pending import PendingStore

    chosen = timeouts or Timeouts()

    def http_factory(base_url: str) -> MatrixHttp:
        return MatrixHttp(base_url, transport=transport, timeouts=chosen)

    manager = AccountManager(AccountRecords(config_dir), secret_store, http_factory)
    pending = PendingStore(config_dir, secret_store)  # contact confirmations that survive restarts
    built = window if window is not None else MainWindow(settings=settings)
    built.attach(
        manager,
        http_factory=http_factory,
        open_url=open_url,
        page_factory=lambda account, parent: account_pages(account, parent, built, open_url, pending),
        store_problem=store_problem,
    )
    return built


def account_pages(
    account: Account, parent: QWidget, window: MainWindow, open_url: OpenUrl, pending: PendingStore
) -> Sequence[tuple[str, QWidget]]:
    """The tabs of one account. Each page gets the account's own prompter, so authentication dialogs
    open over this window and close with the page's tasks."""
    from mxsettings.ui.dialogs.prompter import DialogPrompter
    from mxsettings.ui.pages.close_account_page import CloseAccountPage
    from mxsettings.ui.pages.contact_page import ContactPage
    from mxsettings.ui.pages.password_page import PasswordPage

    prompter = DialogPrompter.for_account(window, account, open_url=open_url)
    password = PasswordPage(account, prompter=prompter, open_url=open_url, parent=parent)
    contacts = ContactPage(account, prompter=prompter, pending=pending, open_url=open_url, parent=parent)
    closing = CloseAccountPage(account, prompter=prompter, open_url=open_url, parent=parent)
    closing.account_closed.connect(window.account_closed)
    # Only the runners of actions the user started: the contact page's waits for a link last up to an
    # hour and would keep the busy indicator spinning.
    for page in (password, contacts, closing):
        window.watch_runner(page.runner)
    # Any request of the account's pages may find its token refused; the window then signs it out.
    for runner in (password.runner, contacts.runner, contacts.waits, closing.runner):
        window.watch_session(runner, account)
    contacts.load()
    # translate() with a literal context: lupdate cannot know the class behind ``window.tr``.
    return [
        (QCoreApplication.translate("MainWindow", "Password"), password),
        (QCoreApplication.translate("MainWindow", "Contact info"), contacts),
        (QCoreApplication.translate("MainWindow", "Close account"), closing),
    ]


def run() -> int:
    from mxsettings.ui.import_scan import lighten_import_scan

    lighten_import_scan()  # before the imports below: PySide6 would keep the source of each in memory
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("mxsettings")
    app.setOrganizationName("mxsettings")
    from mxsettings.ui.desktop import APP_ID, app_icon
    from mxsettings.ui.i18n import install_translators

    install_translators(app)  # before the first translated string (the translators are children of app)
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to the .desktop file (name and icon) by it
    app.setWindowIcon(app_icon())
    app.setApplicationDisplayName(app.translate("App", "Matrix account settings"))
    # The bare window first, painted before asyncio, qasync, the keyring, the network stack and the pages
    # are loaded (the rest of this function and ``_open``).
    window = MainWindow(settings=QSettings())
    window.show()
    app.processEvents()
    import asyncio

    import qasync

    from mxsettings.ui.gc_guard import MainThreadCollector

    collector = MainThreadCollector(app)  # keyring calls run in a worker thread
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    loop.set_default_executor(io_threads())
    with loop:
        holder: list[MainWindow] = []
        opening: list[asyncio.Task[None]] = []
        QTimer.singleShot(0, lambda: opening.append(loop.create_task(_open(holder, window))))
        closed = asyncio.Event()
        app.aboutToQuit.connect(closed.set)
        loop.run_until_complete(closed.wait())
        # Closed while the keyring was still being chosen: stop opening, and let the task end before the
        # loop does (a task left pending is destroyed with a warning, and its window is never shut down).
        for task in opening:
            loop.run_until_complete(_stopped(task))
        if holder:
            loop.run_until_complete(holder[0].shutdown())
    collector.stop()
    return 0


def io_threads() -> concurrent.futures.ThreadPoolExecutor:
    """The event loop's default executor (``asyncio.to_thread``, name lookups): a few plain threads, made
    when first needed and reused.

    qasync's own default starts ten QThreads at once, and the work is spread over all of them: every
    thread that runs Python gets an allocator arena of its own, so the file reads and writes, the imports
    and the strength meter's questions ended up touching memory in up to ten (0.5 to 1 MB more resident,
    make bench). Nothing run there makes a Qt object, so plain threads serve.
    """
    import concurrent.futures

    return concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="mxsettings-io")


async def _stopped(task: asyncio.Task[None]) -> None:
    """Cancel ``task`` if it is still running and wait for it; a failure is logged, not raised."""
    import asyncio

    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    except Exception as exc:  # opening failed before the window was closed: nothing left to do but say so
        log.warning("opening the saved accounts failed: %s", type(exc).__name__)


def load_ahead() -> None:
    """Import, in a worker thread, what wiring the window and showing an account import on the event loop.

    Only modules: they define classes and constants and create no Qt object, so importing them off the GUI
    thread is safe; every widget is still made on the GUI thread.
    """
    from mxsettings.api.preload import load_network_stack

    load_network_stack()
    import mxsettings.services.accounts
    import mxsettings.store.accounts
    import mxsettings.store.pending
    import mxsettings.ui.dialogs.prompter
    import mxsettings.ui.pages.close_account_page
    import mxsettings.ui.pages.contact_page
    import mxsettings.ui.pages.password_page  # noqa: F401


async def _open(holder: list[MainWindow], window: MainWindow | None = None) -> None:
    """Choose the keyring, wire ``window`` (a new one if None) to the app's services, show it and restore
    the saved accounts; the wired window is put in ``holder``."""
    import asyncio

    from mxsettings.store.accounts import default_config_dir
    from mxsettings.store.secrets import open_secret_store

    if window is None:
        window = MainWindow(settings=QSettings())
        window.show()
    # Both off the event loop: choosing the keyring can take 100 ms, and the imports would otherwise
    # happen on it: the network stack's on the first request, the services' and pages' (70 ms) just as the
    # saved account is shown.
    choice, _ = await asyncio.gather(open_secret_store(), asyncio.to_thread(load_ahead))
    build_main_window(
        config_dir=default_config_dir(),
        secret_store=choice.store,
        store_problem=None if choice.secure else choice.reason,
        window=window,
    )
    holder.append(window)
    window.start()
