"""``DialogPrompter``: the UIA driver's ``Prompter`` as non-modal dialogs.

Each method shows a dialog and awaits a future its buttons resolve; Cancel (or Escape, or closing the
window) raises ``Cancelled`` and the action stops without another request. Nothing blocks the event loop.

Dialogs belong to the asyncio task that asked for them (one action's UIA run): the email or phone dialog
stays open while the driver polls and is reused by the next ask of that stage, and every dialog of a task
closes when the task ends, however it ends (success, an error, the page going away). Two pages running
actions at once therefore never share or close each other's dialogs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtWidgets import QWidget

from mxsettings.api.models import ThreePidCredentials
from mxsettings.services.accounts import Account
from mxsettings.services.uia_contacts import AddressLister, EmailTokenRequester, PhoneHelpers, contact_helpers
from mxsettings.services.uia_driver import FallbackAsk, FallbackWaiter, PasswordAsk, ThreePidAsk
from mxsettings.ui.dialogs.base import AuthDialog
from mxsettings.ui.dialogs.fallback_dialog import FallbackDialog, FallbackWaiterHandle
from mxsettings.ui.dialogs.password_dialog import PasswordDialog
from mxsettings.ui.dialogs.threepid_dialogs import EmailDialog, PhoneDialog, ThreePidDialog

# While waiting for an emailed link, the driver's next check comes after FIRST seconds, then each wait grows
# by GROWTH up to MAX: a quick answer for a quick user, few requests from a user who went for a coffee (the
# driver allows 50 rounds, which this stretches to about a quarter of an hour).
THREEPID_FIRST_WAIT = 3.0
THREEPID_WAIT_GROWTH = 1.5
THREEPID_MAX_WAIT = 20.0


def threepid_wait(retry: int) -> float:
    return float(min(THREEPID_MAX_WAIT, THREEPID_FIRST_WAIT * THREEPID_WAIT_GROWTH ** max(0, retry - 1)))


@dataclass
class _TaskDialogs:
    email: EmailDialog | None = None
    phone: PhoneDialog | None = None
    others: list[AuthDialog] = field(default_factory=list)

    def all(self) -> list[AuthDialog]:
        return [d for d in (self.email, self.phone, *self.others) if d is not None]


class DialogPrompter:
    """Implements ``mxsettings.services.uia_driver.Prompter``."""

    def __init__(
        self,
        parent: QWidget,
        *,
        open_url: Callable[[str], None],
        request_email_token: EmailTokenRequester | None = None,
        account_emails: AddressLister | None = None,
        phone: PhoneHelpers | None = None,
    ) -> None:
        """``request_email_token(email, client_secret, send_attempt)`` and ``account_emails()`` serve the
        email stage, ``phone`` the text-message stage; without them those dialogs say the stage cannot be
        done here. ``for_account`` wires all of them to one account."""
        self._parent = parent
        self._open_url = open_url
        self._request_email_token = request_email_token
        self._account_emails = account_emails
        self._phone = phone
        self._tasks: dict[asyncio.Task[object], _TaskDialogs] = {}

    @classmethod
    def for_account(
        cls, parent: QWidget, account: Account, *, open_url: Callable[[str], None]
    ) -> DialogPrompter:
        helpers = contact_helpers(account)
        return cls(
            parent,
            open_url=open_url,
            request_email_token=helpers.request_email_token,
            account_emails=helpers.account_emails,
            phone=helpers.phone,
        )

    def __repr__(self) -> str:
        return f"DialogPrompter(open_dialogs={len(self.dialogs)})"

    @property
    def dialogs(self) -> list[AuthDialog]:
        """The dialogs open now, oldest first (for tests and for the window to raise them)."""
        return [d for group in self._tasks.values() for d in group.all() if _alive(d) and d.isVisible()]

    # --- Prompter ------------------------------------------------------------------------------------------

    async def password(self, ask: PasswordAsk) -> str:
        group = self._group()
        self._close_threepid(group)
        dialog = PasswordDialog(self._parent, ask)
        group.others.append(dialog)
        dialog.show()
        try:
            return await dialog.answer()
        finally:
            dialog.dismiss()
            group.others.remove(dialog)

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials:
        group = self._group()
        if group.email is None or not _alive(group.email):
            group.email = EmailDialog(
                self._parent, list_addresses=self._account_emails, request_token=self._request_email_token
            )
        return await self._threepid(group, group.email, ask)

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials:
        group = self._group()
        if group.phone is None or not _alive(group.phone):
            phone = self._phone
            group.phone = PhoneDialog(
                self._parent,
                list_addresses=phone.account_phones if phone else None,
                request_token=phone.request_token if phone else None,
                submit_code=phone.submit_code if phone else None,
            )
        return await self._threepid(group, group.phone, ask)

    async def open_fallback(self, ask: FallbackAsk) -> FallbackWaiter:
        group = self._group()
        self._close_threepid(group)
        dialog = FallbackDialog(self._parent, ask, self._open_url)
        group.others.append(dialog)
        dialog.show()
        dialog.open_page()
        return FallbackWaiterHandle(dialog)

    # --- helpers -------------------------------------------------------------------------------------------

    async def _threepid(
        self, group: _TaskDialogs, dialog: ThreePidDialog, ask: ThreePidAsk
    ) -> ThreePidCredentials:
        for other in (group.email, group.phone):
            if other is not None and other is not dialog:
                other.dismiss()
        if ask.waiting and dialog.has_session:
            # The server has not seen the link followed (or the code) yet: same session, ask again later.
            await dialog.wait(threepid_wait(ask.retry))
            return dialog.credentials()
        if dialog.has_session:
            dialog.restart()  # a new UIA session, or a new round: a fresh validation too
        if not dialog.isVisible():
            dialog.show()
            dialog.load_addresses()
        return await dialog.proven()

    def _close_threepid(self, group: _TaskDialogs) -> None:
        for dialog in (group.email, group.phone):
            if dialog is not None:
                dialog.dismiss()
        group.email = group.phone = None

    def _group(self) -> _TaskDialogs:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("DialogPrompter must be called from an asyncio task")
        group = self._tasks.get(task)
        if group is None:
            group = self._tasks[task] = _TaskDialogs()
            task.add_done_callback(self._task_done)
        return group

    def _task_done(self, task: asyncio.Task[object]) -> None:
        group = self._tasks.pop(task, None)
        if group is not None:
            for dialog in group.all():
                dialog.dismiss()


def _alive(dialog: AuthDialog) -> bool:
    return shiboken6.isValid(dialog) and not dialog.cancelled
