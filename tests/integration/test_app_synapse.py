"""The app as a person uses it, against the real Synapse and the real Secret Service (pytest-qt).

Each test builds the main window with ``build_main_window`` (as the app does), types and clicks, and waits
for what a person would see.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from mxsettings.api.client import MatrixHttp
from mxsettings.app import build_main_window
from mxsettings.store.secrets import MemorySecretStore, SecretStore, StoreProblem, choose_secret_store
from mxsettings.ui.main_window import MainWindow
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer
from tests.qt_loop import shut_down

WAIT = 15_000  # ms; generous for a loaded 2-core machine, the tests end as soon as the state is reached

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def make_window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, config_dir: Path) -> Iterator[WindowFactory]:
    windows: list[MainWindow] = []

    def factory(secret_store: SecretStore, store_problem: StoreProblem | None = None) -> MainWindow:
        window = build_main_window(
            config_dir=config_dir,
            secret_store=secret_store,
            store_problem=store_problem,
            open_url=lambda url: None,
        )
        window.show()
        window.start()
        windows.append(window)
        return window

    yield factory
    shut_down(qtbot, qloop, windows)  # the accounts' HTTP clients close before the loop goes away


def wait_for_sign_in(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in, timeout=WAIT)


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """As a person does: click into the field, select what is there, type over it."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, text)
    assert field.text() == text


def sign_in(qtbot: QtBot, window: MainWindow, synapse: SynapseServer, user: str, password: str) -> None:
    page = window.sign_in
    type_into(qtbot, page.homeserver_input, synapse.base_url)
    qtbot.keyClick(page.homeserver_input, Qt.Key.Key_Return)
    qtbot.waitUntil(page.password_box.isVisible, timeout=WAIT)
    type_into(qtbot, page.username_input, user)
    type_into(qtbot, page.password_input, password)
    qtbot.keyClick(page.password_input, Qt.Key.Key_Return)


def wait_for_account(qtbot: QtBot, window: MainWindow, user: RegisteredUser) -> None:
    qtbot.waitUntil(
        lambda: (
            window.stack.currentWidget() is window.account_view
            and window.account_view.user_label.text() == user.user_id
        ),
        timeout=WAIT,
    )


def test_wrong_password_then_right_one(
    qtbot: QtBot, make_window: WindowFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("ui")
    window = make_window(MemorySecretStore())
    wait_for_sign_in(qtbot, window)
    sign_in(qtbot, window, synapse, user.localpart, "not-the-password-1")
    page = window.sign_in
    qtbot.waitUntil(page.password_error.isVisible, timeout=WAIT)
    assert page.password_error.text() == "The user name or password is wrong."
    assert page.password_input.accessibleDescription() == page.password_error.text()
    assert page.sign_in_button.isEnabled()  # the action can be tried again
    sign_in(qtbot, window, synapse, user.localpart, user.password)
    wait_for_account(qtbot, window, user)
    assert window.account_view.server_label.text() == synapse.base_url


def test_restart_restores_from_the_keyring(
    qtbot: QtBot, make_window: WindowFactory, synapse: SynapseServer, new_user: NewUser, config_dir: Path
) -> None:
    choice = choose_secret_store()
    assert choice.secure, f"the test session's Secret Service was not chosen: {choice.reason}"
    user = new_user("keep")
    first = make_window(choice.store)
    wait_for_sign_in(qtbot, first)
    sign_in(qtbot, first, synapse, user.user_id, user.password)
    wait_for_account(qtbot, first, user)
    first.close()

    second = make_window(choose_secret_store().store)
    wait_for_account(qtbot, second, user)
    stored = "".join(p.read_text(errors="replace") for p in config_dir.rglob("*") if p.is_file())
    assert user.user_id in stored
    assert "syt_" not in stored  # Synapse's access tokens start so; none is in the config folder


def test_a_token_revoked_elsewhere_returns_to_sign_in_with_a_message(
    qtbot: QtBot, make_window: WindowFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    user = new_user("revoked")
    secrets = MemorySecretStore()
    first = make_window(secrets)
    wait_for_sign_in(qtbot, first)
    sign_in(qtbot, first, synapse, user.localpart, user.password)
    wait_for_account(qtbot, first, user)
    first.close()
    httpx.post(
        f"{synapse.base_url}/_matrix/client/v3/logout/all",
        headers={"Authorization": f"Bearer {user.access_token}"},
        json={},
        timeout=10,
    ).raise_for_status()

    second = make_window(secrets)
    wait_for_sign_in(qtbot, second)
    assert second.notice.isVisible()
    assert user.user_id in second.notice.text()
    assert "signed out" in second.notice.text()


def test_two_accounts_switch_and_sign_out(
    qtbot: QtBot, make_window: WindowFactory, synapse: SynapseServer, new_user: NewUser
) -> None:
    alice, bob = new_user("alice"), new_user("bob")
    window = make_window(MemorySecretStore())
    wait_for_sign_in(qtbot, window)
    sign_in(qtbot, window, synapse, alice.localpart, alice.password)
    wait_for_account(qtbot, window, alice)
    qtbot.mouseClick(window.account_view.add_button, Qt.MouseButton.LeftButton)
    wait_for_sign_in(qtbot, window)
    assert window.sign_in.cancel_button.isVisible()
    sign_in(qtbot, window, synapse, bob.localpart, bob.password)
    wait_for_account(qtbot, window, bob)

    switcher = window.account_view.switcher
    assert switcher.isVisible()
    assert [switcher.itemText(i) for i in range(switcher.count())] == [alice.user_id, bob.user_id]
    switcher.setFocus()
    qtbot.keyClick(switcher, Qt.Key.Key_Up)  # the keyboard alone switches accounts
    wait_for_account(qtbot, window, alice)

    qtbot.mouseClick(window.account_view.sign_out_button, Qt.MouseButton.LeftButton)
    wait_for_account(qtbot, window, bob)
    assert not switcher.isVisible()
    assert [a.user_id for a in window.manager.accounts] == [bob.user_id]


def test_without_a_secure_keyring_the_banner_shows_and_nothing_reaches_the_disk(
    qtbot: QtBot, make_window: WindowFactory, synapse: SynapseServer, new_user: NewUser, config_dir: Path
) -> None:
    user = new_user("nokeyring")
    window = make_window(MemorySecretStore(), StoreProblem.NO_BACKEND)
    assert window.banner.isVisible()
    assert "plain text" in window.banner.text()
    wait_for_sign_in(qtbot, window)
    sign_in(qtbot, window, synapse, user.localpart, user.password)
    wait_for_account(qtbot, window, user)
    account = window.manager.accounts[0]
    token = account.homeserver.http._access_token
    assert token
    for path in config_dir.rglob("*"):
        if path.is_file():
            assert token not in path.read_text(errors="replace")


def test_the_app_start_path_opens_a_stored_session(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    *,
    synapse: SynapseServer,
    new_user: NewUser,
    config_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What `mxsettings` does at start (app._open): the keyring from open_secret_store, the config folder
    from the environment, then restore. A session stored by an earlier run comes back without a password."""
    from mxsettings import app
    from mxsettings.services.accounts import AccountManager
    from mxsettings.services.server_lookup import lookup_server
    from mxsettings.store.accounts import AccountRecords

    user = new_user("start")
    monkeypatch.setenv("MXSETTINGS_CONFIG_DIR", str(config_dir))

    async def earlier_run() -> None:
        manager = AccountManager(AccountRecords(config_dir), choose_secret_store().store, MatrixHttp)
        info = await lookup_server(synapse.base_url, MatrixHttp)
        await manager.sign_in_password(info, user.localpart, user.password)
        await info.homeserver.aclose()
        await manager.close()

    done = qloop.create_task(earlier_run())
    qtbot.waitUntil(done.done, timeout=WAIT)
    done.result()

    holder: list[MainWindow] = []
    opening = qloop.create_task(app._open(holder))
    qtbot.waitUntil(lambda: bool(holder), timeout=WAIT)
    window = holder[0]
    qtbot.addWidget(window)
    wait_for_account(qtbot, window, user)
    assert not window.banner.isVisible()  # the Secret Service was accepted
    assert opening.done()
    closing = qloop.create_task(window.shutdown())
    qtbot.waitUntil(closing.done, timeout=WAIT)
