"""The error tree every layer raises. Qt-free, so services and tests can use it without a display.

Shape:

    MxError
     +-- NetworkError                  the server could not be reached or the connection broke
     |    +-- RequestTimeout           no answer within the timeout
     |    +-- TlsError                 certificate or handshake failure
     +-- InsecureUrl                   plain http:// to a host that is not loopback; refused before sending
     +-- InvalidServerAddress          what the user typed is not a server name or URL
     +-- NotAMatrixServer              the address answers, but not like a homeserver
     +-- MalformedResponse             not JSON, an HTML error page, a missing or mistyped key
     +-- UnsupportedByServer           this server's generation has no endpoint for what was asked
     +-- SecretStoreError              the OS keyring failed to read, write or delete a secret
     +-- SecretLost                    a secret the app stored is gone (keyring emptied, or memory only)
     +-- MatrixError                   a homeserver or identity server answered with an errcode
     |    +-- one subclass per errcode, registered in ERRCODE_CLASSES
     +-- UiaError
     |    +-- UiaNoUsableFlow          no flow the app can finish
     |    +-- UiaSessionExpired        the server forgot the UIA session
     +-- Cancelled                     the user cancelled an action (a dialog was closed)

Messages never contain secrets: the server's own text is kept as data (``server_message``) and the UI turns
the class into words. ``repr`` shows the class, the errcode and the HTTP status only.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar


class MxError(Exception):
    """Base of every error the app itself raises."""


class NetworkError(MxError):
    """The request never got an HTTP answer: refused, reset, DNS failure."""

    def __init__(self, host: str, detail: str = "") -> None:
        super().__init__(f"cannot reach {host}" + (f": {detail}" if detail else ""))
        self.host = host
        self.detail = detail


class RequestTimeout(NetworkError):
    """The server did not answer within the timeout."""


class TlsError(NetworkError):
    """The TLS handshake or certificate check failed."""


class InsecureUrl(MxError):
    """A plain http:// URL for a host that is not on loopback."""

    def __init__(self, url: str) -> None:
        super().__init__(f"refusing plain http to a non-loopback host: {url}")
        self.url = url


class InvalidServerAddress(MxError):
    """What the user typed as a homeserver is neither a server name nor an http(s) URL."""

    def __init__(self, text: str) -> None:
        super().__init__("not a server name or URL")
        self.text = text


class NotAMatrixServer(MxError):
    """The address answered, but not as a Matrix homeserver does."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url} is not a Matrix homeserver")
        self.url = url


class MalformedResponse(MxError):
    """The server's answer could not be understood."""

    def __init__(self, what: str, *, status: int | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.status = status


class UnsupportedByServer(MxError):
    """The server's API generation has no way to do this."""

    def __init__(self, feature: str) -> None:
        super().__init__(f"the server does not support {feature}")
        self.feature = feature


class Origin(enum.Enum):
    """Which kind of server produced an error, so the UI can name it."""

    HOMESERVER = "homeserver"
    IDENTITY_SERVER = "identity_server"


class MatrixError(MxError):
    """An error body ``{"errcode": ..., "error": ...}`` from a Matrix server.

    Subclasses declare ``errcode``; ``from_body`` picks the class from the registry. An unknown errcode
    keeps this base class with its code intact.
    """

    errcode: ClassVar[str] = ""

    def __init__(
        self,
        *,
        status: int,
        errcode: str | None = None,
        server_message: str = "",
        body: Mapping[str, Any] | None = None,
        origin: Origin = Origin.HOMESERVER,
        server: str = "",
    ) -> None:
        self.code = errcode if errcode is not None else type(self).errcode
        super().__init__(f"{self.code or 'HTTP error'} (HTTP {status})")
        self.status = status
        self.server_message = server_message
        self.body: Mapping[str, Any] = body or {}
        self.origin = origin
        self.server = server

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        code = cls.__dict__.get("errcode")
        if code:
            if code in ERRCODE_CLASSES:
                raise TypeError(f"errcode {code} registered twice")
            ERRCODE_CLASSES[code] = cls

    def __repr__(self) -> str:
        return f"{type(self).__name__}(errcode={self.code!r}, status={self.status})"


ERRCODE_CLASSES: dict[str, type[MatrixError]] = {}


def error_from_body(
    status: int,
    body: Mapping[str, Any],
    *,
    headers: Mapping[str, str] | None = None,
    origin: Origin = Origin.HOMESERVER,
    server: str = "",
) -> MatrixError:
    """Build the registered exception for an error body (the caller has checked it is a JSON object)."""
    raw_code = body.get("errcode")
    code = raw_code if isinstance(raw_code, str) and raw_code else None
    raw_message = body.get("error")
    message = raw_message if isinstance(raw_message, str) else ""
    cls = ERRCODE_CLASSES.get(code or "", MatrixError)
    if cls is LimitExceeded:
        return LimitExceeded(
            status=status,
            server_message=message,
            body=body,
            origin=origin,
            server=server,
            retry_after=retry_after_seconds(headers or {}, body),
        )
    return cls(status=status, errcode=code, server_message=message, body=body, origin=origin, server=server)


#: The longest wait a rate limit is taken to ask for. A server's "come back in 300 years" (or an absurd
#: header) becomes a day: still clearly "later", and a number every countdown and timer can hold.
LONGEST_RETRY_AFTER = 24 * 3600.0


def retry_after_seconds(headers: Mapping[str, str], body: Mapping[str, Any]) -> float | None:
    """The wait a 429 asks for: ``Retry-After`` (seconds or an HTTP date) first, then ``retry_after_ms``.

    At most ``LONGEST_RETRY_AFTER``; anything unreadable (digits of other scripts, dates out of range,
    NaN) counts as not said.
    """
    header = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if header is not None:
        seconds = _header_seconds(header.strip())
        if seconds is not None:
            return min(seconds, LONGEST_RETRY_AFTER)
    ms = body.get("retry_after_ms")
    if isinstance(ms, int | float) and not isinstance(ms, bool) and ms >= 0:
        # float() of a huge integer overflows; anything that big is over the cap anyway.
        return min(float(min(ms, LONGEST_RETRY_AFTER * 1000)) / 1000.0, LONGEST_RETRY_AFTER)
    return None


def _header_seconds(value: str) -> float | None:
    from email.utils import parsedate_to_datetime  # stdlib, only needed on a 429

    if value.isascii() and value.isdigit():  # str.isdigit alone takes "²" and other scripts' digits
        # More than a dozen digits is over the cap; int() refuses thousands of them outright.
        return float(min(int(value), int(LONGEST_RETRY_AFTER))) if len(value) <= 12 else LONGEST_RETRY_AFTER
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    import datetime as dt

    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


# --- Common client-server errors -------------------------------------------------------------------------


class Forbidden(MatrixError):
    errcode = "M_FORBIDDEN"


class UnknownToken(MatrixError):
    """The access token is not (or no longer) valid; ``soft_logout`` says whether the device survives."""

    errcode = "M_UNKNOWN_TOKEN"

    @property
    def soft_logout(self) -> bool:
        return self.body.get("soft_logout") is True


class MissingToken(MatrixError):
    errcode = "M_MISSING_TOKEN"


class UserLocked(MatrixError):
    errcode = "M_USER_LOCKED"


class UserSuspended(MatrixError):
    errcode = "M_USER_SUSPENDED"


class UserDeactivated(MatrixError):
    errcode = "M_USER_DEACTIVATED"


class LimitExceeded(MatrixError):
    """Rate limited. ``retry_after`` is in seconds, or None when the server gave no hint."""

    errcode = "M_LIMIT_EXCEEDED"

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.retry_after = retry_after


class Unknown(MatrixError):
    errcode = "M_UNKNOWN"


class Unrecognized(MatrixError):
    errcode = "M_UNRECOGNIZED"


class Unauthorized(MatrixError):
    errcode = "M_UNAUTHORIZED"


class NotFound(MatrixError):
    errcode = "M_NOT_FOUND"


class InvalidParam(MatrixError):
    errcode = "M_INVALID_PARAM"


class MissingParam(MatrixError):
    errcode = "M_MISSING_PARAM"


class BadJson(MatrixError):
    errcode = "M_BAD_JSON"


class NotJson(MatrixError):
    errcode = "M_NOT_JSON"


class ResourceLimitExceeded(MatrixError):
    errcode = "M_RESOURCE_LIMIT_EXCEEDED"


class UserLimitExceeded(MatrixError):
    errcode = "M_USER_LIMIT_EXCEEDED"


class CaptchaNeeded(MatrixError):
    errcode = "M_CAPTCHA_NEEDED"


class CaptchaInvalid(MatrixError):
    errcode = "M_CAPTCHA_INVALID"


class AppserviceLoginUnsupported(MatrixError):
    errcode = "M_APPSERVICE_LOGIN_UNSUPPORTED"


class UserInUse(MatrixError):
    errcode = "M_USER_IN_USE"


# --- Passwords: the spec's code and Synapse's policy family ----------------------------------------------


class WeakPassword(MatrixError):
    """The server refused the new password; subclasses say which rule failed."""

    errcode = "M_WEAK_PASSWORD"


class PasswordTooShort(WeakPassword):
    errcode = "M_PASSWORD_TOO_SHORT"


class PasswordNoDigit(WeakPassword):
    errcode = "M_PASSWORD_NO_DIGIT"


class PasswordNoSymbol(WeakPassword):
    errcode = "M_PASSWORD_NO_SYMBOL"


class PasswordNoUppercase(WeakPassword):
    errcode = "M_PASSWORD_NO_UPPERCASE"


class PasswordNoLowercase(WeakPassword):
    errcode = "M_PASSWORD_NO_LOWERCASE"


class PasswordInDictionary(WeakPassword):
    errcode = "M_PASSWORD_IN_DICTIONARY"


# --- Contact addresses (3PIDs) ---------------------------------------------------------------------------


class ThreePidAuthFailed(MatrixError):
    errcode = "M_THREEPID_AUTH_FAILED"


class ThreePidInUse(MatrixError):
    errcode = "M_THREEPID_IN_USE"


class ThreePidNotFound(MatrixError):
    errcode = "M_THREEPID_NOT_FOUND"


class ThreePidDenied(MatrixError):
    errcode = "M_THREEPID_DENIED"


class ThreePidMediumNotSupported(MatrixError):
    errcode = "M_THREEPID_MEDIUM_NOT_SUPPORTED"


class ServerNotTrusted(MatrixError):
    errcode = "M_SERVER_NOT_TRUSTED"


# --- Identity-server codes (also relayed by homeservers) -------------------------------------------------


class TermsNotSigned(MatrixError):
    errcode = "M_TERMS_NOT_SIGNED"


class InvalidEmail(MatrixError):
    errcode = "M_INVALID_EMAIL"


class EmailSendError(MatrixError):
    errcode = "M_EMAIL_SEND_ERROR"


class InvalidAddress(MatrixError):
    errcode = "M_INVALID_ADDRESS"


class SendError(MatrixError):
    errcode = "M_SEND_ERROR"


class DestinationRejected(MatrixError):
    errcode = "M_DESTINATION_REJECTED"


class SessionNotValidated(MatrixError):
    errcode = "M_SESSION_NOT_VALIDATED"


class SessionExpired(MatrixError):
    errcode = "M_SESSION_EXPIRED"


class NoValidSession(MatrixError):
    errcode = "M_NO_VALID_SESSION"


class TokenIncorrect(MatrixError):
    errcode = "M_TOKEN_INCORRECT"


class InvalidPepper(MatrixError):
    errcode = "M_INVALID_PEPPER"


class MissingParams(MatrixError):
    errcode = "M_MISSING_PARAMS"


# --- Synapse extras, not in the spec ---------------------------------------------------------------------


class ConsentNotGiven(MatrixError):
    errcode = "M_CONSENT_NOT_GIVEN"


class ExpiredAccount(MatrixError):
    errcode = "ORG_MATRIX_EXPIRED_ACCOUNT"


class UserAwaitingApproval(MatrixError):
    errcode = "ORG.MATRIX.MSC3866_USER_AWAITING_APPROVAL"


# --- User-interactive authentication ---------------------------------------------------------------------


class UiaError(MxError):
    """The user-interactive authentication could not be finished."""


class UiaNoUsableFlow(UiaError):
    def __init__(self, flows: tuple[tuple[str, ...], ...]) -> None:
        super().__init__("no authentication flow the app can complete")
        self.flows = flows


class UiaSessionExpired(UiaError):
    def __init__(self) -> None:
        super().__init__("the authentication session expired")


class Cancelled(MxError):
    """The user cancelled the action; nothing was changed."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class UiaRequired(MxError):
    """A 401 carrying ``flows``: the server asks for user-interactive authentication (not a token problem)."""

    def __init__(self, challenge: UiaChallenge) -> None:
        super().__init__("the server asks for authentication")
        self.challenge = challenge


if TYPE_CHECKING:
    from mxsettings.api.models import UiaChallenge


class SecretStoreError(MxError):
    """The OS keyring failed to read, write or delete a secret.

    The message names the operation and the backend's exception class only: never the secret, and not the
    backend's own text either (``detail`` keeps that, with the secret scrubbed out, for logs).
    """

    def __init__(self, operation: str, cause: str = "", *, locked: bool = False, detail: str = "") -> None:
        super().__init__(f"keyring {operation} failed" + (f" ({cause})" if cause else ""))
        self.operation = operation
        self.cause = cause
        self.locked = locked
        self.detail = detail


class SecretLost(MxError):
    """A secret the app had stored is gone: the keyring was emptied, or it kept secrets in memory only.

    Raised for a pending contact-address confirmation whose ``client_secret`` is missing: that validation
    session can no longer be proven, and only a new request (Resend) helps.
    """

    def __init__(self) -> None:
        super().__init__("a stored secret is no longer there")
