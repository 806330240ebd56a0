"""Signing in and out with the legacy login API, and checking who a token belongs to."""

from __future__ import annotations

from typing import Any

from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import LoginResponse, RefreshResponse, WhoAmI

DEVICE_DISPLAY_NAME = "mxsettings"


def user_identifier(user: str) -> dict[str, str]:
    """``m.id.user`` for a user ID or bare localpart, ``m.id.thirdparty`` for an email address."""
    if "@" in user and not user.startswith("@"):
        return {"type": "m.id.thirdparty", "medium": "email", "address": user}
    return {"type": "m.id.user", "user": user}


async def login_password(
    hs: Homeserver,
    user: str,
    password: str,
    *,
    device_id: str | None = None,
    refresh_token: bool = False,
    device_display_name: str = DEVICE_DISPLAY_NAME,
) -> LoginResponse:
    """Password login. ``device_id`` reuses a device (recovering from a soft logout keeps its keys)."""
    body: dict[str, Any] = {
        "type": "m.login.password",
        "identifier": user_identifier(user),
        "password": password,
        "initial_device_display_name": device_display_name,
    }
    if device_id is not None:
        body["device_id"] = device_id
    if refresh_token:
        body["refresh_token"] = True
    return await _login(hs, body)


async def login_token(
    hs: Homeserver, token: str, *, device_display_name: str = DEVICE_DISPLAY_NAME
) -> LoginResponse:
    """Exchange the ``loginToken`` an SSO redirect delivered."""
    return await _login(
        hs, {"type": "m.login.token", "token": token, "initial_device_display_name": device_display_name}
    )


async def _login(hs: Homeserver, body: dict[str, Any]) -> LoginResponse:
    generation = await hs.generation()
    # A failed login is never retried by itself; a short 429 wait is fine (the request was not processed).
    data = await hs.http.request("POST", f"{generation.login_prefix}/login", body=body, authed=False)
    return LoginResponse.parse(data)


async def refresh(hs: Homeserver, refresh_token: str) -> RefreshResponse:
    generation = await hs.generation()
    data = await hs.http.request(
        "POST", f"{generation.client_prefix}/refresh", body={"refresh_token": refresh_token}, authed=False
    )
    return RefreshResponse.parse(data)


async def logout(hs: Homeserver) -> None:
    generation = await hs.generation()
    await hs.http.request("POST", f"{generation.login_prefix}/logout", body={})


async def whoami(hs: Homeserver) -> WhoAmI:
    generation = await hs.generation()
    data = await hs.http.request("GET", f"{generation.client_prefix}/account/whoami")
    return WhoAmI.parse(data)
