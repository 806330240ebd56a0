"""What the server allows for a topic, said in words: the tab content until the topic's own page exists,
and the explanation a restricted page shows."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from mxsettings.services.accounts import Account


class CapabilityPage(QWidget):
    class Topic(enum.Enum):
        PASSWORD = "password"  # noqa: S105 - a topic name, not a password
        CONTACTS = "contacts"

    def __init__(
        self, account: Account, topic: Topic, open_url: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{topic.value}CapabilityPage")
        self._open_url = open_url
        self._url = account.auth_metadata.account_management_uri if account.auth_metadata else None
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{topic.value}CapabilityText")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setText(self._describe(account, topic))
        self.account_page_button = QPushButton(self.tr("Open the &account page"), self)
        self.account_page_button.setObjectName(f"{topic.value}AccountPageButton")
        self.account_page_button.setAccessibleName(self.tr("Open the account page in the browser"))
        self.account_page_button.setVisible(account.delegates_auth and self._url is not None)
        self.account_page_button.clicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.account_page_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def _describe(self, account: Account, topic: Topic) -> str:
        if account.delegates_auth:
            return self.tr(
                "Your server manages this on its account website. Open the account page to make changes."
            )
        allowed = (
            account.capabilities.change_password
            if topic is CapabilityPage.Topic.PASSWORD
            else account.capabilities.threepid_changes
        )
        if topic is CapabilityPage.Topic.PASSWORD:
            return (
                self.tr("Your server lets you change your password here.")
                if allowed
                else self.tr("Your server does not allow changing the password from an app.")
            )
        return (
            self.tr("Your server lets you add and remove email addresses and phone numbers here.")
            if allowed
            else self.tr("Your server does not allow changing email addresses or phone numbers from an app.")
        )

    def _open(self) -> None:
        if self._url is not None:
            self._open_url(self._url)
