"""An ``Account`` on the fake homeserver, and a prompter/browser pair that tests can script and inspect."""

from __future__ import annotations

from typing import Any

from mxsettings.api.client import MatrixHttp
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import AuthMetadata, Capabilities, ThreePidCredentials
from mxsettings.errors import Cancelled
from mxsettings.services.accounts import Account
from mxsettings.services.uia_driver import FallbackAsk, FallbackWaiter, PasswordAsk, ThreePidAsk
from mxsettings.store.accounts import AccountRecord, LoginMethod
from tests.fakes.homeserver import FakeHomeserver


def fake_account(fake: FakeHomeserver, *, login_method: LoginMethod = LoginMethod.PASSWORD) -> Account:
    """What the account manager would hold after signing in to ``fake`` (capabilities, auth metadata)."""
    record = AccountRecord(
        homeserver=fake.base_url, user_id=fake.user_id, device_id=fake.device_id, login_method=login_method
    )
    hs = Homeserver(MatrixHttp(fake.base_url, transport=fake.transport()))
    hs.http.set_access_token(fake.access_token)
    capabilities = Capabilities(
        change_password=fake.change_password_enabled, threepid_changes=fake.threepid_changes_enabled
    )
    metadata = AuthMetadata.parse(fake.auth_metadata) if fake.auth_metadata is not None else None
    return Account(record, hs, capabilities, metadata)


def delegated_metadata(*actions: str) -> dict[str, Any]:
    return {
        "issuer": "https://auth.hs.example/",
        "authorization_endpoint": "https://auth.hs.example/authorize",
        "token_endpoint": "https://auth.hs.example/oauth2/token",
        "account_management_uri": "https://auth.hs.example/account/",
        "account_management_actions_supported": list(actions),
    }


class Browser:
    """Stands in for ``QDesktopServices.openUrl``: remembers what the app opened."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: str) -> None:
        self.opened.append(url)


class RecordingPrompter:
    """A prompter for flows that should never ask: it records the ask and cancels."""

    def __init__(self) -> None:
        self.asks: list[object] = []

    async def password(self, ask: PasswordAsk) -> str:
        self.asks.append(ask)
        raise Cancelled

    async def email_identity(self, ask: ThreePidAsk) -> ThreePidCredentials:
        self.asks.append(ask)
        raise Cancelled

    async def msisdn(self, ask: ThreePidAsk) -> ThreePidCredentials:
        self.asks.append(ask)
        raise Cancelled

    async def open_fallback(self, ask: FallbackAsk) -> FallbackWaiter:
        self.asks.append(ask)
        raise Cancelled
