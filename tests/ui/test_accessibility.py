"""Screen readers and keyboards: every control is named, Tab follows the layout, errors are announced, the
colours the app adds stay readable in dark mode, a whole password change works from the keyboard alone, and
docs/ui-names.md lists every control (issue 3's list of names for automation and tests)."""

from __future__ import annotations

import asyncio
import itertools
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from mxsettings.app import build_main_window
from mxsettings.store.secrets import MemorySecretStore
from mxsettings.ui import colours
from mxsettings.ui.field_message import FieldMessage
from mxsettings.ui.main_window import MainWindow
from mxsettings.ui.pages.password_page import PasswordPage
from tests.fakes.homeserver import FakeHomeserver
from tests.qt_loop import shut_down
from tests.ui.inspection import accessible_name, goes_back, run_tour, tab_chain
from tests.ui.tour import Stop, focusable

ROOT = Path(__file__).resolve().parents[2]
UI_NAMES = ROOT / "docs" / "ui-names.md"
WAIT = 10_000


def _describe(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName()!r}"


def test_every_control_has_an_object_name_and_an_accessible_name(qtbot: QtBot, qloop: object) -> None:
    problems: list[str] = []
    count = 0

    def visit(stop: Stop) -> None:
        nonlocal count
        for widget in focusable(stop.widget):
            count += 1
            if not widget.objectName():
                problems.append(f"{stop.name}: {_describe(widget)} has no objectName")
            if not accessible_name(widget):
                problems.append(f"{stop.name}: {_describe(widget)} has no accessible name")

    run_tour(qtbot, qloop, visit)  # type: ignore[arg-type]
    assert count >= 80  # the walk saw the controls it is about
    assert not problems, "\n".join(problems)


def test_tab_follows_the_reading_order(qtbot: QtBot, qloop: object) -> None:
    problems: list[str] = []

    def visit(stop: Stop) -> None:
        chain = tab_chain(stop.widget)
        assert chain, stop.name
        for first, second in itertools.pairwise(chain):
            if goes_back(first, second, stop.widget):
                problems.append(f"{stop.name}: Tab goes back from {_describe(first)} to {_describe(second)}")
        reachable = set(map(id, focusable(stop.widget)))
        missed = reachable - set(map(id, chain))
        if missed:
            names = [_describe(w) for w in focusable(stop.widget) if id(w) in missed]
            problems.append(f"{stop.name}: Tab never reaches {', '.join(names)}")

    run_tour(qtbot, qloop, visit)  # type: ignore[arg-type]
    assert not problems, "\n".join(problems)


def test_ui_names_lists_every_control(qtbot: QtBot, qloop: object) -> None:
    """docs/ui-names.md is written by `make ui-names` (scripts/ui_names.py)."""
    listed = set(re.findall(r"`([^`]+)`", UI_NAMES.read_text(encoding="utf-8")))
    missing: set[str] = set()

    def visit(stop: Stop) -> None:
        missing.update(w.objectName() for w in focusable(stop.widget) if w.objectName() not in listed)

    run_tour(qtbot, qloop, visit)  # type: ignore[arg-type]
    assert not missing, f"not in docs/ui-names.md (run `make ui-names`): {sorted(missing)}"


# --- Errors are announced, in a readable colour ------------------------------------------------------------


def test_an_error_becomes_the_fields_description_and_is_cleared_with_it(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    edit = QLineEdit(host)
    edit.setObjectName("nameEdit")
    edit.setAccessibleDescription("Your name")
    message = FieldMessage(edit, host)
    message.show_error("This name is taken.")
    assert edit.accessibleDescription() == "This name is taken."
    assert message.accessibleName() == "This name is taken."
    message.clear_message()
    assert edit.accessibleDescription() == "Your name"


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(
    ("foregrounds", "background"),
    [
        ((colours.ERROR_LIGHT, *colours.STRENGTH_LIGHT), "#efefef"),  # Fusion's light window
        ((colours.ERROR_LIGHT, *colours.STRENGTH_LIGHT), "#ffffff"),
        ((colours.ERROR_DARK, *colours.STRENGTH_DARK), "#2b2b2b"),  # scripts/screenshots.py's dark window
        ((colours.ERROR_DARK, *colours.STRENGTH_DARK), "#353535"),  # a dark button
    ],
)
def test_added_colours_keep_aa_contrast(foregrounds: tuple[str, ...], background: str) -> None:
    for foreground in foregrounds:
        assert contrast(foreground, background) >= 4.5, (foreground, background)


@pytest.fixture
def dark_app(qapp: QApplication) -> Iterator[Callable[[], None]]:
    original = QGuiApplication.palette()

    def go_dark() -> None:
        palette = QPalette(original)
        palette.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
        qapp.setPalette(palette)

    try:
        yield go_dark
    finally:
        qapp.setPalette(original)


def test_an_error_follows_the_desktop_into_dark_mode(qtbot: QtBot, dark_app: Callable[[], None]) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    message = FieldMessage(None, host)
    host.show()  # Qt tells only polished (shown) widgets of a palette change
    message.show_error("Wrong.")
    text = QPalette.ColorRole.WindowText
    assert message.palette().color(text) == QColor(colours.ERROR_LIGHT)
    dark_app()  # the desktop switches while the app runs
    qtbot.waitUntil(lambda: message.palette().color(text) == QColor(colours.ERROR_DARK), timeout=WAIT)
    message.show_note("Saved.")
    # A note is plain text in the palette's own colour.
    assert message.palette().color(text) == QGuiApplication.palette().color(text)


# --- The keyboard alone ------------------------------------------------------------------------------------


class Keyboard:
    """Presses keys on whatever has the focus, as a person at the keyboard would."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(self, key: Qt.Key) -> None:
        QTest.keyClick(self.focus, key)

    def type(self, text: str) -> None:
        QTest.keyClicks(self.focus, text)

    def tab_to(self, target: QWidget, most: int = 25) -> int:
        for presses in range(most):
            if self.focus is target:
                return presses
            self.press(Qt.Key.Key_Tab)
        raise AssertionError(f"{most} presses of Tab never reached {target.objectName()}")


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[tuple[MainWindow, FakeHomeserver]]:
    fake = FakeHomeserver(base_url="https://matrix.example.org", user_id="@alice:example.org")
    with tempfile.TemporaryDirectory() as config:
        window = build_main_window(
            config_dir=Path(config),
            secret_store=MemorySecretStore(),
            transport=fake.transport(),
            open_url=lambda url: None,
        )
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
        window.start()
        yield window, fake
        shut_down(qtbot, qloop, [window])


def test_a_whole_password_change_by_keyboard_alone(
    qtbot: QtBot, window: tuple[MainWindow, FakeHomeserver]
) -> None:
    """Sign in, reach the Password tab, get the current password wrong, then change it and sign the other
    sessions out: typing, Tab, Space and Enter only, each sent to the widget that has the focus."""
    main, fake = window
    keys = Keyboard(qtbot)
    sign_in = main.sign_in
    qtbot.waitUntil(lambda: keys.focus is sign_in.homeserver_input, timeout=WAIT)
    keys.type(fake.base_url)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: keys.focus is sign_in.username_input, timeout=WAIT)
    keys.type("alice")
    keys.press(Qt.Key.Key_Return)
    assert keys.focus is sign_in.password_input
    keys.type(fake.password)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main.stack.currentWidget() is main.account_view, timeout=WAIT)

    page = next(p for p in main.account_view.pages() if isinstance(p, PasswordPage))
    assert main.account_view.tabs.currentWidget() is page  # the first tab
    QApplication.processEvents()
    keys.tab_to(page.current_edit)
    keys.type("not-the-password")
    keys.press(Qt.Key.Key_Tab)
    assert keys.focus is page.new_edit
    keys.type("N3w-Password!x")
    keys.press(Qt.Key.Key_Tab)
    assert keys.focus is page.confirm_edit
    keys.type("N3w-Password!x")
    keys.press(Qt.Key.Key_Return)  # Enter in any field submits
    # The refusal lands on the current-password field: shown, announced (its description), focused.
    qtbot.waitUntil(page.current_error.isVisible, timeout=WAIT)
    assert keys.focus is page.current_edit
    assert page.current_edit.accessibleDescription() == page.current_error.text()
    assert page.current_edit.selectedText() == "not-the-password"  # typing replaces it
    keys.type(fake.password)
    for expected in (page.new_edit, page.confirm_edit, page.show_check, page.logout_check):
        keys.press(Qt.Key.Key_Tab)
        assert keys.focus is expected
    keys.press(Qt.Key.Key_Space)
    assert page.logout_check.isChecked()
    keys.press(Qt.Key.Key_Tab)
    assert keys.focus is page.submit_button
    keys.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Your password has been changed." in page.result.text(), timeout=WAIT)
    assert fake.password == "N3w-Password!x"
    assert fake.password_changes[-1]["logout_devices"] is True
    assert "Your other sessions have been signed out." in page.result.text()
