"""Every failure has its own sentence, in the right place, without leaking anything; and it translates."""

from __future__ import annotations

import ast
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from mxsettings import errors as err
from mxsettings.api.models import UiaChallenge
from mxsettings.errors import ERRCODE_CLASSES, MatrixError, MxError, Origin
from mxsettings.ui import error_text
from mxsettings.ui.error_text import ErrorContext, ErrorText, Field, describe, rate_limit_message

SOURCE = Path(error_text.__file__)
SECRET = "syt_c2VjcmV0_hunter2"
GENERIC = describe(KeyError("x")).message
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Constructors for the classes whose __init__ is not MatrixError's; found along the MRO, so a new
# subclass with the same signature needs nothing here, and one with a new signature fails loudly.
FACTORIES: dict[type[MxError], Callable[[type[Any]], MxError]] = {
    MxError: lambda cls: cls(),
    err.NetworkError: lambda cls: cls("matrix.example.org", "ConnectError"),
    err.InsecureUrl: lambda cls: cls("http://matrix.example.org/_matrix"),
    err.InvalidServerAddress: lambda cls: cls(SECRET),
    err.NotAMatrixServer: lambda cls: cls("https://www.example.org"),
    err.SecretStoreError: lambda cls: cls("read", "KeyringError", detail=SECRET),
    err.MalformedResponse: lambda cls: cls("missing key 'sid'", status=200),
    err.UnsupportedByServer: lambda cls: cls("adding phone numbers"),
    err.UiaError: lambda cls: cls("did not finish"),
    err.UiaNoUsableFlow: lambda cls: cls((("m.login.recaptcha",),)),
    err.UiaSessionExpired: lambda cls: cls(),
    err.UiaRequired: lambda cls: cls(UiaChallenge(flows=(("m.login.password",),), session="s")),
    err.Cancelled: lambda cls: cls(),
    MatrixError: lambda cls: cls(status=400, server_message=SECRET, body={"access_token": SECRET}),
    err.LimitExceeded: lambda cls: cls(status=429, retry_after=7.0),
}


def sample(cls: type[MxError], **matrix: Any) -> MxError:
    if matrix and issubclass(cls, MatrixError):
        extra: dict[str, Any] = {"retry_after": 7.0} if cls is err.LimitExceeded else {}
        return cls(status=400, **matrix, **extra)
    factory = next(FACTORIES[k] for k in cls.__mro__ if k in FACTORIES)
    return factory(cls)


def _subclasses(cls: type[MxError]) -> Iterator[type[MxError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


# Only the app's own classes: tests build throwaway subclasses (and a refused duplicate may linger).
OWN = {c for c in _subclasses(MxError) if c.__module__.startswith("mxsettings.")}
ALL_CLASSES = sorted(OWN | set(ERRCODE_CLASSES.values()), key=lambda c: c.__name__)
SPEAKING = [c for c in ALL_CLASSES if c is not err.Cancelled]


def test_the_tree_was_found() -> None:
    assert len(ALL_CLASSES) > len(ERRCODE_CLASSES) >= 48


@pytest.mark.parametrize("cls", SPEAKING, ids=lambda c: c.__name__)
def test_every_error_class_has_its_own_sentence(cls: type[MxError]) -> None:
    text = describe(sample(cls))
    assert text.message.strip()
    assert text.message != GENERIC
    assert not CONTROL.search(text.message)
    # Its own words, not inherited from the parent (which would mean the table misses it).
    assert text.message != describe(sample(cls.__mro__[1])).message


def test_errcode_sentences_are_all_different() -> None:
    messages = [describe(sample(cls)).message for cls in ERRCODE_CLASSES.values()]
    assert len(set(messages)) == len(messages)


def test_cancelling_is_silent() -> None:
    import asyncio

    for error in (err.Cancelled(), asyncio.CancelledError()):
        text = describe(error)
        assert text == ErrorText("")
        assert text.silent


@pytest.mark.parametrize("cls", list(ERRCODE_CLASSES.values()), ids=lambda c: c.errcode)
def test_identity_server_errors_name_the_server(cls: type[MatrixError]) -> None:
    error = sample(cls, origin=Origin.IDENTITY_SERVER, server="id.example.org")
    message = describe(error).message
    assert "identity server" in message
    assert "id.example.org" in message
    unnamed = describe(sample(cls, origin=Origin.IDENTITY_SERVER, server="")).message
    assert "identity server" in unnamed


@pytest.mark.parametrize("cls", [c for c in ALL_CLASSES if issubclass(c, err.WeakPassword)])
@pytest.mark.parametrize("context", [ErrorContext.GENERAL, ErrorContext.CHANGE_PASSWORD])
def test_password_policy_goes_beside_the_new_password(cls: type[MxError], context: ErrorContext) -> None:
    assert describe(sample(cls), context=context).field is Field.NEW_PASSWORD


def test_forbidden_depends_on_the_action() -> None:
    sign_in = describe(err.Forbidden(status=403), context=ErrorContext.SIGN_IN)
    assert sign_in == ErrorText("The user name or password is wrong.", Field.PASSWORD)
    uia = describe(err.Forbidden(status=401), context=ErrorContext.CHANGE_PASSWORD)
    assert uia.field is Field.CURRENT_PASSWORD
    assert "current password" in uia.message
    policy = describe(err.Forbidden(status=400), context=ErrorContext.ADD_EMAIL)
    assert policy.field is None
    assert "email" in policy.message
    assert describe(err.Forbidden(status=401), context=ErrorContext.DEACTIVATE).field is Field.PASSWORD


def test_unconfirmed_address_depends_on_the_medium() -> None:
    email = describe(err.ThreePidAuthFailed(status=400), context=ErrorContext.ADD_EMAIL)
    assert email.message.startswith("The link in the email has not been opened yet")
    assert email.field is Field.EMAIL
    phone = describe(err.ThreePidAuthFailed(status=400), context=ErrorContext.ADD_PHONE)
    assert phone.field is Field.CODE


def test_network_errors_name_the_host_but_never_credentials() -> None:
    text = describe(err.TlsError(f"alice:{SECRET}@matrix.example.org:8448"), context=ErrorContext.SIGN_IN)
    assert "matrix.example.org:8448" in text.message
    assert SECRET not in text.message
    assert text.field is Field.HOMESERVER
    assert "disable" not in text.message.lower()
    insecure = describe(err.InsecureUrl(f"http://matrix.example.org/?access_token={SECRET}")).message
    assert "matrix.example.org" in insecure
    assert SECRET not in insecure


def test_server_address_problems_go_beside_the_address_without_echoing_it() -> None:
    typed = describe(err.InvalidServerAddress(SECRET), context=ErrorContext.SIGN_IN)
    assert typed.field is Field.HOMESERVER
    assert SECRET not in typed.message  # people paste passwords into the wrong box
    other = describe(err.NotAMatrixServer("https://www.example.org/"))
    assert "www.example.org" in other.message
    assert other.field is Field.HOMESERVER


def test_a_locked_keyring_says_so() -> None:
    locked = describe(err.SecretStoreError("write", "KeyringLocked", locked=True, detail=SECRET))
    assert "locked" in locked.message
    assert SECRET not in repr(locked)
    assert locked.message != describe(err.SecretStoreError("write")).message


def test_unknown_errcode_names_code_and_status_and_offers_the_servers_words() -> None:
    error = err.error_from_body(418, {"errcode": "COM.EXAMPLE_TEAPOT", "error": "I'm a\x1b[31m teapot"})
    text = describe(error)
    assert "COM.EXAMPLE_TEAPOT" in text.message
    assert "418" in text.message
    assert text.detail == "I'm a [31m teapot"
    assert "502" in describe(err.error_from_body(502, {})).message


@pytest.mark.parametrize("exc", [KeyError(SECRET), RuntimeError(f"password={SECRET}"), SystemExit(SECRET)])
def test_unexpected_exceptions_say_nothing_of_their_contents(exc: BaseException) -> None:
    text = describe(exc)
    assert text == ErrorText(GENERIC)
    assert "inside the app" in text.message


@pytest.mark.parametrize("cls", list(ERRCODE_CLASSES.values()), ids=lambda c: c.errcode)
@pytest.mark.parametrize("context", list(ErrorContext))
def test_known_codes_never_repeat_server_text_or_body(cls: type[MatrixError], context: ErrorContext) -> None:
    text = describe(sample(cls, server_message=SECRET, body={"password": SECRET}), context=context)
    assert text.message
    assert SECRET not in text.message
    # Only a code with no sentence of its own passes the server's words on, and only as the detail.
    assert text.detail == ("" if cls is not err.Unknown else SECRET)


def test_rate_limit_carries_the_wait_and_counts_in_plural() -> None:
    text = describe(err.error_from_body(429, {"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 1500}))
    assert text.retry_after == 1.5
    assert text.message == rate_limit_message(2)
    assert rate_limit_message(1).endswith("Try again in 1 second.")
    assert rate_limit_message(2).endswith("Try again in 2 seconds.")
    assert rate_limit_message(119).endswith("in 119 seconds.")
    assert rate_limit_message(120).endswith("Try again in 2 minutes.")
    assert rate_limit_message(121).endswith("Try again in 3 minutes.")
    assert rate_limit_message(0) == "You can try again now."
    no_hint = describe(err.LimitExceeded(status=429))
    assert no_hint.retry_after is None
    assert "Wait a moment" in no_hint.message


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
CODES = st.sampled_from(sorted(ERRCODE_CLASSES)) | st.text(max_size=80)


@st.composite
def server_errors(draw: st.DrawFn) -> MatrixError:
    body = draw(st.dictionaries(st.sampled_from(["errcode", "error", "soft_logout", "retry_after_ms"]), JSON))
    code = draw(st.none() | CODES)
    if code is not None:
        body["errcode"] = code
    return err.error_from_body(
        draw(st.integers(min_value=100, max_value=999)),
        body,
        headers=draw(st.dictionaries(st.sampled_from(["Retry-After", "X"]), st.text(max_size=40))),
        origin=draw(st.sampled_from(Origin)),
        server=draw(st.text(max_size=300)),
    )


@given(error=server_errors(), context=st.sampled_from(ErrorContext))
def test_describe_never_fails_on_any_server_answer(error: MatrixError, context: ErrorContext) -> None:
    text = describe(error, context=context)
    assert text.message.strip()
    assert not CONTROL.search(text.message + text.detail)
    assert len(text.detail) <= 300
    assert text.retry_after is None or (math.isfinite(text.retry_after) and text.retry_after > 0)


@given(wait=st.none() | st.floats(allow_nan=True, allow_infinity=True))
def test_any_retry_after_gives_a_sentence(wait: float | None) -> None:
    text = describe(err.LimitExceeded(status=429, retry_after=wait))
    assert text.message
    assert text.retry_after is None or 0 < text.retry_after <= error_text.MAX_RATE_LIMIT_WAIT
    assert rate_limit_message(2**40).endswith("Try again in 1440 minutes.")


# --- Translation ------------------------------------------------------------------------------------------

TOOLS = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(TOOLS)) or shutil.which(name)
    # The tools ship with PySide6-Essentials, which the app needs anyway: missing means a broken install.
    assert path is not None, f"{name} not found next to {sys.executable} or on PATH"
    return path


def _marked_sources() -> set[tuple[str, str]]:
    """(context, text) of every literal the module marks, read from its syntax tree."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(SOURCE.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name == "QT_TRANSLATE_NOOP" and len(literals) == 2:
            found.add((literals[0], literals[1]))
        elif name == "tr" and literals:
            found.add(("RateLimitText", literals[0]))
    return found


def _extract(tmp_path: Path) -> Path:
    ts = tmp_path / "mxsettings_xx.ts"
    subprocess.run(
        [_tool("pyside6-lupdate"), str(SOURCE), "-ts", str(ts)], check=True, capture_output=True, timeout=60
    )
    return ts


def test_lupdate_extracts_every_sentence(tmp_path: Path) -> None:
    root = ET.parse(_extract(tmp_path)).getroot()  # noqa: S314 (lupdate's output, made just now)
    extracted = {
        (ctx.findtext("name", ""), msg.findtext("source", ""))
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }
    marked = _marked_sources()
    assert len(marked) >= 100
    assert extracted == marked
    numerus = {msg.findtext("source") for msg in root.iter("message") if msg.get("numerus") == "yes"}
    assert numerus == {s for c, s in marked if c == "RateLimitText"}
    assert len(numerus) == 2


def test_a_compiled_translation_reaches_every_sentence(tmp_path: Path, qapp: QApplication) -> None:
    ts = _extract(tmp_path)
    tree = ET.parse(ts)  # noqa: S314 (lupdate's output, made just now)
    for msg in tree.getroot().iter("message"):
        source = msg.findtext("source", "")
        translation = msg.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        if msg.get("numerus") == "yes":
            for form in translation.findall("numerusform"):
                form.text = "[xx] " + source.replace("(s)", "")
        else:
            translation.text = "[xx] " + source
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = tmp_path / "mxsettings_xx.qm"
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    try:
        for cls in SPEAKING:
            for context in ErrorContext:
                assert describe(sample(cls), context=context).message.startswith("[xx] ")
        assert describe(ValueError()).message.startswith("[xx] ")
        assert rate_limit_message(5) == "[xx] The server is getting too many requests. Try again in 5 second."
    finally:
        qapp.removeTranslator(translator)
