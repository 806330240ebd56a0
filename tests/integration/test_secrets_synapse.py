"""No secret leaves the places meant for it, over a whole session in the app against the real Synapse.

One session, driven through the UI by ``AppDriver`` with the real Secret Service as the app's keyring and a
``FaultProxy`` (passing everything) in front of Synapse: sign in with the password, change it, add an email
address (open the mailed link, wait until it is listed), remove it, sign out, quit. Meanwhile everything the
app can write is captured:

* every log record, from every logger (``mxsettings``, ``httpx``, ``httpcore``, ``keyring``, ...) at DEBUG;
* stdout and stderr at the file-descriptor level (Qt's C++ side writes there too), and every Qt message;
* every text any widget held while the session ran (labels, buttons, titles, tooltips, accessible names,
  status bar, unmasked line edits, dialogs), sampled every few milliseconds, and the clipboard;
* every file under the test's own folder and the XDG config, cache, data and state folders ($HOME is a
  throwaway tree under ``scripts/run-tests.sh``).

The secrets are what went over the wire, taken from the wire itself: every ``access_token`` and
``refresh_token`` the server handed out, the old and the new password, and the ``client_secret`` the app made
up for the email validation. None may appear in any capture, as is or trivially encoded (URL-encoded,
JSON-escaped, base64, UTF-16). A canary planted in each capture proves every capture works.

The second test reads the same session's requests: the token only ever in ``Authorization: Bearer``, never
in a URL (as the app built it, and as the proxy saw it on the wire).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import httpx
import pytest
import shiboken6
from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInfo, qInstallMessageHandler
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStatusBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mxsettings.store.accounts import AccountRecords
from mxsettings.store.secrets import (
    KeyringSecretStore,
    SecretStore,
    access_token_key,
    choose_secret_store,
    refresh_token_key,
)
from tests.harness.fault_proxy import FaultProxy
from tests.harness.mailbox import Mailbox
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer
from tests.integration.app_driver import WAIT, AppDriver, open_mailed_link

MAX_FILES_SCANNED = 50_000
SAMPLE_MS = 20  # how often the widget texts are read while the session runs
#: JSON keys whose string values are secrets, wherever they sit in a request or an answer.
SECRET_KEYS = frozenset({"access_token", "refresh_token", "password", "new_password", "client_secret"})


# --- what went over the wire -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """One request as the app's HTTP client sent it, and the answer it got (bodies as bytes, decoded)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    status: int
    answer: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class WireLog(httpx.AsyncBaseTransport):
    """The app's transport: a real one that keeps every request and answer in full, secrets included.

    Every client the app makes shares it, and a client closes its transport when it closes, so ``aclose``
    leaves the connection pool alone; ``shut`` closes it once the session is over.
    """

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sent: list[Sent] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        response = await self.inner.handle_async_request(request)
        try:
            raw = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        finally:
            await response.aclose()
        decoded = httpx.Response(response.status_code, headers=response.headers, stream=httpx.ByteStream(raw))
        self.sent.append(
            Sent(
                request.method,
                str(request.url),
                tuple(request.headers.multi_items()),
                body,
                response.status_code,
                decoded.read(),
            )
        )
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        pass

    async def shut(self) -> None:
        await self.inner.aclose()


def json_secrets(data: object, keys: frozenset[str] = SECRET_KEYS) -> set[str]:
    """The string values under ``keys``, at any depth."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in keys and isinstance(value, str) and value:
                found.add(value)
            found |= json_secrets(value, keys)
    elif isinstance(data, list):
        for item in data:
            found |= json_secrets(item, keys)
    return found


def _json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def bearer_tokens(sent: Iterable[Sent]) -> set[str]:
    return {
        header.removeprefix("Bearer ")
        for s in sent
        if (header := s.header("Authorization")) is not None and header.startswith("Bearer ")
    }


# --- the scanner ----------------------------------------------------------------------------------------


def disguises(secret: str) -> dict[str, str]:
    """The secret as is and in the encodings a careless line of code would put it in."""
    raw = secret.encode("utf-8")
    forms = {
        "as is": secret,
        "URL-encoded": quote(secret, safe=""),
        "form-encoded": quote_plus(secret),
        "JSON-escaped": json.dumps(secret)[1:-1],
        "base64": base64.b64encode(raw).decode("ascii"),
        "base64url": base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="),
    }
    return {how: form for how, form in forms.items() if form}


def find_in_texts(
    named_secrets: Mapping[str, str], channels: Mapping[str, Iterable[str]]
) -> list[tuple[str, str, str]]:
    """(secret name, channel, how it was disguised) for every secret found in a channel's texts."""
    found: list[tuple[str, str, str]] = []
    for channel, texts in channels.items():
        items = list(texts)
        for name, secret in named_secrets.items():
            for how, form in disguises(secret).items():
                if any(form in text for text in items):
                    found.append((name, channel, how))
    return found


def find_in_files(named_secrets: Mapping[str, str], roots: Iterable[Path]) -> list[tuple[str, str, str]]:
    """(secret name, file, how) for every secret found in a file under ``roots`` (UTF-8 or UTF-16)."""
    needles: list[tuple[str, str, bytes]] = []
    for name, secret in named_secrets.items():
        for how, form in disguises(secret).items():
            needles.append((name, how, form.encode("utf-8")))
        needles.append((name, "UTF-16", secret.encode("utf-16-le")))
    found: list[tuple[str, str, str]] = []
    for path in files_under(roots):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        found += [(name, str(path), how) for name, how, needle in needles if needle in content]
    return found


def files_under(roots: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    files: list[Path] = []
    for given in roots:
        root = given.resolve()
        if root in seen or not root.is_dir():
            continue
        seen.add(root)
        for directory, subdirs, names in os.walk(root):
            subdirs[:] = [d for d in subdirs if (Path(directory) / d).resolve() not in seen]
            for name in names:
                path = Path(directory) / name
                if path.is_symlink() or not path.is_file():
                    continue  # sockets (the D-Bus and keyring ones live in XDG_RUNTIME_DIR), fifos, links
                files.append(path)
                if len(files) > MAX_FILES_SCANNED:
                    pytest.fail(
                        f"over {MAX_FILES_SCANNED} files under {root}: run the suite with "
                        "scripts/run-tests.sh, which gives it a throwaway HOME",
                        pytrace=False,
                    )
    return files


def scanned_folders(tmp_path: Path) -> list[Path]:
    """The test's own folder (the app's config folder is in it), $HOME and every XDG folder."""
    roots = [tmp_path, Path.home()]
    for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        if os.environ.get(variable):
            roots.append(Path(os.environ[variable]))
    return roots


# --- the captures ---------------------------------------------------------------------------------------


class AllLogs(logging.Handler):
    """Every record from every logger, formatted with its arguments, exception and stack, while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []
        self.loggers: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        self.loggers.add(record.name)
        self.lines.append(self.format(record))
        extra = {k: v for k, v in vars(record).items() if k not in _STANDARD_RECORD_KEYS}
        if extra:
            self.lines.append(repr(extra))


_STANDARD_RECORD_KEYS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


@contextlib.contextmanager
def all_logs() -> Iterator[AllLogs]:
    """Root at DEBUG and every logger that set its own level opened up (httpx, httpcore, ...)."""
    handler = AllLogs()
    root = logging.getLogger()
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    root_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in levels:
        logging.getLogger(name).setLevel(logging.NOTSET)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(root_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


class QtMessages:
    """Every Qt message (any level), handed on to the handler that was there before (pytest-qt's)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._previous: Any = None

    def _handle(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        self.lines.append(f"{kind.name}: {context.category}: {message}")
        if self._previous is not None:
            self._previous(kind, context, message)

    def __enter__(self) -> QtMessages:
        self._previous = qInstallMessageHandler(self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        qInstallMessageHandler(self._previous)


def widget_texts(widget: QWidget) -> list[str]:
    """What a person (or a screen reader) can get out of one widget."""
    texts = [
        widget.windowTitle(),
        widget.toolTip(),
        widget.statusTip(),
        widget.whatsThis(),
        widget.accessibleName(),
        widget.accessibleDescription(),
    ]
    if isinstance(widget, QLabel | QAbstractButton):
        texts.append(widget.text())
    if isinstance(widget, QLineEdit):
        texts.append(widget.placeholderText())
        if widget.echoMode() == QLineEdit.EchoMode.Normal:  # a masked field shows dots, not its text
            texts.append(widget.text())
    if isinstance(widget, QTextEdit):
        texts.append(widget.toPlainText())
    if isinstance(widget, QPlainTextEdit):
        texts.append(widget.toPlainText())
    if isinstance(widget, QStatusBar):
        texts.append(widget.currentMessage())
    return [text for text in texts if text]


class ScreenTexts:
    """Every text any widget held, read at each step and every ``SAMPLE_MS`` in between."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self._timer = QTimer()
        self._timer.setInterval(SAMPLE_MS)
        self._timer.timeout.connect(self.sample)

    def sample(self) -> None:
        for widget in QApplication.allWidgets():
            if shiboken6.isValid(widget):
                self.seen.update(widget_texts(widget))
        clipboard = QApplication.clipboard().text()
        if clipboard:
            self.seen.add(clipboard)

    def __enter__(self) -> ScreenTexts:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()
        self.sample()


# --- the session -------------------------------------------------------------------------------------------


@dataclass
class Session:
    """What one full session left behind; plain data, so both tests can read the same one."""

    user: RegisteredUser
    new_password: str
    address: str
    sent: list[Sent]
    proxy_targets: list[str]
    logs: list[str]
    loggers: set[str]
    output: list[str]
    qt_messages: list[str]
    screen: set[str]
    file_hits: list[tuple[str, str, str]]
    canary: str
    secrets: dict[str, str] = field(default_factory=dict)
    stored_token: str | None = None
    tokens_after_sign_out: tuple[str | None, str | None] = (None, None)
    records_after_sign_out: int = -1

    def channels(self) -> dict[str, list[str]]:
        return {
            "log records": self.logs,
            "stdout/stderr": self.output,
            "Qt messages": self.qt_messages,
            "widget texts": sorted(self.screen),
        }


_finished: list[Session] = []  # the one session of this module's run (see ``session``)


@pytest.fixture
def secure_store() -> SecretStore:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.fail("no D-Bus session: run the suite with scripts/run-tests.sh (or make test)", pytrace=False)
    choice = choose_secret_store()
    assert choice.secure, f"no secure keyring: {choice.reason}"
    assert isinstance(choice.store, KeyringSecretStore)
    return choice.store


@pytest.fixture
def session(  # noqa: PLR0917 (fixtures)
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    secure_store: SecretStore,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> Session:
    """Run the session once per test run; a second test reads what the first one's session left.

    Everything Qt and asyncio is created and torn down inside the first call, so what is kept is plain data.
    """
    if not _finished:
        _finished.append(run_session(qtbot, qloop, synapse, mailbox, new_user, secure_store, capfd, tmp_path))
    return _finished[0]


def run_session(  # noqa: PLR0917 (the session's collaborators)
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    synapse: SynapseServer,
    mailbox: Mailbox,
    new_user: NewUser,
    store: SecretStore,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> Session:
    user = new_user("secrets")
    new_password = f"Nw-{secrets.token_hex(8)}-b2"
    address = f"{user.localpart}@example.test"
    canary = f"canary-{secrets.token_hex(12)}"
    wire = WireLog()
    capfd.readouterr()  # only what the session writes
    with (
        FaultProxy(synapse.port) as proxy,
        all_logs() as logs,
        QtMessages() as qt_messages,
        ScreenTexts() as screen,
    ):
        app = AppDriver(qtbot, loop, proxy.base_url, tmp_path / "config", secrets=store, transport=wire)
        try:
            drive(app, mailbox, user, new_password, address)
            stored = app.run(store.get(access_token_key(user.user_id, _device_of(wire))))
            app.sign_out()
            qtbot.waitUntil(lambda: app.window.stack.currentWidget() is app.window.sign_in, timeout=WAIT)
            device = _device_of(wire)
            after = (
                app.run(store.get(access_token_key(user.user_id, device))),
                app.run(store.get(refresh_token_key(user.user_id, device))),
            )
            plant_canaries(canary, tmp_path / "config")
            screen.sample()
        finally:
            app.close()
            app.run_until = None  # type: ignore[attr-defined]
            closing = loop.create_task(wire.shut())
            qtbot.waitUntil(closing.done, timeout=WAIT)
    captured = capfd.readouterr()
    session = Session(
        user=user,
        new_password=new_password,
        address=address,
        sent=list(wire.sent),
        proxy_targets=[e.target for e in proxy.exchanges],
        logs=list(logs.lines),
        loggers=set(logs.loggers),
        output=[captured.out, captured.err],
        qt_messages=list(qt_messages.lines),
        screen=set(screen.seen),
        file_hits=[],
        canary=canary,
        stored_token=stored,
        tokens_after_sign_out=after,
        records_after_sign_out=len(AccountRecords(tmp_path / "config").load()),
    )
    session.secrets = session_secrets(session)
    named = {**session.secrets, "canary": canary}
    session.file_hits = find_in_files(named, scanned_folders(tmp_path))
    remove_planted_files()
    return session


def drive(app: AppDriver, mailbox: Mailbox, user: RegisteredUser, new_password: str, address: str) -> None:
    """Sign in, change the password, add an email address and remove it again: all through the UI."""
    app.open()
    app.look_up_server()
    app.press_sign_in(user.localpart, user.password)
    app.wait_for_account(user.user_id)

    app.press_change_password(user.password, new_password)
    assert app.password_message().startswith("Your password has been changed."), app.password_message()

    since = mailbox.count()
    app.press_add_email(address)
    app.answer_password_prompt(new_password)
    app.qtbot.waitUntil(lambda: app.pending_row(address) is not None, timeout=WAIT)
    app.wait_idle()
    open_mailed_link(app.qtbot, mailbox, address, since)
    app.press_check_now(address)
    app.qtbot.waitUntil(lambda: app.address_row(address) is not None, timeout=WAIT)
    app.wait_idle()

    app.press_remove(address)
    app.qtbot.waitUntil(lambda: app.address_row(address) is None, timeout=WAIT)
    app.wait_idle()


def _device_of(wire: WireLog) -> str:
    for s in wire.sent:
        if s.method == "POST" and urlsplit(s.url).path.endswith("/login") and s.status == 200:
            data = _json(s.answer)
            assert isinstance(data, dict)
            assert isinstance(data.get("device_id"), str)
            return data["device_id"]
    raise AssertionError("no successful login was sent")


def session_secrets(session: Session) -> dict[str, str]:
    """Every secret of the session, named, from the wire; and a check that the expected ones are there."""
    found: dict[str, str] = {}
    for index, s in enumerate(session.sent):
        path = urlsplit(s.url).path
        for where, raw in (("request", s.body), ("answer", s.answer)):
            for value in sorted(json_secrets(_json(raw))):
                found.setdefault(value, f"{where} of {s.method} {path} (#{index})")
    for token in bearer_tokens(session.sent):
        found.setdefault(token, "Authorization header")
    named = {description: value for value, description in found.items()}
    values = set(named.values())
    assert session.user.password in values
    assert session.new_password in values
    assert any("requestToken" in d and "client_secret" not in d for d in named), named.keys()
    assert session.stored_token is not None, "the keyring had no token"
    assert session.stored_token in values, "the keyring's token never went over the wire"
    for value in values:
        assert len(value) >= 16, "a secret this short would match by chance"
    return named


# --- canaries: proof that each capture catches what reaches it --------------------------------------------

_PLANTED: list[Path] = []


def plant_canaries(canary: str, config_dir: Path) -> None:
    logging.getLogger("mxsettings.canary").debug("planted %s", canary)
    logging.getLogger("httpcore.canary").debug("planted %s", canary)
    print(f"planted {canary}")
    os.write(2, f"planted {canary}\n".encode())  # fd 2 itself, as C++ code writes
    qInfo(f"planted {canary}")
    label = QLabel()
    label.setToolTip(f"planted {canary}")  # never shown: the sampler reads hidden widgets too
    QApplication.processEvents()
    for widget in QApplication.allWidgets():
        if widget is label:
            break
    else:
        raise AssertionError("the planted label is not among the application's widgets")
    ScreenTexts().sample()  # a fresh sampler, so the session's one still must find it below
    label.setObjectName("canary")
    label.deleteLater()
    QApplication.sendPostedEvents(None, 0)
    planted = config_dir / "planted" / "deep.json"
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_text(json.dumps({"b64": base64.b64encode(canary.encode()).decode()}))
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mxsettings-canary.txt"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(quote(f"?{canary}!", safe=""))
    _PLANTED.append(cache)


def remove_planted_files() -> None:
    for path in _PLANTED:
        path.unlink(missing_ok=True)
    _PLANTED.clear()


# --- the tests -------------------------------------------------------------------------------------------


def test_no_secret_in_logs_output_screen_or_files(session: Session) -> None:
    # Every capture works: the canary planted in each is found there, and the HTTP libraries' own DEBUG
    # records were captured.
    canary_hits = find_in_texts({"canary": session.canary}, session.channels())
    assert {channel for _, channel, _ in canary_hits} == set(session.channels())
    canary_files = {Path(file).name for name, file, _ in session.file_hits if name == "canary"}
    assert canary_files == {"deep.json", "mxsettings-canary.txt"}
    assert {"httpx", "httpcore.http11", "mxsettings.api"} <= session.loggers, sorted(session.loggers)

    # The session really happened, and signing out left nothing behind.
    paths = [urlsplit(s.url).path for s in session.sent]
    for step in ("/login", "/account/password", "/3pid/email/requestToken", "/3pid/add", "/3pid/delete"):
        assert any(p.endswith(step) for p in paths), f"no {step} in the session"
    assert any(p.endswith("/logout") for p in paths)
    assert session.tokens_after_sign_out == (None, None), "a token is still in the keyring"
    assert session.records_after_sign_out == 0

    leaks = find_in_texts(session.secrets, session.channels())
    leaks += [hit for hit in session.file_hits if hit[0] != "canary"]
    assert leaks == [], "secrets found:\n" + "\n".join(f"{n}: in {c} ({how})" for n, c, how in leaks)


def test_the_token_travels_only_in_the_authorization_header(session: Session) -> None:
    # Every access token the server handed out, and every one the app presented.
    tokens = bearer_tokens(session.sent)
    for s in session.sent:
        tokens |= json_secrets(_json(s.answer), keys=frozenset({"access_token"}))
    assert tokens, "no access token was handed out"
    homeserver = urlsplit(session.sent[0].url).netloc
    authorised = [s for s in session.sent if s.header("Authorization") is not None]
    assert authorised, "no request carried an Authorization header"
    for s in authorised:
        assert urlsplit(s.url).netloc == homeserver, f"the token went to {s.url}"
        assert s.header("Authorization") in {f"Bearer {t}" for t in tokens}
    for path in ("/account/password", "/account/3pid", "/3pid/add", "/3pid/delete", "/logout"):
        sent = [s for s in session.sent if urlsplit(s.url).path.endswith(path)]
        assert sent, f"no {path} request was sent"
        assert all(s.header("Authorization") for s in sent), f"{path} went without the header"

    # The URLs as the app built them, and as they went over the wire (the proxy's view).
    urls = [s.url for s in session.sent] + session.proxy_targets
    assert len(session.proxy_targets) == len(session.sent)
    for url in urls:
        query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        assert not any(name == "access_token" for name, _ in query), url
    leaks = find_in_texts(session.secrets, {"URLs": urls})
    assert leaks == [], f"secrets in URLs: {leaks}"


# --- the scanner itself ------------------------------------------------------------------------------------


def test_the_scanner_finds_a_secret_in_any_disguise(tmp_path: Path) -> None:
    secret = "syt_c2VjcmV0_Äb/+=?&x"
    for how, form in disguises(secret).items():
        hits = find_in_texts({"token": secret}, {"log": ["before", f"x {form} y"]})
        assert ("token", "log", how) in hits, how
        (tmp_path / f"{len(how)}-{how}.txt").write_text(f"[{form}]", encoding="utf-8")
    (tmp_path / "wide.txt").write_bytes(f"({secret})".encode("utf-16-le"))
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "nested" / "deeper" / "clean.txt").write_text("nothing here")
    found = find_in_files({"token": secret}, [tmp_path])
    assert {how for _, _, how in found} == {*disguises(secret), "UTF-16"}
    assert not any(file.endswith("clean.txt") for _, file, _ in found)
    assert find_in_texts({"token": secret}, {"log": ["syt_c2VjcmV0", "unrelated"]}) == []


def test_the_wire_log_finds_secrets_anywhere_in_json() -> None:
    body = {"auth": {"password": "pw-one"}, "new_password": "pw-two", "x": [{"client_secret": "cs"}]}
    assert json_secrets(body) == {"pw-one", "pw-two", "cs"}
    sent = Sent("GET", "https://hs/x", (("Authorization", "Bearer tok"),), b"", 200, b"{}")
    assert bearer_tokens([sent]) == {"tok"}


_Check = Callable[[], None]
