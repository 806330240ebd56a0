"""Closing an account against the real Synapse, with the account manager and the real Secret Service the app
uses: the end-to-end close (the session leaves the keyring, the server refuses the user afterwards) and a
refused close (wrong password, then cancel) that keeps everything local."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from mxsettings.api import session
from mxsettings.api.client import MatrixHttp
from mxsettings.errors import Forbidden, UnknownToken
from mxsettings.services.accounts import Account, AccountManager
from mxsettings.services.server_lookup import lookup_server
from mxsettings.store.accounts import AccountRecords
from mxsettings.store.secrets import SecretStore, access_token_key, choose_secret_store
from mxsettings.ui.dialogs.password_dialog import PasswordDialog
from mxsettings.ui.dialogs.prompter import DialogPrompter
from mxsettings.ui.pages.close_account_page import CloseAccountPage
from tests.conformance.recorder import RecordedRequest, RecordingTransport, problems
from tests.harness.synapse import NewUser, SynapseServer
from tests.integration.page_support import recorded_homeserver, run, whoami_with


@pytest.fixture
def traffic() -> Iterator[list[RecordedRequest]]:
    records: list[RecordedRequest] = []
    yield records
    found = problems(records)
    assert not found, "requests that do not match the Matrix definitions:\n" + "\n".join(found)


@pytest.fixture
def store() -> SecretStore:
    choice = choose_secret_store()
    assert choice.secure, f"expected the Secret Service of the test session, got {choice.reason}"
    return choice.store


def manager_for(tmp_path: Path, store: SecretStore, traffic: list[RecordedRequest]) -> AccountManager:
    def http_factory(base_url: str) -> MatrixHttp:
        return MatrixHttp(base_url, transport=RecordingTransport(records=traffic))

    return AccountManager(AccountRecords(tmp_path / "config"), store, http_factory)


def signed_in(
    qtbot: QtBot,
    *,
    loop: asyncio.AbstractEventLoop,
    manager: AccountManager,
    server: SynapseServer,
    user: str,
    password: str,
) -> Account:
    async def go() -> Account:
        info = await lookup_server(server.base_url, manager._http_factory)
        try:
            return await manager.sign_in_password(info, user, password)
        finally:
            await info.homeserver.aclose()

    return run(qtbot, loop, go())


def open_page(
    qtbot: QtBot, account: Account, on_closed: Callable[[object], None]
) -> tuple[CloseAccountPage, DialogPrompter]:
    host = QWidget()
    qtbot.addWidget(host)
    prompter = DialogPrompter.for_account(host, account, open_url=lambda url: None)
    page = CloseAccountPage(account, prompter=prompter, open_url=lambda url: None)
    page.account_closed.connect(on_closed)
    qtbot.addWidget(page)
    page.show()
    return page, prompter


def password_dialog(prompter: DialogPrompter) -> PasswordDialog | None:
    found = [d for d in prompter.dialogs if isinstance(d, PasswordDialog)]
    return found[-1] if found else None


def type_password(
    qtbot: QtBot, prompter: DialogPrompter, password: str, previous: PasswordDialog | None = None
) -> PasswordDialog:
    qtbot.waitUntil(lambda: password_dialog(prompter) not in (None, previous), timeout=20_000)
    dialog = password_dialog(prompter)
    assert dialog is not None
    qtbot.keyClicks(dialog.edit, password)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    return dialog


def test_closing_the_account_end_to_end_leaves_nothing_behind(  # noqa: PLR0917 (fixtures)
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    new_user: NewUser,
    tmp_path: Path,
    store: SecretStore,
    traffic: list[RecordedRequest],
) -> None:
    user = new_user("closer")
    manager = manager_for(tmp_path, store, traffic)
    account = signed_in(
        qtbot, loop=qloop, manager=manager, server=synapse, user=user.localpart, password=user.password
    )
    key = access_token_key(account.user_id, account.record.device_id)
    token = run(qtbot, qloop, store.get(key))
    assert token is not None
    forgotten: list[object] = []

    def on_closed(closed: object) -> None:
        # What the main window does: forget the account locally, then go back to sign-in.
        assert isinstance(closed, Account)
        forgotten.append(qloop.create_task(manager.forget(closed)))

    page, prompter = open_page(qtbot, account, on_closed)
    qtbot.keyClicks(page.confirm_edit, user.user_id)
    qtbot.mouseClick(page.erase_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    type_password(qtbot, prompter, user.password)
    qtbot.waitUntil(lambda: forgotten != [] and all(t.done() for t in forgotten), timeout=20_000)  # type: ignore[attr-defined]
    assert page.closed_note is not None
    # Synapse answers id_server_unbind_result "success" when no identity server was involved.
    assert (
        "No identity server lists your email addresses or phone numbers any more." in page.closed_note.text()
    )
    page.closed_note.close()

    assert run(qtbot, qloop, store.get(key)) is None
    assert run(qtbot, qloop, manager.known_records()) == []
    assert manager.accounts == []
    with pytest.raises(UnknownToken):
        run(qtbot, qloop, whoami_with(synapse.base_url, user.access_token))
    hs = recorded_homeserver(synapse.base_url, traffic)
    with pytest.raises(Forbidden):
        run(qtbot, qloop, session.login_password(hs, user.localpart, user.password))
    run(qtbot, qloop, hs.aclose())
    (deactivate,) = [r.body for r in traffic if r.url.endswith("/account/deactivate") and r.body.get("auth")]  # type: ignore[union-attr]
    assert deactivate["erase"] is True  # type: ignore[index]


def test_a_refused_close_keeps_everything_local(  # noqa: PLR0917 (fixtures)
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    new_user: NewUser,
    tmp_path: Path,
    store: SecretStore,
    traffic: list[RecordedRequest],
) -> None:
    user = new_user("keeper")
    manager = manager_for(tmp_path, store, traffic)
    account = signed_in(
        qtbot, loop=qloop, manager=manager, server=synapse, user=user.localpart, password=user.password
    )
    key = access_token_key(account.user_id, account.record.device_id)
    closed: list[object] = []
    page, prompter = open_page(qtbot, account, closed.append)
    qtbot.keyClicks(page.confirm_edit, user.user_id)
    qtbot.keyClick(page.confirm_edit, Qt.Key.Key_Return)
    first = type_password(qtbot, prompter, "not-the-password-1")
    qtbot.waitUntil(lambda: password_dialog(prompter) not in (None, first), timeout=20_000)
    again = password_dialog(prompter)
    assert again is not None
    assert again.message.text() == "The password is wrong. Try again."
    qtbot.mouseClick(again.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.runner.busy, timeout=20_000)

    assert closed == []
    assert page.close_button.isEnabled()
    assert run(qtbot, qloop, store.get(key)) is not None
    assert [r.user_id for r in run(qtbot, qloop, manager.known_records())] == [user.user_id]
    assert manager.accounts == [account]
    assert run(qtbot, qloop, session.whoami(account.homeserver)).user_id == user.user_id
    run(qtbot, qloop, manager.sign_out(account))  # tidy the keyring of the test session
