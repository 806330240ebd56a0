"""Which generation of the client-server API a homeserver speaks: the one switch for legacy servers.

Decided once from ``/versions`` and remembered per server (``Homeserver`` caches it), so endpoint code asks
``generation.client_prefix`` and ``generation.contact_add`` instead of testing versions itself.

- ``v3``: the server lists any ``v1.x`` release.
- ``r0``: only ``r0.x`` releases. Same shapes under ``/_matrix/client/r0``. Before r0.6.0 there was no
  ``/account/3pid/add``; contacts were added with the now-deprecated ``POST /account/3pid`` and
  ``three_pid_creds``.
- ``v2_alpha``: pre-r0 servers (no ``/versions`` at all, or nothing recognisable in it), the API the project
  started from: ``/_matrix/client/v2_alpha`` for account endpoints, ``/_matrix/client/api/v1`` for login,
  ``threePidCreds`` plus ``bind`` when adding a contact.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from mxsettings.api.models import Versions


class ContactAdd(enum.Enum):
    """How a validated contact address is attached to the account."""

    ADD_WITH_UIA = "add"  # POST /account/3pid/add {client_secret, sid, auth}
    THREE_PID_CREDS = "three_pid_creds"  # POST /account/3pid {three_pid_creds}  (r0 before r0.6.0)
    THREE_PID_CREDS_CAMEL = "threePidCreds"  # POST /account/3pid {threePidCreds, bind}  (v2_alpha)


@dataclass(frozen=True)
class Generation:
    name: str
    client_prefix: str
    login_prefix: str
    contact_add: ContactAdd
    has_3pid_delete: bool
    has_3pid_unbind: bool
    has_capabilities: bool

    @property
    def offers_bind_choice(self) -> bool:
        """Only the oldest servers bind to the identity server as part of adding a contact."""
        return self.contact_add is ContactAdd.THREE_PID_CREDS_CAMEL


V3 = Generation(
    name="v3",
    client_prefix="/_matrix/client/v3",
    login_prefix="/_matrix/client/v3",
    contact_add=ContactAdd.ADD_WITH_UIA,
    has_3pid_delete=True,
    has_3pid_unbind=True,
    has_capabilities=True,
)

V2_ALPHA = Generation(
    name="v2_alpha",
    client_prefix="/_matrix/client/v2_alpha",
    login_prefix="/_matrix/client/api/v1",
    contact_add=ContactAdd.THREE_PID_CREDS_CAMEL,
    has_3pid_delete=False,
    has_3pid_unbind=False,
    has_capabilities=False,
)


def r0_generation(versions: Versions) -> Generation:
    return Generation(
        name="r0",
        client_prefix="/_matrix/client/r0",
        login_prefix="/_matrix/client/r0",
        # /account/3pid/add, /3pid/unbind: r0.6.0; /3pid/delete: r0.4.0; /capabilities: r0.5.0.
        contact_add=ContactAdd.ADD_WITH_UIA if versions.r0_at_least(6) else ContactAdd.THREE_PID_CREDS,
        has_3pid_delete=versions.r0_at_least(4),
        has_3pid_unbind=versions.r0_at_least(6),
        has_capabilities=versions.r0_at_least(5),
    )


def generation_for(versions: Versions | None) -> Generation:
    """The generation to speak, from ``/versions`` (None when the server has no such endpoint)."""
    if versions is None:
        return V2_ALPHA
    if versions.has_v1():
        return V3
    if versions.has_r0():
        return r0_generation(versions)
    return V2_ALPHA
