"""Run a real OpenID provider (``oidc-provider`` on Node.js, ``oidc_provider/op.mjs``) on loopback.

Synapse signs users in through it (``oidc_providers`` in its config), so the SSO tests go through a real
OIDC authorization-code flow: discovery, PKCE, the login form, the token endpoint and an RS256 id_token.

The npm packages live in ``tests/harness/oidc_provider/node_modules`` (``make node-deps`` runs ``npm ci``
there). When they are missing the harness runs ``npm ci`` itself, so a bare ``pytest`` works too; without
Node.js or npm, or when the install fails, it raises :class:`OidcProviderNotInstalledError`: the SSO tests
fail, never skip.

The provider accepts any login name with the password :data:`PASSWORD`; the name comes back as
``preferred_username``. Its only client is ``synapse`` with :data:`CLIENT_SECRET`, and the client's redirect
URIs must be given before :meth:`OidcProvider.start` (oidc-provider compares them exactly).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

import httpx

from tests.harness.synapse import KEEP_DIR_ENV, free_port, tail

PROVIDER_DIR = Path(__file__).resolve().with_name("oidc_provider")
OP_SCRIPT = PROVIDER_DIR / "op.mjs"
NODE_ENV = "MXSETTINGS_NODE"  # a node binary other than the one on PATH

CLIENT_ID = "synapse"
CLIENT_SECRET = "ci-oidc-client-secret-not-for-prod"
PASSWORD = "oidc-pass"
#: Where Synapse receives the provider's answer, below its ``public_baseurl`` (which ends with "/").
SYNAPSE_CALLBACK_PATH = "_synapse/client/oidc/callback"

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
NPM_TIMEOUT = 300.0


class OidcProviderNotInstalledError(RuntimeError):
    """Node.js, npm or the ``oidc-provider`` package is missing: run ``make node-deps``."""


class OidcProviderStartError(RuntimeError):
    """The provider did not come up; the message has the tail of its log."""


def node_binary() -> str:
    configured = os.environ.get(NODE_ENV)
    node = configured or shutil.which("node")
    if not node or not (Path(node).is_file() and os.access(node, os.X_OK)):
        raise OidcProviderNotInstalledError(
            f"Node.js not found ({'$' + NODE_ENV if configured else 'PATH'}): the SSO tests run a real "
            "OpenID provider on Node.js 20.12+. Install Node.js and npm, then run `make node-deps`."
        )
    # oidc-provider 9 calls crypto.hash (Node.js 20.12+): an older node starts, then fails mid-flow.
    probe = subprocess.run(
        [node, "-e", 'process.exit(typeof require("node:crypto").hash === "function" ? 0 : 1)'],
        capture_output=True,
        timeout=30,
        check=False,
    )
    if probe.returncode != 0:
        version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout
        raise OidcProviderNotInstalledError(
            f"{node} is Node.js {version.strip() or '(unknown version)'}; the SSO tests' OpenID provider "
            "(oidc-provider 9) needs Node.js 20.12 or newer."
        )
    return node


def ensure_node_modules() -> None:
    """``npm ci`` into ``oidc_provider/node_modules`` unless ``oidc-provider`` is already there."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise OidcProviderNotInstalledError(
            f"{PROVIDER_DIR}/node_modules is missing and npm is not on PATH. Install Node.js and npm, then "
            "run `make node-deps`."
        )
    try:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OidcProviderNotInstalledError(
            f"`npm ci` in {PROVIDER_DIR} did not finish within {NPM_TIMEOUT:.0f} s"
        ) from None
    if result.returncode != 0:
        raise OidcProviderNotInstalledError(
            f"`npm ci` in {PROVIDER_DIR} failed with status {result.returncode} (is the npm registry "
            f"reachable?):\n{(result.stdout + result.stderr)[-3000:]}"
        )


class OidcProvider:
    """One oidc-provider process on ``127.0.0.1:<port>``; the port (and so the issuer) is fixed at creation.

    Homeservers are created against :attr:`issuer`, then register their callback with
    :meth:`allow_redirect_uri`, then :meth:`start` runs the provider.
    """

    def __init__(self, *, name: str = "oidc") -> None:
        self.name = name
        self.host = "127.0.0.1"
        self.port = free_port(self.host)
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.redirect_uris: list[str] = []
        self.workdir = Path(tempfile.mkdtemp(prefix=f"mxsettings-{name}-"))
        self.log_path = self.workdir / "op.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._closed = False
        self.startup_seconds: float | None = None

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def allow_redirect_uri(self, uri: str) -> None:
        if self._proc is not None:
            raise RuntimeError("redirect URIs are fixed once the provider runs")
        self.redirect_uris.append(uri)

    def allow_synapse(self, public_baseurl: str) -> None:
        """Register the OIDC callback of a Synapse with this ``public_baseurl``."""
        self.allow_redirect_uri(public_baseurl + SYNAPSE_CALLBACK_PATH)

    def synapse_provider_config(self, idp_id: str = "ci", idp_name: str = "CI OIDC") -> dict[str, object]:
        """One ``oidc_providers`` entry for Synapse; it advertises the IdP as ``oidc-<idp_id>``."""
        return {
            "idp_id": idp_id,
            "idp_name": idp_name,
            # authlib 1.9 treats http on loopback as secure (RFC 8252 §7.3): no skip_verification needed.
            "issuer": self.issuer,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "client_auth_method": "client_secret_basic",
            "scopes": ["openid", "profile"],
            "user_mapping_provider": {
                "config": {
                    "localpart_template": "{{ user.preferred_username }}",
                    "display_name_template": "{{ user.name }}",
                }
            },
        }

    def start(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self.name} was closed")
        if self.running:
            return
        if not self.redirect_uris:
            raise RuntimeError("no redirect URI registered: call allow_synapse() first")
        node = node_binary()  # before anything starts: a clear error when Node.js is missing
        ensure_node_modules()
        atexit.register(self.close)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NODE_OPTIONS", "OIDC_OP_"))}
        env["OIDC_OP_CLIENT_SECRET"] = self.client_secret
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            # stdin stays an open pipe: op.mjs exits on EOF, i.e. as soon as this process is gone.
            self._proc = subprocess.Popen(
                [node, str(OP_SCRIPT), str(self.port), ",".join(self.redirect_uris)],
                cwd=PROVIDER_DIR,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        self._wait_ready(started)

    def _wait_ready(self, started: float) -> None:
        assert self._proc is not None
        deadline = started + READY_TIMEOUT
        url = f"{self.issuer}/.well-known/openid-configuration"
        with httpx.Client(timeout=2.0) as client:
            while True:
                if self._proc.poll() is not None:
                    code = self._proc.returncode
                    self.stop()
                    raise OidcProviderStartError(
                        f"{self.name} exited with status {code} before it was ready. "
                        f"Log {self.log_path}:\n{tail(self.log_path)}"
                    )
                with contextlib.suppress(httpx.TransportError):
                    response = client.get(url)
                    if response.status_code == 200 and response.json().get("issuer") == self.issuer:
                        self.startup_seconds = time.monotonic() - started
                        return
                if time.monotonic() > deadline:
                    self.stop()
                    raise OidcProviderStartError(
                        f"{self.name} did not answer {url} within {READY_TIMEOUT:.0f} s. "
                        f"Log {self.log_path}:\n{tail(self.log_path)}"
                    )
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s. Keys, sessions and grants are in memory and are lost."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self) -> None:
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
