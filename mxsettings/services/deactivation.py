"""Closing (deactivating) the account. Qt-free.

``close_account`` runs ``POST /account/deactivate`` through the full UIA driver: whatever the server asks for
(a password, single sign-on, an email link) goes to the ``Prompter``, and a wrong password is asked again
with the server's error. Nothing local is touched here: the caller forgets the account only after this
returned, so a refusal, a cancel or a network error leaves the sign-in in place (NeoChat signs out even when
the server refused).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from mxsettings.api import account as account_api
from mxsettings.api.models import DeactivateResult, UnbindResult
from mxsettings.services.accounts import Account
from mxsettings.services.uia_driver import Prompter, run_uia


class Unbind(enum.Enum):
    """What the server said about the identity server (``id_server_unbind_result``)."""

    REMOVED = "removed"  # the identity server forgot the account's published addresses
    NOT_CONFIRMED = "not_confirmed"  # the server could not do it, or did not know where they were published


@dataclass(frozen=True)
class AccountClosed:
    user_id: str
    erased: bool
    unbind: Unbind


async def close_account(
    account: Account, prompter: Prompter, *, erase: bool, poll_interval: float = 3.0
) -> AccountClosed:
    """Deactivate ``account`` on its server. ``erase`` also asks the server to forget its messages.

    Raises ``Cancelled`` when the user cancels a prompt, and the server's or the UIA driver's errors.
    """
    hs = account.homeserver

    async def send(auth: Any) -> DeactivateResult:
        return await account_api.deactivate(hs, auth=auth, erase=erase)

    generation = await hs.generation()
    result = await run_uia(
        send,
        prompter,
        user_id=account.user_id,
        homeserver_url=hs.base_url,
        client_prefix=generation.client_prefix,
        poll_interval=poll_interval,
    )
    unbind = Unbind.REMOVED if result.unbind is UnbindResult.SUCCESS else Unbind.NOT_CONFIRMED
    return AccountClosed(user_id=account.user_id, erased=erase, unbind=unbind)


def confirmation_matches(typed: str, user_id: str) -> bool:
    """True when the user typed their own user ID back. Surrounding spaces do not count, and neither does
    letter case (servers lowercase localparts), but every other character must be there."""
    return typed.strip().casefold() == user_id.casefold() and bool(user_id)
