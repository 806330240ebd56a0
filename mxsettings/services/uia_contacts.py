"""What the email and phone confirmation dialogs need from the account, as plain async callables. Qt-free.

A UIA ``m.login.email.identity`` or ``m.login.msisdn`` stage is answered with a validation session for one
of the account's own addresses: list the addresses, ask the server to send a link or a code
(``/account/password/{email,msisdn}/requestToken``, the endpoints Synapse checks these stages against),
and for a code post it to the server's ``submit_url``. ``contact_helpers(account)`` binds them to one
account; tests pass their own.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from mxsettings.api import account as account_api
from mxsettings.api.models import Medium, TokenRequested
from mxsettings.services.accounts import Account

# (email, client_secret, send_attempt) -> the validation session
EmailTokenRequester = Callable[[str, str, int], Coroutine[Any, Any, TokenRequested]]
# (msisdn without "+", client_secret, send_attempt) -> the validation session
PhoneTokenRequester = Callable[[str, str, int], Coroutine[Any, Any, TokenRequested]]
# (submit_url, sid, client_secret, code) -> whether the server accepted the code
CodeSubmitter = Callable[[str, str, str, str], Coroutine[Any, Any, bool]]
# () -> the account's addresses of one medium (email addresses, or phone numbers without "+")
AddressLister = Callable[[], Coroutine[Any, Any, list[str]]]


@dataclass(frozen=True)
class PhoneHelpers:
    account_phones: AddressLister
    request_token: PhoneTokenRequester
    submit_code: CodeSubmitter


@dataclass(frozen=True)
class ContactHelpers:
    account_emails: AddressLister
    request_email_token: EmailTokenRequester
    phone: PhoneHelpers


def new_client_secret() -> str:
    """A fresh ``client_secret``: 43 characters from ``[A-Za-z0-9_-]``, inside the spec's charset."""
    return secrets.token_urlsafe(32)


def contact_helpers(account: Account) -> ContactHelpers:
    hs = account.homeserver

    async def addresses(medium: Medium) -> list[str]:
        listed = await account_api.list_threepids(hs)
        return [t.address for t in listed.threepids if t.medium == medium.value]

    async def emails() -> list[str]:
        return await addresses(Medium.EMAIL)

    async def phones() -> list[str]:
        return await addresses(Medium.MSISDN)

    async def email_token(email: str, client_secret: str, send_attempt: int) -> TokenRequested:
        return await account_api.request_password_email_token(hs, email, client_secret, send_attempt)

    async def phone_token(msisdn: str, client_secret: str, send_attempt: int) -> TokenRequested:
        # The account lists numbers in international form without "+"; with the "+" the server parses the
        # number as international and the country is only a formality the request requires.
        return await account_api.request_password_msisdn_token(
            hs, "US", "+" + msisdn.lstrip("+"), client_secret, send_attempt
        )

    async def submit(submit_url: str, sid: str, client_secret: str, code: str) -> bool:
        return await account_api.submit_token(hs, submit_url, sid, client_secret, code)

    return ContactHelpers(
        account_emails=emails,
        request_email_token=email_token,
        phone=PhoneHelpers(account_phones=phones, request_token=phone_token, submit_code=submit),
    )
