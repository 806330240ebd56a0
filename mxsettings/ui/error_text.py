"""The one place where a failure becomes words: ``describe(error, context=...) -> ErrorText``.

Sentences come from two tables: what each error class means in general, and what it means during one
action (``M_FORBIDDEN`` while signing in is a wrong password; while adding an address, a server policy).
The lookup walks the class's MRO, so a subclass without a sentence still gets its parent's; a test makes
sure every class in the tree has its own.

* The server's ``error`` text is English and unvetted, so it is never the message. Only for codes with no
  sentence of their own (an unknown errcode, ``M_UNKNOWN``) is a cleaned, shortened copy offered as
  ``detail``. Nothing from a request is used, and an unexpected exception's text is never shown.
* Cancelling is not an error: ``Cancelled`` and ``asyncio.CancelledError`` give an empty message
  (``ErrorText.silent``), and the TaskRunner does not report them at all.
* Translation needs no widgets: sentences are marked ``QT_TRANSLATE_NOOP("ErrorText", ...)`` where they are
  written (so ``pyside6-lupdate`` extracts them) and translated when used, with Qt's ``%1``/``%2`` so
  translators can reorder. lupdate marks a plural only for ``tr(text, "", n)`` with a variable ``n``, hence
  the tiny ``RateLimitText`` QObject for the countdown."""

from __future__ import annotations

import asyncio
import enum
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, QObject

from mxsettings import errors as err

TRANSLATION_CONTEXT = "ErrorText"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for lupdate (which finds it by this name) and return it untranslated.

    Defined here instead of imported from QtCore because PySide6 types that one as returning ``object``.
    """
    return source


class Field(enum.Enum):
    """The input a message belongs beside. ``None`` (not a member) means the page's general message area."""

    HOMESERVER = enum.auto()
    USERNAME = enum.auto()
    PASSWORD = enum.auto()  # the account password, typed to sign in or to confirm an action
    CURRENT_PASSWORD = enum.auto()
    NEW_PASSWORD = enum.auto()
    EMAIL = enum.auto()
    PHONE = enum.auto()
    CODE = enum.auto()  # a confirmation code sent by text message or email
    IDENTITY_SERVER = enum.auto()


class ErrorContext(enum.Enum):
    """The action that failed; the same errcode can mean different things in each."""

    GENERAL = enum.auto()
    SIGN_IN = enum.auto()
    RESTORE_SESSION = enum.auto()
    CHANGE_PASSWORD = enum.auto()
    ADD_EMAIL = enum.auto()
    ADD_PHONE = enum.auto()
    REMOVE_CONTACT = enum.auto()
    DEACTIVATE = enum.auto()


@dataclass(frozen=True)
class ErrorText:
    """A translated sentence, where it belongs, and for rate limits how long to wait (seconds)."""

    message: str
    field: Field | None = None
    retry_after: float | None = None
    detail: str = ""  # the server's own words, only for codes without a sentence of their own

    @property
    def silent(self) -> bool:
        """True for cancellations: nothing to show."""
        return not self.message


class RateLimitText(QObject):
    """Only the plural sentences; lupdate takes this class name as their translation context."""

    def seconds(self, n: int) -> str:
        return self.tr("The server is getting too many requests. Try again in %n second(s).", "", n)

    def minutes(self, n: int) -> str:
        return self.tr("The server is getting too many requests. Try again in %n minute(s).", "", n)


# Longer waits are shown (and held) as one day: Qt counts in 32 bits, and a day is already "try later".
MAX_RATE_LIMIT_WAIT = 86_400.0


def rate_limit_message(seconds_left: int) -> str:
    """The countdown sentence; from two minutes up it counts in (rounded-up) minutes."""
    texts = RateLimitText()
    seconds_left = min(seconds_left, int(MAX_RATE_LIMIT_WAIT))
    if seconds_left <= 0:
        return _tr(QT_TRANSLATE_NOOP("ErrorText", "You can try again now."))
    count = math.ceil(seconds_left / 60) if seconds_left >= 120 else seconds_left
    text = texts.minutes(count) if seconds_left >= 120 else texts.seconds(count)
    # Untranslated (no English .qm loaded), Qt leaves the source's "(s)": finish the English plural here.
    return text.replace("(s)", "" if count == 1 else "s")


@dataclass(frozen=True)
class _Text:
    source: str  # untranslated; %1 and %2 are filled from _args()
    field: Field | None = None


_Rule = _Text | Callable[[Any], _Text]


def _t(source: str, field: Field | None = None) -> _Text:
    return _Text(source, field)


def _when_401(wrong_password: _Text, otherwise: _Text) -> Callable[[Any], _Text]:
    # Inside UIA a refused password comes back as M_FORBIDDEN in a 401; a 400/403 is a server policy.
    return lambda error: wrong_password if error.status == 401 else otherwise


# The tables stay one entry per line pair so a missing sentence is easy to spot; the formatter would
# spread each over five lines.
# fmt: off
_GENERIC = _t(QT_TRANSLATE_NOOP("ErrorText",
    "Something went wrong inside the app. Please try again; if it keeps happening, report it."))
_SERVER_FAULT = _t(QT_TRANSLATE_NOOP("ErrorText",
    "The server ran into a problem of its own (HTTP status %1). Try again later."))
_WRONG_PASSWORD = _t(QT_TRANSLATE_NOOP("ErrorText", "The password is wrong."), Field.PASSWORD)
_NOT_CONFIRMED = _t(QT_TRANSLATE_NOOP("ErrorText",
    "The address has not been confirmed yet: open the link or enter the code first."))
_LINK_NOT_OPENED = _t(QT_TRANSLATE_NOOP("ErrorText",
    "The link in the email has not been opened yet. Open it, then press Continue again."), Field.EMAIL)
_CODE_NOT_ENTERED = _t(QT_TRANSLATE_NOOP("ErrorText",
    "The code sent to the phone has not been confirmed yet. Enter it, then try again."), Field.CODE)
_WAIT_A_MOMENT = _t(QT_TRANSLATE_NOOP("ErrorText",
    "The server is getting too many requests. Wait a moment, then try again."))
_BAD_EMAIL = _t(QT_TRANSLATE_NOOP("ErrorText", "This email address is not valid."), Field.EMAIL)
_BAD_PHONE = _t(QT_TRANSLATE_NOOP("ErrorText",
    "This phone number is not valid. Include the country code."), Field.PHONE)


def _matrix_fallback(error: err.MatrixError) -> _Text:
    if error.code:
        return _t(QT_TRANSLATE_NOOP("ErrorText",
            "The server refused the request (error %2, HTTP status %1)."))
    if error.status >= 500:
        return _SERVER_FAULT
    return _t(QT_TRANSLATE_NOOP("ErrorText", "The server refused the request (HTTP status %1)."))


def _unknown(error: err.MatrixError) -> _Text:
    # The spec: with M_UNKNOWN, trust the HTTP status.
    if error.status >= 500:
        return _SERVER_FAULT
    return _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server could not do this and did not say why (HTTP status %1)."))


def _unknown_token(error: err.UnknownToken) -> _Text:
    if error.soft_logout:
        return _t(QT_TRANSLATE_NOOP("ErrorText", "Your session has expired. Sign in again to continue."))
    return _t(QT_TRANSLATE_NOOP("ErrorText",
        "You have been signed out, maybe from another device. Sign in again."))


def _keyring(error: err.SecretStoreError) -> _Text:
    if error.locked:
        return _t(QT_TRANSLATE_NOOP("ErrorText",
            "Your system keyring is locked. Unlock it, then try again."))
    return _t(QT_TRANSLATE_NOOP("ErrorText",
        "The system keyring, where the app keeps your sign-in, did not work. Please try again."))


_GENERAL: dict[type[BaseException], _Rule] = {
    err.MxError: _t(QT_TRANSLATE_NOOP("ErrorText", "The action could not be finished.")),
    err.NetworkError: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The app cannot reach %1. Check your internet connection, or try again later.")),
    err.RequestTimeout: _t(QT_TRANSLATE_NOOP("ErrorText", "%1 did not answer in time. Try again later.")),
    err.TlsError: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The secure connection to %1 failed: its certificate is not valid or not trusted by this computer. "
        "If this keeps happening, tell the server's administrator.")),
    err.InsecureUrl: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The address for %1 starts with http://, which is only allowed for this computer. "
        "Use an https:// address.")),
    err.InvalidServerAddress: _t(QT_TRANSLATE_NOOP("ErrorText",
        "This is not a server name or address. Type a name such as example.org, or an https:// address."),
        Field.HOMESERVER),
    err.NotAMatrixServer: _t(QT_TRANSLATE_NOOP("ErrorText",
        "%1 answers, but not like a Matrix homeserver. Check the server name."), Field.HOMESERVER),
    err.SecretStoreError: _keyring,
    err.SecretLost: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The app no longer has the key for this confirmation, so it cannot be finished. Send a new one.")),
    err.MalformedResponse: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server answered something the app does not understand.")),
    err.UnsupportedByServer: _t(QT_TRANSLATE_NOOP("ErrorText", "Your server does not support this action.")),
    err.UiaError: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Confirming it is you did not finish. Please try again.")),
    err.UiaNoUsableFlow: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server wants a kind of confirmation this app cannot do. Use your server's website instead.")),
    err.UiaSessionExpired: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The confirmation took too long and the server forgot it. Please start again.")),
    err.UiaRequired: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server asked to confirm it is you, but the app did not ask you. Please report this problem.")),
    err.MatrixError: _matrix_fallback,
    err.Unknown: _unknown,
    err.UnknownToken: _unknown_token,
    err.Forbidden: _t(QT_TRANSLATE_NOOP("ErrorText", "The server does not allow this action.")),
    err.MissingToken: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The app is not signed in to the server any more. Sign in again.")),
    err.UserLocked: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your account is locked; until your server's administrator unlocks it, you can only sign out.")),
    err.UserSuspended: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your account is suspended, so the server does not allow this change.")),
    err.UserDeactivated: _t(QT_TRANSLATE_NOOP("ErrorText",
        "This account has been deactivated and cannot be used any more.")),
    err.Unrecognized: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server does not know this request; it may not offer this feature.")),
    err.Unauthorized: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server did not accept the app's credentials for this request.")),
    err.NotFound: _t(QT_TRANSLATE_NOOP("ErrorText", "The server could not find what was asked for.")),
    err.InvalidParam: _t(QT_TRANSLATE_NOOP("ErrorText", "The server says one of the values is not valid.")),
    err.MissingParam: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The app left out something the server needs. Please report this problem.")),
    err.BadJson: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server could not read the app's request. Please report this problem.")),
    err.NotJson: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server says the app's request was not in JSON format. Please report this problem.")),
    err.ResourceLimitExceeded: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server has reached a resource limit. Contact your server's administrator.")),
    err.UserLimitExceeded: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your account has reached a limit (quota or plan) set by your server.")),
    err.CaptchaNeeded: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server wants a CAPTCHA solved, which this app cannot show.")),
    err.CaptchaInvalid: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The CAPTCHA answer was not accepted. Please try again.")),
    err.AppserviceLoginUnsupported: _t(QT_TRANSLATE_NOOP("ErrorText",
        "This server does not allow application services to sign in this way.")),
    err.UserInUse: _t(QT_TRANSLATE_NOOP("ErrorText", "This user name is already taken."), Field.USERNAME),
    err.WeakPassword: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server finds the new password too weak. Use a longer one that mixes letters, digits and "
        "symbols."), Field.NEW_PASSWORD),
    err.PasswordTooShort: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The new password is too short for this server."), Field.NEW_PASSWORD),
    err.PasswordNoDigit: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The new password must contain a digit."), Field.NEW_PASSWORD),
    err.PasswordNoSymbol: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The new password must contain a symbol, such as ! or #."), Field.NEW_PASSWORD),
    err.PasswordNoUppercase: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The new password must contain an uppercase letter."), Field.NEW_PASSWORD),
    err.PasswordNoLowercase: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The new password must contain a lowercase letter."), Field.NEW_PASSWORD),
    err.PasswordInDictionary: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The new password is a common word, which is too easy to guess."), Field.NEW_PASSWORD),
    err.ThreePidAuthFailed: _NOT_CONFIRMED,
    err.ThreePidInUse: _t(QT_TRANSLATE_NOOP("ErrorText", "This address is already used by another account.")),
    err.ThreePidNotFound: _t(QT_TRANSLATE_NOOP("ErrorText", "No account on this server uses this address.")),
    err.ThreePidDenied: _t(QT_TRANSLATE_NOOP("ErrorText", "Your server does not allow this address.")),
    err.ThreePidMediumNotSupported: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server cannot handle this kind of address.")),
    err.ServerNotTrusted: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your homeserver does not trust the chosen identity server."), Field.IDENTITY_SERVER),
    err.TermsNotSigned: _t(QT_TRANSLATE_NOOP("ErrorText",
        "You need to accept the identity server's terms of service first.")),
    err.InvalidEmail: _BAD_EMAIL,
    err.EmailSendError: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The email could not be sent. Check the address, or try again later."), Field.EMAIL),
    err.InvalidAddress: _t(QT_TRANSLATE_NOOP("ErrorText", "This address is not valid.")),
    err.SendError: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The text message could not be sent. Check the number, or try again later."), Field.PHONE),
    err.DestinationRejected: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Text messages cannot be sent to this country or region."), Field.PHONE),
    err.SessionNotValidated: _t(QT_TRANSLATE_NOOP("ErrorText", "This address has not been confirmed yet.")),
    err.SessionExpired: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The confirmation has expired. Ask for a new email or code.")),
    err.NoValidSession: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server has no confirmation in progress for this address. Please start again.")),
    err.TokenIncorrect: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The code is wrong. Check it and try again."), Field.CODE),
    err.InvalidPepper: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The identity server changed its lookup settings meanwhile. Please try again.")),
    err.MissingParams: _t(QT_TRANSLATE_NOOP("ErrorText",
        "The identity server says the app's request is incomplete. Please report this problem.")),
    err.ConsentNotGiven: _t(QT_TRANSLATE_NOOP("ErrorText",
        "You need to accept your server's privacy policy first; the server has sent you a link to it.")),
    err.ExpiredAccount: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your account has expired. Contact your server's administrator to renew it.")),
    err.UserAwaitingApproval: _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your account is waiting for approval by the server's administrator.")),
}


def _moved(cls: type[BaseException], field: Field | None) -> _Text:
    """The general sentence for ``cls``, placed beside another input."""
    rule = _GENERAL[cls]
    assert isinstance(rule, _Text)
    return replace(rule, field=field)


_C = ErrorContext
_AT_HOMESERVER = Field.HOMESERVER
_OVERRIDES: dict[tuple[ErrorContext, type[BaseException]], _Rule] = {
    (_C.SIGN_IN, err.NetworkError): _t(QT_TRANSLATE_NOOP("ErrorText",
        "The app cannot reach %1. Check the server address and your internet connection."), _AT_HOMESERVER),
    (_C.SIGN_IN, err.RequestTimeout): _moved(err.RequestTimeout, _AT_HOMESERVER),
    (_C.SIGN_IN, err.TlsError): _moved(err.TlsError, _AT_HOMESERVER),
    (_C.SIGN_IN, err.InsecureUrl): _moved(err.InsecureUrl, _AT_HOMESERVER),
    (_C.SIGN_IN, err.MalformedResponse): _t(QT_TRANSLATE_NOOP("ErrorText",
        "The server at this address does not answer like a Matrix homeserver."), _AT_HOMESERVER),
    (_C.SIGN_IN, err.UnsupportedByServer): _t(QT_TRANSLATE_NOOP("ErrorText",
        "This server offers no way of signing in that the app supports."), _AT_HOMESERVER),
    (_C.SIGN_IN, err.Unrecognized): _t(QT_TRANSLATE_NOOP("ErrorText",
        "This server does not support signing in this way."), _AT_HOMESERVER),
    (_C.SIGN_IN, err.Forbidden): _t(QT_TRANSLATE_NOOP("ErrorText",
        "The user name or password is wrong."), Field.PASSWORD),
    (_C.SIGN_IN, err.UserDeactivated): _moved(err.UserDeactivated, Field.USERNAME),
    (_C.RESTORE_SESSION, err.NetworkError): _t(QT_TRANSLATE_NOOP("ErrorText",
        "The app cannot reach %1 to check your saved sign-in. It is kept; try again when you are online.")),
    (_C.RESTORE_SESSION, err.UnknownToken): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your saved sign-in is no longer valid. Please sign in again.")),
    (_C.CHANGE_PASSWORD, err.Forbidden): _when_401(
        _t(QT_TRANSLATE_NOOP("ErrorText", "The current password is wrong."), Field.CURRENT_PASSWORD),
        _t(QT_TRANSLATE_NOOP("ErrorText", "Your server does not allow changing the password here."))),
    (_C.CHANGE_PASSWORD, err.UnsupportedByServer): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not let this app change the password. Use your server's account page.")),
    (_C.CHANGE_PASSWORD, err.ThreePidNotFound): _t(QT_TRANSLATE_NOOP("ErrorText",
        "No account on this server uses this email address."), Field.EMAIL),
    (_C.CHANGE_PASSWORD, err.NotFound): _moved(err.ThreePidNotFound, Field.EMAIL),
    (_C.ADD_EMAIL, err.Forbidden): _when_401(_WRONG_PASSWORD, _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not allow changing the email addresses of this account."))),
    (_C.ADD_PHONE, err.Forbidden): _when_401(_WRONG_PASSWORD, _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not allow changing the phone numbers of this account."))),
    (_C.ADD_EMAIL, err.UnsupportedByServer): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not support adding email addresses.")),
    (_C.ADD_PHONE, err.UnsupportedByServer): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not support adding phone numbers.")),
    (_C.ADD_EMAIL, err.ThreePidAuthFailed): _LINK_NOT_OPENED,
    (_C.ADD_PHONE, err.ThreePidAuthFailed): _CODE_NOT_ENTERED,
    (_C.ADD_EMAIL, err.SessionNotValidated): _LINK_NOT_OPENED,
    (_C.ADD_PHONE, err.SessionNotValidated): _CODE_NOT_ENTERED,
    (_C.ADD_EMAIL, err.ThreePidInUse): _t(QT_TRANSLATE_NOOP("ErrorText",
        "This email address is already used by another account."), Field.EMAIL),
    (_C.ADD_PHONE, err.ThreePidInUse): _t(QT_TRANSLATE_NOOP("ErrorText",
        "This phone number is already used by another account."), Field.PHONE),
    (_C.ADD_EMAIL, err.ThreePidDenied): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not allow this email address, for example because of its domain."), Field.EMAIL),
    (_C.ADD_PHONE, err.ThreePidDenied): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not allow this phone number."), Field.PHONE),
    (_C.ADD_EMAIL, err.ThreePidMediumNotSupported): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server cannot send email, so it cannot add email addresses.")),
    (_C.ADD_PHONE, err.ThreePidMediumNotSupported): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server cannot send text messages, so it cannot add phone numbers.")),
    # Synapse answers M_BAD_JSON, not M_INVALID_PARAM, for an email address it cannot parse.
    (_C.ADD_EMAIL, err.InvalidParam): _BAD_EMAIL,
    (_C.ADD_EMAIL, err.BadJson): _BAD_EMAIL,
    (_C.ADD_EMAIL, err.InvalidAddress): _BAD_EMAIL,
    (_C.ADD_PHONE, err.InvalidParam): _BAD_PHONE,
    (_C.ADD_PHONE, err.InvalidAddress): _BAD_PHONE,
    (_C.REMOVE_CONTACT, err.Forbidden): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not allow removing addresses from this account.")),
    (_C.REMOVE_CONTACT, err.UserSuspended): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your account is suspended, and suspended accounts cannot remove addresses.")),
    (_C.REMOVE_CONTACT, err.ThreePidNotFound): _t(QT_TRANSLATE_NOOP("ErrorText",
        "This address is no longer on your account.")),
    (_C.REMOVE_CONTACT, err.NotFound): _moved(err.ThreePidNotFound, None),
    (_C.REMOVE_CONTACT, err.UnsupportedByServer): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not support removing addresses.")),
    (_C.DEACTIVATE, err.Forbidden): _when_401(_WRONG_PASSWORD, _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not allow deactivating this account."))),
    (_C.DEACTIVATE, err.UnsupportedByServer): _t(QT_TRANSLATE_NOOP("ErrorText",
        "Your server does not let this app deactivate the account. Use your server's account page.")),
}
# fmt: on


def describe(error: BaseException, *, context: ErrorContext = ErrorContext.GENERAL) -> ErrorText:
    """The sentence for ``error`` during ``context``. Never raises and never shows exception text."""
    if isinstance(error, err.Cancelled | asyncio.CancelledError):
        return ErrorText("")
    if isinstance(error, err.LimitExceeded):
        return _from_matrix(error, _rate_limited(error), None)
    if not isinstance(error, err.MxError):
        return _finish(_GENERIC, ())
    text = _lookup(type(error), context)
    result = _finish(text(error) if callable(text) else text, _args(error))
    if isinstance(error, err.MatrixError):
        return _from_matrix(error, result, text)
    return result


def _lookup(cls: type[BaseException], context: ErrorContext) -> _Rule:
    # The closest class wins, and at one class the action's own sentence beats the general one.
    for klass in cls.__mro__:
        rule = _OVERRIDES.get((context, klass)) or _GENERAL.get(klass)
        if rule is not None:
            return rule
    return _GENERIC  # unreachable for MxError subclasses: MxError itself has a sentence


def _finish(text: _Text, args: tuple[str, ...]) -> ErrorText:
    return ErrorText(_fill(_tr(text.source), args), text.field)


def _from_matrix(error: err.MatrixError, result: ErrorText, rule: _Rule | None) -> ErrorText:
    message = result.message
    if error.origin is err.Origin.IDENTITY_SERVER:
        server = _clean(_host(error.server), 120)
        wrapper = (
            QT_TRANSLATE_NOOP("ErrorText", "Problem at the identity server %1: %2")
            if server
            else QT_TRANSLATE_NOOP("ErrorText", "Problem at the identity server: %1")
        )
        message = _fill(_tr(wrapper), (server, message) if server else (message,))
    # Only codes without their own sentence pass on the server's words, as an optional detail line.
    detail = _clean(error.server_message, 300) if rule in (_matrix_fallback, _unknown) else ""
    return replace(result, message=message, detail=detail)


def _rate_limited(error: err.LimitExceeded) -> ErrorText:
    wait = error.retry_after
    if wait is None or not math.isfinite(wait) or wait <= 0:
        return ErrorText(_tr(_WAIT_A_MOMENT.source))
    wait = min(wait, MAX_RATE_LIMIT_WAIT)
    return ErrorText(rate_limit_message(math.ceil(wait)), retry_after=wait)


def _args(error: err.MxError) -> tuple[str, ...]:
    if isinstance(error, err.NetworkError):
        return (_clean(_host(error.host), 120),)
    if isinstance(error, err.InsecureUrl | err.NotAMatrixServer):
        return (_clean(_url_host(error.url), 120),)
    if isinstance(error, err.MatrixError):
        return (str(error.status), _clean(error.code, 64))
    return ()


def _tr(source: str) -> str:
    return QCoreApplication.translate(TRANSLATION_CONTEXT, source)


_PLACEHOLDER = re.compile(r"%([1-9])")


def _fill(text: str, args: tuple[str, ...]) -> str:
    """Qt's ``%1``-style filling in one pass, so a value that contains ``%2`` is not filled again."""

    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return args[index] if index < len(args) else match.group(0)

    return _PLACEHOLDER.sub(value, text)


def _host(netloc: str) -> str:
    # Drop any user:password@ part; only the host and port are worth showing.
    return netloc.rpartition("@")[2]


def _url_host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def _clean(text: str, limit: int) -> str:
    """Server-chosen text made safe to show: no control or bidi characters, one line, bounded length."""
    flat = " ".join(_UNSAFE.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
