"""Fixtures for tests that talk to a real Synapse (started once per session by the harness).

* ``synapse``: the main server (relaxed rate limits).
* ``synapse_tight``: a second server whose ``rc_login`` and ``rc_3pid_validation`` are
  ``{per_second: 0.5, burst_count: 2}``; started only if a test asks for it. The 3rd rapid login (from
  anyone: the per-address bucket is shared by all tests) gets 429 with ``Retry-After: 2``.
* ``mailbox``: the mail the main server sent.
* ``new_user``: ``new_user(prefix="user", *, admin=False, server=None) -> RegisteredUser``, a fresh
  user with a policy-compliant password on ``server`` (default: the main server).
* ``oidc_provider``, ``synapse_sso``, ``synapse_sso_confirm``: SSO through a real OpenID provider (see the
  section at the end).

Every test in this directory is marked ``integration``.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.conformance.recorder import RecordedRequest, problems
from tests.harness.fault_proxy import FaultProxy
from tests.harness.mailbox import Mailbox
from tests.harness.oidc import OidcProvider
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer, make_password, synapse_python
from tests.integration.api_support import ApiFactory, recorded_api
from tests.integration.app_driver import AppDriver, ErrorLog, install_error_log

_INTEGRATION_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _INTEGRATION_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def synapse() -> Iterator[SynapseServer]:
    server = SynapseServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def synapse_tight() -> Iterator[SynapseServer]:
    server = SynapseServer(tight=True)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def mailbox(synapse: SynapseServer) -> Mailbox:
    return synapse.mailbox


_user_counter = itertools.count(1)


@pytest.fixture
def new_user(request: pytest.FixtureRequest) -> NewUser:
    def factory(
        prefix: str = "user", *, admin: bool = False, server: SynapseServer | None = None
    ) -> RegisteredUser:
        if server is None:  # the main server is started only when a user is wanted there
            server = request.getfixturevalue("synapse")
            assert isinstance(server, SynapseServer)
        localpart = f"{prefix}{next(_user_counter)}-{secrets.token_hex(3)}".lower()
        return server.register_user(localpart, make_password(), admin=admin)

    return factory


@pytest.fixture
def api() -> Iterator[ApiFactory]:
    """Homeservers for the API layer whose every request is checked against the Matrix definitions.

    The check runs when the test ends, so a request that does not conform fails the test that sent it.
    """
    records: list[RecordedRequest] = []
    yield recorded_api(records)
    found = problems(records)
    assert not found, "requests that do not match the Matrix definitions:\n" + "\n".join(found)


# --- SSO: a real OpenID provider and two Synapses that sign users in through it --------------------------
#
# * ``oidc_provider``: oidc-provider on Node.js (tests/harness/oidc.py); any login name, password
#   ``tests.harness.oidc.PASSWORD``.
# * ``synapse_sso``: a Synapse with ``oidc_providers`` (IdP ``oidc-ci``) whose ``sso.client_whitelist``
#   covers every ``http://127.0.0.1:`` redirect, so the OIDC callback answers 302 straight to the app's
#   loopback listener.
# * ``synapse_sso_confirm``: the same without the whitelist, as most real servers run: the callback answers a
#   "Continue to your account" page whose link leads to the listener (one more click in a real browser).
#
# The provider needs each homeserver's callback URL before it starts (it compares redirect URIs exactly) and
# each homeserver needs the provider's issuer in its config, so ``sso_lab`` creates all three first (ports
# only) and the fixtures below start them on demand, the provider first.


@dataclass
class SsoLab:
    provider: OidcProvider
    whitelisted: SynapseServer
    confirming: SynapseServer


#: Synapse's ``sso.client_whitelist`` is a prefix match on ``redirectUrl``: this covers any loopback port.
SSO_LOOPBACK_WHITELIST = "http://127.0.0.1:"


def _sso_config(provider: OidcProvider, *, whitelist: bool) -> dict[str, Any]:
    config: dict[str, Any] = {"oidc_providers": [provider.synapse_provider_config()]}
    if whitelist:
        config["sso"] = {"client_whitelist": [SSO_LOOPBACK_WHITELIST]}
    return config


def _require_synapse_oidc_extra() -> None:
    # Without authlib Synapse refuses an oidc_providers config; say what to do instead of a log tail.
    python = synapse_python()
    check = subprocess.run(
        [str(python), "-c", "import authlib, joserfc"], capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        pytest.fail(
            f"{python} lacks Synapse's [oidc] extra (authlib, joserfc): run `make synapse-venv`, or "
            f"`{python} -m pip install 'matrix-synapse[oidc]'`.\n{check.stderr.strip()[-500:]}"
        )


@pytest.fixture(scope="session")
def sso_lab() -> Iterator[SsoLab]:
    provider = OidcProvider()
    lab = SsoLab(
        provider=provider,
        whitelisted=SynapseServer(name="sso", extra_config=_sso_config(provider, whitelist=True)),
        confirming=SynapseServer(name="sso-confirm", extra_config=_sso_config(provider, whitelist=False)),
    )
    try:
        provider.allow_synapse(lab.whitelisted.public_baseurl)
        provider.allow_synapse(lab.confirming.public_baseurl)
        yield lab
    finally:
        lab.whitelisted.close()
        lab.confirming.close()
        provider.close()


@pytest.fixture(scope="session")
def oidc_provider(sso_lab: SsoLab) -> OidcProvider:
    sso_lab.provider.start()
    return sso_lab.provider


@pytest.fixture(scope="session")
def synapse_sso(sso_lab: SsoLab, oidc_provider: OidcProvider) -> SynapseServer:
    _require_synapse_oidc_extra()
    sso_lab.whitelisted.start()
    return sso_lab.whitelisted


@pytest.fixture(scope="session")
def synapse_sso_confirm(sso_lab: SsoLab, oidc_provider: OidcProvider) -> SynapseServer:
    _require_synapse_oidc_extra()
    sso_lab.confirming.start()
    return sso_lab.confirming


@pytest.fixture(scope="session")
def synapse_refresh() -> Iterator[SynapseServer]:
    """A server that gives refreshable access tokens a 6-second life (only to logins that ask for one)."""
    server = SynapseServer(name="synapse-refresh", extra_config={"refreshable_access_token_lifetime": "6s"})
    try:
        server.start()
        yield server
    finally:
        server.close()


# --- the app behind the fault proxy (test_faults_synapse.py, test_fault_scenarios_synapse.py) -------------
# ``synapse`` is whichever the requesting module uses: the session's, or a module's own.


@pytest.fixture
def proxy(synapse: SynapseServer) -> Iterator[FaultProxy]:
    with FaultProxy(synapse.port) as running:
        yield running


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    yield from install_error_log()


@pytest.fixture
def app(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, proxy: FaultProxy, tmp_path: Path
) -> Iterator[AppDriver]:
    driver = AppDriver(qtbot, qloop, proxy.base_url, tmp_path / "config")
    yield driver
    proxy.clear()
    driver.close()
