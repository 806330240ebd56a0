"""What a signed-in account looks like: a header with who and where, the switcher, and the settings tabs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from mxsettings.services.accounts import Account

# Builds the tabs for one account: (title, page). Pages are rebuilt when the account changes, so nothing
# of one account (typed text, pending work, runners) can show under another.
PageFactory = Callable[["Account", QWidget], Sequence[tuple[str, QWidget]]]


class AccountView(QWidget):
    switch_requested = Signal(str)  # user ID
    add_account_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, page_factory: PageFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountView")
        self._page_factory = page_factory
        self.account: Account | None = None

        self.user_label = QLabel(self)
        self.user_label.setObjectName("userIdLabel")
        font = self.user_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.user_label.setFont(font)
        self.user_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.server_label = QLabel(self)
        self.server_label.setObjectName("homeserverLabel")
        self.server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.switcher = QComboBox(self)
        self.switcher.setObjectName("accountSwitcher")
        self.switcher.setAccessibleName(self.tr("Account"))
        self.switcher.setAccessibleDescription(self.tr("Choose which of your accounts to manage"))
        self.add_button = QPushButton(self.tr("&Add account…"), self)
        self.add_button.setObjectName("addAccountButton")
        self.add_button.setAccessibleName(self.tr("Add account"))
        self.sign_out_button = QPushButton(self.tr("Sign &out"), self)
        self.sign_out_button.setObjectName("signOutButton")
        self.sign_out_button.setAccessibleName(self.tr("Sign out of this account"))

        who = QVBoxLayout()
        who.addWidget(self.user_label)
        who.addWidget(self.server_label)
        header = QHBoxLayout()
        header.addLayout(who, 1)
        header.addWidget(self.switcher)
        header.addWidget(self.add_button)
        header.addWidget(self.sign_out_button)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("accountTabs")
        self.tabs.setAccessibleName(self.tr("Account settings"))
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self.switcher.activated.connect(self._switch_chosen)
        self.add_button.clicked.connect(self.add_account_requested)
        self.sign_out_button.clicked.connect(self.sign_out_requested)

    def show_account(self, account: Account, all_accounts: Sequence[Account]) -> None:
        changed = account is not self.account
        self.account = account
        self.user_label.setText(account.user_id)
        self.server_label.setText(account.homeserver.base_url)
        self.switcher.blockSignals(True)
        self.switcher.clear()
        for other in all_accounts:
            self.switcher.addItem(other.user_id, other.user_id)
        self.switcher.setCurrentIndex(max(0, self.switcher.findData(account.user_id)))
        self.switcher.blockSignals(False)
        self.switcher.setVisible(len(all_accounts) > 1)
        if changed:
            self._rebuild_tabs(account)

    def clear(self) -> None:
        self.account = None
        self._remove_pages()

    def pages(self) -> list[QWidget]:
        return [page for i in range(self.tabs.count()) if (page := self.tabs.widget(i)) is not None]

    def _rebuild_tabs(self, account: Account) -> None:
        current = self.tabs.currentIndex()
        self._remove_pages()
        for title, page in self._page_factory(account, self.tabs):
            self.tabs.addTab(page, title)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)

    def _remove_pages(self) -> None:
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if page is not None:
                page.deleteLater()  # its TaskRunner goes with it, cancelling what the page started

    def _switch_chosen(self, index: int) -> None:
        user_id = self.switcher.itemData(index)
        if isinstance(user_id, str) and (self.account is None or user_id != self.account.user_id):
            self.switch_requested.emit(user_id)
