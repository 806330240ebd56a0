"""A stage the app cannot do itself (single sign-on, a captcha, terms, stages not invented yet) is done on
the server's own page in the system browser.

Nothing in the browser can reach the app, so the UIA driver asks the server every few seconds whether the
stage is done; this dialog is what the user sees meanwhile: what to do, that the app is waiting, the page's
address (in case no browser opened), and three ways on: open the page again, "I have finished" (asks the
server at once instead of at the next poll), and Cancel. No "come back and press Continue" step is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from mxsettings.auth.stages import M_LOGIN_RECAPTCHA, M_LOGIN_SSO, M_LOGIN_TERMS, M_OAUTH
from mxsettings.errors import Cancelled
from mxsettings.services.uia_driver import FallbackAsk
from mxsettings.ui.dialogs.base import AuthDialog, busy_bar, button, wrapped_label


class FallbackDialog(AuthDialog):
    """Opens the page when shown; ``FallbackWaiterHandle`` hands it to the driver."""

    def __init__(self, parent: QWidget | None, ask: FallbackAsk, open_url: Callable[[str], None]) -> None:
        super().__init__(parent, name="uiaFallbackDialog")
        self.set_title(self.tr("Continue in your browser"))
        self.url = ask.url
        self.stage = ask.stage
        self._open_url = open_url
        self._wake = asyncio.Event()
        self.intro = wrapped_label(self, self._instructions(ask.stage), name="uiaFallbackIntro")
        self.waiting = wrapped_label(
            self,
            self.tr("Waiting for the browser… This window continues by itself once the page is done."),
            name="uiaFallbackWaiting",
        )
        self.busy = busy_bar(self, "uiaFallbackBusy", self.tr("Waiting for the browser"))
        self.address = wrapped_label(
            self,
            self.tr("If no browser opened, open this address yourself:") + "\n" + ask.url,
            name="uiaFallbackAddress",
        )
        self.reopen_button = button(
            self, self.tr("&Open the page again"), "uiaFallbackReopenButton", self.tr("Open the page again")
        )
        self.done_button = button(
            self,
            self.tr("I have &finished"),
            "uiaFallbackDoneButton",
            self.tr("I have finished in the browser: check now"),
        )
        self.done_button.setDefault(True)
        self.cancel_button = button(
            self, self.tr("Cancel"), "uiaFallbackCancelButton", self.tr("Cancel the action")
        )
        self.reopen_button.clicked.connect(self.open_page)
        self.done_button.clicked.connect(self._check_now)
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.reopen_button)
        row.addStretch(1)
        row.addWidget(self.done_button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.waiting)
        layout.addWidget(self.busy)
        layout.addWidget(self.address)
        layout.addLayout(row)
        self.setTabOrder(self.done_button, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.reopen_button)
        self.done_button.setFocus()

    def _instructions(self, stage: str) -> str:
        if stage == M_LOGIN_SSO:
            return self.tr(
                "Your server wants you to confirm it is you by signing in with your identity provider. "
                "The app has opened that page in your browser."
            )
        if stage == M_LOGIN_RECAPTCHA:
            return self.tr(
                "Your server wants you to prove you are a person. The app has opened its check in your "
                "browser."
            )
        if stage == M_LOGIN_TERMS:
            return self.tr(
                "Your server wants you to accept its terms. The app has opened them in your browser."
            )
        if stage == M_OAUTH:
            return self.tr(
                "Your server wants you to approve this on its account page, now open in your browser."
            )
        return self.tr(
            "Your server wants one more step (%1) that it runs on its own page, now open in your browser."
        ).replace("%1", stage)

    def open_page(self) -> None:
        self._open_url(self.url)

    def _check_now(self) -> None:
        self._wake.set()

    def on_cancel(self) -> None:
        self._wake.set()

    async def wait(self, seconds: float) -> None:
        """Return after ``seconds`` or at once when "I have finished" is pressed; ``Cancelled`` on cancel."""
        if not self.cancelled:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, seconds))
            self._wake.clear()
        if self.cancelled:
            raise Cancelled


class FallbackWaiterHandle:
    """The driver's ``FallbackWaiter`` for one dialog (``close`` is not QWidget.close: it never cancels)."""

    def __init__(self, dialog: FallbackDialog) -> None:
        self.dialog = dialog

    async def wait(self, seconds: float) -> None:
        await self.dialog.wait(seconds)

    def close(self) -> None:
        self.dialog.dismiss()
