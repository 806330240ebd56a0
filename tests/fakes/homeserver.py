"""A spec-shaped, stateful fake of a current homeserver (v1.x), for fast UI tests and for what Synapse will
not do: any UIA flow (recaptcha, email identity, SSO-only accounts, fallback stages that finish after N
polls, sessions that expire), phone numbers with a ``submit_url``, capabilities switched off, delegated
authentication.

Plug it in with ``httpx.MockTransport(fake.handle)``. Responses follow the v1.19 definitions; tests may
check the fake's own traffic with the conformance recorder. Extend it by adding routes to ``_routes`` and
state fields; keep every knob a plain attribute a test sets before it starts.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

V3 = "/_matrix/client/v3"
Json = dict[str, Any]
Route = Callable[[httpx.Request, Json], httpx.Response]


def body_of(sid: str, client_secret: str, medium: str, address: str) -> Json:
    return {"sid": sid, "client_secret": client_secret, "medium": medium, "address": address}


def msisdn_of(country: str, phone_number: str) -> str:
    """The canonical form a server lists a number in: E.164 digits without "+" (as Synapse computes it)."""
    import phonenumbers

    number = phonenumbers.parse(phone_number, country)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def error(status: int, errcode: str, message: str, **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"errcode": errcode, "error": message, **extra})


@dataclass
class UiaSession:
    session: str
    completed: list[str] = field(default_factory=list)
    fallback_polls: int = 0


@dataclass
class FakeHomeserver:
    base_url: str = "https://hs.example"
    user_id: str = "@alice:hs.example"
    password: str = "correct-horse-1"
    access_token: str = "fake-access-token"
    device_id: str = "FAKEDEVICE"
    # UIA: the flows offered for every UIA endpoint, and how a fallback stage behaves.
    uia_flows: list[list[str]] = field(default_factory=lambda: [["m.login.password"]])
    fallback_polls_needed: int = 2  # session-only resends before a fallback stage counts as done
    expire_uia_sessions: bool = False  # every resend gets a fresh session, as if the server forgot
    # Capabilities and auth delegation.
    change_password_enabled: bool = True
    threepid_changes_enabled: bool = True
    auth_metadata: Json | None = None
    login_flows: list[Json] | None = field(
        default_factory=lambda: [{"type": "m.login.password"}]
    )  # None: 404
    login_tokens: set[str] = field(default_factory=set)  # accepted once each by m.login.token (after SSO)
    soft_logged_out: bool = False  # the token expired, the device survives: 401 soft_logout until a login
    logins: list[Json] = field(default_factory=list)  # login bodies without the password
    # Contacts: validated sessions (sid -> (client_secret, medium, address)), the account's list, SMS codes.
    threepids: list[Json] = field(default_factory=list)
    sessions: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    validated: set[str] = field(default_factory=set)
    sms_codes: dict[str, str] = field(default_factory=dict)
    msisdn_supported: bool = True
    # Rate limits: path -> seconds; the next request to that path answers 429 with Retry-After, once.
    limit_once: dict[str, int] = field(default_factory=dict)
    # What happened, for assertions.
    requests: list[tuple[str, str, Json | None]] = field(default_factory=list)
    password_changes: list[Json] = field(default_factory=list)
    deactivated: bool = False
    deactivations: list[Json] = field(default_factory=list)
    token_requests: list[Json] = field(default_factory=list)  # to the account's own addresses (sid, address)
    _uia_sessions: dict[str, UiaSession] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # --- dispatch --------------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != httpx.URL(self.base_url).host:
            # Any other host is an ordinary website: a web page, whatever the path.
            return httpx.Response(404, html="<html><body><h1>Not Found</h1></body></html>")
        body: Json | None = json.loads(request.content) if request.content else None
        self.requests.append((request.method, request.url.path, body))
        route = self._routes().get((request.method, request.url.path))
        if route is None:
            return error(404, "M_UNRECOGNIZED", "Unrecognized request")
        public = request.url.path in {
            "/_matrix/client/versions",
            f"{V3}/login",
            "/_matrix/client/v1/auth_metadata",
        }
        public = public or request.url.path.startswith("/submit/") or "/account/password/" in request.url.path
        if not public and self.soft_logged_out:
            return error(401, "M_UNKNOWN_TOKEN", "Access token has expired", soft_logout=True)
        if not public and request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return error(401, "M_UNKNOWN_TOKEN", "Invalid access token passed.", soft_logout=False)
        wait = self.limit_once.pop(request.url.path, None)
        if wait is not None:
            limited = error(429, "M_LIMIT_EXCEEDED", "Too many requests", retry_after_ms=wait * 1000)
            limited.headers["Retry-After"] = str(wait)
            return limited
        return route(request, body or {})

    def _routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("GET", "/_matrix/client/versions"): lambda r, b: httpx.Response(
                200, json={"versions": ["r0.6.1", "v1.1", "v1.11"]}
            ),
            ("GET", "/_matrix/client/v1/auth_metadata"): self._auth_metadata,
            ("GET", f"{V3}/login"): self._login_flows,
            ("POST", f"{V3}/login"): self._login,
            ("POST", f"{V3}/logout"): lambda r, b: httpx.Response(200, json={}),
            ("GET", f"{V3}/account/whoami"): lambda r, b: httpx.Response(
                200, json={"user_id": self.user_id, "device_id": self.device_id, "is_guest": False}
            ),
            ("GET", f"{V3}/capabilities"): self._capabilities,
            ("POST", f"{V3}/account/password"): self._change_password,
            ("GET", f"{V3}/account/3pid"): lambda r, b: httpx.Response(
                200, json={"threepids": self.threepids}
            ),
            ("POST", f"{V3}/account/3pid/email/requestToken"): self._request_email_token,
            ("POST", f"{V3}/account/3pid/msisdn/requestToken"): self._request_msisdn_token,
            ("POST", "/submit/msisdn"): self._submit_msisdn,
            ("POST", f"{V3}/account/password/email/requestToken"): self._request_own_email_token,
            ("POST", f"{V3}/account/password/msisdn/requestToken"): self._request_own_msisdn_token,
            ("POST", f"{V3}/account/3pid/add"): self._add_threepid,
            ("POST", f"{V3}/account/3pid/delete"): self._delete_threepid,
            ("POST", f"{V3}/account/deactivate"): self._deactivate,
        }

    # --- discovery and login ---------------------------------------------------------------------------

    def _auth_metadata(self, request: httpx.Request, body: Json) -> httpx.Response:
        if self.auth_metadata is None:
            return error(404, "M_UNRECOGNIZED", "Unrecognized request")
        return httpx.Response(200, json=self.auth_metadata)

    def _capabilities(self, request: httpx.Request, body: Json) -> httpx.Response:
        caps = {
            "m.change_password": {"enabled": self.change_password_enabled},
            "m.3pid_changes": {"enabled": self.threepid_changes_enabled},
        }
        return httpx.Response(200, json={"capabilities": caps})

    def _login_flows(self, request: httpx.Request, body: Json) -> httpx.Response:
        if self.login_flows is None:  # a server that only speaks OAuth 2.0
            return error(404, "M_UNRECOGNIZED", "Unrecognized request")
        return httpx.Response(200, json={"flows": self.login_flows})

    def _login(self, request: httpx.Request, body: Json) -> httpx.Response:
        self.logins.append({k: v for k, v in body.items() if k != "password"})
        if body.get("type") == "m.login.token":
            if body.get("token") not in self.login_tokens:
                return error(403, "M_FORBIDDEN", "Invalid login token")
            self.login_tokens.discard(body["token"])
        else:
            user = body.get("identifier", {}).get("user")
            if (
                user not in (self.user_id, self.user_id[1:].split(":")[0])
                or body.get("password") != self.password
            ):
                return error(403, "M_FORBIDDEN", "Invalid username or password")
        if self.soft_logged_out:
            # Signing in again on the same device ends the soft logout with a fresh token.
            self.soft_logged_out = False
            self.access_token += "-renewed"
        self.device_id = body.get("device_id", self.device_id)
        return httpx.Response(
            200,
            json={"user_id": self.user_id, "access_token": self.access_token, "device_id": self.device_id},
        )

    # --- user-interactive authentication ---------------------------------------------------------------

    def _uia(self, body: Json) -> httpx.Response | None:
        """None when the request is authenticated; otherwise the 401 to send."""
        auth = body.get("auth")
        if auth is None:
            return self._challenge(self._new_session())
        state = self._uia_sessions.get(auth.get("session", ""))
        if state is None or self.expire_uia_sessions:
            return self._challenge(self._new_session())
        stage = auth.get("type")
        failure: tuple[str, str] | None = None
        if stage == "m.login.password":
            if auth.get("password") == self.password:
                state.completed.append(stage)
            else:
                failure = ("M_FORBIDDEN", "Invalid password")
        elif stage == "m.login.dummy":
            state.completed.append(stage)
        elif stage in ("m.login.email.identity", "m.login.msisdn"):
            sid = auth.get("threepid_creds", {}).get("sid")
            if sid in self.validated:
                state.completed.append(stage)
            else:
                failure = ("M_UNAUTHORIZED", "Not validated yet")
        elif stage is None:
            self._poll_fallback(state)
        if self._flow_done(state):
            return None
        return self._challenge(state, failure)

    def _poll_fallback(self, state: UiaSession) -> None:
        pending = self._next_stage(state)
        if pending is not None and pending not in ("m.login.password", "m.login.dummy"):
            state.fallback_polls += 1
            if state.fallback_polls >= self.fallback_polls_needed:
                state.completed.append(pending)
                state.fallback_polls = 0

    def _next_stage(self, state: UiaSession) -> str | None:
        for flow in self.uia_flows:
            if flow[: len(state.completed)] == state.completed and len(flow) > len(state.completed):
                return flow[len(state.completed)]
        return None

    def _flow_done(self, state: UiaSession) -> bool:
        return any(flow == state.completed for flow in self.uia_flows)

    def _new_session(self) -> UiaSession:
        state = UiaSession(session=f"uia{next(self._ids)}")
        self._uia_sessions[state.session] = state
        return state

    def _challenge(self, state: UiaSession, failure: tuple[str, str] | None = None) -> httpx.Response:
        body: Json = {
            "flows": [{"stages": flow} for flow in self.uia_flows],
            "params": {},
            "session": state.session,
            "completed": list(state.completed),
        }
        if failure is not None:
            body["errcode"], body["error"] = failure
        return httpx.Response(401, json=body)

    # --- account endpoints -----------------------------------------------------------------------------

    def _change_password(self, request: httpx.Request, body: Json) -> httpx.Response:
        if not self.change_password_enabled:
            return error(403, "M_FORBIDDEN", "Password change disabled")
        if (challenge := self._uia(body)) is not None:
            return challenge
        self.password = body["new_password"]
        self.password_changes.append({k: v for k, v in body.items() if k != "auth"})
        return httpx.Response(200, json={})

    def _request_email_token(self, request: httpx.Request, body: Json) -> httpx.Response:
        return self._new_validation(body["client_secret"], "email", body["email"], submit_url=None)

    def _request_msisdn_token(self, request: httpx.Request, body: Json) -> httpx.Response:
        if not self.msisdn_supported:
            return error(400, "M_THREEPID_MEDIUM_NOT_SUPPORTED", "SMS is not supported")
        number = f"{body['country']}:{body['phone_number']}"
        return self._new_validation(body["client_secret"], "msisdn", number, submit_url="/submit/msisdn")

    def _new_validation(
        self, client_secret: str, medium: str, address: str, *, submit_url: str | None
    ) -> httpx.Response:
        if any(t["address"] == address for t in self.threepids):
            return error(400, "M_THREEPID_IN_USE", "Already in use")
        sid = f"sid{next(self._ids)}"
        self.sessions[sid] = (client_secret, medium, address)
        answer: Json = {"sid": sid}
        if submit_url is not None:
            self.sms_codes[sid] = "123456"
            answer["submit_url"] = self.base_url + submit_url
        return httpx.Response(200, json=answer)

    def _request_own_email_token(self, request: httpx.Request, body: Json) -> httpx.Response:
        """The address must already be the account's (UIA email identity, password reset)."""
        if not any(t["address"] == body.get("email") for t in self.threepids):
            return error(400, "M_THREEPID_NOT_FOUND", "Email not found")
        return self._new_own_validation(body["client_secret"], "email", body["email"], submit_url=None)

    def _request_own_msisdn_token(self, request: httpx.Request, body: Json) -> httpx.Response:
        number = str(body.get("phone_number", "")).lstrip("+")
        if not any(t["medium"] == "msisdn" and t["address"] == number for t in self.threepids):
            return error(400, "M_THREEPID_NOT_FOUND", "Phone number not found")
        return self._new_own_validation(body["client_secret"], "msisdn", number, submit_url="/submit/msisdn")

    def _new_own_validation(
        self, client_secret: str, medium: str, address: str, *, submit_url: str | None
    ) -> httpx.Response:
        # The same client_secret and address keep their session, as a resend (higher send_attempt) does.
        key = (client_secret, medium, address)
        sid = next((s for s, known in self.sessions.items() if known == key), f"sid{next(self._ids)}")
        self.sessions[sid] = key
        self.token_requests.append(body_of(sid, client_secret, medium, address))
        answer: Json = {"sid": sid}
        if submit_url is not None:
            self.sms_codes[sid] = "123456"
            answer["submit_url"] = self.base_url + submit_url
        return httpx.Response(200, json=answer)

    def validate(self, sid: str) -> None:
        """What opening the emailed link does."""
        self.validated.add(sid)

    def _submit_msisdn(self, request: httpx.Request, body: Json) -> httpx.Response:
        sid = body.get("sid", "")
        if sid not in self.sessions or self.sessions[sid][0] != body.get("client_secret"):
            return error(400, "M_SESSION_EXPIRED", "No such session")
        if self.sms_codes.get(sid) != body.get("token"):
            return error(400, "M_TOKEN_INCORRECT", "Wrong code")
        self.validated.add(sid)
        return httpx.Response(200, json={"success": True})

    def _add_threepid(self, request: httpx.Request, body: Json) -> httpx.Response:
        if not self.threepid_changes_enabled:
            return error(400, "M_FORBIDDEN", "3PID changes are disabled")
        if (challenge := self._uia(body)) is not None:
            return challenge
        sid = body.get("sid", "")
        known = self.sessions.get(sid)
        if known is None or known[0] != body.get("client_secret") or sid not in self.validated:
            return error(400, "M_THREEPID_AUTH_FAILED", "No validated 3pid session found")
        _, medium, address = known
        if medium == "msisdn":
            address = msisdn_of(*address.split(":", 1))
        self.threepids.append({"medium": medium, "address": address, "validated_at": 1, "added_at": 2})
        return httpx.Response(200, json={})

    def _delete_threepid(self, request: httpx.Request, body: Json) -> httpx.Response:
        self.threepids = [t for t in self.threepids if t["address"] != body.get("address")]
        return httpx.Response(200, json={"id_server_unbind_result": "no-support"})

    def _deactivate(self, request: httpx.Request, body: Json) -> httpx.Response:
        if (challenge := self._uia(body)) is not None:
            return challenge
        self.deactivated = True
        self.deactivations.append({k: v for k, v in body.items() if k != "auth"})
        return httpx.Response(200, json={"id_server_unbind_result": "success"})
