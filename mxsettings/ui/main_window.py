"""The main window: sign-in or the account view, a banner when tokens cannot be kept safely, a status bar.

It drives the account lifecycle through the ``AccountManager`` (restore at start, sign in, switch, sign
out), always through its ``TaskRunner``; no widget awaits the network itself. When a page's request finds
the account's token refused (signed out elsewhere, or expired), the window signs the account out here too
and says so, as it does for a token refused at start.

The window is made in two steps so that it is on screen before the rest of the app has loaded: the
constructor builds only the chrome (banner, notice, a "Opening your accounts…" page, the status bar) and
this module imports nothing but Qt; ``attach`` then adds the sign-in page and the account view, wired to
the account manager. ``app.build_main_window`` does both at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from mxsettings.errors import UnknownToken
    from mxsettings.services.accounts import Account, AccountManager, RestoreResult
    from mxsettings.services.server_lookup import HttpFactory
    from mxsettings.store.secrets import StoreProblem
    from mxsettings.ui.account_view import AccountView, PageFactory
    from mxsettings.ui.error_text import ErrorText
    from mxsettings.ui.sign_in_page import OpenUrl, SignInPage
    from mxsettings.ui.task_runner import TaskRunner

#: Seconds a closing window waits for its cancelled tasks to end before it closes their clients anyway.
_SHUTDOWN_WAIT = 5.0


class MainWindow(QMainWindow):
    # Set by ``attach``; the window is not used before that but to be shown.
    manager: AccountManager
    runner: TaskRunner
    sign_in: SignInPage
    account_view: AccountView

    def __init__(self, *, settings: QSettings | None = None) -> None:
        """The chrome only, showing that the accounts are being opened; ``attach`` adds the rest."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Matrix account settings"))
        self._settings = settings

        self.banner = QLabel(self)
        self.banner.setObjectName("keyringBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setStyleSheet("background: palette(alternate-base); padding: 8px; border-radius: 4px;")
        self.notice = QLabel(self)
        self.notice.setObjectName("noticeLabel")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.retry_button = QPushButton(self.tr("&Try again"), self)
        self.retry_button.setObjectName("retryRestoreButton")
        self.retry_button.setAccessibleName(self.tr("Try again to open your saved accounts"))
        self.retry_button.setVisible(False)

        self.loading_label = QLabel(self.tr("Opening your accounts…"), self)
        self.loading_label.setObjectName("loadingLabel")
        self.loading = _centred(self.loading_label)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.loading)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addLayout(_at_the_start(self.retry_button))
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        self._busy_runners: set[int] = set()
        self._ending: set[str] = set()  # user IDs whose session the server ended, being signed out here
        self._restore_geometry()

    def attach(
        self,
        manager: AccountManager,
        *,
        http_factory: HttpFactory,
        open_url: OpenUrl,
        page_factory: PageFactory,
        store_problem: StoreProblem | None = None,
    ) -> None:
        """Add the sign-in page and the account view, driven by ``manager``; then ``start`` restores."""
        from mxsettings.ui.account_view import AccountView
        from mxsettings.ui.sign_in_page import SignInPage
        from mxsettings.ui.task_runner import TaskRunner

        self.manager = manager
        self.runner = TaskRunner(self)
        self.sign_in = SignInPage(manager, http_factory, open_url, self)
        self.account_view = AccountView(page_factory, self)
        for page in (self.sign_in, self.account_view):
            self.stack.addWidget(page)
        for runner in (self.runner, self.sign_in.runner):
            self._watch(runner)
        self._connect()
        self._show_store_problem(store_problem)

    def _build_status_bar(self) -> None:
        self.busy = QProgressBar(self)
        self.busy.setObjectName("busyIndicator")
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.setRange(0, 0)  # indeterminate: network work has no known length
        self.busy.setMaximumWidth(120)
        self.busy.setVisible(False)
        self.status_text = QLabel(self)
        self.status_text.setObjectName("statusText")
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy)

    def _connect(self) -> None:
        self.sign_in.signed_in.connect(self._signed_in)
        self.sign_in.cancelled.connect(self._show_active)
        self.account_view.switch_requested.connect(self._switch)
        self.account_view.add_account_requested.connect(self._add_account)
        self.account_view.sign_out_requested.connect(self._sign_out)
        self.retry_button.clicked.connect(self.start)

    # --- start-up --------------------------------------------------------------------------------------

    def start(self) -> None:
        """Restore the saved accounts (called once the window is on screen and attached)."""
        from mxsettings.ui.error_text import ErrorContext

        self._set_notice("")
        self.stack.setCurrentWidget(self.loading)
        self.runner.run(
            self.manager.restore_all(),
            on_ok=self._restored,
            on_error=self._restore_failed,
            busy=self.retry_button,
            context=ErrorContext.RESTORE_SESSION,
            progress=self.tr("Opening your accounts…"),
        )

    def _restored(self, results: Sequence[RestoreResult]) -> None:
        from mxsettings.services.accounts import RestoreOutcome

        notes = [self._restore_note(r) for r in results if r.outcome is not RestoreOutcome.RESTORED]
        self._set_notice(" ".join(n for n in notes if n))
        unreachable = any(r.outcome is RestoreOutcome.UNREACHABLE for r in results)
        self.retry_button.setVisible(unreachable)
        soft = next((r for r in results if r.outcome is RestoreOutcome.SOFT_LOGGED_OUT), None)
        if self.manager.accounts:
            self._show_active()
        elif soft is not None:
            self.sign_in.reauthenticate(
                soft.record, self.tr("Your session has expired. Enter your password.")
            )
            self.stack.setCurrentWidget(self.sign_in)
        else:
            self._show_sign_in(can_cancel=False)

    def _restore_note(self, result: RestoreResult) -> str:
        from mxsettings.services.accounts import RestoreOutcome

        user = result.record.user_id
        match result.outcome:
            case RestoreOutcome.SIGNED_OUT:
                return self.tr("%1 was signed out by the server; sign in again to manage it.").replace(
                    "%1", user
                )
            case RestoreOutcome.SOFT_LOGGED_OUT:
                return self.tr("The session of %1 has expired; sign in again.").replace("%1", user)
            case RestoreOutcome.LOCKED:
                return self.tr("%1 is locked by the server's administrators.").replace("%1", user)
            case RestoreOutcome.NOT_IN_KEYRING:
                return self.tr("%1 has to sign in again: its session was not kept.").replace("%1", user)
            case RestoreOutcome.UNREACHABLE:
                from mxsettings.ui.error_text import describe

                detail = describe(result.error).message if result.error else ""
                return self.tr("%1 could not be opened: %2").replace("%1", user).replace("%2", detail)
        return ""

    def _restore_failed(self, error: ErrorText) -> None:
        self._set_notice(error.message)
        self.retry_button.setVisible(True)
        self._show_sign_in(can_cancel=False)

    # --- accounts --------------------------------------------------------------------------------------

    def _signed_in(self, account: Account) -> None:
        self._set_notice("")
        self._show_active()

    def _show_active(self) -> None:
        active_id = self.manager.active_user_id()
        account = self.manager.get(active_id) if active_id else None
        if account is None:
            self._show_sign_in(can_cancel=False)
            return
        self.account_view.show_account(account, self.manager.accounts)
        self.stack.setCurrentWidget(self.account_view)
        self.setWindowTitle(self.tr("%1 – Matrix account settings").replace("%1", account.user_id))

    def _show_sign_in(self, *, can_cancel: bool) -> None:
        self.account_view.clear()
        self.sign_in.reset(can_cancel=can_cancel)
        self.stack.setCurrentWidget(self.sign_in)
        self.setWindowTitle(self.tr("Matrix account settings"))

    def _switch(self, user_id: str) -> None:
        self.manager.set_active(user_id)
        self._show_active()

    def _add_account(self) -> None:
        self._show_sign_in(can_cancel=bool(self.manager.accounts))

    def _sign_out(self) -> None:
        account = self.account_view.account
        if account is None:
            return
        self.runner.run(
            self.manager.sign_out(account),
            on_ok=lambda _: self._signed_out(account),
            on_error=lambda error: self._set_notice(error.message),
            busy=(self.account_view.sign_out_button, self.account_view.add_button),
            progress=self.tr("Signing out…"),
        )

    def _signed_out(self, account: Account) -> None:
        self._set_notice(self.tr("Signed out of %1.").replace("%1", account.user_id))
        self.account_view.clear()
        self._show_active()

    def account_closed(self, account: Account) -> None:
        """A page closed the account on the server: forget it here too and go on with the next one."""
        self.runner.run(
            self.manager.forget(account),
            on_ok=lambda _: self._signed_out(account),
            on_error=lambda error: self._set_notice(error.message),
        )

    def _session_ended(self, account: Account, error: UnknownToken) -> None:
        """A page's request found the token refused: stop the account's pages, forget it, say so."""
        if account.user_id in self._ending or self.manager.get(account.user_id) is not account:
            return  # another request met the same refusal first
        self._ending.add(account.user_id)
        soft = error.soft_logout
        self.runner.run(
            self._end_session(account, soft_logout=soft),
            on_ok=lambda _: self._session_forgotten(account, soft_logout=soft),
            on_error=lambda failure: self._set_notice(failure.message),
        )

    async def _end_session(self, account: Account, *, soft_logout: bool) -> None:
        import asyncio

        from mxsettings.ui.task_runner import TaskRunner

        try:
            # The pages' other tasks (a pending address's wait) end before the account's client closes.
            runners = self.account_view.findChildren(TaskRunner)
            tasks = [task for runner in runners for task in runner.running()]
            for runner in runners:
                runner.cancel_all()
            if tasks:
                await asyncio.wait(tasks, timeout=_SHUTDOWN_WAIT)
            await self.manager.session_ended(account, soft_logout=soft_logout)
        finally:
            self._ending.discard(account.user_id)

    def _session_forgotten(self, account: Account, *, soft_logout: bool) -> None:
        from mxsettings.services.accounts import RestoreOutcome, RestoreResult

        outcome = RestoreOutcome.SOFT_LOGGED_OUT if soft_logout else RestoreOutcome.SIGNED_OUT
        self._set_notice(self._restore_note(RestoreResult(account.record, outcome)))
        if self.account_view.account is account:
            self.account_view.clear()
        if soft_logout:
            self.sign_in.reauthenticate(
                account.record, self.tr("Your session has expired. Enter your password.")
            )
            self.stack.setCurrentWidget(self.sign_in)
            self.setWindowTitle(self.tr("Matrix account settings"))
        else:
            self._show_active()

    async def shutdown(self) -> None:
        """Close every network client the window owns (accounts and the sign-in page's lookup).

        Every task of every page (a pending address's wait included) is cancelled and given the chance to
        end first: a request still connecting when its client closes would leave its socket open.
        """
        import asyncio  # here, not at the top: start-up paints before asyncio is needed

        from mxsettings.ui.task_runner import TaskRunner

        runners = [self.runner, self.sign_in.runner, *self.findChildren(TaskRunner)]
        tasks = [task for runner in runners for task in runner.running()]
        for runner in runners:
            runner.cancel_all()
        if tasks:
            await asyncio.wait(tasks, timeout=_SHUTDOWN_WAIT)
        await self.sign_in.aclose()
        await self.manager.close()

    # --- chrome ----------------------------------------------------------------------------------------

    def watch_runner(self, runner: TaskRunner) -> None:
        """Show a page's work in the status bar."""
        self._watch(runner)

    def watch_session(self, runner: TaskRunner, account: Account) -> None:
        """Sign ``account`` out here when a task of ``runner`` finds its token refused by the server."""
        runner.session_ended.connect(lambda error: self._session_ended(account, error))

    def _watch(self, runner: TaskRunner) -> None:
        key = id(runner)
        runner.status.connect(self.status_text.setText)
        runner.busy_changed.connect(lambda busy: self._runner_busy(key, busy))
        runner.destroyed.connect(lambda: self._runner_busy(key, False))

    def _runner_busy(self, key: int, busy: bool) -> None:
        if busy:
            self._busy_runners.add(key)
        else:
            self._busy_runners.discard(key)
        if shiboken6.isValid(self.busy):  # a runner outliving the status bar as the window is destroyed
            self.busy.setVisible(bool(self._busy_runners))

    def _set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _show_store_problem(self, problem: StoreProblem | None) -> None:
        from mxsettings.ui.keyring_banner import banner_text

        text = banner_text(problem) if problem is not None else ""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.banner.setAccessibleName(text)

    def _restore_geometry(self) -> None:
        self.resize(760, 560)
        if self._settings is None:
            return
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)


# Centred and left-aligned by stretches, not alignment flags: the first use of PySide6's ``Qt`` namespace
# builds all of its hundred enums (about 15 ms), and this chrome is painted before anything else loads.


def _centred(widget: QWidget) -> QWidget:
    page = QWidget(widget.parentWidget())
    rows = QVBoxLayout(page)
    columns = QHBoxLayout()
    columns.addStretch(1)
    columns.addWidget(widget)
    columns.addStretch(1)
    rows.addStretch(1)
    rows.addLayout(columns)
    rows.addStretch(1)
    return page


def _at_the_start(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row
