"""Account endpoints: password, contact addresses (3PIDs), deactivation.

Functions that take ``auth`` are user-interactive-authentication endpoints: called with ``auth=None`` they
raise ``UiaRequired``; the UIA driver in ``services`` calls them again with each stage's auth dict.
Which path and body shape a server gets is read from its ``Generation``, never decided here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mxsettings.api.generation import ContactAdd
from mxsettings.api.homeserver import Homeserver
from mxsettings.api.models import (
    DeactivateResult,
    SubmitTokenResult,
    ThreePidCredentials,
    ThreePidList,
    TokenRequested,
    UnbindResult,
)
from mxsettings.errors import UnsupportedByServer

Auth = Mapping[str, Any] | None


def _with_auth(body: dict[str, Any], auth: Auth) -> dict[str, Any]:
    if auth is not None:
        body["auth"] = dict(auth)
    return body


async def _post(hs: Homeserver, path: str, body: Mapping[str, Any], **kwargs: Any) -> Any:
    generation = await hs.generation()
    return await hs.http.request("POST", f"{generation.client_prefix}{path}", body=body, **kwargs)


async def change_password(hs: Homeserver, new_password: str, *, logout_devices: bool, auth: Auth) -> None:
    # logout_devices is always sent: the server's default (true) is not a choice the user made.
    body = _with_auth({"new_password": new_password, "logout_devices": logout_devices}, auth)
    # A 429 here is handed to the user (countdown) rather than waited out behind a password prompt.
    await _post(hs, "/account/password", body, retry_on_limit=False)


async def list_threepids(hs: Homeserver) -> ThreePidList:
    generation = await hs.generation()
    data = await hs.http.request("GET", f"{generation.client_prefix}/account/3pid")
    return ThreePidList.parse(data)


async def request_email_token(
    hs: Homeserver, email: str, client_secret: str, send_attempt: int, *, next_link: str | None = None
) -> TokenRequested:
    """Ask the homeserver to mail a validation link. Keep ``send_attempt`` for retries; raise it to resend."""
    body: dict[str, Any] = {"client_secret": client_secret, "email": email, "send_attempt": send_attempt}
    if next_link is not None:
        body["next_link"] = next_link
    return TokenRequested.parse(await _post(hs, "/account/3pid/email/requestToken", body))


async def request_password_email_token(
    hs: Homeserver, email: str, client_secret: str, send_attempt: int
) -> TokenRequested:
    """Mail a validation link to one of the account's own addresses, to prove it during user-interactive
    authentication (``m.login.email.identity``); the same endpoint starts a password reset.

    No access token goes with it (the spec needs none), and a 429 is handed to the user: the dialog's
    "resend" button shows the countdown instead of a silent wait.
    """
    body = {"client_secret": client_secret, "email": email, "send_attempt": send_attempt}
    data = await _post(hs, "/account/password/email/requestToken", body, authed=False, retry_on_limit=False)
    return TokenRequested.parse(data)


async def request_password_msisdn_token(
    hs: Homeserver, country: str, phone_number: str, client_secret: str, send_attempt: int
) -> TokenRequested:
    """The text-message counterpart of ``request_password_email_token`` (``m.login.msisdn``)."""
    body = {
        "client_secret": client_secret,
        "country": country,
        "phone_number": phone_number,
        "send_attempt": send_attempt,
    }
    data = await _post(hs, "/account/password/msisdn/requestToken", body, authed=False, retry_on_limit=False)
    return TokenRequested.parse(data)


async def request_msisdn_token(
    hs: Homeserver, country: str, phone_number: str, client_secret: str, send_attempt: int
) -> TokenRequested:
    body = {
        "client_secret": client_secret,
        "country": country,
        "phone_number": phone_number,
        "send_attempt": send_attempt,
    }
    return TokenRequested.parse(await _post(hs, "/account/3pid/msisdn/requestToken", body))


async def submit_token(hs: Homeserver, submit_url: str, sid: str, client_secret: str, token: str) -> bool:
    """Post a code the user received to the server-chosen ``submit_url`` (no access token goes with it)."""
    data = await hs.http.request(
        "POST",
        submit_url,
        body={"sid": sid, "client_secret": client_secret, "token": token},
        authed=False,
        retry_on_limit=False,
    )
    return SubmitTokenResult.parse(data).success


async def add_threepid(hs: Homeserver, creds: ThreePidCredentials, *, auth: Auth, bind: bool = False) -> None:
    """Attach a validated address to the account, in the shape the server's generation expects.

    ``bind`` only means something to the oldest servers (``threePidCreds``), which bound to the identity
    server while adding; newer servers bind separately (``bind_threepid``).
    """
    generation = await hs.generation()
    if generation.contact_add is ContactAdd.ADD_WITH_UIA:
        body = _with_auth({"client_secret": creds.client_secret, "sid": creds.sid}, auth)
        await _post(hs, "/account/3pid/add", body)
        return
    legacy_creds = creds.to_json()
    if generation.contact_add is ContactAdd.THREE_PID_CREDS:
        await _post(hs, "/account/3pid", _with_auth({"three_pid_creds": legacy_creds}, auth))
        return
    # The seed's servers required id_server in the credentials; they validated through it.
    legacy_creds.setdefault("id_server", hs.http.host)
    await _post(hs, "/account/3pid", _with_auth({"threePidCreds": legacy_creds, "bind": bind}, auth))


async def bind_threepid(hs: Homeserver, creds: ThreePidCredentials) -> None:
    """Publish an address on the identity server (``creds`` come from the identity server's validation)."""
    if creds.id_server is None or creds.id_access_token is None:
        raise ValueError("binding needs the identity server and its access token")
    await _post(hs, "/account/3pid/bind", creds.to_json())


async def unbind_threepid(
    hs: Homeserver, medium: str, address: str, *, id_server: str | None = None
) -> UnbindResult:
    generation = await hs.generation()
    if not generation.has_3pid_unbind:
        raise UnsupportedByServer("unbinding addresses")
    body = {"medium": medium, "address": address}
    if id_server is not None:
        body["id_server"] = id_server
    return UnbindResult.parse(await _post(hs, "/account/3pid/unbind", body))


async def delete_threepid(
    hs: Homeserver, medium: str, address: str, *, id_server: str | None = None
) -> UnbindResult:
    generation = await hs.generation()
    if not generation.has_3pid_delete:
        raise UnsupportedByServer("removing addresses")
    body = {"medium": medium, "address": address}
    if id_server is not None:
        body["id_server"] = id_server
    return UnbindResult.parse(await _post(hs, "/account/3pid/delete", body))


async def deactivate(
    hs: Homeserver, *, auth: Auth, erase: bool = False, id_server: str | None = None
) -> DeactivateResult:
    body: dict[str, Any] = {"erase": erase}
    if id_server is not None:
        body["id_server"] = id_server
    data = await _post(hs, "/account/deactivate", _with_auth(body, auth), retry_on_limit=False)
    return DeactivateResult.parse(data)
