"""UIA stage names and the ``auth`` dicts the app sends for them (spec: "Authentication types").

Every builder is a pure function returning a fresh dict, so the caller can put it under ``"auth"`` in the
original request body. ``session`` is left out when the server gave none: the spec makes it optional.
"""

from __future__ import annotations

from typing import Any

from mxsettings.api.models import ThreePidCredentials

M_LOGIN_PASSWORD = "m.login.password"  # noqa: S105 (a stage name, not a password)
M_LOGIN_EMAIL_IDENTITY = "m.login.email.identity"
M_LOGIN_MSISDN = "m.login.msisdn"
M_LOGIN_DUMMY = "m.login.dummy"
M_LOGIN_RECAPTCHA = "m.login.recaptcha"
M_LOGIN_SSO = "m.login.sso"
M_LOGIN_TERMS = "m.login.terms"
M_LOGIN_REGISTRATION_TOKEN = "m.login.registration_token"  # noqa: S105 (a stage name)
M_OAUTH = "m.oauth"

# Stages the app completes itself. Every other stage, known or not, goes through the server's fallback web
# page: servers add stage types, and the fallback is how the spec lets an older client still finish them.
NATIVE_STAGES: frozenset[str] = frozenset(
    {M_LOGIN_PASSWORD, M_LOGIN_EMAIL_IDENTITY, M_LOGIN_MSISDN, M_LOGIN_DUMMY}
)


def _with_session(auth: dict[str, Any], session: str | None) -> dict[str, Any]:
    if session is not None:
        auth["session"] = session
    return auth


def password_auth(session: str | None, user_id: str, password: str) -> dict[str, Any]:
    """``m.login.password`` for the signed-in user, identified by full user ID (never ambiguous)."""
    auth: dict[str, Any] = {
        "type": M_LOGIN_PASSWORD,
        "identifier": {"type": "m.id.user", "user": user_id},
        "password": password,
    }
    return _with_session(auth, session)


def email_identity_auth(session: str | None, creds: ThreePidCredentials) -> dict[str, Any]:
    """``m.login.email.identity`` with the validation session the user confirmed by email."""
    return _with_session({"type": M_LOGIN_EMAIL_IDENTITY, "threepid_creds": creds.to_json()}, session)


def msisdn_auth(session: str | None, creds: ThreePidCredentials) -> dict[str, Any]:
    """``m.login.msisdn`` with the validation session the user confirmed by SMS."""
    return _with_session({"type": M_LOGIN_MSISDN, "threepid_creds": creds.to_json()}, session)


def dummy_auth(session: str | None) -> dict[str, Any]:
    """``m.login.dummy``: always succeeds; servers offer it when they want no real check."""
    return _with_session({"type": M_LOGIN_DUMMY}, session)


def session_only_auth(session: str) -> dict[str, Any]:
    """Asks whether an out-of-band stage (fallback page, email link) is done: no ``type`` (spec v1.3)."""
    return {"session": session}
