"""Proving an email address or phone number of the account, for ``m.login.email.identity`` and
``m.login.msisdn``.

The dialog picks one of the account's addresses and asks the server to send a link (email) or a code
(phone). For a code with a ``submit_url`` the code is typed here and posted there. Then the dialog stays
open while the UIA driver asks the server whether the address is proven: it waits a little longer each
round, or not at all after "I have opened the link". "Resend" raises ``send_attempt`` on the same
validation session; a rate limit holds the button and counts down.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from mxsettings.api.models import ThreePidCredentials, TokenRequested
from mxsettings.errors import Cancelled
from mxsettings.services.uia_contacts import (
    AddressLister,
    CodeSubmitter,
    EmailTokenRequester,
    new_client_secret,
)
from mxsettings.ui.dialogs.base import AuthDialog, busy_bar, button, follow_rate_limit, wrapped_label
from mxsettings.ui.error_text import ErrorContext, ErrorText
from mxsettings.ui.field_message import FieldMessage

# The same shape for both media: (address, client_secret, send_attempt) -> the validation session.
TokenRequester = EmailTokenRequester


class Step(enum.Enum):
    CHOOSE = "choose"  # pick the address
    CODE = "code"  # type the code the server sent (phone with submit_url)
    WAITING = "waiting"  # the driver polls; the user follows the link (or the code is being checked)


class ThreePidDialog(AuthDialog):
    """Shared by the email and the phone dialog; subclasses give the words."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        name: str,
        list_addresses: AddressLister | None,
        request_token: TokenRequester | None,
        submit_code: CodeSubmitter | None = None,
        context: ErrorContext,
    ) -> None:
        super().__init__(parent, name=name)
        self._list = list_addresses
        self._request = request_token
        self._submit = submit_code
        self._context = context
        self._client_secret = new_client_secret()
        self._send_attempt = 0
        self._address = ""
        self._session: TokenRequested | None = None
        self._proven: asyncio.Future[ThreePidCredentials] | None = None
        self._wake = asyncio.Event()
        self.step = Step.CHOOSE
        prefix = name.removesuffix("Dialog")

        self.intro = wrapped_label(self, name=f"{prefix}Intro")
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"{prefix}AddressCombo")
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName(f"{prefix}CodeEdit")
        self.code_edit.setAccessibleName(self.tr("Code from the text message"))
        self.code_edit.setMaxLength(64)
        self.busy = busy_bar(self, f"{prefix}Busy", self.tr("Waiting for the confirmation"))
        self.message = FieldMessage(self.combo, self, name=f"{prefix}Message")
        self.send_button = button(self, "", f"{prefix}SendButton", "")
        self.confirm_button = button(
            self, self.tr("C&onfirm"), f"{prefix}ConfirmButton", self.tr("Confirm the code")
        )
        self.resend_button = button(self, "", f"{prefix}ResendButton", "")
        self.done_button = button(self, "", f"{prefix}DoneButton", "")
        self.cancel_button = button(
            self, self.tr("Cancel"), f"{prefix}CancelButton", self.tr("Cancel the action")
        )
        self.send_button.clicked.connect(self._send_first)
        self.confirm_button.clicked.connect(self._confirm_code)
        self.code_edit.returnPressed.connect(self._confirm_code)
        self.code_edit.textChanged.connect(self._update_buttons)
        self.resend_button.clicked.connect(self._resend)
        self.done_button.clicked.connect(self._wake.set)
        self.cancel_button.clicked.connect(self.reject)
        follow_rate_limit(self.runner, self.message)

        row = QHBoxLayout()
        row.addWidget(self.resend_button)
        row.addStretch(1)
        for widget in (self.send_button, self.confirm_button, self.done_button, self.cancel_button):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        for item in (self.intro, self.combo, self.code_edit, self.busy, self.message):
            layout.addWidget(item)
        layout.addLayout(row)
        self._show_step(Step.CHOOSE)

    # --- words, given by the subclasses ---------------------------------------------------------------

    def choose_text(self) -> str:
        raise NotImplementedError

    def waiting_text(self, address: str) -> str:
        raise NotImplementedError

    def no_address_text(self) -> str:
        raise NotImplementedError

    def display(self, address: str) -> str:
        return address

    # --- the steps ------------------------------------------------------------------------------------

    def load_addresses(self) -> None:
        """Fill the list from the account (in the background); called once when first shown."""
        if self._list is None or self._request is None:
            self._no_addresses()
            return
        self.message.show_note(self.tr("Loading your addresses…"))
        self.runner.run(
            self._list(),
            on_ok=self._fill,
            on_error=self._failed,
            busy=(self.combo, self.send_button),
            context=self._context,
        )

    def _fill(self, addresses: list[str]) -> None:
        self.message.clear_message()
        self.combo.clear()
        for address in addresses:
            self.combo.addItem(self.display(address), address)
        if not addresses:
            self._no_addresses()
        self._update_buttons()
        self.send_button.setFocus()

    def _no_addresses(self) -> None:
        self.message.show_error(self.no_address_text())
        self.combo.setEnabled(False)
        self.send_button.setEnabled(False)
        self.cancel_button.setFocus()

    def _send_first(self) -> None:
        address = self.combo.currentData()
        if not isinstance(address, str) or self._request is None:
            return
        self._address = address
        self._send_attempt = 1
        self.message.show_note(self.tr("Sending…"))
        self.runner.run(
            self._request(address, self._client_secret, self._send_attempt),
            on_ok=self._sent,
            on_error=self._failed,
            busy=(self.combo, self.send_button),
            context=self._context,
        )

    def _resend(self) -> None:
        if self._request is None or not self._address:
            return
        # A higher send_attempt on the same client_secret asks for another message in the same session.
        self._send_attempt += 1
        self.message.show_note(self.tr("Sending again…"))
        self.runner.run(
            self._request(self._address, self._client_secret, self._send_attempt),
            on_ok=self._resent,
            on_error=self._failed,
            busy=self.resend_button,
            context=self._context,
        )

    def _sent(self, session: TokenRequested) -> None:
        self._session = session
        self.message.clear_message()
        if session.submit_url is not None and self._submit is not None:
            self._show_step(Step.CODE)
            return
        self._show_step(Step.WAITING)
        self._resolve(self._proven, self.credentials())

    def _resent(self, session: TokenRequested) -> None:
        self._session = session
        self.message.show_note(self.tr("Sent again to %1.").replace("%1", self.display(self._address)))

    def _confirm_code(self) -> None:
        code = self.code_edit.text().strip()
        session = self._session
        if not code or session is None or session.submit_url is None or self._submit is None:
            return
        self.message.show_note(self.tr("Checking the code…"))
        self.runner.run(
            self._submit(session.submit_url, session.sid, self._client_secret, code),
            on_ok=self._code_checked,
            on_error=self._failed,
            busy=(self.code_edit, self.confirm_button),
            context=self._context,
        )

    def _code_checked(self, accepted: bool) -> None:
        if not accepted:
            self.message.show_error(self.tr("The code is wrong. Check it and try again."))
            return
        self.message.clear_message()
        self._show_step(Step.WAITING)
        self._resolve(self._proven, self.credentials())

    def _failed(self, text: ErrorText) -> None:
        self.message.show_error(text.message)

    def _show_step(self, step: Step) -> None:
        self.step = step
        choose, code, waiting = step is Step.CHOOSE, step is Step.CODE, step is Step.WAITING
        self.intro.setText(self.choose_text() if choose else self.waiting_text(self.display(self._address)))
        self.combo.setVisible(choose)
        self.send_button.setVisible(choose)
        self.code_edit.setVisible(code)
        self.confirm_button.setVisible(code)
        self.resend_button.setVisible(not choose)
        self.busy.setVisible(waiting)
        self.done_button.setVisible(waiting)
        for default in (self.send_button, self.confirm_button, self.done_button):
            default.setDefault(default.isVisibleTo(self))
        self._update_buttons()
        (self.send_button if choose else self.code_edit if code else self.done_button).setFocus()

    def _update_buttons(self) -> None:
        if not self.runner.busy and not self.runner.rate_limited:
            self.send_button.setEnabled(self.combo.count() > 0)
            self.confirm_button.setEnabled(bool(self.code_edit.text().strip()))

    def on_cancel(self) -> None:
        self._wake.set()

    # --- what the prompter awaits ---------------------------------------------------------------------

    def credentials(self) -> ThreePidCredentials:
        assert self._session is not None
        return ThreePidCredentials(sid=self._session.sid, client_secret=self._client_secret)

    @property
    def has_session(self) -> bool:
        return self._session is not None and self.step is Step.WAITING

    def restart(self) -> None:
        """Back to the address choice, with a new validation session (the server started UIA anew)."""
        self._client_secret = new_client_secret()
        self._session = None
        self._show_step(Step.CHOOSE)

    async def proven(self) -> ThreePidCredentials:
        """The credentials once the message went out (email) or the code was accepted (phone)."""
        self._proven = asyncio.get_running_loop().create_future()
        return await self._await(self._proven)

    async def wait(self, seconds: float) -> None:
        """Wait before the driver asks the server again; "I have opened the link" ends it early."""
        if not self.cancelled:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, seconds))
            self._wake.clear()
        if self.cancelled:
            raise Cancelled


class EmailDialog(ThreePidDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        list_addresses: AddressLister | None,
        request_token: TokenRequester | None,
    ) -> None:
        super().__init__(
            parent,
            name="uiaEmailDialog",
            list_addresses=list_addresses,
            request_token=request_token,
            context=ErrorContext.ADD_EMAIL,
        )
        self.set_title(self.tr("Confirm it is you by email"))
        self.combo.setAccessibleName(self.tr("Email address to send the link to"))
        self.send_button.setText(self.tr("&Send email"))
        self.send_button.setAccessibleName(self.tr("Send the email with the link"))
        self.resend_button.setText(self.tr("&Resend email"))
        self.resend_button.setAccessibleName(self.tr("Send the email again"))
        self.done_button.setText(self.tr("I have &opened the link"))
        self.done_button.setAccessibleName(self.tr("I have opened the link: check now"))

    def choose_text(self) -> str:
        return self.tr(
            "Your server wants you to prove that you can read one of your email addresses. "
            "Choose one, and the server will send a link to it."
        )

    def waiting_text(self, address: str) -> str:
        return self.tr(
            "An email is on its way to %1. Open the link in it; this window continues by itself afterwards."
        ).replace("%1", address)

    def no_address_text(self) -> str:
        return self.tr("Your account has no email address to confirm with, so this cannot be done here.")


class PhoneDialog(ThreePidDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        list_addresses: AddressLister | None,
        request_token: TokenRequester | None,
        submit_code: CodeSubmitter | None,
    ) -> None:
        super().__init__(
            parent,
            name="uiaPhoneDialog",
            list_addresses=list_addresses,
            request_token=request_token,
            submit_code=submit_code,
            context=ErrorContext.ADD_PHONE,
        )
        self.set_title(self.tr("Confirm it is you by text message"))
        self.combo.setAccessibleName(self.tr("Phone number to send the code to"))
        self.send_button.setText(self.tr("&Send code"))
        self.send_button.setAccessibleName(self.tr("Send the code by text message"))
        self.resend_button.setText(self.tr("&Resend code"))
        self.resend_button.setAccessibleName(self.tr("Send the code again"))
        self.done_button.setText(self.tr("&Check now"))
        self.done_button.setAccessibleName(self.tr("Check the confirmation now"))

    def display(self, address: str) -> str:
        return address if not address or address.startswith("+") else "+" + address

    def choose_text(self) -> str:
        return self.tr(
            "Your server wants you to prove that you can receive text messages at one of your phone "
            "numbers. Choose one, and the server will send a code to it."
        )

    def waiting_text(self, address: str) -> str:
        if self.step is Step.CODE:
            return self.tr("A code is on its way to %1. Type it here.").replace("%1", address)
        return self.tr("Waiting for the server to confirm %1…").replace("%1", address)

    def no_address_text(self) -> str:
        return self.tr("Your account has no phone number to confirm with, so this cannot be done here.")
