"""A spec-shaped fake of a pre-r0 homeserver: the seed's ``v2_alpha`` account API (2015).

Used where no real server of that generation can be run: it has no ``/versions``, serves login under
``/_matrix/client/api/v1``, lists contacts without timestamps, and adds a contact with
``{"threePidCreds": {...}, "bind": ...}``, answering the seed's 403 ``M_THREEPID_AUTH_FAILED`` when the
identity server could not vouch for the session. Plug it into the app with ``httpx.MockTransport``.

For the app's add-an-address screens it also takes ``requestToken`` on its own prefix and stands for the
identity server it trusts: ``validate(sid)`` is the user opening the identity server's link, after which
that (sid, client_secret) pair is vouched for and the address is the one the token was requested for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

PREFIX = "/_matrix/client/v2_alpha"
LOGIN_PREFIX = "/_matrix/client/api/v1"


@dataclass
class LegacyHomeserver:
    user_id: str = "@seed:legacy.example"
    password: str = "seed-password-1"
    access_token: str = "legacy-token"
    # (sid, client_secret) pairs the identity server validated.
    validated_sessions: set[tuple[str, str]] = field(default_factory=set)
    threepids: list[dict[str, str]] = field(default_factory=list)
    bound: list[str] = field(default_factory=list)
    # sid -> (client_secret, address) of the validation sessions started through requestToken.
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        body: Any = json.loads(request.content) if request.content else None
        if path == "/_matrix/client/versions":
            return _error(404, "M_UNRECOGNIZED", "Unrecognized request")
        if (method, path) == ("GET", f"{LOGIN_PREFIX}/login"):
            return httpx.Response(200, json={"flows": [{"type": "m.login.password"}]})
        if (method, path) == ("POST", f"{LOGIN_PREFIX}/login"):
            return self._login(body)
        if not path.startswith(PREFIX):
            return _error(404, "M_UNRECOGNIZED", "Unrecognized request")
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return _error(401, "M_UNKNOWN_TOKEN", "Unrecognised access token.")
        if (method, path) == ("GET", f"{PREFIX}/account/3pid"):
            return httpx.Response(200, json={"threepids": self.threepids})
        if (method, path) == ("POST", f"{PREFIX}/account/3pid"):
            return self._add_threepid(body)
        if (method, path) == ("POST", f"{PREFIX}/account/3pid/email/requestToken"):
            return self._request_email_token(body or {})
        return _error(404, "M_UNRECOGNIZED", "Unrecognized request")

    def _login(self, body: Any) -> httpx.Response:
        user = (body or {}).get("identifier", {}).get("user") or (body or {}).get("user")
        if (
            user not in (self.user_id, self.user_id[1:].split(":")[0])
            or body.get("password") != self.password
        ):
            return _error(403, "M_FORBIDDEN", "Invalid password")
        return httpx.Response(
            200, json={"user_id": self.user_id, "access_token": self.access_token, "device_id": "LEGACY"}
        )

    def _add_threepid(self, body: Any) -> httpx.Response:
        creds = (body or {}).get("threePidCreds")
        if not isinstance(creds, dict) or not {"client_secret", "id_server", "sid"} <= creds.keys():
            return _error(400, "M_MISSING_PARAM", "Missing param threePidCreds")
        if (creds["sid"], creds["client_secret"]) not in self.validated_sessions:
            return _error(
                403,
                "M_THREEPID_AUTH_FAILED",
                "The third party credentials could not be verified by the identity server.",
            )
        known = self.sessions.get(creds["sid"])
        address = known[1] if known is not None else f"validated-{creds['sid']}@legacy.example"
        self.threepids.append({"medium": "email", "address": address})
        if body.get("bind") is True:
            self.bound.append(address)
        return httpx.Response(200, json={})

    def _request_email_token(self, body: dict[str, Any]) -> httpx.Response:
        secret, address = body.get("client_secret"), body.get("email")
        if not isinstance(secret, str) or not isinstance(address, str):
            return _error(400, "M_MISSING_PARAM", "Missing params")
        # Same secret and address, same session (a resend), as identity servers did.
        sid = next((s for s, known in self.sessions.items() if known == (secret, address)), None)
        if sid is None:
            sid = f"legacy-sid{len(self.sessions) + 1}"
            self.sessions[sid] = (secret, address)
        return httpx.Response(200, json={"sid": sid})

    def validate(self, sid: str) -> None:
        """The user opened the link the identity server mailed for ``sid``."""
        secret, _address = self.sessions[sid]
        self.validated_sessions.add((sid, secret))


def _error(status: int, errcode: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"errcode": errcode, "error": message})
