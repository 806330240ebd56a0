"""Helpers for the Contact info tab's tests: accounts on any homeserver, a scripted prompter, row lookup."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import httpx
import shiboken6
from PySide6.QtWidgets import QFrame, QWidget
from pytestqt.qtbot import QtBot

from mxsettings.api.client import MatrixHttp, RateLimitPolicy
from mxsettings.api.generation import Generation
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import AuthMetadata, Capabilities, ThreePidCredentials
from mxsettings.errors import Cancelled
from mxsettings.services.accounts import Account
from mxsettings.services.contacts import WaitSchedule
from mxsettings.services.uia_driver import FallbackAsk, FallbackWaiter, PasswordAsk, ThreePidAsk
from mxsettings.store.accounts import AccountRecord, LoginMethod
from mxsettings.store.pending import DEFAULT_TOKEN_LIFETIME, PendingStore
from mxsettings.store.secrets import MemorySecretStore, SecretStore
from mxsettings.ui.pages.contact_page import ContactPage

# Tries every 50-200 ms: a row completes within a fraction of a second of the link being opened.
QUICK = WaitSchedule(first=0.05, growth=2.0, longest=0.2)


def make_account(
    base_url: str,
    user_id: str,
    token: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    generation: Generation | None = None,
    capabilities: Capabilities | None = None,
    auth_metadata: AuthMetadata | None = None,
    rate_limit: RateLimitPolicy | None = None,
) -> Account:
    http = MatrixHttp(base_url, transport=transport, rate_limit=rate_limit or RateLimitPolicy())
    http.set_access_token(token)
    record = AccountRecord(
        homeserver=base_url, user_id=user_id, device_id="TESTDEVICE", login_method=LoginMethod.PASSWORD
    )
    return Account(
        record, Homeserver(http, generation=generation), capabilities or Capabilities(), auth_metadata
    )


class ScriptedPrompter:
    """Answers every password ask with ``password`` (``None``: the person closes the dialog)."""

    def __init__(self, password: str | None) -> None:
        self.password_answer = password
        self.asks: list[PasswordAsk] = []

    async def password(self, ask: PasswordAsk) -> str:
        self.asks.append(ask)
        if self.password_answer is None:
            raise Cancelled
        return self.password_answer

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials:
        raise Cancelled

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials:
        raise Cancelled

    async def open_fallback(self, ask: FallbackAsk) -> FallbackWaiter:
        raise Cancelled


class Opened:
    """Stands in for opening a URL in the browser."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, url: str) -> None:
        self.urls.append(url)


def pending_store(
    directory: Path, secrets: SecretStore | None = None, *, token_lifetime: float = DEFAULT_TOKEN_LIFETIME
) -> PendingStore:
    return PendingStore(directory, secrets or MemorySecretStore(), token_lifetime=token_lifetime)


def build_page(
    account: Account,
    prompter: ScriptedPrompter,
    store: PendingStore,
    opened: Opened | None = None,
    *,
    resend_cooldown: float = 0.0,
) -> ContactPage:
    page = ContactPage(
        account,
        prompter=prompter,
        pending=store,
        open_url=opened or Opened(),
        schedule=QUICK,
        resend_cooldown=resend_cooldown,
    )
    page.resize(640, 720)
    return page


class PageKeeper:
    """Owns the pages a test opens and destroys them, on the GUI thread, when the test ends.

    pytest-qt only closes widgets; the Python wrappers then die whenever the garbage collector runs, and in
    a later test that may be a worker thread (``asyncio.to_thread``), which destroys the widget from the
    wrong thread and crashes. Deleting them here, then collecting, leaves nothing Qt behind.
    """

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.pages: list[ContactPage] = []
        self.homeservers: list[Homeserver] = []

    def keep(self, page: ContactPage) -> ContactPage:
        self.pages.append(page)
        self.homeservers.append(page.account.homeserver)
        return page

    def close(self, page: ContactPage) -> None:
        """What quitting the app does to the tab: the page, its runners and their tasks are destroyed."""
        if not shiboken6.isValid(page):
            return
        page.runner.cancel_all()
        page.waits.cancel_all()
        page.close()
        with self.qtbot.waitSignal(page.destroyed):
            page.deleteLater()

    def close_all(self, loop: asyncio.AbstractEventLoop) -> None:
        for page in self.pages:
            self.close(page)
        self.pages.clear()
        closing = loop.create_task(_close_all(self.homeservers))
        self.qtbot.waitUntil(closing.done)
        closing.result()
        gc.collect()


async def _close_all(homeservers: list[Homeserver]) -> None:
    for homeserver in homeservers:
        await homeserver.aclose()
    # A closed socket transport lets go of its socket in a callback a loop turn later; without that turn
    # the socket is reported unclosed when it is collected.
    await asyncio.sleep(0.05)


def row(page: QWidget, name: str) -> QFrame | None:
    """The row named ``contact:<medium>:<address>`` or ``pending:<medium>:<address>``, if shown."""
    found = page.findChild(QFrame, name)
    return found if isinstance(found, QFrame) else None


def child(parent: QWidget, kind: type[QWidget], name: str) -> QWidget:
    found = parent.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found
