"""The main window. For now a frame with the account tabs; the pages arrive with their issues."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Matrix account settings"))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("accountTabs")
        self.tabs.setAccessibleName(self.tr("Account settings sections"))
        for name, title in (("passwordTab", self.tr("Password")), ("contactTab", self.tr("Contact info"))):
            page = QWidget(self.tabs)
            page.setObjectName(name)
            layout = QVBoxLayout(page)
            note = QLabel(self.tr("Sign in to manage your account."), page)
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addStretch(1)
            self.tabs.addTab(page, title)
        self.setCentralWidget(self.tabs)
        self.resize(720, 520)
