"""Sign-in paths a real Synapse here will not take: single sign-on from the page's button, a delegated
server, a soft logout at start, a server that is not Matrix. Driven through the main window against the
spec-shaped fake homeserver."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mxsettings.app import build_main_window
from mxsettings.store.accounts import AccountRecord, AccountRecords, LoginMethod
from mxsettings.store.secrets import MemorySecretStore, access_token_key
from mxsettings.ui.main_window import MainWindow
from tests.fakes.homeserver import FakeHomeserver
from tests.qt_loop import shut_down

WAIT = 5000


class Browser:
    """Plays the system browser: records what the app opened; for SSO, lands on the redirect URL."""

    def __init__(self, loop: asyncio.AbstractEventLoop, login_token: str | None = None) -> None:
        self.opened: list[str] = []
        self._loop = loop
        self._login_token = login_token
        self.tasks: list[asyncio.Task[int]] = []

    def __call__(self, url: str) -> None:
        self.opened.append(url)
        if self._login_token is not None:
            redirect = parse_qs(urlsplit(url).query)["redirectUrl"][0]
            self.tasks.append(
                self._loop.create_task(self._land(f"{redirect}&loginToken={self._login_token}"))
            )

    async def _land(self, url: str) -> int:
        async with httpx.AsyncClient() as client:
            return (await client.get(url)).status_code


@pytest.fixture
def fake() -> FakeHomeserver:
    return FakeHomeserver(base_url="https://matrix.example.org", user_id="@alice:example.org")


@pytest.fixture
def window_for(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, fake: FakeHomeserver
) -> Iterator[dict[str, object]]:
    made: list[MainWindow] = []
    secrets = MemorySecretStore()

    def build(browser: Browser) -> MainWindow:
        window = build_main_window(
            config_dir=tmp_path, secret_store=secrets, transport=fake.transport(), open_url=browser
        )
        window.show()
        window.start()
        made.append(window)
        return window

    yield {"build": build, "secrets": secrets}
    shut_down(qtbot, qloop, made)


def look_up(qtbot: QtBot, window: MainWindow, server: str) -> None:
    page = window.sign_in
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=WAIT)
    page.homeserver_input.setText(server)
    qtbot.keyClick(page.homeserver_input, Qt.Key.Key_Return)


def test_single_sign_on_from_the_identity_provider_button(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, window_for: dict[str, object], fake: FakeHomeserver
) -> None:
    fake.login_flows = [
        {"type": "m.login.sso", "identity_providers": [{"id": "oidc-example", "name": "Example ID"}]}
    ]
    fake.login_tokens.add("single-use-token")
    browser = Browser(qloop, login_token="single-use-token")
    window = window_for["build"](browser)  # type: ignore[operator]
    look_up(qtbot, window, fake.base_url)
    page = window.sign_in
    qtbot.waitUntil(page.sso_box.isVisible, timeout=WAIT)
    assert not page.password_box.isVisible()  # the server offers no password login
    (button,) = [b for b in page.sso_box.findChildren(type(page.sign_in_button)) if b.isVisible()]
    assert button.objectName() == "ssoButton_oidc-example"
    assert "Example ID" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.account_view, timeout=WAIT)
    (opened,) = browser.opened
    assert opened.startswith(f"{fake.base_url}/_matrix/client/v3/login/sso/redirect/oidc-example?")
    assert parse_qs(urlsplit(opened).query)["redirectUrl"][0].startswith("http://127.0.0.1:")
    assert browser.tasks[0].result() == 200
    assert window.manager.accounts[0].record.login_method is LoginMethod.SSO


def test_a_delegating_server_is_explained_with_its_account_page(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, window_for: dict[str, object], fake: FakeHomeserver
) -> None:
    fake.login_flows = None  # GET /login is not served: only OAuth 2.0
    fake.auth_metadata = {
        "issuer": "https://auth.example.org/",
        "authorization_endpoint": "https://auth.example.org/authorize",
        "token_endpoint": "https://auth.example.org/token",
        "account_management_uri": "https://auth.example.org/account",
    }
    browser = Browser(qloop)
    window = window_for["build"](browser)  # type: ignore[operator]
    look_up(qtbot, window, fake.base_url)
    page = window.sign_in
    qtbot.waitUntil(page.delegated_box.isVisible, timeout=WAIT)
    assert not page.password_box.isVisible()
    assert "website" in page.delegated_text.text()
    qtbot.mouseClick(page.account_page_button, Qt.MouseButton.LeftButton)
    assert browser.opened == ["https://auth.example.org/account"]


def test_a_soft_logout_asks_only_for_the_password_and_keeps_the_device(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    window_for: dict[str, object],
    fake: FakeHomeserver,
    tmp_path: Path,
) -> None:
    record = AccountRecord(
        homeserver=fake.base_url,
        user_id=fake.user_id,
        device_id=fake.device_id,
        login_method=LoginMethod.PASSWORD,
        api_versions=("v1.11",),
    )
    AccountRecords(tmp_path).upsert(record)
    secrets = window_for["secrets"]
    assert isinstance(secrets, MemorySecretStore)
    stored = secrets.set(access_token_key(record.user_id, record.device_id), fake.access_token)
    task = qloop.create_task(stored)
    qtbot.waitUntil(task.done, timeout=WAIT)
    fake.soft_logged_out = True

    window = window_for["build"](Browser(qloop))  # type: ignore[operator]
    page = window.sign_in
    qtbot.waitUntil(page.password_box.isVisible, timeout=WAIT)
    assert page.username_input.text() == fake.user_id
    assert page.username_input.isReadOnly()
    assert "expired" in page.intro.text()
    qtbot.keyClicks(page.password_input, fake.password)
    qtbot.keyClick(page.password_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.account_view, timeout=WAIT)
    assert fake.logins[-1]["device_id"] == record.device_id  # the same device: its keys survive


def test_a_web_page_is_not_taken_for_a_homeserver(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, window_for: dict[str, object]
) -> None:
    window = window_for["build"](Browser(qloop))  # type: ignore[operator]
    look_up(qtbot, window, "https://www.example.org")  # the fake answers 404 M_UNRECOGNIZED to everything
    page = window.sign_in
    qtbot.waitUntil(page.homeserver_error.isVisible, timeout=WAIT)
    assert "not like a Matrix homeserver" in page.homeserver_error.text()
    assert page.lookup_button.isEnabled()
