"""Fixtures for tests that talk to a real Synapse (started once per session by the harness).

* ``synapse``: the main server (relaxed rate limits).
* ``synapse_tight``: a second server whose ``rc_login`` and ``rc_3pid_validation`` are
  ``{per_second: 0.5, burst_count: 2}``; started only if a test asks for it. The 3rd rapid login (from
  anyone: the per-address bucket is shared by all tests) gets 429 with ``Retry-After: 2``.
* ``mailbox``: the mail the main server sent.
* ``new_user``: ``new_user(prefix="user", *, admin=False, server=None) -> RegisteredUser``, a fresh
  user with a policy-compliant password on ``server`` (default: the main server).

Every test in this directory is marked ``integration``.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.recorder import RecordedRequest, problems
from tests.harness.mailbox import Mailbox
from tests.harness.synapse import NewUser, RegisteredUser, SynapseServer, make_password
from tests.integration.api_support import ApiFactory, recorded_api

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
