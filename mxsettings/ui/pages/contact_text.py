"""What the Contact info tab says about addresses and their confirmation, in one translatable place.

These are states, not failures: "the link has not been opened yet" is the normal answer while waiting, so it
is said here in the tab's own words. Failures go through ``ui.error_text.describe`` like everywhere else.
Qt's ``%1`` placeholders are filled with ``str.replace`` so translators can move them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from mxsettings.api.generation import Generation
from mxsettings.api.models import UnbindResult
from mxsettings.services.accounts import Account
from mxsettings.services.contact_input import MEDIUM_EMAIL, format_msisdn
from mxsettings.store.pending import PendingVerification


def _fill(text: str, value: str) -> str:
    return text.replace("%1", value)


def _display(item: PendingVerification) -> str:
    return item.address if item.medium == MEDIUM_EMAIL else format_msisdn(item.address)


class ContactText(QObject):
    def restriction(self, account: Account) -> str:
        if account.delegates_auth:
            if account.auth_metadata is not None and account.auth_metadata.account_management_uri:
                return self.tr(
                    "Your server manages email addresses and phone numbers on its account page, not in apps. "
                    "Open the account page to change them."
                )
            return self.tr(
                "Your server manages email addresses and phone numbers on its own website, not in apps."
            )
        return self.tr(
            "Your server does not allow changing email addresses or phone numbers from an app. "
            "Ask your server's administrator if one needs changing."
        )

    def check_button(self, item: PendingVerification) -> str:
        if item.medium == MEDIUM_EMAIL:
            return self.tr("I &opened the link")
        return self.tr("Check &now")

    def waiting(self, item: PendingVerification, generation: Generation | None) -> str:
        if item.medium == MEDIUM_EMAIL:
            return _fill(
                self.tr("We sent a link to %1. Open it, and the address is added by itself."), item.address
            )
        if item.code_confirmed:
            return _fill(self.tr("Code accepted. Adding %1…"), _display(item))
        return _fill(
            self.tr("We sent a text message to %1. Follow it, and the number is added by itself."),
            _display(item),
        )

    def code_sent(self, item: PendingVerification) -> str:
        return _fill(self.tr("We sent a code to %1 by text message. Type it here."), _display(item))

    def offline(self) -> str:
        return self.tr("The server cannot be reached right now. Nothing is lost: the app keeps trying.")

    def not_yet(self, item: PendingVerification, legacy: bool) -> str:
        if item.medium != MEDIUM_EMAIL:
            return self.tr("The number is not confirmed yet.")
        if legacy:
            return self.tr(
                "The identity server could not verify the address yet. Open the link in the email first."
            )
        return _fill(
            self.tr("The link has not been opened yet. Open the link in the email to %1."), item.address
        )

    def expired(self, item: PendingVerification) -> str:
        if item.medium == MEDIUM_EMAIL:
            return self.tr("The link has expired. Press Resend for a new one.")
        return self.tr("The code has expired. Press Resend for a new one.")

    def lost(self) -> str:
        return self.tr(
            "This confirmation cannot be finished any more (the app could not keep its key). "
            "Press Resend to start again."
        )

    def needs_confirmation(self, item: PendingVerification) -> str:
        if item.medium == MEDIUM_EMAIL:
            return _fill(
                self.tr(
                    "Waiting for you: open the link we sent to %1, then press “I opened the link” and "
                    "confirm it is you."
                ),
                item.address,
            )
        return _fill(
            self.tr("Waiting for you: press “Check now” and confirm it is you to add %1."), _display(item)
        )

    def added(self, item: PendingVerification) -> str:
        return _fill(self.tr("%1 was added to your account."), _display(item))

    def removed(self, display: str, result: UnbindResult) -> str:
        if result is UnbindResult.SUCCESS:
            return _fill(self.tr("%1 was removed, and also from the identity server."), display)
        return _fill(
            self.tr(
                "%1 was removed from your account. The identity server could not be told: if you had "
                "made it discoverable there, people may still find you by it."
            ),
            display,
        )

    def already_on_account(self) -> str:
        return self.tr("This address is already on your account.")

    def already_waiting(self) -> str:
        return self.tr("This address is already waiting for confirmation below. Use Resend to send again.")

    def type_the_code(self) -> str:
        return self.tr("Type the code from the text message.")

    def sent_again(self, item: PendingVerification) -> str:
        if item.medium == MEDIUM_EMAIL:
            return _fill(self.tr("A new link was sent to %1."), item.address)
        return _fill(self.tr("A new code was sent to %1."), _display(item))
