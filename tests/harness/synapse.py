"""Run a real Synapse (plus a stdlib SMTP sink) on loopback for integration tests.

The homeserver is the test profile of ``shared/docs/test-homeserver.md`` section 2.2: ``server_name:
localhost``, sqlite, ``bcrypt_rounds: 4``, a password policy (8+ chars, a digit, a lowercase letter), email
through the sink, relaxed rate limits and a registration shared secret. ``tight=True`` gives rate limits that
answer 429 quickly and briefly (see :data:`TIGHT_LIMIT`).

Synapse runs with the interpreter named by ``MXSETTINGS_SYNAPSE_PYTHON`` (default
``<repo>/.synapse-venv/bin/python``, made by ``make synapse-venv``). A missing interpreter raises
:class:`SynapseNotInstalledError`: integration tests must fail, never skip, without a server.

Both child processes get ``PR_SET_PDEATHSIG`` (SIGTERM), so they do not outlive the process that started
them even if it is killed; start the server from the main thread (as pytest fixtures are).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, Self

import httpx
import yaml

from tests.harness.mailbox import Mailbox

REPO_ROOT = Path(__file__).resolve().parents[2]
SYNAPSE_PYTHON_ENV = "MXSETTINGS_SYNAPSE_PYTHON"
KEEP_DIR_ENV = "MXSETTINGS_KEEP_SYNAPSE_DIR"
DEFAULT_SYNAPSE_PYTHON = REPO_ROOT / ".synapse-venv" / "bin" / "python"
SMTP_SINK_SCRIPT = Path(__file__).resolve().with_name("smtp_sink.py")

SERVER_NAME = "localhost"
SHARED_SECRET = "ci-shared-secret-not-for-prod"
RELAXED_LIMIT: dict[str, float] = {"per_second": 1000, "burst_count": 1000}
#: 2 requests pass, the 3rd within a second gets 429 with Retry-After of about 2 s (1 / per_second).
TIGHT_LIMIT: dict[str, float] = {"per_second": 0.5, "burst_count": 2}

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0

# Runs a script or module (argv[1]) after asking the kernel to SIGTERM this process when its parent dies.
_BOOTSTRAP = """\
import ctypes, os, runpy, signal, sys
parent = int(os.environ.pop("MXSETTINGS_HARNESS_PARENT", "0"))
try:
    ctypes.CDLL(None).prctl(1, int(signal.SIGTERM))
except (OSError, AttributeError):
    pass
if parent and os.getppid() != parent:
    sys.exit("harness parent already gone")
target = sys.argv[1]
del sys.argv[0]
if target.endswith(".py"):
    runpy.run_path(target, run_name="__main__")
else:
    runpy.run_module(target, run_name="__main__", alter_sys=True)
"""


class SynapseNotInstalledError(RuntimeError):
    """The Synapse interpreter is missing: run ``make synapse-venv``."""


class SynapseStartError(RuntimeError):
    """Synapse or the SMTP sink did not come up; the message includes the tail of the log."""


class RegistrationError(RuntimeError):
    def __init__(self, status_code: int, body: str) -> None:
        super().__init__(f"shared-secret registration failed: HTTP {status_code}: {body}")
        self.status_code = status_code
        self.body = body


@dataclass(frozen=True)
class RegisteredUser:
    user_id: str
    access_token: str
    device_id: str
    password: str

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]


def make_password() -> str:
    """A random password that satisfies the test profile's policy (8+ chars, a digit, a lowercase)."""
    return f"Pw-{secrets.token_hex(6)}-a1"


class NewUser(Protocol):
    """The type of the ``new_user`` fixture: a fresh user on ``server`` (default: the main server)."""

    def __call__(
        self, prefix: str = "user", *, admin: bool = False, server: SynapseServer | None = None
    ) -> RegisteredUser: ...


def synapse_python() -> Path:
    """The interpreter that has ``matrix-synapse`` installed (see the module docstring)."""
    configured = os.environ.get(SYNAPSE_PYTHON_ENV)
    path = Path(configured) if configured else DEFAULT_SYNAPSE_PYTHON
    if not (path.is_file() and os.access(path, os.X_OK)):
        origin = f"${SYNAPSE_PYTHON_ENV}" if configured else "the default location"
        raise SynapseNotInstalledError(
            f"No Synapse interpreter at {path} ({origin}). Run `make synapse-venv` in {REPO_ROOT} "
            f"(it installs matrix-synapse into .synapse-venv), or point ${SYNAPSE_PYTHON_ENV} at a python "
            "that has matrix-synapse 1.163.2 installed."
        )
    return path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return f"({path} does not exist)"
    return "\n".join(text.splitlines()[-lines:])


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["MXSETTINGS_HARNESS_PARENT"] = str(os.getpid())
    return env


def _terminate(proc: subprocess.Popen[bytes], timeout: float) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class SynapseServer:
    """One Synapse with its own temp dir, sqlite DB, ports and SMTP sink.

    ``base_url`` has no trailing slash (``http://127.0.0.1:PORT``); ``public_baseurl`` in the config is the
    same with a slash, so links in mails point at this server.
    """

    def __init__(
        self,
        *,
        tight: bool = False,
        name: str | None = None,
        extra_config: Mapping[str, Any] | None = None,
    ) -> None:
        self.tight = tight
        self.name = name or ("synapse-tight" if tight else "synapse")
        self.extra_config = dict(extra_config or {})
        self.shared_secret = SHARED_SECRET
        self.host = "127.0.0.1"
        self.workdir = Path(tempfile.mkdtemp(prefix=f"mxsettings-{self.name}-"))
        self.mail_dir = self.workdir / "mail"
        self.mail_dir.mkdir()
        self.config_path = self.workdir / "homeserver.yaml"
        self.log_path = self.workdir / "synapse.log"
        self.smtp_log_path = self.workdir / "smtp_sink.log"
        self.port = free_port(self.host)
        self.smtp_port: int | None = None  # chosen by the sink at its first start, then kept
        self.mailbox = Mailbox(self.mail_dir)
        self._proc: subprocess.Popen[bytes] | None = None
        self._smtp: subprocess.Popen[bytes] | None = None
        self._closed = False
        self.startup_seconds: float | None = None  # how long the last start() took until ready

    # ------------------------------------------------------------------ properties

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def public_baseurl(self) -> str:
        return f"{self.base_url}/"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.running and self._proc is not None else None

    # ------------------------------------------------------------------ config

    def config(self) -> dict[str, Any]:
        if self.smtp_port is None:
            raise RuntimeError("the SMTP sink port is not known before the sink started")
        login_limit = TIGHT_LIMIT if self.tight else RELAXED_LIMIT
        cfg: dict[str, Any] = {
            "server_name": SERVER_NAME,
            "public_baseurl": self.public_baseurl,
            "report_stats": False,
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": [self.host],
                    "type": "http",
                    "resources": [{"names": ["client"]}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(self.workdir / "homeserver.db")}},
            "media_store_path": str(self.workdir / "media_store"),
            "signing_key_path": str(self.workdir / "localhost.signing.key"),
            "registration_shared_secret": self.shared_secret,
            "enable_registration": False,
            "macaroon_secret_key": "ci-macaroon-secret-not-for-prod",
            "form_secret": "ci-form-secret-not-for-prod",
            "trusted_key_servers": [],
            "bcrypt_rounds": 4,
            "password_config": {
                "policy": {
                    "enabled": True,
                    "minimum_length": 8,
                    "require_digit": True,
                    "require_lowercase": True,
                }
            },
            "email": {
                "smtp_host": self.host,
                "smtp_port": self.smtp_port,
                "enable_tls": False,
                "notif_from": "Test HS <noreply@localhost>",
            },
            "rc_message": dict(RELAXED_LIMIT),
            "rc_registration": dict(RELAXED_LIMIT),
            "rc_login": {
                "address": dict(login_limit),
                "account": dict(login_limit),
                "failed_attempts": dict(login_limit),
            },
            "rc_3pid_validation": dict(TIGHT_LIMIT if self.tight else RELAXED_LIMIT),
        }
        cfg.update(self.extra_config)
        return cfg

    def _write_config(self) -> None:
        with open(self.config_path, "w", encoding="utf-8") as f:
            yaml.safe_dump(self.config(), f, sort_keys=False)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start the sink and Synapse and wait until ``/_matrix/client/versions`` answers."""
        if self._closed:
            raise RuntimeError(f"{self.name} was closed")
        if self.running:
            return
        python = synapse_python()  # before anything is started: a clear error if Synapse is missing
        atexit.register(self.close)
        self.start_smtp()
        self._write_config()
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [str(python), "-c", _BOOTSTRAP, "synapse.app.homeserver", "-c", str(self.config_path)],
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=_child_env(),
            )
        self._wait_ready(started)

    def _wait_ready(self, started: float) -> None:
        assert self._proc is not None
        deadline = started + READY_TIMEOUT
        url = f"{self.base_url}/_matrix/client/versions"
        with httpx.Client(timeout=2.0) as client:
            while True:
                if self._proc.poll() is not None:
                    code = self._proc.returncode
                    self.stop()
                    raise SynapseStartError(
                        f"{self.name} exited with status {code} before it was ready. "
                        f"Log {self.log_path} (kept if ${KEEP_DIR_ENV} is set):\n{tail(self.log_path)}"
                    )
                with contextlib.suppress(httpx.TransportError):
                    if client.get(url).status_code == 200:
                        self.startup_seconds = time.monotonic() - started
                        return
                if time.monotonic() > deadline:
                    self.stop()
                    raise SynapseStartError(
                        f"{self.name} did not answer {url} within {READY_TIMEOUT:.0f} s. "
                        f"Log {self.log_path} (kept if ${KEEP_DIR_ENV} is set):\n{tail(self.log_path)}"
                    )
                time.sleep(0.1)

    def start_smtp(self) -> None:
        """Start the SMTP sink (on the same port as before, if it ran before)."""
        if self._smtp is not None and self._smtp.poll() is None:
            return
        port = 0 if self.smtp_port is None else self.smtp_port
        with open(self.smtp_log_path, "ab") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _BOOTSTRAP,
                    str(SMTP_SINK_SCRIPT),
                    self.host,
                    str(port),
                    str(self.mail_dir),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                env=_child_env(),
            )
        self._smtp = proc
        assert proc.stdout is not None
        line = self._read_line(proc.stdout, timeout=15.0)
        proc.stdout.close()
        parts = line.split()
        if len(parts) != 3 or parts[0] != "READY":
            _terminate(proc, STOP_TIMEOUT)
            self._smtp = None
            raise SynapseStartError(
                f"SMTP sink for {self.name} did not start (said {line!r}). "
                f"Log {self.smtp_log_path}:\n{tail(self.smtp_log_path)}"
            )
        self.smtp_port = int(parts[2])

    @staticmethod
    def _read_line(stream: IO[bytes], timeout: float) -> str:
        ready, _, _ = select.select([stream], [], [], timeout)
        if not ready:
            return ""
        return stream.readline().decode("utf-8", "replace").strip()

    def stop_smtp(self) -> None:
        """Stop only the SMTP sink (Synapse then answers requestToken with 500 M_UNKNOWN)."""
        if self._smtp is not None:
            _terminate(self._smtp, STOP_TIMEOUT)
            self._smtp = None

    def stop(self) -> None:
        """SIGTERM Synapse (SIGKILL after 10 s) and the sink. The temp dir and DB are kept."""
        if self._proc is not None:
            _terminate(self._proc, STOP_TIMEOUT)
            self._proc = None
        self.stop_smtp()

    def restart(self) -> None:
        """Stop, then start again on the same ports with the same database and mail directory."""
        self.stop()
        self.start()

    def reset_rate_limits(self) -> None:
        """Forget every rate-limit bucket (they live in memory) by restarting: about 1.3 s.

        On the tight server all logins from 127.0.0.1 share one per-address bucket, so a test that needs
        its own burst calls this first instead of sleeping for the refill (burst / rate = 4 s).
        """
        self.restart()

    def close(self) -> None:
        """Stop and remove the temp dir (kept if ``$MXSETTINGS_KEEP_SYNAPSE_DIR`` is set)."""
        self.stop()
        atexit.unregister(self.close)
        if not self._closed:
            self._closed = True
            if not os.environ.get(KEEP_DIR_ENV):
                shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def log_tail(self, lines: int = 60) -> str:
        return tail(self.log_path, lines)

    # ------------------------------------------------------------------ users

    def register_user(self, localpart: str, password: str, admin: bool = False) -> RegisteredUser:
        """Create a user with the shared-secret admin API (``/_synapse/admin/v1/register``)."""
        url = f"{self.base_url}/_synapse/admin/v1/register"
        with httpx.Client(timeout=30.0) as client:
            nonce_response = client.get(url)
            nonce_response.raise_for_status()
            nonce: str = nonce_response.json()["nonce"]
            mac = hmac.new(self.shared_secret.encode("utf-8"), digestmod=hashlib.sha1)
            for i, field in enumerate((nonce, localpart, password, "admin" if admin else "notadmin")):
                if i:
                    mac.update(b"\x00")
                mac.update(field.encode("utf-8"))
            response = client.post(
                url,
                json={
                    "nonce": nonce,
                    "username": localpart,
                    "password": password,
                    "admin": admin,
                    "mac": mac.hexdigest(),
                },
            )
        if response.status_code != 200:
            raise RegistrationError(response.status_code, response.text)
        body = response.json()
        return RegisteredUser(
            user_id=body["user_id"],
            access_token=body["access_token"],
            device_id=body["device_id"],
            password=password,
        )
