"""Typed, frozen models for every response the app reads. Pure data: no httpx, no Qt.

Each ``parse`` takes decoded JSON (anything) and returns a model or raises ``MalformedResponse`` naming the
bad key. Open sets (stage types, login types, capabilities) stay open: servers add new ones.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from mxsettings.api.json_reader import JsonObject
from mxsettings.errors import MalformedResponse


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _http_url(value: str, where: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MalformedResponse(f"{where}: not an http(s) URL")
    return value.rstrip("/")


# --- Discovery -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WellKnown:
    homeserver_base_url: str
    identity_server_base_url: str | None = None

    @classmethod
    def parse(cls, data: object) -> WellKnown:
        doc = JsonObject(data, "well-known")
        hs = doc.obj("m.homeserver")
        base = _http_url(hs.string("base_url"), "well-known.m.homeserver.base_url")
        identity: str | None = None
        is_obj = doc.raw.get("m.identity_server")
        if isinstance(is_obj, dict) and isinstance(is_obj.get("base_url"), str):
            # A broken identity-server entry must not stop sign-in (spec: FAIL_PROMPT, not FAIL_ERROR).
            try:
                identity = _http_url(is_obj["base_url"], "well-known.m.identity_server.base_url")
            except MalformedResponse:
                identity = None
        return cls(homeserver_base_url=base, identity_server_base_url=identity)


@dataclass(frozen=True)
class Versions:
    versions: tuple[str, ...]
    unstable_features: Mapping[str, bool] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: object) -> Versions:
        doc = JsonObject(data, "versions")
        features: dict[str, bool] = {}
        raw_features = doc.opt_obj("unstable_features")
        if raw_features is not None:
            features = {k: v for k, v in raw_features.raw.items() if isinstance(v, bool)}
        return cls(versions=doc.strings("versions"), unstable_features=_frozen(features))

    def has_v1(self) -> bool:
        return any(_parse_version(v, "v") is not None for v in self.versions)

    def r0_at_least(self, minor: int, patch: int = 0) -> bool:
        """Whether an ``r0.minor.patch`` or newer r0 release is listed."""
        for v in self.versions:
            parsed = _parse_version(v, "r")
            if parsed is not None and parsed[0] == 0 and parsed[1:] >= (minor, patch):
                return True
        return False

    def has_r0(self) -> bool:
        return any((p := _parse_version(v, "r")) is not None and p[0] == 0 for v in self.versions)


def _parse_version(text: str, prefix: str) -> tuple[int, ...] | None:
    if not text.startswith(prefix):
        return None
    try:
        parts = tuple(int(p) for p in text[1:].split("."))
    except ValueError:
        return None
    if prefix == "r":
        return parts + (0,) * (3 - len(parts)) if len(parts) <= 3 else None
    return parts if len(parts) == 2 else None


@dataclass(frozen=True)
class Capabilities:
    """What the server lets this account change. Absent capabilities take the spec's defaults."""

    change_password: bool = True
    threepid_changes: bool = True
    get_login_token: bool = False

    @classmethod
    def parse(cls, data: object) -> Capabilities:
        caps = JsonObject(data, "capabilities").obj("capabilities")

        def enabled(name: str, default: bool) -> bool:
            entry = caps.opt_obj(name)
            return default if entry is None else entry.opt_boolean("enabled", default)

        return cls(
            change_password=enabled("m.change_password", True),
            threepid_changes=enabled("m.3pid_changes", True),
            get_login_token=enabled("m.get_login_token", False),
        )


@dataclass(frozen=True)
class AuthMetadata:
    """The OAuth 2.0 server metadata; its presence means the server delegates authentication."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    registration_endpoint: str | None
    revocation_endpoint: str | None
    account_management_uri: str | None
    account_management_actions: tuple[str, ...]

    @classmethod
    def parse(cls, data: object) -> AuthMetadata:
        doc = JsonObject(data, "auth_metadata")
        return cls(
            issuer=doc.string("issuer"),
            authorization_endpoint=doc.string("authorization_endpoint"),
            token_endpoint=doc.string("token_endpoint"),
            registration_endpoint=doc.opt_string("registration_endpoint"),
            revocation_endpoint=doc.opt_string("revocation_endpoint"),
            account_management_uri=doc.opt_string("account_management_uri"),
            account_management_actions=doc.opt_strings("account_management_actions_supported"),
        )


# --- Login -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityProvider:
    id: str
    name: str
    brand: str | None = None


@dataclass(frozen=True)
class LoginFlow:
    type: str
    identity_providers: tuple[IdentityProvider, ...] = ()
    oauth_aware_preferred: bool = False


@dataclass(frozen=True)
class LoginFlows:
    flows: tuple[LoginFlow, ...]

    @classmethod
    def parse(cls, data: object) -> LoginFlows:
        flows: list[LoginFlow] = []
        for flow in JsonObject(data, "login").objects("flows"):
            providers = tuple(
                IdentityProvider(id=p.string("id"), name=p.string("name"), brand=p.opt_string("brand"))
                for p in (flow.objects("identity_providers") if flow.has("identity_providers") else ())
            )
            flows.append(
                LoginFlow(
                    type=flow.string("type"),
                    identity_providers=providers,
                    oauth_aware_preferred=flow.opt_boolean("oauth_aware_preferred", False),
                )
            )
        return cls(flows=tuple(flows))

    def supports(self, login_type: str) -> bool:
        return any(f.type == login_type for f in self.flows)


@dataclass(frozen=True)
class LoginResponse:
    user_id: str
    device_id: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_in_ms: int | None = None
    well_known: WellKnown | None = None

    @classmethod
    def parse(cls, data: object) -> LoginResponse:
        doc = JsonObject(data, "login")
        well_known: WellKnown | None = None
        if doc.has("well_known"):
            try:
                well_known = WellKnown.parse(doc.raw["well_known"])
            except MalformedResponse:
                well_known = None  # the spec makes it advisory; a bad one is ignored, not fatal
        return cls(
            user_id=doc.string("user_id"),
            device_id=doc.string("device_id"),
            access_token=doc.string("access_token"),
            refresh_token=doc.opt_string("refresh_token"),
            expires_in_ms=doc.opt_integer("expires_in_ms"),
            well_known=well_known,
        )


@dataclass(frozen=True)
class RefreshResponse:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_in_ms: int | None = None

    @classmethod
    def parse(cls, data: object) -> RefreshResponse:
        doc = JsonObject(data, "refresh")
        return cls(
            access_token=doc.string("access_token"),
            refresh_token=doc.opt_string("refresh_token"),
            expires_in_ms=doc.opt_integer("expires_in_ms"),
        )


@dataclass(frozen=True)
class WhoAmI:
    user_id: str
    device_id: str | None = None
    is_guest: bool = False

    @classmethod
    def parse(cls, data: object) -> WhoAmI:
        doc = JsonObject(data, "whoami")
        return cls(
            user_id=doc.string("user_id"),
            device_id=doc.opt_string("device_id"),
            is_guest=doc.opt_boolean("is_guest", False),
        )


# --- Contact addresses -----------------------------------------------------------------------------------


class Medium(enum.Enum):
    EMAIL = "email"
    MSISDN = "msisdn"


@dataclass(frozen=True)
class ThreePid:
    """One contact address on the homeserver account. Old servers send no timestamps."""

    medium: str
    address: str
    validated_at: int | None = None
    added_at: int | None = None


@dataclass(frozen=True)
class ThreePidList:
    threepids: tuple[ThreePid, ...]

    @classmethod
    def parse(cls, data: object) -> ThreePidList:
        doc = JsonObject(data, "3pid")
        items = doc.objects("threepids") if doc.has("threepids") else ()
        return cls(
            threepids=tuple(
                ThreePid(
                    medium=i.string("medium"),
                    address=i.string("address"),
                    validated_at=i.opt_integer("validated_at"),
                    added_at=i.opt_integer("added_at"),
                )
                for i in items
            )
        )


@dataclass(frozen=True)
class TokenRequested:
    """The answer to a requestToken: the validation session, and where to post a code when there is one."""

    sid: str
    submit_url: str | None = None

    @classmethod
    def parse(cls, data: object) -> TokenRequested:
        doc = JsonObject(data, "requestToken")
        submit_url = doc.opt_string("submit_url")
        if submit_url is not None:
            submit_url = _http_url(submit_url, "requestToken.submit_url")
        return cls(sid=doc.string("sid"), submit_url=submit_url)


@dataclass(frozen=True)
class SubmitTokenResult:
    success: bool

    @classmethod
    def parse(cls, data: object) -> SubmitTokenResult:
        return cls(success=JsonObject(data, "submitToken").boolean("success"))


class UnbindResult(enum.Enum):
    """What a homeserver reports after asking the identity server to forget an address."""

    SUCCESS = "success"
    NO_SUPPORT = "no-support"

    @classmethod
    def parse(cls, data: object) -> UnbindResult:
        doc = JsonObject(data, "unbind")
        if not doc.has("id_server_unbind_result"):
            # Older servers answered {} to delete; nothing was said about the identity server.
            return cls.NO_SUPPORT
        value = doc.string("id_server_unbind_result")
        try:
            return cls(value)
        except ValueError:
            raise MalformedResponse(f"unbind.id_server_unbind_result: unknown value {value!r}") from None


@dataclass(frozen=True)
class ThreePidCredentials:
    """The proof of a validation session, as sent back in ``threepid_creds``."""

    sid: str
    client_secret: str = field(repr=False)
    id_server: str | None = None
    id_access_token: str | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, str]:
        body = {"sid": self.sid, "client_secret": self.client_secret}
        if self.id_server is not None:
            body["id_server"] = self.id_server
        if self.id_access_token is not None:
            body["id_access_token"] = self.id_access_token
        return body


# --- User-interactive authentication ---------------------------------------------------------------------


@dataclass(frozen=True)
class UiaChallenge:
    """A 401 body with ``flows``: what the server still wants before it runs the request."""

    flows: tuple[tuple[str, ...], ...]
    session: str | None
    completed: tuple[str, ...] = ()
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    errcode: str | None = None
    error: str | None = None

    @classmethod
    def parse(cls, data: object) -> UiaChallenge:
        doc = JsonObject(data, "uia")
        flows = tuple(flow.strings("stages") for flow in doc.objects("flows"))
        params: dict[str, Mapping[str, Any]] = {}
        raw_params = doc.opt_obj("params")
        if raw_params is not None:
            params = {k: _frozen(v) for k, v in raw_params.raw.items() if isinstance(v, dict)}
        return cls(
            flows=flows,
            session=doc.opt_string("session"),
            completed=doc.opt_strings("completed"),
            params=_frozen(params),
            errcode=doc.opt_string("errcode"),
            error=doc.opt_string("error"),
        )

    @staticmethod
    def looks_like(data: object) -> bool:
        """A 401 is a UIA challenge when its body has ``flows``; otherwise it is a token error."""
        return isinstance(data, dict) and "flows" in data


@dataclass(frozen=True)
class DeactivateResult:
    unbind: UnbindResult

    @classmethod
    def parse(cls, data: object) -> DeactivateResult:
        return cls(unbind=UnbindResult.parse(data))
