"""Asks for the account password when an action other than the Password tab needs it (closing the account,
for instance). A refused password comes back with the server's verdict and another try in the same session.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from mxsettings.services.uia_driver import PasswordAsk
from mxsettings.ui.dialogs.base import AuthDialog, wrapped_label
from mxsettings.ui.field_message import FieldMessage

WRONG_PASSWORD = "M_FORBIDDEN"  # noqa: S105 (an errcode)


class PasswordDialog(AuthDialog):
    def __init__(self, parent: QWidget | None, ask: PasswordAsk) -> None:
        super().__init__(parent, name="uiaPasswordDialog")
        self.set_title(self.tr("Confirm it is you"))
        self._answer: asyncio.Future[str] | None = None
        self.intro = wrapped_label(
            self,
            self.tr("To continue, enter the password of %1.").replace("%1", ask.user_id),
            name="uiaPasswordIntro",
        )
        self.edit = QLineEdit(self)
        self.edit.setObjectName("uiaPasswordEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(self.tr("Password"))
        self.message = FieldMessage(self.edit, self, name="uiaPasswordError")
        buttons = QDialogButtonBox(self)
        self.continue_button = buttons.addButton(self.tr("&Continue"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.continue_button.setObjectName("uiaPasswordContinueButton")
        self.continue_button.setAccessibleName(self.tr("Continue with this password"))
        self.continue_button.setDefault(True)
        # Not a standard button: its text would come from Qt's catalogue, not the app's.
        self.cancel_button = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("uiaPasswordCancelButton")
        self.cancel_button.setAccessibleName(self.tr("Cancel the action"))
        buttons.rejected.connect(self.reject)
        self.continue_button.clicked.connect(self._submit)
        self.edit.returnPressed.connect(self._submit)
        self.edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if ask.error is not None:
            self.message.show_error(self._error_text(ask.error.errcode))
        self._update()
        self.edit.setFocus()

    def _error_text(self, errcode: str) -> str:
        if errcode == WRONG_PASSWORD:
            return self.tr("The password is wrong. Try again.")
        return self.tr("The server did not accept this password (%1). Try again.").replace("%1", errcode)

    def _update(self) -> None:
        self.continue_button.setEnabled(bool(self.edit.text()))

    def _submit(self) -> None:
        if self.edit.text():
            self._resolve(self._answer, self.edit.text())

    async def answer(self) -> str:
        """The password the user typed; raises ``Cancelled``."""
        self._answer = asyncio.get_running_loop().create_future()
        return await self._await(self._answer)
